package supportkit_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// hungDirectory is a Directory whose customer reads block until their ctx ends once hang
// is set, as a database that stopped answering.
type hungDirectory struct {
	*party.MemoryDirectory
	hang atomic.Bool
}

func (h *hungDirectory) Customer(ctx context.Context, tenant string, id uuid.UUID) (party.Customer, error) {
	if h.hang.Load() {
		<-ctx.Done()
		return party.Customer{}, ctx.Err()
	}
	return h.MemoryDirectory.Customer(ctx, tenant, id)
}

// within runs f and fails the test when it has not returned after limit.
func within(t *testing.T, limit time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("still blocked after %s", limit)
	}
}

func TestAHungDirectoryDoesNotStallTheDesk(t *testing.T) {
	policies, err := sla.NewPolicies(sla.Policy{Name: "standard",
		Targets: map[string]sla.Targets{"": {FirstResponse: &sla.Target{Within: time.Hour}}}})
	require.NoError(t, err)
	dir := &hungDirectory{MemoryDirectory: party.NewMemoryDirectory()}
	people, err := party.NewService(dir, party.Config{})
	require.NoError(t, err)
	desk, err := supportkit.New(supportkit.Config{Directory: people, Policies: policies})
	require.NoError(t, err)
	tk, err := desk.Receive(context.Background(), ticket.Inbound{From: ticket.Requester{Email: "ann@example.com"}, Subject: "Help", Body: "Please."})
	require.NoError(t, err)
	dir.hang.Store(true)
	within(t, 3*time.Second, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		res, err := desk.Clocks(ctx, tk.ID, time.Now())
		if assert.NoError(t, err) {
			assert.Equal(t, time.Hour, res.Clock(sla.FirstResponse).Target)
		}
	})
	within(t, 3*time.Second, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := desk.Tickets().Comment(ctx, ticket.Actor{Kind: ticket.ActorAgent, ID: "a1"}, tk.ID, ticket.NewComment{Body: "On it", Public: true})
		assert.NoError(t, err)
	})
}

func TestCustomerSegmentGivesUpOnAHungDirectory(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for DirectoryTimeout")
	}
	dir := &hungDirectory{MemoryDirectory: party.NewMemoryDirectory()}
	people, err := party.NewService(dir, party.Config{})
	require.NoError(t, err)
	c, _, err := people.CreateCustomer(context.Background(), party.NewCustomer{Emails: []string{"ann@example.com"}, Segment: "vip"})
	require.NoError(t, err)
	segment := supportkit.CustomerSegment(people, "")
	tk := ticket.Ticket{Requester: ticket.Requester{ID: c.ID.String()}}
	require.Equal(t, "vip", segment(tk))
	dir.hang.Store(true)
	within(t, supportkit.DirectoryTimeout+2*time.Second, func() {
		assert.Equal(t, "", segment(tk))
	})
}
