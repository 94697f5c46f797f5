package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/postgres/internal/pgtest"
	"github.com/supportkit/supportkit/ticket"
)

// twoProcesses is one schema with two independent pools and a store and a Service on each,
// as two processes of a host would have.
func twoProcesses(t *testing.T) (stores [2]*postgres.TicketStore, svcs [2]*ticket.Service) {
	st := newSetup(t, nil)
	for i := range 2 {
		pool := pgtest.Pool(t, func(c *pgxpool.Config) { c.MaxConns = 8 })
		s, err := postgres.NewTicketStore(pool, postgres.Config{Schema: st.schema})
		require.NoError(t, err)
		svc, err := ticket.NewService(s, ticket.Config{MaxRetries: 10000})
		require.NoError(t, err)
		stores[i], svcs[i] = s, svc
	}
	return stores, svcs
}

var agent = ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-1", Name: "Alex"}

// TestTwoPoolsLoseNoUpdate races 10,000 comments (1,000 with -short) from two pools onto a
// few tickets and checks that every one landed once, numbered without a gap, with its event.
func TestTwoPoolsLoseNoUpdate(t *testing.T) {
	writes := 10000
	if testing.Short() {
		writes = 1000
	}
	const workers, tickets = 16, 5
	ctx := context.Background()
	stores, svcs := twoProcesses(t)
	ids := make([]uuid.UUID, tickets)
	for i := range ids {
		tk, err := svcs[0].Create(ctx, ticket.NewTicket{Subject: "Shared", Description: "d", Requester: ticket.Requester{ID: "c"}, Assignee: "agent-1"})
		require.NoError(t, err)
		ids[i] = tk.ID
	}
	var next atomic.Int64
	var failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := next.Add(1) - 1
				if n >= int64(writes) {
					return
				}
				_, err := svcs[w%2].Comment(ctx, agent, ids[n%tickets], ticket.NewComment{Body: fmt.Sprintf("comment %d", n)})
				if err != nil {
					failed.Add(1)
					t.Logf("write %d: %v", n, err)
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("%d racing writes from two pools in %v", writes, time.Since(start))
	require.Zero(t, failed.Load())
	bodies := map[string]bool{}
	for _, id := range ids {
		tk, err := stores[1].Ticket(ctx, id)
		require.NoError(t, err)
		comments, err := stores[1].Comments(ctx, id)
		require.NoError(t, err)
		require.Len(t, comments, tk.CommentCount)
		for i, c := range comments {
			require.Equal(t, i+1, c.Seq)
			bodies[c.Body] = true
		}
		events, err := stores[0].Events(ctx, id, 0)
		require.NoError(t, err)
		require.Len(t, events, int(tk.LastEventSeq))
		for i, e := range events {
			require.Equal(t, int64(i+1), e.Seq)
		}
	}
	assert.Len(t, bodies, writes+1, "every comment once, and the description")
}

// TestTwoPoolsCreateOneTicketPerKey races Creates with one key from two pools: all get the
// same ticket, and exactly one is stored.
func TestTwoPoolsCreateOneTicketPerKey(t *testing.T) {
	ctx := context.Background()
	stores, svcs := twoProcesses(t)
	got := make([]uuid.UUID, 40)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk, err := svcs[i%2].Create(ctx, ticket.NewTicket{Key: "form-7", Subject: "Once", Description: "only once",
				Requester: ticket.Requester{Email: "ann@example.com"}})
			if assert.NoError(t, err) {
				got[i] = tk.ID
			}
		}()
	}
	wg.Wait()
	for _, id := range got {
		assert.Equal(t, got[0], id)
	}
	page, err := stores[0].List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 1)
}
