package metrics_test

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

func TestBuilderFoldsEvents(t *testing.T) {
	b := metrics.NewBuilder()
	ev := func(at time.Time, k metrics.EventKind, actor metrics.ActorKind, field, value string, n int) {
		t.Helper()
		require.NoError(t, b.Add(metrics.Event{TicketID: "T1", At: at, Kind: k, Actor: actor, Field: field, Value: value, Int: n}))
	}
	ev(mar(2, 10, 0), metrics.EventCreated, metrics.ActorCustomer, "", "", 0)
	ev(mar(2, 10, 0), metrics.EventSet, 0, metrics.FieldChannel, "email", 0)
	ev(mar(2, 10, 0), metrics.EventSet, 0, metrics.FieldGroup, "billing", 0)
	ev(mar(2, 10, 0), metrics.EventSet, 0, metrics.FieldLine, "", 2)
	ev(mar(2, 10, 1), metrics.EventSet, 0, metrics.FieldAssignee, "ann", 0)
	ev(mar(2, 10, 5), metrics.EventWorkStarted, metrics.ActorAgent, "", "", 0)
	ev(mar(2, 10, 12), metrics.EventReplied, metrics.ActorAgent, "", "", 0)
	ev(mar(2, 10, 20), metrics.EventWorkStopped, metrics.ActorAgent, "", "", 0)
	ev(mar(2, 10, 30), metrics.EventSet, 0, metrics.FieldAssignee, "bob", 0) // reassignment 1
	ev(mar(2, 11, 0), metrics.EventPending, metrics.ActorAgent, "", "", 0)
	ev(mar(2, 15, 0), metrics.EventReplied, metrics.ActorCustomer, "", "", 0) // ends pending
	ev(mar(2, 15, 30), metrics.EventReplied, metrics.ActorAgent, "", "", 0)
	ev(mar(2, 16, 0), metrics.EventSolved, metrics.ActorAgent, "", "", 0)
	ev(mar(2, 16, 0), metrics.EventSLAMet, 0, string(metrics.SLAFirstResponse), "", 0)
	ev(mar(3, 9, 0), metrics.EventReopened, metrics.ActorCustomer, "", "", 0)
	ev(mar(3, 11, 0), metrics.EventWorkStarted, metrics.ActorAgent, "", "", 0)
	ev(mar(3, 11, 30), metrics.EventWorkStopped, metrics.ActorAgent, "", "", 0)
	ev(mar(3, 12, 0), metrics.EventReplied, metrics.ActorAgent, "", "", 0)
	ev(mar(3, 12, 0), metrics.EventSolved, metrics.ActorAgent, "", "", 0)
	ev(mar(3, 12, 0), metrics.EventSLABreached, 0, "resolution", "", 0)
	ev(mar(3, 13, 0), metrics.EventCSAT, metrics.ActorCustomer, "", "", 4)
	ev(mar(3, 13, 0), metrics.EventCES, metrics.ActorCustomer, "", "", 3)
	ev(mar(6, 12, 0), metrics.EventClosed, 0, "", "", 0)

	r, ok := b.Record("T1")
	require.True(t, ok)
	want := metrics.Record{
		TicketID: "T1", Channel: "email", Group: "billing", Assignee: "bob", Line: 2,
		Created: mar(2, 10, 0), FirstReply: mar(2, 10, 12), FirstSolved: mar(2, 16, 0), Solved: mar(3, 12, 0),
		Closed: mar(6, 12, 0), Reopens: 1, AgentReplies: 3, CustomerReplies: 1, Reassignments: 1,
		Handle:  []metrics.Interval{{Start: mar(2, 10, 5), End: mar(2, 10, 20)}, {Start: mar(3, 11, 0), End: mar(3, 11, 30)}},
		Pending: []metrics.Interval{{Start: mar(2, 11, 0), End: mar(2, 15, 0)}},
		SLA:     []metrics.SLAResult{{Metric: metrics.SLAFirstResponse, Met: true}, {Metric: "resolution", Met: false}},
		CSAT:    4, CES: 3,
		// ann answered first; bob, assigned at 10:30, solved both times
		OwnerAtFirstReply: metrics.Owner{Group: "billing", Line: 2, Assignee: "ann"},
		OwnerAtFirstSolve: metrics.Owner{Group: "billing", Line: 2, Assignee: "bob"},
		OwnerAtSolve:      metrics.Owner{Group: "billing", Line: 2, Assignee: "bob"},
	}
	assert.Equal(t, want, r)
	require.NoError(t, r.Validate())
	// the folded record measures like the hand-built one of TestDurationKPIsByHand
	d, _ := metrics.RequesterWaitTime(&r, nil)
	assert.Equal(t, 22*time.Hour, d)

	// Record returns a copy: changing it does not change the builder
	r.Handle[0].End = time.Time{}
	again, _ := b.Record("T1")
	assert.Equal(t, mar(2, 10, 20), again.Handle[0].End)
	assert.Equal(t, 1, b.Len())
	assert.Len(t, slices.Collect(b.Records()), 1)
	_, ok = b.Record("missing")
	assert.False(t, ok)

	assert.True(t, b.Delete("T1"))
	assert.False(t, b.Delete("T1"))
	assert.Zero(t, b.Len())
	_, ok = b.Record("T1")
	assert.False(t, ok)
}

