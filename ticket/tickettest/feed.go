package tickettest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// testFeed runs the checks of the ticket.Feed contract; each is skipped when the store does
// not implement Feed.
func testFeed(t *testing.T, newStore func(t *testing.T) ticket.Store, opts Options) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s ticket.Store, f ticket.Feed, opts Options)
	}{
		{"FeedListsEveryEventInCommitOrder", testFeedOrder},
		{"FeedOmitsWritesThatFailed", testFeedFailed},
		{"FeedRejectsMalformedCursors", testFeedCursor},
		{"FeedWaitReturnsOnCommitOrWhenCtxEnds", testFeedWait},
		{"FeedNeverSkipsAWriteHeldOpen", testFeedHeld},
		{"FeedManyWritersManyReadersSeeEveryEventOnce", testFeedRandom},
		{"FeedMarksAreChangesWithoutEvents", testFeedMarks},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			f, ok := s.(ticket.Feed)
			if !ok {
				t.Skip("the store does not implement ticket.Feed")
			}
			tc.fn(t, s, f, opts)
		})
	}
	t.Run("FeedRejectsCursorsItDidNotIssue", func(t *testing.T) { testFeedForeignCursor(t, newStore, opts) })
}

// testFeedForeignCursor checks that a store refuses the cursors of another store's feed
// that it has not issued itself: every one while its own feed is empty, and those beyond its
// own end once it has some (a cursor from "the future" would otherwise read as an empty feed,
// and a reader holding it would skip every event before it). A store issues cursors only in
// its FeedEntries, so a cursor that is not among them is one it cannot have issued.
func testFeedForeignCursor(t *testing.T, newStore func(t *testing.T) ticket.Store, opts Options) {
	ctx := context.Background()
	a, b := newStore(t), newStore(t)
	fa, ok := a.(ticket.Feed)
	if !ok {
		t.Skip("the store does not implement ticket.Feed")
	}
	fb := b.(ticket.Feed)
	for range 3 {
		_, _, err := b.Create(ctx, withEvents(2))
		require.NoError(t, err)
	}
	theirs, _ := settle(t, fb, opts, "", 6)
	require.Len(t, theirs, 6)
	waits := true // until a Wait accepts a cursor: then the others would only wait too
	refused := func(issued map[ticket.Cursor]bool) int {
		n := 0
		for _, e := range theirs {
			if issued[e.Cursor] {
				continue
			}
			n++
			_, err := fa.Changes(ctx, e.Cursor, 10)
			assert.ErrorIs(t, err, ticket.ErrInvalid, "Changes(%q)", e.Cursor)
			if waits {
				wctx, cancel := context.WithTimeout(ctx, time.Second) // a store that accepts it waits
				waits = assert.ErrorIs(t, fa.Wait(wctx, e.Cursor), ticket.ErrInvalid, "Wait(%q)", e.Cursor)
				cancel()
			}
		}
		return n
	}
	assert.Equal(t, 6, refused(nil), "an empty feed has issued no cursor")
	_, _, err := a.Create(ctx, withEvents(2))
	require.NoError(t, err)
	ours, _ := settle(t, fa, opts, "", 2)
	require.Len(t, ours, 2)
	issued := map[ticket.Cursor]bool{}
	for _, e := range ours {
		issued[e.Cursor] = true
	}
	assert.Positive(t, refused(issued))
	for _, e := range ours {
		_, err := fa.Changes(ctx, e.Cursor, 10)
		assert.NoError(t, err, "its own cursors still read")
	}
}

// readAll reads the feed from after until it is empty, limit entries at a time.
func readAll(t *testing.T, f ticket.Feed, after ticket.Cursor, limit int) ([]ticket.FeedEntry, ticket.Cursor) {
	t.Helper()
	var out []ticket.FeedEntry
	for {
		batch, err := f.Changes(context.Background(), after, limit)
		require.NoError(t, err)
		if len(batch) == 0 {
			return out, after
		}
		if limit > 0 {
			require.LessOrEqual(t, len(batch), limit, "at most limit entries")
		}
		out = append(out, batch...)
		after = batch[len(batch)-1].Cursor
	}
}

