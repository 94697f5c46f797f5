package supportkit_test

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// countingIDs returns a NewID that gives increasing version 7 IDs from a counter, so that
// two stores fed the same writes hold the same IDs.
func countingIDs() func() (uuid.UUID, error) {
	var mu sync.Mutex
	var n uint64
	return func() (uuid.UUID, error) {
		mu.Lock()
		defer mu.Unlock()
		n++
		var id uuid.UUID
		binary.BigEndian.PutUint64(id[:8], n<<16)
		id[6] = 0x70 | id[6]&0x0f
		id[8] = 0x80
		binary.BigEndian.PutUint32(id[12:], uint32(n))
		return id, nil
	}
}

// occurrences counts the hook calls of each occurrence, by Desk.
type occurrences struct {
	mu    sync.Mutex
	calls map[string]map[string]int // desk -> occurrence -> calls
}

func (o *occurrences) add(desk, key string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.calls == nil {
		o.calls = map[string]map[string]int{}
	}
	if o.calls[desk] == nil {
		o.calls[desk] = map[string]int{}
	}
	o.calls[desk][key]++
}

// of returns the calls of the named Desks, added up.
func (o *occurrences) of(desks ...string) map[string]int {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := map[string]int{}
	for _, d := range desks {
		for k, n := range o.calls[d] {
			out[k] += n
		}
	}
	return out
}

// tieredPolicies promise first response, next response and resolution, tighter for urgent
// tickets, with warnings: a priority change re-targets running clocks.
func tieredPolicies(t *testing.T) *sla.Policies {
	t.Helper()
	w := []sla.Warning{{Percent: 50}, {Percent: 90}}
	p, err := sla.NewPolicies(sla.Policy{Name: "tiered", Targets: map[string]sla.Targets{
		"": {
			FirstResponse: &sla.Target{Within: 2 * time.Hour, Warnings: w},
			NextResponse:  &sla.Target{Within: 3 * time.Hour, Warnings: w},
			Resolution:    &sla.Target{Within: 24 * time.Hour, Warnings: w},
		},
		"urgent": {
			FirstResponse: &sla.Target{Within: 20 * time.Minute, Warnings: w},
			NextResponse:  &sla.Target{Within: time.Hour, Warnings: w},
			Resolution:    &sla.Target{Within: 4 * time.Hour, Warnings: w},
		},
	}})
	require.NoError(t, err)
	return p
}

// changesOnly is a feed that is not a ticket.FeedMarker.
type changesOnly struct{ ticket.Feed }

// logByLog is a store that reads one log at a time: a ticket.LogReader and a
// ticket.FeedMarker, but not a ticket.LogsReader.
type logByLog struct {
	ticket.Store
	ticket.LogReader
	ticket.FeedMarker
}

// bufferedPages is a store that lists and gives its feed in pages of at most seven, and
// is a ticket.LogsBufferReader that copies the events into the buffer it is handed after
// overwriting all of that buffer's memory with events of no ticket, so that a Desk that
// kept reading an event of a page it handed back reads those.
type bufferedPages struct{ *ticket.MemoryStore }

const bufferedPage = 7

func (s bufferedPages) List(ctx context.Context, q ticket.Query) (ticket.Page, error) {
	q.Limit = min(cmp.Or(q.Limit, bufferedPage), bufferedPage)
	return s.MemoryStore.List(ctx, q)
}

func (s bufferedPages) Changes(ctx context.Context, after ticket.Cursor, limit int) ([]ticket.FeedEntry, error) {
	return s.MemoryStore.Changes(ctx, after, bufferedPage)
}

func (s bufferedPages) Marks(ctx context.Context, after ticket.Cursor, limit int) ([]ticket.FeedMark, error) {
	return s.MemoryStore.Marks(ctx, after, bufferedPage)
}