func TestBuilderRejectsBadEvents(t *testing.T) {
	b := metrics.NewBuilder()
	require.NoError(t, b.Add(metrics.Event{TicketID: "T", At: mar(2, 10, 0), Kind: metrics.EventCreated}))
	bad := []metrics.Event{
		{At: mar(2, 11, 0), Kind: metrics.EventSolved},                                     // no ticket ID
		{TicketID: "T", Kind: metrics.EventSolved},                                         // no time
		{TicketID: "U", At: mar(2, 11, 0), Kind: metrics.EventSolved},                      // never created
		{TicketID: "T", At: mar(2, 11, 0), Kind: metrics.EventCreated},                     // created twice
		{TicketID: "T", At: mar(2, 9, 0), Kind: metrics.EventSolved},                       // before creation
		{TicketID: "T", At: mar(2, 11, 0), Kind: 99},                                       // unknown kind
		{TicketID: "T", At: mar(2, 11, 0), Kind: metrics.EventSet, Field: "colour"},        // unknown field
		{TicketID: "T", At: mar(2, 11, 0), Kind: metrics.EventSet, Field: "line", Int: -1}, // negative line
		{TicketID: "T", At: mar(2, 11, 0), Kind: metrics.EventReplied},                     // reply without actor
		{TicketID: "T", At: mar(2, 11, 0), Kind: metrics.EventReopened},                    // not solved
		{TicketID: "T", At: mar(2, 11, 0), Kind: metrics.EventWorkStopped},                 // not started
		{TicketID: "T", At: mar(2, 11, 0), Kind: metrics.EventSLAMet},                      // no metric
		{TicketID: "T", At: mar(2, 11, 0), Kind: metrics.EventCSAT, Int: 6},                // out of range
		{TicketID: "T", At: mar(2, 11, 0), Kind: metrics.EventCES, Int: 0},                 // out of range
	}
	for i, e := range bad {
		assert.ErrorIs(t, b.Add(e), metrics.ErrInvalid, "event %d", i)
	}
	r, _ := b.Record("T")
	assert.Equal(t, metrics.Record{TicketID: "T", Created: mar(2, 10, 0)}, r, "rejected events change nothing")

	require.NoError(t, b.Add(metrics.Event{TicketID: "T", At: mar(2, 12, 0), Kind: metrics.EventSolved}))
	assert.ErrorIs(t, b.Add(metrics.Event{TicketID: "T", At: mar(2, 11, 0), Kind: metrics.EventReopened}),
		metrics.ErrInvalid, "event before the latest one")
}

func TestBuilderCloseSolvesUnsolvedTicket(t *testing.T) {
	b := metrics.NewBuilder()
	require.NoError(t, b.Add(metrics.Event{TicketID: "T", At: mar(2, 10, 0), Kind: metrics.EventCreated}))
	require.NoError(t, b.Add(metrics.Event{TicketID: "T", At: mar(2, 12, 0), Kind: metrics.EventClosed}))
	r, _ := b.Record("T")
	assert.Equal(t, mar(2, 12, 0), r.Solved)
	assert.Equal(t, mar(2, 12, 0), r.FirstSolved)
	assert.Equal(t, mar(2, 12, 0), r.Closed)
}

func TestBuilderConcurrentTickets(t *testing.T) {
	b := metrics.NewBuilder()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				id := string(rune('a'+w)) + time.Duration(i).String()
				_ = b.Add(metrics.Event{TicketID: id, At: mar(2, 9, 0), Kind: metrics.EventCreated})
				_ = b.Add(metrics.Event{TicketID: id, At: mar(2, 10, 0), Kind: metrics.EventReplied, Actor: metrics.ActorAgent})
				_, _ = b.Record(id)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 400, b.Len())
	for r := range b.Records() {
		assert.Equal(t, 1, r.AgentReplies)
	}
}