// settle reads the feed from after until it has received at least n entries (waiting with
// Wait in between) or Options.FeedDelay passes.
func settle(t *testing.T, f ticket.Feed, opts Options, after ticket.Cursor, n int) ([]ticket.FeedEntry, ticket.Cursor) {
	t.Helper()
	var out []ticket.FeedEntry
	deadline := time.Now().Add(opts.feedDelay())
	for {
		more, next := readAll(t, f, after, 0)
		out, after = append(out, more...), next
		if len(out) >= n || time.Now().After(deadline) {
			return out, after
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := f.Wait(ctx, after)
		cancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			require.NoError(t, err)
		}
	}
}

// eventKey names an event: its ticket and Seq.
type eventKey struct {
	ticket uuid.UUID
	seq    int64
}

func keys(entries []ticket.FeedEntry) []eventKey {
	out := make([]eventKey, len(entries))
	for i, e := range entries {
		out[i] = eventKey{e.Ticket, e.Event.Seq}
	}
	return out
}

// instant drops a time's location and monotonic reading, so that times compare as instants.
func instant(at time.Time) time.Time {
	if at.IsZero() {
		return time.Time{}
	}
	return at.Round(0).UTC()
}

// sameEvent compares events with their times compared as instants.
func sameEvent(t *testing.T, want, got ticket.Event) {
	t.Helper()
	want.At, want.ClampedFrom = instant(want.At), instant(want.ClampedFrom)
	got.At, got.ClampedFrom = instant(got.At), instant(got.ClampedFrom)
	assert.Equal(t, want, got)
}

// withEvents returns a hand-built creation whose ticket has n events (Seq 1..n).
func withEvents(n int) ticket.Creation {
	c := record(uuid.Must(uuid.NewV7()), "")
	for seq := int64(2); seq <= int64(n); seq++ {
		c.Events = append(c.Events, ticket.Event{
			TicketID: c.Ticket.ID, Seq: seq, Kind: ticket.EventFieldChanged, At: c.Events[0].At,
			Field: "subject", ToValue: fmt.Sprint(seq), Actor: agent,
		})
	}
	c.Ticket.LastEventSeq = int64(n)
	return c
}

// appendEvent returns a change of tk that appends its next event.
func appendEvent(tk ticket.Ticket) ticket.Change {
	tk.LastEventSeq++
	ev := ticket.Event{TicketID: tk.ID, Seq: tk.LastEventSeq, Kind: ticket.EventTagsChanged, TagsAdded: []string{"x"}, Actor: agent}
	return ticket.Change{Ticket: tk, Events: []ticket.Event{ev}}
}

// testFeedOrder checks that the feed holds every committed event, each write's events
// together, in the order of the writes, and that every entry's cursor resumes after it.
func testFeedOrder(t *testing.T, s ticket.Store, f ticket.Feed, opts Options) {
	ctx := context.Background()
	empty, err := f.Changes(ctx, "", 10)
	require.NoError(t, err)
	assert.Empty(t, empty, "an empty store has an empty feed")

	a, _, err := s.Create(ctx, withEvents(2))
	require.NoError(t, err)
	b, _, err := s.Create(ctx, withEvents(1))
	require.NoError(t, err)
	out, err := s.Update(ctx, appendEvent(a))
	require.NoError(t, err)
	a = out[0]
	_, err = s.Update(ctx, appendEvent(b), appendEvent(a))
	require.NoError(t, err)
	want := []eventKey{{a.ID, 1}, {a.ID, 2}, {b.ID, 1}, {a.ID, 3}, {b.ID, 2}, {a.ID, 4}}

	all, end := settle(t, f, opts, "", len(want))
	require.Equal(t, want, keys(all))
	one, oneEnd := readAll(t, f, "", 1)
	assert.Equal(t, want, keys(one), "read one at a time")
	assert.Equal(t, end, oneEnd)
	for _, tk := range []ticket.Ticket{a, b} {
		events, err := s.Events(ctx, tk.ID, 0)
		require.NoError(t, err)
		var fed []ticket.Event
		for _, e := range all {
			require.Equal(t, e.Ticket, e.Event.TicketID)
			if e.Ticket == tk.ID {
				fed = append(fed, e.Event)
			}
		}
		require.Len(t, fed, len(events))
		for i := range events {
			sameEvent(t, events[i], fed[i])
		}
	}
	for i, e := range all {
		rest, _ := readAll(t, f, e.Cursor, 0)
		assert.Equal(t, want[i+1:], keys(rest), "resumed after entry %d", i)
	}
}