func (s bufferedPages) TicketLogsInto(ctx context.Context, ids []uuid.UUID, buf []ticket.Event) ([]ticket.Log, []ticket.Event, error) {
	buf = buf[:cap(buf)]
	for i := range buf {
		buf[i] = ticket.Event{TicketID: uuid.New(), Seq: 1 << 40, Kind: ticket.EventErased, At: start.Add(-time.Hour)}
	}
	logs, err := s.TicketLogs(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	buf = buf[:0]
	for i := range logs {
		n := len(buf)
		buf = append(buf, logs[i].Events...)
		logs[i].Events = buf[n:len(buf):len(buf)]
	}
	return logs, buf, nil
}

// equalDesk builds a Desk named name over store for TestLoadedDeskEqualsADeskThatSawEveryWrite;
// feed is 0 for none, 1 for the store's, 2 for the store's without its marks; reads is 0
// for the store as it is, 1 to hide its ticket.LogsReader, 2 to read it as bufferedPages.
func equalDesk(t *testing.T, name string, store *ticket.MemoryStore, ledger supportkit.Ledger, clock *fakeClock, newID func() (uuid.UUID, error), log *occurrences, feed, reads uint64) *supportkit.Desk {
	t.Helper()
	var s ticket.Store = store
	var fs interface {
		ticket.Feed
		ticket.FeedMarker
	} = store
	switch reads {
	case 1:
		s = logByLog{store, store, store}
	case 2:
		s = bufferedPages{store}
		fs = bufferedPages{store}
	}
	var f ticket.Feed
	switch feed {
	case 1:
		f = fs
	case 2:
		f = changesOnly{fs}
	}
	key := func(kind string, id uuid.UUID, rest ...any) string { return fmt.Sprint(kind, " ", id, " ", rest) }
	d, err := supportkit.New(supportkit.Config{
		Now: clock.Now, Store: s, Feed: f, Ledger: ledger, Instance: name, Policies: tieredPolicies(t),
		Tickets: ticket.Config{NewID: newID}, CatchUp: 60 * 24 * time.Hour,
		Routing: &routing.Config{OfferTimeout: time.Hour},
		Hooks: supportkit.Hooks{
			OnBreachWarning: func(_ context.Context, tk ticket.Ticket, c sla.ClockResult, w sla.WarningHit) error {
				log.add(name, key("warning", tk.ID, c.Metric, c.Cycles, w.Index, w.At))
				return nil
			},
			OnBreach: func(_ context.Context, tk ticket.Ticket, c sla.ClockResult) error {
				log.add(name, key("breach", tk.ID, c.Metric, c.Cycles, c.BreachedAt))
				return nil
			},
			OnAssigned: func(_ context.Context, tk ticket.Ticket) error {
				log.add(name, key("assigned", tk.ID, tk.Assignee))
				return nil
			},
			OnSolved: func(_ context.Context, tk ticket.Ticket) error {
				log.add(name, key("solved", tk.ID))
				return nil
			},
		},
	})
	require.NoError(t, err)
	for _, id := range []string{"l1-a", "l1-b"} {
		_, err := d.AddAgent(routing.Agent{ID: id, Name: id, Line: 1, Capacity: map[routing.Channel]int{routing.ChannelEmail: 50}})
		require.NoError(t, err)
	}
	return d
}

// write makes one random write to a random ticket (or a new one) through svc; r decides.
// The same r state gives the same write on two stores with the same tickets.
func write(ctx context.Context, svc *ticket.Service, ids []uuid.UUID, r *rand.Rand) []uuid.UUID {
	cust := ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann", Name: "Ann Lee"}
	op := r.IntN(14)
	if op == 0 || len(ids) == 0 {
		prio := []ticket.Priority{ticket.PriorityNormal, ticket.PriorityHigh, ticket.PriorityUrgent}[r.IntN(3)]
		tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer,
			Channel: ticket.ChannelEmail, Priority: prio})
		if err == nil {
			ids = append(ids, tk.ID)
		}
		return ids
	}
	id := ids[r.IntN(len(ids))]
	var err error
	switch op {
	case 1, 2:
		_, err = svc.Comment(ctx, agent, id, ticket.NewComment{Body: "On it.", Public: true})
	case 3, 4:
		_, err = svc.Comment(ctx, cust, id, ticket.NewComment{Body: "Still down.", Public: true})
	case 5:
		_, err = svc.Comment(ctx, agent, id, ticket.NewComment{Body: "note"})
	case 6:
		_, err = svc.Assign(ctx, agent, id, []string{"l1-a", "l1-b", ""}[r.IntN(3)])
	case 7:
		_, err = svc.Update(ctx, agent, id, ticket.Changes{Status: ticket.Ptr(ticket.StatusPending)})
	case 8:
		_, err = svc.Update(ctx, agent, id, ticket.Changes{Status: ticket.Ptr(ticket.StatusOpen)})
	case 9:
		_, err = svc.Solve(ctx, agent, id)
	case 10:
		_, err = svc.Update(ctx, agent, id, ticket.Changes{Status: ticket.Ptr(ticket.StatusClosed)})
	case 11:
		prio := []ticket.Priority{ticket.PriorityNormal, ticket.PriorityUrgent}[r.IntN(2)]
		_, err = svc.Update(ctx, agent, id, ticket.Changes{Priority: &prio})
	case 12:
		_, err = svc.Update(ctx, agent, id, ticket.Changes{AddTags: []string{fmt.Sprint("t", r.IntN(3))}})
	case 13:
		_, err = svc.Update(ctx, agent, id, ticket.Changes{Status: ticket.Ptr(ticket.StatusOnHold)})
	}
	_ = err // a write the ticket's state refuses is refused on both stores alike
	return ids
}

