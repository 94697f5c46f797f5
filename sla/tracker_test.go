package sla_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

// TestTrackerMatchesEvaluateOfEachPrefix checks the Tracker against the pure engine, the
// independent computation it must reproduce: after each event, and at instants between
// events, its Result equals Evaluate over the events added so far, on business-hour
// calendars around daylight-saving changes, with priority changes that swap targets and
// events stamped out of order.
func TestTrackerMatchesEvaluateOfEachPrefix(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	runs := 200
	if testing.Short() {
		runs = 40
	}
	for i := range runs {
		zone := oracleZones[i%len(oracleZones)]
		loc := mustLoad(zone)
		ts := transitionsNear(loc, 2001+r.IntN(35))
		around := ts[r.IntN(len(ts))]
		_, cal := randomConfig(t, r, zone, around)
		policyTargets := map[string]sla.Targets{}
		for _, prio := range []string{"p1", "p2"} {
			d := randomTargets(r)
			tg := func(m sla.Metric) *sla.Target {
				return &sla.Target{Within: d[m], BusinessHours: m != sla.PeriodicUpdate, Warnings: []sla.Warning{{Percent: 50}, {Percent: 90}}}
			}
			policyTargets[prio] = sla.Targets{FirstResponse: tg(sla.FirstResponse), NextResponse: tg(sla.NextResponse), PeriodicUpdate: tg(sla.PeriodicUpdate), Resolution: tg(sla.Resolution)}
		}
		ps, err := sla.NewPolicies(sla.Policy{Name: "P", Calendar: cal, Targets: policyTargets})
		require.NoError(t, err)
		start := around.Add(-time.Duration(r.IntN(48*60)) * time.Minute).Truncate(time.Minute)
		events := randomTimeline(r, start)
		for j := 1; j < len(events); j++ {
			if r.IntN(6) == 0 { // a clock stepped back
				events[j].At = events[j-1].At.Add(-time.Duration(r.IntN(90)) * time.Minute)
			}
		}
		tr, err := sla.NewTracker(ps)
		require.NoError(t, err)
		last := checkTracker(t, tr, ps, events, r, i)
		trace := last.Trace()
		tr.Reset() // and serve another ticket
		checkTracker(t, tr, ps, randomTimeline(r, start.Add(time.Hour)), r, i)
		require.Equal(t, trace, last.Trace(), "run %d: a Result from before Reset is not affected", i)
		tr.Recycle() // and serve a third, in the memory of the second's traces
		checkTracker(t, tr, ps, randomTimeline(r, start.Add(2*time.Hour)), r, i)
	}
}

// checkTracker adds events one by one to an empty Tracker and compares its evaluations
// (with Evaluate and with EvaluateInto) with Evaluate's; it returns the last.
func checkTracker(t *testing.T, tr *sla.Tracker, ps *sla.Policies, events []sla.Event, r *rand.Rand, run int) (last *sla.Result) {
	t.Helper()
	var at time.Time // the instant the timeline stands at
	reused := new(sla.Result)
	for j, e := range events {
		require.NoError(t, tr.Add(e))
		if e.At.After(at) {
			at = e.At
		}
		instants := []time.Time{at}
		if j+1 < len(events) && events[j+1].At.After(at) && r.IntN(2) == 0 {
			gap := events[j+1].At.Sub(at)
			instants = append(instants, at.Add(time.Duration(r.Int64N(int64(gap)+1))))
		}
		if j+1 == len(events) {
			instants = append(instants, at.Add(time.Duration(r.IntN(5000))*time.Minute))
		}
		for _, now := range instants {
			got, err := tr.Evaluate(now)
			if r.IntN(2) == 0 { // into the Result of an earlier evaluation
				got, err = reused, tr.EvaluateInto(reused, now)
			}
			require.NoError(t, err)
			want, err := sla.Evaluate(ps, events[:j+1], now)
			require.NoError(t, err)
			require.Equal(t, want.Clocks, got.Clocks, "run %d, %d events, now %s", run, j+1, now)
			require.True(t, want.Now.Equal(got.Now))
			ww, wok := want.NextWake()
			gw, gok := got.NextWake()
			require.Equal(t, wok, gok)
			require.True(t, ww.Equal(gw), "run %d: wake %s, want %s", run, gw, ww)
			require.Equal(t, want.Trace(), got.Trace(), "run %d, %d events", run, j+1)
			at = now
		}
	}
	require.Equal(t, len(events), tr.Len())
	last, err := tr.Evaluate(at)
	require.NoError(t, err)
	return last
}

