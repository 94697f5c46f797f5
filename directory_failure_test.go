package supportkit_test

import (
	"context"
	"errors"
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

// errDirectoryDown is what failingDirectory returns while down.
var errDirectoryDown = errors.New("directory: connection refused")

// failingDirectory is a Directory whose customer and organization reads fail while down is
// set, as a database that refuses connections.
type failingDirectory struct {
	*party.MemoryDirectory
	down atomic.Bool
}

func (f *failingDirectory) Customer(ctx context.Context, tenant string, id uuid.UUID) (party.Customer, error) {
	if f.down.Load() {
		return party.Customer{}, errDirectoryDown
	}
	return f.MemoryDirectory.Customer(ctx, tenant, id)
}

func (f *failingDirectory) Organization(ctx context.Context, tenant string, id uuid.UUID) (party.Organization, error) {
	if f.down.Load() {
		return party.Organization{}, errDirectoryDown
	}
	return f.MemoryDirectory.Organization(ctx, tenant, id)
}

// segmentPolicies give the vip segment a first response within 15 minutes, everyone else
// within 8 hours.
func segmentPolicies(t *testing.T) *sla.Policies {
	t.Helper()
	policies, err := sla.NewPolicies(
		sla.Policy{Name: "vip", When: sla.Condition{Segments: []string{"vip"}},
			Targets: map[string]sla.Targets{"": {FirstResponse: &sla.Target{Within: 15 * time.Minute}}}},
		sla.Policy{Name: "standard",
			Targets: map[string]sla.Targets{"": {FirstResponse: &sla.Target{Within: 8 * time.Hour}}}},
	)
	require.NoError(t, err)
	return policies
}

// failingSetup is a Desk over store and a failingDirectory that knows one vip customer.
func failingSetup(t *testing.T, store ticket.Store, hooks supportkit.Hooks) (*supportkit.Desk, *failingDirectory, *party.Service, *fakeClock) {
	t.Helper()
	clock := &fakeClock{now: start}
	dir := &failingDirectory{MemoryDirectory: party.NewMemoryDirectory()}
	people, err := party.NewService(dir, party.Config{Now: clock.Now})
	require.NoError(t, err)
	_, _, err = people.CreateCustomer(context.Background(), party.NewCustomer{Emails: []string{"ceo@acme.com"}, Segment: "vip"})
	require.NoError(t, err)
	d, err := supportkit.New(supportkit.Config{Store: store, Directory: people, Policies: segmentPolicies(t), Now: clock.Now, Hooks: hooks})
	require.NoError(t, err)
	return d, dir, people, clock
}

// A Directory that fails while a vip's ticket is evaluated leaves the ticket on the vip
// policy it was on: the segment last read stands in, never the empty one of the standard
// policy.
func TestFailingDirectoryKeepsTheTicketsPolicy(t *testing.T) {
	ctx := context.Background()
	var breaches atomic.Int32
	d, dir, _, clock := failingSetup(t, nil, supportkit.Hooks{OnBreach: func(context.Context, ticket.Ticket, sla.ClockResult) error {
		breaches.Add(1)
		return nil
	}})
	tk, err := d.Receive(ctx, ticket.Inbound{From: ticket.Requester{Email: "ceo@acme.com"}, Subject: "Help", Body: "Please."})
	require.NoError(t, err)

	dir.down.Store(true)
	clock.set(start.Add(5 * time.Minute))
	_, err = d.Tickets().Comment(ctx, ticket.Actor{Kind: ticket.ActorAgent, ID: "a1"}, tk.ID,
		ticket.NewComment{Body: "Looking into it.", Public: false})
	require.NoError(t, err)
	res, err := d.Clocks(ctx, tk.ID, clock.Now())
	require.NoError(t, err)
	assert.Equal(t, "vip", res.Clock(sla.FirstResponse).Policy, "the ticket stays on its policy")
	assert.Equal(t, 15*time.Minute, res.Clock(sla.FirstResponse).Target)

	clock.set(start.Add(20 * time.Minute))
	require.NoError(t, d.CheckClocks(ctx, clock.Now()))
	assert.Equal(t, int32(1), breaches.Load(), "the vip deadline is watched through the failure")
}

// A ticket whose segment the Desk never read (a Desk that loads the store while the
// Directory fails) is not evaluated: Clocks returns the Directory's error and no policy is
// picked; the clocks are evaluated, on the right policy, once the Directory answers again.
func TestFailingDirectoryDefersAnUnreadSegment(t *testing.T) {
	ctx := context.Background()
	store := ticket.NewMemoryStore()
	first, dir, people, clock := failingSetup(t, store, supportkit.Hooks{})
	tk, err := first.Receive(ctx, ticket.Inbound{From: ticket.Requester{Email: "ceo@acme.com"}, Subject: "Help", Body: "Please."})
	require.NoError(t, err)

	var breaches atomic.Int32
	d, err := supportkit.New(supportkit.Config{Store: store, Directory: people, Policies: segmentPolicies(t),
		Now: clock.Now, Hooks: supportkit.Hooks{OnBreach: func(context.Context, ticket.Ticket, sla.ClockResult) error {
			breaches.Add(1)
			return nil
		}}})
	require.NoError(t, err)
	dir.down.Store(true)
	clock.set(start.Add(20 * time.Minute))
	require.NoError(t, d.Load(ctx))
	_, err = d.Clocks(ctx, tk.ID, clock.Now())
	assert.ErrorIs(t, err, errDirectoryDown)
	assert.ErrorIs(t, d.CheckClocks(ctx, clock.Now().Add(time.Minute)), errDirectoryDown)
	assert.Zero(t, breaches.Load(), "no policy is picked without the segment")

	dir.down.Store(false)
	clock.set(start.Add(22 * time.Minute))
	require.NoError(t, d.CheckClocks(ctx, clock.Now()))
	assert.Equal(t, int32(1), breaches.Load(), "the vip breach is notified once the Directory answers")
	res, err := d.Clocks(ctx, tk.ID, clock.Now())
	require.NoError(t, err)
	assert.Equal(t, "vip", res.Clock(sla.FirstResponse).Policy)
}