// FuzzBuilder feeds random event sequences for two tickets ("T" for bytes below 128, "U"
// above) to a Builder and to refTicket, a second implementation of its rules, and checks that
// both accept the same events and build the same records, that every record validates, and
// that a Report counts every record (none excluded) with the figures the reference gives.
func FuzzBuilder(f *testing.F) {
	f.Add([]byte{1, 3, 4, 5, 4, 2, 6, 7, 8, 9, 10, 12, 13})
	f.Add([]byte{1, 5, 5, 6, 6, 9, 9, 10, 10, 14, 14, 0, 200})
	f.Add([]byte("\x01&%0$00000000")) // create, close, reopen, solve: the reopen of a closed ticket
	f.Add([]byte{1, 129, 4, 133, 5, 132, 6, 9, 137, 10, 138, 12, 140})
	f.Fuzz(func(t *testing.T, ops []byte) {
		b := metrics.NewBuilder()
		ref := map[string]*refTicket{}
		at := mar(2, 9, 0)
		for i, op := range ops {
			at = at.Add(time.Duration(op%7) * time.Minute)
			id := "T"
			if op >= 128 {
				id = "U"
			}
			e := metrics.Event{TicketID: id, At: at, Kind: metrics.EventKind(op % 16),
				Actor: metrics.ActorKind(i % 3), Field: []string{"assignee", "group", "line", "sla"}[i%4],
				Value: string(rune('a' + i%3)), Int: int(op%9) - 1}
			err := b.Add(e)
			want := false
			switch rt := ref[id]; {
			case e.Kind == metrics.EventCreated:
				want = rt == nil
				if want {
					ref[id] = newRefTicket(e)
				}
			case rt != nil:
				want = rt.accept(e)
			}
			if (err == nil) != want || (err != nil && !errors.Is(err, metrics.ErrInvalid)) {
				t.Fatalf("event %d %+v: builder says %v, the reference accepts: %v", i, e, err, want)
			}
		}
		var ever, solved, reopened int
		for id, rt := range ref {
			got, ok := b.Record(id)
			if want := rt.record(); !ok || !reflect.DeepEqual(want, got) {
				t.Fatalf("ticket %s:\nbuilder   %+v\nreference %+v", id, got, want)
			}
			if err := got.Validate(); err != nil {
				t.Fatalf("builder produced an invalid record: %v", err)
			}
			if !got.FirstSolved.IsZero() {
				ever++
			}
			if rt.status != "open" {
				solved++
			}
			if slices.ContainsFunc(rt.events, func(e metrics.Event) bool { return e.Kind == metrics.EventReopened }) {
				reopened++
			}
		}
		var rep metrics.Report
		if n := rep.AddAll(b.Records()); n != 0 {
			t.Fatalf("report left out %d built records: %+v", n, rep.Exclusions())
		}
		s := rep.Total()
		if s.Tickets != len(ref) || s.EverSolved != ever || s.Solved != solved || s.Reopened != reopened {
			t.Fatalf("report counts %d tickets, %d ever solved, %d solved, %d reopened; want %d, %d, %d, %d",
				s.Tickets, s.EverSolved, s.Solved, s.Reopened, len(ref), ever, solved, reopened)
		}
		if v, ok := s.ReopenRate(); ok != (ever > 0) || (ok && v != float64(reopened)/float64(ever)) {
			t.Fatalf("reopen rate %v, %v; want %d / %d", v, ok, reopened, ever)
		}
	})
}

// A closed ticket is final: the Builder used to accept a reopen after the close and a later
// solve, and built a record that Record.Validate rejects (solved after closed), which a
// Report then left out.
func TestBuilderRejectsReopenOfClosedTicket(t *testing.T) {
	b := metrics.NewBuilder()
	add := func(at time.Time, k metrics.EventKind) error {
		return b.Add(metrics.Event{TicketID: "T", At: at, Kind: k, Actor: metrics.ActorAgent})
	}
	require.NoError(t, add(mar(2, 9, 0), metrics.EventCreated))
	require.NoError(t, add(mar(2, 10, 0), metrics.EventClosed))
	before, _ := b.Record("T")

	err := add(mar(2, 11, 0), metrics.EventReopened)
	var ve *metrics.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.ErrorIs(t, err, metrics.ErrInvalid)
	assert.Equal(t, "Kind", ve.Field)
	after, _ := b.Record("T")
	assert.Equal(t, before, after, "a rejected reopen changes nothing")

	require.NoError(t, add(mar(2, 12, 0), metrics.EventSolved), "solving a closed (so solved) ticket is a no-op")
	require.NoError(t, add(mar(2, 13, 0), metrics.EventClosed), "closing it again is a no-op")
	r, _ := b.Record("T")
	require.NoError(t, r.Validate())
	assert.Equal(t, mar(2, 10, 0), r.Solved)
	assert.Equal(t, mar(2, 10, 0), r.Closed)
	assert.Zero(t, r.Reopens)

	rep := newReport(t, metrics.ReportConfig{})
	assert.Zero(t, rep.AddAll(b.Records()))
	assert.Equal(t, 1, rep.Total().Tickets)
}

