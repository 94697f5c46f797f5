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
	"github.com/supportkit/supportkit/ticket"
)

// readCounter is a MemoryStore that counts the calls that read tickets, logs or the feed:
// each is a round trip to a database.
type readCounter struct {
	*ticket.MemoryStore
	calls atomic.Int64
}

func (s *readCounter) Ticket(ctx context.Context, id uuid.UUID) (ticket.Ticket, error) {
	s.calls.Add(1)
	return s.MemoryStore.Ticket(ctx, id)
}

func (s *readCounter) Events(ctx context.Context, id uuid.UUID, after int64) ([]ticket.Event, error) {
	s.calls.Add(1)
	return s.MemoryStore.Events(ctx, id, after)
}

func (s *readCounter) TicketLog(ctx context.Context, id uuid.UUID) (ticket.Ticket, []ticket.Event, error) {
	s.calls.Add(1)
	return s.MemoryStore.TicketLog(ctx, id)
}

func (s *readCounter) TicketLogs(ctx context.Context, ids []uuid.UUID) ([]ticket.Log, error) {
	s.calls.Add(1)
	return s.MemoryStore.TicketLogs(ctx, ids)
}

func (s *readCounter) List(ctx context.Context, q ticket.Query) (ticket.Page, error) {
	s.calls.Add(1)
	return s.MemoryStore.List(ctx, q)
}

func (s *readCounter) Changes(ctx context.Context, after ticket.Cursor, limit int) ([]ticket.FeedEntry, error) {
	s.calls.Add(1)
	return s.MemoryStore.Changes(ctx, after, limit)
}

func (s *readCounter) Marks(ctx context.Context, after ticket.Cursor, limit int) ([]ticket.FeedMark, error) {
	s.calls.Add(1)
	return s.MemoryStore.Marks(ctx, after, limit)
}

// TestLoadReadsTheStoreAPageAtATime: over a store that reads many logs in one call
// (ticket.LogsReader), a Desk that loads 1,200 tickets, by listing them or from the feed,
// reads the store a few times per page of tickets, not once or more per ticket, and
// applies every ticket.
func TestLoadReadsTheStoreAPageAtATime(t *testing.T) {
	ctx := context.Background()
	const n = 1200
	mem := ticket.NewMemoryStore()
	svc, err := ticket.NewService(mem, ticket.Config{Now: func() time.Time { return start }})
	require.NoError(t, err)
	events := 0
	for range n {
		tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Channel: ticket.ChannelEmail})
		require.NoError(t, err)
		_, err = svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: "Which client?", Public: true})
		require.NoError(t, err)
		log, err := mem.Events(ctx, tk.ID, 0)
		require.NoError(t, err)
		events += len(log)
	}
	for _, feed := range []bool{false, true} {
		store := &readCounter{MemoryStore: mem}
		cfg := supportkit.Config{Store: store, Now: func() time.Time { return start.Add(time.Hour) }, Policies: calendarPolicies(t)}
		if feed {
			cfg.Feed = store
		}
		d, err := supportkit.New(cfg)
		require.NoError(t, err)
		require.NoError(t, d.Load(ctx))
		assert.Equal(t, n, len(records(d)), "feed %v: every ticket applied", feed)
		// Listing: pages of 500 tickets, each listed and its logs read. The feed: pages of
		// 1,000 marks and the empty one after them, and the logs of each page; the old way
		// read each ticket at least once.
		want := 2 * ceil(n, 500)
		if feed {
			want = 2*ceil(events, 1000) + 1
		}
		assert.LessOrEqual(t, store.calls.Load(), int64(want), "feed %v: store reads", feed)
	}
}

// ceil is a/b rounded up.
func ceil(a, b int) int { return (a + b - 1) / b }
