package supportkit_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
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

func (s *readCounter) Comments(ctx context.Context, id uuid.UUID) ([]ticket.Comment, error) {
	s.calls.Add(1)
	return s.MemoryStore.Comments(ctx, id)
}

func (s *readCounter) CommentsByRef(ctx context.Context, refs []ticket.CommentRef) (map[uuid.UUID]ticket.Comment, error) {
	s.calls.Add(1)
	return s.MemoryStore.CommentsByRef(ctx, refs)
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

// TestLoadReadsTheStoreAPageAtATime: over a store that reads many logs and comments in one
// call (ticket.LogsReader, ticket.CommentsReader), a Desk that loads 1,200 tickets, by
// listing them or from the feed, reads the store a few times per page of tickets, not once
// or more per ticket, and routes every ticket with the language guessed from its
// description, as a Desk that reads each log and description on its own does.
func TestLoadReadsTheStoreAPageAtATime(t *testing.T) {
	ctx := context.Background()
	const n = 1200
	mem := ticket.NewMemoryStore()
	svc, err := ticket.NewService(mem, ticket.Config{Now: func() time.Time { return start }})
	require.NoError(t, err)
	events := 0
	want := map[string]language.Tag{}
	for i := range n {
		nt := ticket.NewTicket{Subject: "VPN", Description: "The VPN client does not connect since the update.", Requester: customer, Channel: ticket.ChannelEmail}
		if i%2 == 0 {
			nt.Description = "После обновления VPN не подключается, пишет ошибку 809."
		}
		tk, err := svc.Create(ctx, nt)
		require.NoError(t, err)
		require.Equal(t, language.Und, tk.Language)
		want[tk.ID.String()] = language.English
		if i%2 == 0 {
			want[tk.ID.String()] = language.Russian
		}
		_, err = svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: "Which client?", Public: true})
		require.NoError(t, err)
		log, err := mem.Events(ctx, tk.ID, 0)
		require.NoError(t, err)
		events += len(log)
	}
	for _, feed := range []bool{false, true} {
		for _, bulk := range []bool{true, false} {
			store := &readCounter{MemoryStore: mem}
			var s ticket.Store = store
			if !bulk {
				s = logByLog{store, store, store}
			}
			cfg := supportkit.Config{Store: s, Now: func() time.Time { return start.Add(time.Hour) },
				Policies: calendarPolicies(t), Routing: &routing.Config{}}
			if feed {
				cfg.Feed = store
			}
			d, err := supportkit.New(cfg)
			require.NoError(t, err)
			for _, a := range []routing.Agent{
				{ID: "en", Languages: []language.Tag{language.English}},
				{ID: "ru", Languages: []language.Tag{language.Russian}},
			} {
				_, err = d.AddAgent(a)
				require.NoError(t, err)
			}
			require.NoError(t, d.Load(ctx))
			assert.Equal(t, n, len(records(d)), "feed %v, bulk %v: every ticket applied", feed, bulk)
			for id, lang := range want {
				task, err := d.Router().Task(id)
				require.NoError(t, err)
				require.Equal(t, lang, task.Task.Language, "feed %v, bulk %v: ticket %s", feed, bulk, id)
			}
			if !bulk {
				assert.Greater(t, store.calls.Load(), int64(n), "one read or more per ticket")
				continue
			}
			// Listing: pages of 500 tickets, each listed, its logs read and its tickets'
			// descriptions. The feed: pages of 1,000 marks and the empty one after them, and
			// the logs and descriptions of each page.
			reads := 3 * ceil(n, 500)
			if feed {
				reads = 3*ceil(events, 1000) + 1
			}
			assert.LessOrEqual(t, store.calls.Load(), int64(reads), "feed %v: store reads", feed)
		}
	}
}

// ceil is a/b rounded up.
func ceil(a, b int) int { return (a + b - 1) / b }
