package ticket_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// An observer that panics loses the event it panicked on, but the events queued after it are
// delivered by the next call for the ticket, in Seq order.
func TestObserverPanicKeepsTheRestOfTheQueue(t *testing.T) {
	var (
		mu       sync.Mutex
		seen     []int64
		panicked bool
	)
	observe := func(_ context.Context, e ticket.Event, _ ticket.Ticket) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, e.Seq)
		if !panicked {
			panicked = true
			panic("observer failed")
		}
	}
	svc, err := ticket.NewService(nil, ticket.Config{Observers: []ticket.Observer{observe}})
	require.NoError(t, err)
	var tk ticket.Ticket
	require.Panics(t, func() {
		tk, _ = svc.Create(ctx, ticket.NewTicket{Subject: "Printer jams", Requester: ann, Description: "It jams."})
	})
	tk, err = svc.GetByNumber(ctx, "SUP-1")
	require.NoError(t, err)
	require.Equal(t, int64(2), tk.LastEventSeq, "created and commented")
	_, err = svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: "Looking into it."})
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []int64{1, 2, 3}, seen)
}
