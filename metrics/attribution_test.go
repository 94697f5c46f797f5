package metrics_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// escalated builds the record of a ticket that line 1 answers and line 2 solves: created
// 09:00 in "line1", first reply 09:10 by ann, escalated at 10:00 to "line2" (line 2, bob),
// solved 12:00, with SLA outcomes for the first response and the resolution.
func escalated(t *testing.T) metrics.Record {
	t.Helper()
	b := metrics.NewBuilder()
	ev := func(at time.Time, k metrics.EventKind, actor metrics.ActorKind, field, value string, n int) {
		require.NoError(t, b.Add(metrics.Event{TicketID: "E", At: at, Kind: k, Actor: actor, Field: field, Value: value, Int: n}))
	}
	ev(mar(2, 9, 0), metrics.EventCreated, metrics.ActorCustomer, "", "", 0)
	ev(mar(2, 9, 0), metrics.EventSet, 0, metrics.FieldGroup, "line1", 0)
	ev(mar(2, 9, 0), metrics.EventSet, 0, metrics.FieldLine, "", 1)
	ev(mar(2, 9, 0), metrics.EventSet, 0, metrics.FieldAssignee, "ann", 0)
	ev(mar(2, 9, 10), metrics.EventReplied, metrics.ActorAgent, "", "", 0)
	ev(mar(2, 9, 10), metrics.EventSLAMet, 0, string(metrics.SLAFirstResponse), "", 0)
	ev(mar(2, 10, 0), metrics.EventSet, 0, metrics.FieldLine, "", 2)
	ev(mar(2, 10, 0), metrics.EventSet, 0, metrics.FieldGroup, "line2", 0)
	ev(mar(2, 10, 0), metrics.EventSet, 0, metrics.FieldAssignee, "bob", 0)
	ev(mar(2, 12, 0), metrics.EventReplied, metrics.ActorAgent, "", "", 0)
	ev(mar(2, 12, 0), metrics.EventSolved, metrics.ActorAgent, "", "", 0)
	ev(mar(2, 12, 0), metrics.EventSLABreached, 0, string(metrics.SLAResolution), "", 0)
	r, ok := b.Record("E")
	require.True(t, ok)
	return r
}

// An escalated ticket counted wholly for its final team: line 2 was credited with line 1's
// first reply. Each measure now counts for the team that held the ticket when it happened.
func TestEscalatedTicketCreditsEachTeamWithItsOwnWork(t *testing.T) {
	rec := escalated(t)
	assert.Equal(t, metrics.Owner{Group: "line1", Line: 1, Assignee: "ann"}, rec.OwnerAtFirstReply)
	assert.Equal(t, metrics.Owner{Group: "line2", Line: 2, Assignee: "bob"}, rec.OwnerAtSolve)

	for _, by := range []metrics.Dimension{metrics.ByGroup, metrics.ByLine, metrics.ByAgent} {
		r := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{by}})
		require.NoError(t, r.Add(rec))
		groups := r.Groups()
		require.Len(t, groups, 2, "by %v", by)
		first, second := groups[0].Stats, groups[1].Stats // line1 < line2, 1 < 2, ann < bob

		frt := first.Duration(metrics.FRT)
		assert.Equal(t, 1, frt.Count, "by %v: line 1 made the first reply", by)
		assert.Equal(t, 10*time.Minute, frt.Mean)
		assert.Zero(t, second.Duration(metrics.FRT).Count, "by %v", by)
		assert.Equal(t, metrics.SLACount{Met: 1}, first.SLA[metrics.SLAFirstResponse], "by %v", by)

		assert.Zero(t, first.Duration(metrics.FullResolution).Count, "by %v", by)
		res := second.Duration(metrics.FullResolution)
		assert.Equal(t, 1, res.Count, "by %v: line 2 solved it", by)
		assert.Equal(t, 3*time.Hour, res.Mean)
		assert.Equal(t, metrics.SLACount{Breached: 1}, second.SLA[metrics.SLAResolution], "by %v", by)
		assert.Equal(t, 1, second.EverSolved)
		assert.Equal(t, 1, second.Tickets, "by %v: the ticket belongs to line 2 now", by)
		assert.Zero(t, first.Tickets, "by %v", by)

		// the totals do not depend on attribution: every measure counts once
		assert.Equal(t, figures(wholeReport(t, rec).Total()), figures(r.Total()), "by %v", by)
	}

	// the other choice credits everything to the final owner
	r := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}, Attribution: metrics.AttributeFinalOwner})
	require.NoError(t, r.Add(rec))
	groups := r.Groups()
	require.Len(t, groups, 1)
	assert.Equal(t, "line2", groups[0].Key.Group)
	assert.Equal(t, 1, groups[0].Stats.Duration(metrics.FRT).Count)

	// reports that attribute differently do not merge
	other := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}})
	assert.ErrorIs(t, r.Merge(other), metrics.ErrInvalid)
	_, err := metrics.NewReport(metrics.ReportConfig{Attribution: 7})
	assert.ErrorIs(t, err, metrics.ErrInvalid)
}

func wholeReport(t *testing.T, rec metrics.Record) *metrics.Report {
	t.Helper()
	r := newReport(t, metrics.ReportConfig{})
	require.NoError(t, r.Add(rec))
	return r
}

// A record credited to several groups is left out whole when one of them would not fit
// MaxGroups: no group is half-updated.
func TestEscalatedTicketPastMaxGroupsChangesNothing(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}, MaxGroups: 1})
	rec := escalated(t)
	assert.ErrorIs(t, r.Add(rec), metrics.ErrLimit)
	assert.Empty(t, r.Groups())
	assert.Equal(t, 1, r.Excluded())

	// a record's own group at the limit still accepts it when its owners did not change
	rec.OwnerAtFirstReply = metrics.Owner{}
	assert.NoError(t, r.Add(rec))
}

// An owner with a negative line is invalid, like Record.Line.
func TestOwnerWithNegativeLineIsInvalid(t *testing.T) {
	rec := escalated(t)
	rec.OwnerAtSolve.Line = -1
	assert.ErrorIs(t, rec.Validate(), metrics.ErrInvalid)
}

// However measures are credited, each counts once: the totals of a report grouped by team
// are the same under both attributions, and the same as an ungrouped report's.
func TestAttributionKeepsTotals(t *testing.T) {
	by := []metrics.Dimension{metrics.ByGroup, metrics.ByLine}
	when := newReport(t, metrics.ReportConfig{GroupBy: by, Calendar: officeHours{}})
	final := newReport(t, metrics.ReportConfig{GroupBy: by, Calendar: officeHours{}, Attribution: metrics.AttributeFinalOwner})
	flat := newReport(t, metrics.ReportConfig{Calendar: officeHours{}})
	moved := 0
	for rec := range randomRecords(21, 2000) {
		_ = when.Add(rec)
		_ = final.Add(rec)
		_ = flat.Add(rec)
		if rec.OwnerAtFirstReply != (metrics.Owner{}) && !rec.FirstReply.IsZero() {
			moved++
		}
	}
	require.Positive(t, moved)
	assert.Equal(t, figures(flat.Total()), figures(when.Total()))
	assert.Equal(t, figures(flat.Total()), figures(final.Total()))
	// while the groups differ: first replies moved to the teams that made them
	frtCounts := func(r *metrics.Report) map[metrics.Key]int {
		out := map[metrics.Key]int{}
		for _, g := range r.Groups() {
			out[g.Key] = g.Stats.Duration(metrics.FRT).Count
		}
		return out
	}
	assert.NotEqual(t, frtCounts(final), frtCounts(when))
}