func TestTrackerRejectsBadInputAndKeepsItsTimeline(t *testing.T) {
	_, err := sla.NewTracker(nil)
	require.ErrorIs(t, err, sla.ErrInvalid)
	ps, err := sla.NewPolicies(sla.Policy{Name: "P", Targets: map[string]sla.Targets{"": {FirstResponse: &sla.Target{Within: time.Hour}}}})
	require.NoError(t, err)
	tr, err := sla.NewTracker(ps)
	require.NoError(t, err)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

	_, err = tr.Evaluate(t0)
	assert.ErrorIs(t, err, sla.ErrInvalid, "nothing to evaluate")
	assert.ErrorIs(t, tr.Add(sla.Event{At: t0, Kind: sla.EventReply, Author: sla.AuthorAgent}), sla.ErrInvalid, "a reply before creation")
	assert.ErrorIs(t, tr.Add(sla.Event{Kind: sla.EventCreated}), sla.ErrInvalid, "zero At")
	assert.Zero(t, tr.Len())

	require.NoError(t, tr.Add(sla.Event{At: t0, Kind: sla.EventCreated, Author: sla.AuthorCustomer}))
	assert.ErrorIs(t, tr.Add(sla.Event{At: t0, Kind: sla.EventCreated}), sla.ErrInvalid, "a second creation")
	assert.ErrorIs(t, tr.Add(sla.Event{At: t0, Kind: sla.EventReply, Author: sla.Author(99)}), sla.ErrInvalid, "unknown author")
	assert.Equal(t, 1, tr.Len())

	res, err := tr.Evaluate(t0.Add(90 * time.Minute))
	require.NoError(t, err)
	assert.Equal(t, sla.Breached, res.Clock(sla.FirstResponse).Outcome)
	_, err = tr.Evaluate(t0.Add(time.Hour))
	assert.ErrorIs(t, err, sla.ErrInvalid, "the timeline stands at 10:30: 10:00 is gone")
	assert.ErrorIs(t, tr.EvaluateInto(res, t0.Add(time.Hour)), sla.ErrInvalid)
	assert.True(t, res.Now.Equal(t0.Add(90*time.Minute)), "a failed EvaluateInto leaves its Result")
}

// TestTrackerResultWarningsAreTheCallers checks that the warnings of a Result the Tracker
// returned belong to the caller: changing them in place, or appending to them, changes
// neither the Tracker's next Result nor one taken earlier.
func TestTrackerResultWarningsAreTheCallers(t *testing.T) {
	ps, err := sla.NewPolicies(sla.Policy{Name: "P", Targets: map[string]sla.Targets{"": {
		Resolution: &sla.Target{Within: 10 * time.Hour, Warnings: []sla.Warning{{Percent: 10}, {Percent: 20}, {Percent: 30}}},
	}}})
	require.NoError(t, err)
	tr, err := sla.NewTracker(ps)
	require.NoError(t, err)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	require.NoError(t, tr.Add(sla.Event{At: t0, Kind: sla.EventCreated}))

	first, err := tr.Evaluate(t0.Add(90 * time.Minute)) // past 10%
	require.NoError(t, err)
	require.Len(t, first.Clocks[sla.Resolution].Warnings, 1)
	second, err := tr.Evaluate(t0.Add(150 * time.Minute)) // past 20%
	require.NoError(t, err)
	require.Len(t, second.Clocks[sla.Resolution].Warnings, 2)

	hits := second.Clocks[sla.Resolution].Warnings
	hits[0] = sla.WarningHit{Index: 99}
	_ = append(hits, sla.WarningHit{Index: 98})

	third, err := tr.Evaluate(t0.Add(210 * time.Minute)) // past 30%
	require.NoError(t, err)
	want := []sla.WarningHit{{Index: 0, At: t0.Add(time.Hour)}, {Index: 1, At: t0.Add(2 * time.Hour)}, {Index: 2, At: t0.Add(3 * time.Hour)}}
	assert.Equal(t, want, third.Clocks[sla.Resolution].Warnings)
	assert.Equal(t, want[:1], first.Clocks[sla.Resolution].Warnings)
}