// testFeedFailed checks that writes that store nothing put nothing in the feed.
func testFeedFailed(t *testing.T, s ticket.Store, f ticket.Feed, opts Options) {
	ctx := context.Background()
	first := keyed(hexKey("1"), hexKey("f"), "c-1")
	a, _, err := s.Create(ctx, first)
	require.NoError(t, err)
	_, start := settle(t, f, opts, "", 1)

	again := keyed(hexKey("1"), hexKey("f"), "c-1")
	_, created, err := s.Create(ctx, again)
	require.NoError(t, err)
	require.False(t, created)
	_, _, err = s.Create(ctx, keyed(hexKey("1"), hexKey("e"), "c-1"))
	require.ErrorIs(t, err, ticket.ErrConflict)
	_, _, err = s.Create(ctx, record(a.ID, ""))
	require.ErrorIs(t, err, ticket.ErrConflict)
	stale := a
	stale.Version = 0
	_, err = s.Update(ctx, appendEvent(stale))
	require.ErrorIs(t, err, ticket.ErrConflict)
	missing := record(uuid.Must(uuid.NewV7()), "").Ticket
	missing.Version = 1
	_, err = s.Update(ctx, appendEvent(a), appendEvent(missing))
	require.ErrorIs(t, err, ticket.ErrNotFound)

	rest, _ := readAll(t, f, start, 0)
	assert.Empty(t, keys(rest), "no failed write reached the feed")
	_, err = s.Update(ctx, appendEvent(a))
	require.NoError(t, err)
	rest, _ = settle(t, f, opts, start, 1)
	assert.Equal(t, []eventKey{{a.ID, 2}}, keys(rest))
}