// TestLoadedDeskEqualsADeskThatSawEveryWrite runs one history twice, each on its own store
// with the same IDs: once under a Desk that never stops (the reference), once under a Desk
// that stops, misses writes made without any Desk, and is replaced by a new Desk that Loads
// the store. The new Desk must then hold what the reference holds (metrics records, the
// routing queue and each ticket's task, the next SLA wake), and together the two Desks must
// have called each hook occurrence exactly as often as the reference did: what the first
// delivered is not delivered again, what fell due while no Desk ran is delivered once.
// The Desks read the logs a page at a time (ticket.LogsReader), or one at a time.
func TestLoadedDeskEqualsADeskThatSawEveryWrite(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { checkLoadEqualsLive(t, seed) })
	}
}

func checkLoadEqualsLive(t *testing.T, seed uint64) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	log := &occurrences{}
	refStore, store := ticket.NewMemoryStore(), ticket.NewMemoryStore()
	feed := seed % 3            // Load lists the store, or reads the feed's marks, or its entries
	reads := max(seed/3, 1) - 1 // the store's reads, or one log at a time, or buffered pages
	ref := equalDesk(t, "ref", refStore, supportkit.NewMemoryLedger(), clock, countingIDs(), log, 0, 0)
	ledger, newID := supportkit.NewMemoryLedger(), countingIDs()
	first := equalDesk(t, "first", store, ledger, clock, newID, log, feed, reads)
	gapSvc, err := ticket.NewService(store, ticket.Config{Now: clock.Now, NewID: newID})
	require.NoError(t, err)

	refR, r := rand.New(rand.NewPCG(seed, 1)), rand.New(rand.NewPCG(seed, 1))
	steps, stop, restart := 240, 80, 160
	var refIDs, ids []uuid.UUID
	var second *supportkit.Desk
	for step := range steps {
		clock.set(clock.Now().Add(time.Duration(r.IntN(40)) * time.Minute))
		refR.IntN(40)
		now := clock.Now()
		if step == restart {
			second = equalDesk(t, "second", store, ledger, clock, newID, log, feed, reads)
			require.NoError(t, second.Load(ctx))
		}
		live, svc := first, first.Tickets()
		switch {
		case step >= restart:
			live, svc = second, second.Tickets()
		case step >= stop:
			live, svc = nil, gapSvc
		}
		refIDs = write(ctx, ref.Tickets(), refIDs, refR)
		ids = write(ctx, svc, ids, r)
		if r.IntN(4) == 0 {
			refR.IntN(4)
			require.NoError(t, ref.CheckClocks(ctx, now))
			if live != nil {
				require.NoError(t, live.CheckClocks(ctx, now))
			}
		} else {
			refR.IntN(4)
		}
	}
	require.Equal(t, refIDs, ids, "both stores hold the same tickets")
	end := clock.Now().Add(2 * time.Hour)
	clock.set(end)
	require.NoError(t, ref.CheckClocks(ctx, end))
	require.NoError(t, second.CheckClocks(ctx, end))

	want := log.of("ref")
	require.NotEmpty(t, want)
	assert.Equal(t, want, log.of("first", "second"), "each occurrence delivered as often as by the Desk that never stopped")
	assert.NotEmpty(t, log.of("first"))
	assert.NotEmpty(t, log.of("second"))

	assert.Equal(t, records(ref), records(second), "metrics records")
	assert.Equal(t, ref.Router().Queue(), second.Router().Queue(), "queue order")
	for _, id := range ids {
		a, errA := ref.Router().Task(id.String())
		b, errB := second.Router().Task(id.String())
		require.Equal(t, errA == nil, errB == nil, "ticket %s routed", id)
		if errA == nil {
			assert.Equal(t, a.State, b.State, "ticket %s", id)
			assert.Equal(t, a.AgentID, b.AgentID, "ticket %s", id)
			assert.Equal(t, a.Task.QueuedAt, b.Task.QueuedAt, "ticket %s", id)
			assert.Equal(t, a.Task.Deadline, b.Task.Deadline, "ticket %s", id)
			if a.State == routing.Queued {
				assert.Equal(t, a.Task.Priority, b.Task.Priority, "ticket %s", id)
			}
		}
	}
	wakeA, okA := ref.NextWake(ctx, end)
	wakeB, okB := second.NextWake(ctx, end)
	assert.Equal(t, okA, okB)
	assert.Equal(t, wakeA, wakeB, "next SLA wake")
	repA, err := ref.Report(ctx, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByPriority}})
	require.NoError(t, err)
	repB, err := second.Report(ctx, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByPriority}})
	require.NoError(t, err)
	assert.Equal(t, repA, repB, "metrics report")
	assert.True(t, slices.ContainsFunc(ids, func(id uuid.UUID) bool { _, err := ref.Router().Task(id.String()); return err == nil }))
}

