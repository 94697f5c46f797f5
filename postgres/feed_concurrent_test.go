package postgres_test

import (
	"context"
	"math/rand/v2"
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

// eventKey names one event of the feed.
type eventKey struct {
	ticket uuid.UUID
	seq    int64
}

// TestFeedReadersMissNothingWhileWritesCommitOutOfOrder has many writers hold their
// transactions open for random times, so that they commit out of the order of their
// positions, while readers follow the feed in small pages; one reader starts over from its
// last cursor on a new pool now and then, as a restarted process does. Every reader must
// read every committed event exactly once, in an order whose cursors only grow.
func TestFeedReadersMissNothingWhileWritesCommitOutOfOrder(t *testing.T) {
	writers, perWriter := 12, 25
	if testing.Short() {
		writers, perWriter = 6, 10
	}
	ctx := context.Background()
	st := newSetup(t, func(c *pgxpool.Config) { c.MaxConns = int32(writers) + 8 })
	var mu sync.Mutex
	committed := map[eventKey]bool{}
	var wg sync.WaitGroup
	var done atomic.Bool
	for w := range writers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for range perWriter {
				c := creation("")
				commit, err := postgres.HoldCreate(ctx, st.store, c)
				if !assert.NoError(t, err) {
					return
				}
				time.Sleep(time.Duration(rng.IntN(15)) * time.Millisecond)
				if !assert.NoError(t, commit()) {
					return
				}
				mu.Lock()
				for _, e := range c.Events {
					committed[eventKey{c.Ticket.ID, e.Seq}] = true
				}
				mu.Unlock()
			}
		})
	}
	type reader struct {
		seen     map[eventKey]int
		restarts int
	}
	readers := make([]*reader, 3)
	var rg sync.WaitGroup
	for r := range readers {
		rd := &reader{seen: map[eventKey]int{}}
		readers[r] = rd
		rg.Go(func() {
			store := st.store
			var cursor ticket.Cursor
			rng := rand.New(rand.NewPCG(uint64(r), 11))
			idle := 0
			for idle < 40 {
				if r == 0 && rng.IntN(10) == 0 {
					pool := pgtest.Pool(t, func(c *pgxpool.Config) { c.MaxConns = 2 })
					s, err := postgres.NewTicketStore(pool, postgres.Config{Schema: st.schema})
					require.NoError(t, err)
					store = s
					rd.restarts++
				}
				entries, err := store.Changes(ctx, cursor, 1+rng.IntN(9))
				if !assert.NoError(t, err) {
					return
				}
				for _, en := range entries {
					rd.seen[eventKey{en.Ticket, en.Event.Seq}]++
					cursor = en.Cursor
				}
				if len(entries) == 0 && done.Load() {
					idle++
					time.Sleep(10 * time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	done.Store(true)
	rg.Wait()
	require.Len(t, committed, writers*perWriter*2)
	for i, rd := range readers {
		missing, twice := 0, 0
		for k := range committed {
			switch rd.seen[k] {
			case 0:
				missing++
			case 1:
			default:
				twice++
			}
		}
		assert.Zero(t, missing, "reader %d missed events (restarts %d)", i, rd.restarts)
		assert.Zero(t, twice, "reader %d read events twice", i)
		assert.Len(t, rd.seen, len(committed), "reader %d read only committed events", i)
	}
}