// testFeedCursor checks that cursors a store cannot have issued are refused by both methods.
func testFeedCursor(t *testing.T, s ticket.Store, f ticket.Feed, _ Options) {
	ctx := context.Background()
	_, _, err := s.Create(ctx, withEvents(1))
	require.NoError(t, err)
	for _, bad := range []ticket.Cursor{"garbage", "-1", " 1", "1 ", "\x00", "1/2/3", "ffff-ffff"} {
		_, err := f.Changes(ctx, bad, 10)
		assert.ErrorIs(t, err, ticket.ErrInvalid, "Changes(%q)", bad)
		err = f.Wait(ctx, bad)
		assert.ErrorIs(t, err, ticket.ErrInvalid, "Wait(%q)", bad)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = f.Changes(cancelled, "", 10)
	assert.ErrorIs(t, err, context.Canceled)
}

// testFeedWait checks that Wait returns at once when an event is there to read, blocks at the
// end of the feed until ctx ends, and wakes when a write commits.
func testFeedWait(t *testing.T, s ticket.Store, f ticket.Feed, opts Options) {
	ctx := context.Background()
	_, _, err := s.Create(ctx, withEvents(1))
	require.NoError(t, err)
	quick, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	require.NoError(t, f.Wait(quick, ""), "an event is already there")
	_, end := settle(t, f, opts, "", 1)

	// Wait may return early without an event, but once ctx ends it returns ctx's error.
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	for {
		if err := f.Wait(short, end); err != nil {
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			break
		}
	}

	woke := make(chan error, 1)
	long, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	go func() { woke <- f.Wait(long, end) }()
	time.Sleep(20 * time.Millisecond)
	b, _, err := s.Create(ctx, withEvents(1))
	require.NoError(t, err)
	require.NoError(t, <-woke, "Wait returned when a write committed")
	rest, _ := settle(t, f, opts, end, 1)
	assert.Equal(t, []eventKey{{b.ID, 1}}, keys(rest))
}

// testFeedHeld holds one writer's transaction open while others commit and a reader reads
// the feed, then commits it: the reader must still receive its event. A feed that orders
// entries by a position taken when the write began (a sequence) and reads "position >
// cursor" hands the reader the later writes' positions first and skips the held one forever.
func testFeedHeld(t *testing.T, s ticket.Store, f ticket.Feed, opts Options) {
	if opts.Hold == nil {
		t.Skip("Options.Hold not set")
	}
	ctx := context.Background()
	_, _, err := s.Create(ctx, withEvents(1))
	require.NoError(t, err)
	_, start := settle(t, f, opts, "", 1)

	held := withEvents(2)
	commit, err := opts.Hold(ctx, s, held)
	require.NoError(t, err)
	others := make(chan []uuid.UUID, 1)
	go func() {
		var ids []uuid.UUID
		for range 2 {
			c := withEvents(1)
			_, _, err := s.Create(ctx, c)
			if !assert.NoError(t, err) {
				break
			}
			ids = append(ids, c.Ticket.ID)
		}
		others <- ids
	}()
	var ids []uuid.UUID
	select {
	case ids = <-others:
	case <-time.After(5 * time.Second): // the store serializes writers: read what there is
	}
	seen, cursor := readAll(t, f, start, 0)
	for _, e := range seen {
		assert.NotEqual(t, held.Ticket.ID, e.Ticket, "an event of the open write was read")
	}
	require.NoError(t, commit())
	if ids == nil {
		ids = <-others
	}
	require.Len(t, ids, 2)

	want := map[eventKey]bool{{held.Ticket.ID, 1}: true, {held.Ticket.ID, 2}: true, {ids[0], 1}: true, {ids[1], 1}: true}
	more, _ := settle(t, f, opts, cursor, len(want)-len(seen))
	seen = append(seen, more...)
	got := map[eventKey]int{}
	for _, k := range keys(seen) {
		got[k]++
	}
	for k := range want {
		assert.Equal(t, 1, got[k], "event %v of the writes received once", k)
	}
	assert.Len(t, seen, len(want), "nothing else was received")
	order := map[eventKey]int{}
	for i, k := range keys(seen) {
		order[k] = i
	}
	assert.Less(t, order[eventKey{ids[0], 1}], order[eventKey{ids[1], 1}], "a write committed before another began comes first")
	assert.Less(t, order[eventKey{held.Ticket.ID, 1}], order[eventKey{held.Ticket.ID, 2}])
}

// testFeedRandom runs writers (through Services, with creations, comments, tag changes and,
// when the store can hold a write open, held creations) beside readers that follow the feed
// from the start with random page sizes, and checks that every reader receives every event
// the store holds exactly once, each ticket's in Seq order, as Events returns them.
func testFeedRandom(t *testing.T, s ticket.Store, f ticket.Feed, opts Options) {
	const writers, readers = 6, 4
	ops := 40
	if testing.Short() {
		ops = 15
	}
	ctx := context.Background()
	c := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	svc, err := ticket.NewService(s, ticket.Config{Now: c.Now, MaxRetries: 1000})
	require.NoError(t, err)
	var mu sync.Mutex
	var tickets []uuid.UUID
	for range 3 {
		tickets = append(tickets, create(t, svc, ticket.NewTicket{Assignee: "agent-1"}).ID)
	}
	pick := func(r *rand.Rand) uuid.UUID {
		mu.Lock()
		defer mu.Unlock()
		return tickets[r.IntN(len(tickets))]
	}
	add := func(id uuid.UUID) {
		mu.Lock()
		tickets = append(tickets, id)
		mu.Unlock()
	}

	total := atomic.Int64{}
	total.Store(-1)
	got := make([][]ticket.FeedEntry, readers)
	var rg sync.WaitGroup
	for i := range readers {
		rg.Add(1)
		go func() {
			defer rg.Done()
			got[i] = follow(ctx, t, f, opts, &total, rand.New(rand.NewPCG(uint64(i), 7)))
		}()
	}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 11))
			for i := range ops {
				if err := randomWrite(ctx, s, svc, opts, r, pick, add, fmt.Sprintf("w%d-%d", w, i)); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	mu.Lock()
	var want []eventKey
	stored := map[eventKey]ticket.Event{}
	for _, id := range tickets {
		events, err := s.Events(ctx, id, 0)
		require.NoError(t, err)
		for _, e := range events {
			want = append(want, eventKey{id, e.Seq})
			stored[eventKey{id, e.Seq}] = e
		}
	}
	mu.Unlock()
	total.Store(int64(len(want)))
	rg.Wait()
	for i, entries := range got {
		require.Equal(t, len(want), len(entries), "reader %d received every event once", i)
		last := map[uuid.UUID]int64{}
		for _, e := range entries {
			k := eventKey{e.Ticket, e.Event.Seq}
			require.Equal(t, last[e.Ticket]+1, e.Event.Seq, "reader %d: ticket %v in Seq order without a gap", i, e.Ticket)
			last[e.Ticket] = e.Event.Seq
			sameEvent(t, stored[k], e.Event)
		}
	}
}

