package postgres_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/ticket"
)

// A Desk whose Follow is cancelled again and again at random moments, mid-page, ends up
// where one that read the feed at once does: every ticket recorded, every solve's hook
// called once, its cursor at the end of the feed.
func TestFollowCancelledMidPageCatchesUpExactly(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	writer, err := supportkit.New(supportkit.Config{Store: st.store, Feed: st.store})
	require.NoError(t, err)
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-1"}
	const tickets = 120
	solved := map[string]bool{}
	for i := range tickets {
		tk, err := writer.Tickets().Create(ctx, ticket.NewTicket{Subject: "Printer jams", Description: "It jams.",
			Requester: ticket.Requester{ID: "cust-1"}, Assignee: "agent-1"})
		require.NoError(t, err)
		if i%3 == 0 {
			_, err = writer.Tickets().Solve(ctx, agent, tk.ID)
			require.NoError(t, err)
			solved[tk.ID.String()] = true
		}
	}
	var mu sync.Mutex
	calls := map[string]int{}
	reader, err := supportkit.New(supportkit.Config{Store: st.store, Feed: st.store,
		Hooks: supportkit.Hooks{OnSolved: func(_ context.Context, tk ticket.Ticket) error {
			mu.Lock()
			calls[tk.ID.String()]++
			mu.Unlock()
			return nil
		}}})
	require.NoError(t, err)
	for i := range 30 {
		cctx, cancel := context.WithCancel(ctx)
		go func() {
			time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
			cancel()
		}()
		err := reader.Follow(cctx)
		cancel()
		if err != nil {
			assert.ErrorIs(t, err, context.Canceled, "follow %d", i)
		}
	}
	require.NoError(t, reader.Follow(ctx))
	reader.RetryHooks(ctx, time.Now().Add(time.Hour))
	assert.Equal(t, tickets, reader.Metrics().Len())
	mu.Lock()
	defer mu.Unlock()
	for id := range solved {
		assert.Equal(t, 1, calls[id], "OnSolved of %s", id)
	}
	assert.Len(t, calls, len(solved))
	assert.Empty(t, reader.Deliveries())
	require.NoError(t, writer.Follow(ctx))
	assert.Equal(t, writer.Cursor(), reader.Cursor())
}