// Delete used to scan every ticket held, so forgetting each reported ticket in turn took
// quadratic time. It now takes constant amortized time; creation order survives deletes.
func TestBuilderDeleteKeepsOrderAndIsLinear(t *testing.T) {
	b := metrics.NewBuilder()
	const n = 200_000
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprint("T", i)
		require.NoError(t, b.Add(metrics.Event{TicketID: ids[i], At: mar(2, 9, 0), Kind: metrics.EventCreated}))
	}
	// delete every ticket but those divisible by 1000, from the front
	start := time.Now()
	for i, id := range ids {
		if i%1000 != 0 {
			require.True(t, b.Delete(id))
		}
	}
	assert.Less(t, time.Since(start), 5*time.Second, "deleting %d tickets", n)
	var got []string
	for r := range b.Records() {
		got = append(got, r.TicketID)
	}
	var want []string
	for i := 0; i < n; i += 1000 {
		want = append(want, ids[i])
	}
	assert.Equal(t, want, got)
	assert.Equal(t, len(want), b.Len())
	// a deleted ID can be created again, and comes last
	require.NoError(t, b.Add(metrics.Event{TicketID: ids[1], At: mar(2, 9, 0), Kind: metrics.EventCreated}))
	assert.Equal(t, ids[1], slices.Collect(b.Records())[b.Len()-1].TicketID)
	assert.False(t, b.Delete(ids[2]))
}

// Scores at the ends of their scales, line 0 (unknown) and a first assignment are ordinary
// input; the values just outside are not.
func TestBuilderScaleEnds(t *testing.T) {
	b := metrics.NewBuilder()
	add := func(e metrics.Event) error {
		e.TicketID, e.At = "T", mar(2, 10, 0)
		return b.Add(e)
	}
	require.NoError(t, add(metrics.Event{Kind: metrics.EventCreated}))
	for _, e := range []metrics.Event{
		{Kind: metrics.EventCSAT, Int: 1}, {Kind: metrics.EventCSAT, Int: 5},
		{Kind: metrics.EventCES, Int: 1}, {Kind: metrics.EventCES, Int: 7},
		{Kind: metrics.EventSet, Field: metrics.FieldLine, Int: 3}, {Kind: metrics.EventSet, Field: metrics.FieldLine, Int: 0},
	} {
		require.NoError(t, add(e), "%+v", e)
	}
	for _, e := range []metrics.Event{
		{Kind: metrics.EventCSAT, Int: 0}, {Kind: metrics.EventCSAT, Int: 6},
		{Kind: metrics.EventCES, Int: 0}, {Kind: metrics.EventCES, Int: 8},
		{Kind: metrics.EventSet, Field: metrics.FieldLine, Int: -1},
	} {
		assert.ErrorIs(t, add(e), metrics.ErrInvalid, "%+v", e)
	}
	r, _ := b.Record("T")
	assert.Equal(t, 5, r.CSAT)
	assert.Equal(t, 7, r.CES)
	assert.Zero(t, r.Line)

	// the first assignment, and assigning the same agent again, are not reassignments
	for _, a := range []string{"ann", "ann", "bob", "cid"} {
		require.NoError(t, add(metrics.Event{Kind: metrics.EventSet, Field: metrics.FieldAssignee, Value: a}))
	}
	r, _ = b.Record("T")
	assert.Equal(t, 2, r.Reassignments)
	assert.Equal(t, "cid", r.Assignee)
}

// Deleted tickets used to leave their slots in the Builder's map and order for good: memory
// followed every ticket ever held. It now follows the tickets held.
func TestBuilderMemoryFollowsTicketsHeld(t *testing.T) {
	b := metrics.NewBuilder()
	live := liveBytes(func() {
		for i := range 100_000 {
			require.NoError(t, b.Add(metrics.Event{TicketID: fmt.Sprintf("ticket-%08d", i), At: mar(2, 9, 0), Kind: metrics.EventCreated}))
		}
		for i := range 100_000 {
			if i%1000 != 0 {
				require.True(t, b.Delete(fmt.Sprintf("ticket-%08d", i)))
			}
		}
	})
	assert.Equal(t, 100, b.Len())
	assert.Less(t, live, int64(256<<10), "live bytes for 100 tickets held") // 100,000 slots take megabytes
	runtime.KeepAlive(b)
}