// plainStore is a store without the optional abilities: no LogReader, no FeedMarker.
type plainStore struct{ ticket.Store }

// TestLoadKeepsToTheDesksTenant checks that a Desk following a feed shared by two tenants
// loads only its tenant's tickets, whether it reads each log through the store's
// LogReader or through the Service.
func TestLoadKeepsToTheDesksTenant(t *testing.T) {
	ctx := context.Background()
	for _, logReader := range []bool{true, false} {
		store := ticket.NewMemoryStore()
		var s ticket.Store = store
		if !logReader {
			s = plainStore{store}
		}
		ids := map[string]string{}
		for _, tenant := range []string{"acme", "globex"} {
			svc, err := ticket.NewService(store, ticket.Config{Tenant: tenant, Now: func() time.Time { return start }})
			require.NoError(t, err)
			tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Channel: ticket.ChannelEmail})
			require.NoError(t, err)
			ids[tenant] = tk.ID.String()
		}
		d, err := supportkit.New(supportkit.Config{Store: s, Feed: store, Tickets: ticket.Config{Tenant: "acme"},
			Now: func() time.Time { return start.Add(time.Hour) }, Policies: calendarPolicies(t), Routing: &routing.Config{}})
		require.NoError(t, err)
		require.NoError(t, d.Load(ctx))
		got := records(d)
		require.Len(t, got, 1, "LogReader %v", logReader)
		assert.Equal(t, ids["acme"], got[0].TicketID)
		assert.Equal(t, []string{ids["acme"]}, d.Router().Queue())
	}
}