// randomWrite makes one random write.
func randomWrite(ctx context.Context, s ticket.Store, svc *ticket.Service, opts Options, r *rand.Rand,
	pick func(*rand.Rand) uuid.UUID, add func(uuid.UUID), name string) error {
	switch n := r.IntN(10); {
	case n < 2:
		tk, err := svc.Create(ctx, ticket.NewTicket{Subject: name, Description: name, Assignee: "agent-1",
			Requester: ticket.Requester{ID: name}})
		if err == nil {
			add(tk.ID)
		}
		return err
	case n < 3 && opts.Hold != nil:
		c := withEvents(1 + r.IntN(3))
		commit, err := opts.Hold(ctx, s, c)
		if err != nil {
			return err
		}
		time.Sleep(time.Duration(r.IntN(3000)) * time.Microsecond)
		if err := commit(); err != nil {
			return err
		}
		add(c.Ticket.ID)
		return nil
	case n < 7:
		_, err := svc.Comment(ctx, agent, pick(r), ticket.NewComment{Body: name})
		return err
	default:
		_, err := svc.Update(ctx, agent, pick(r), ticket.Changes{AddTags: []string{name}})
		return err
	}
}

// follow reads the feed from the start until it has received total entries, or
// Options.FeedDelay passes after total is known.
func follow(ctx context.Context, t *testing.T, f ticket.Feed, opts Options, total *atomic.Int64, r *rand.Rand) []ticket.FeedEntry {
	var out []ticket.FeedEntry
	var cursor ticket.Cursor
	var deadline time.Time
	for deadline.IsZero() || time.Now().Before(deadline) {
		if n := total.Load(); n >= 0 {
			if int64(len(out)) >= n {
				return out
			}
			if deadline.IsZero() {
				deadline = time.Now().Add(opts.feedDelay())
			}
		}
		batch, err := f.Changes(ctx, cursor, 1+r.IntN(20))
		if err != nil {
			t.Errorf("Changes: %v", err)
			return out
		}
		if len(batch) > 0 {
			out = append(out, batch...)
			cursor = batch[len(batch)-1].Cursor
			continue
		}
		wctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		err = f.Wait(wctx, cursor)
		cancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Wait: %v", err)
			return out
		}
	}
	return out
}

// testFeedMarks checks a FeedMarker against Changes: the same entries from every cursor,
// for several limits, and the same errors.
func testFeedMarks(t *testing.T, s ticket.Store, f ticket.Feed, _ Options) {
	ctx := context.Background()
	fm, ok := f.(ticket.FeedMarker)
	if !ok {
		t.Skip("the feed is not a ticket.FeedMarker")
	}
	marks, err := fm.Marks(ctx, "", 10)
	require.NoError(t, err)
	assert.Empty(t, marks, "an empty store has an empty feed")
	a, _, err := s.Create(ctx, withEvents(2))
	require.NoError(t, err)
	b, _, err := s.Create(ctx, withEvents(1))
	require.NoError(t, err)
	_, err = s.Update(ctx, appendEvent(b), appendEvent(a))
	require.NoError(t, err)

	all, _ := readAll(t, f, "", 0)
	require.Len(t, all, 5)
	cursors := []ticket.Cursor{""}
	for _, en := range all {
		cursors = append(cursors, en.Cursor)
	}
	for _, after := range cursors {
		for _, limit := range []int{0, 1, 2, 1000} {
			entries, err := f.Changes(ctx, after, limit)
			require.NoError(t, err)
			marks, err := fm.Marks(ctx, after, limit)
			require.NoError(t, err)
			want := make([]ticket.FeedMark, len(entries))
			for i, en := range entries {
				want[i] = ticket.FeedMark{Cursor: en.Cursor, Ticket: en.Ticket, Seq: en.Event.Seq}
			}
			assert.Equal(t, want, marks, "after %q, limit %d", after, limit)
		}
	}
	_, err = fm.Marks(ctx, "garbage", 10)
	assert.ErrorIs(t, err, ticket.ErrInvalid)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = fm.Marks(cancelled, "", 10)
	assert.ErrorIs(t, err, context.Canceled)
}
