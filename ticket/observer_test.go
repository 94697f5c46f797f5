package ticket_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

func TestObserversSeeEveryCommittedEventInOrder(t *testing.T) {
	b := setup(t, ticket.Config{})
	var wg sync.WaitGroup
	ids := make([]uuid.UUID, 4)
	for i := range ids {
		ids[i] = b.create(t, ticket.NewTicket{}).ID
	}
	for _, id := range ids {
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					_, err := b.svc.Comment(ctx, agent, id, ticket.NewComment{Body: "x"})
					assert.NoError(t, err)
				}
			}()
		}
	}
	wg.Wait()
	perTicket := map[uuid.UUID][]ticket.Event{}
	for _, e := range b.rec.seen() {
		perTicket[e.TicketID] = append(perTicket[e.TicketID], e)
	}
	for _, id := range ids {
		assert.Equal(t, b.events(t, id), perTicket[id], "observer saw the log exactly, in order")
	}
}

func TestObserverMayCallTheServiceForTheSameTicket(t *testing.T) {
	var svc *ticket.Service
	var seen []ticket.EventKind
	var mu sync.Mutex
	autoAssign := func(ctx context.Context, e ticket.Event, tk ticket.Ticket) {
		mu.Lock()
		seen = append(seen, e.Kind)
		mu.Unlock()
		if e.Kind == ticket.EventCreated {
			_, err := svc.Assign(ctx, ticket.System, tk.ID, "agent-1")
			assert.NoError(t, err)
		}
	}
	svc, err := ticket.NewService(ticket.NewMemoryStore(), ticket.Config{Observers: []ticket.Observer{autoAssign}})
	require.NoError(t, err)
	tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "s", Requester: ann, Description: "d"})
	require.NoError(t, err)
	got, err := svc.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, "agent-1", got.Assignee)
	assert.Equal(t, []ticket.EventKind{ticket.EventCreated, ticket.EventCommented, ticket.EventAssigneeChanged, ticket.EventStatusChanged}, seen)
}

func TestObserverGetsTicketAsCommitted(t *testing.T) {
	var got []ticket.Ticket
	obs := func(_ context.Context, e ticket.Event, tk ticket.Ticket) { got = append(got, tk) }
	svc, err := ticket.NewService(ticket.NewMemoryStore(), ticket.Config{Observers: []ticket.Observer{obs}})
	require.NoError(t, err)
	tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "s", Requester: ann})
	require.NoError(t, err)
	tk, err = svc.Assign(ctx, agent, tk.ID, "agent-7")
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.Equal(t, int64(1), got[0].Version)
	assert.Equal(t, tk, got[2])
}

func TestRefusedChangePublishesNothing(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{})
	n := len(b.rec.seen())
	_, err := b.svc.Solve(ctx, agent, tk.ID)
	require.Error(t, err)
	_, err = b.svc.Create(ctx, ticket.NewTicket{Key: "k", Subject: "s", Requester: ann})
	require.NoError(t, err)
	m := len(b.rec.seen())
	_, err = b.svc.Create(ctx, ticket.NewTicket{Key: "k", Subject: "s", Requester: ann})
	require.NoError(t, err)
	assert.Equal(t, n+1, m)
	assert.Len(t, b.rec.seen(), m, "a repeated key publishes nothing")
}

// TestNilObserverIsRefusedByNewService checks that a nil observer in Config.Observers (one a
// host meant to set conditionally) is refused when the Service is made, rather than
// panicking on the first write, after that write is committed.
func TestNilObserverIsRefusedByNewService(t *testing.T) {
	called := 0
	count := func(context.Context, ticket.Event, ticket.Ticket) { called++ }
	_, err := ticket.NewService(nil, ticket.Config{Observers: []ticket.Observer{count, nil}})
	require.ErrorIs(t, err, ticket.ErrInvalid)
	var ve *ticket.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Config.Observers[1]", ve.Field)
	assert.Zero(t, called)
}
