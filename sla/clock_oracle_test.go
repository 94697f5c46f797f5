package sla_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

// clockOracle replays a timeline minute by minute. At each minute boundary it applies the
// events of that instant one by one (after each, a clock whose spent time exceeds its
// current target is breached at that instant: a smaller target took over). Then, moving
// on from that boundary, a clock that runs (active, not paused) with its whole target
// already spent is breached at the boundary: it ran past its deadline. Only then is the
// minute counted for every such clock while the calendar is open during it. A clock whose
// budget runs out exactly at now is therefore not breached: an event at now could still
// meet it. Warnings (at half the target) follow the same rule. It never calls Between or
// Add: only IsOpen, checked against the calendar oracle elsewhere.
type oracleMetric struct {
	started, active  bool
	elapsed          time.Duration
	breachedAt       time.Time
	cycles, breached int
	deadline         time.Time
	warnPoint        time.Time // when half the target will be spent, if not yet
	warnedAt         time.Time // when half the target was spent (the one warning point)
	tprio            string    // the priority whose target the clock last took
}

type clockOracle struct {
	cal     *sla.Calendar
	targets map[string][4]time.Duration
	status  sla.Category
	prio    string
	m       [4]oracleMetric
}

func (o *clockOracle) done() bool {
	return o.status == sla.CategorySolved || o.status == sla.CategoryClosed
}

// paused reports whether metric i does not count now: resolution and periodic update
// pause while pending or on hold.
func (o *clockOracle) paused(i int) bool {
	hold := o.status == sla.CategoryPending || o.status == sla.CategoryOnHold
	return (i == int(sla.Resolution) || i == int(sla.PeriodicUpdate)) && hold
}

func (o *clockOracle) start(i int) {
	o.m[i] = oracleMetric{started: true, active: true, cycles: o.m[i].cycles + 1, breached: o.m[i].breached, tprio: o.m[i].tprio}
}

func (o *clockOracle) stop(i int) { o.m[i].active = false }

func (o *clockOracle) apply(e sla.Event) {
	wasDone := o.done()
	switch {
	case e.Status != "":
		o.status = e.Status
	case e.Kind == sla.EventCreated:
		o.status = sla.CategoryNew
	case e.Kind == sla.EventSolved:
		o.status = sla.CategorySolved
	case e.Kind == sla.EventReopened:
		o.status = sla.CategoryOpen
	}
	if e.Attributes.Priority != "" {
		o.prio = e.Attributes.Priority
	}
	fr, nr, pu, res := int(sla.FirstResponse), int(sla.NextResponse), int(sla.PeriodicUpdate), int(sla.Resolution)
	agent := e.Kind == sla.EventReply && e.Author == sla.AuthorAgent && !e.Internal
	customer := e.Kind == sla.EventReply && e.Author == sla.AuthorCustomer && !e.Internal
	switch {
	case e.Kind == sla.EventCreated:
		o.start(fr)
		o.start(res)
		if o.done() { // created solved or closed: met at once
			o.stop(fr)
			o.stop(res)
		}
	default:
		if agent || o.done() {
			o.stop(fr)
			o.stop(nr)
			o.stop(pu)
		}
		if agent && !o.done() {
			o.start(pu)
		}
		if customer && !o.done() && o.m[fr].started && !o.m[fr].active && !o.m[nr].active {
			o.start(nr)
		}
		if o.done() {
			o.stop(res)
		} else if wasDone && o.m[res].started {
			o.m[res].active = true
		}
	}
}

func (o *clockOracle) checkBreaches(t time.Time) {
	for i := range o.m {
		m := &o.m[i]
		if (m.active || !m.started) && m.tprio != o.prio {
			m.tprio, m.warnedAt = o.prio, time.Time{} // a new target: its warning is recomputed
		}
		if m.active && m.warnedAt.IsZero() && m.elapsed > o.targets[o.prio][i]/2 {
			m.warnedAt = t
		}
		if m.active && m.breachedAt.IsZero() && m.elapsed > o.targets[o.prio][i] {
			m.breachedAt = t
			m.breached++
		}
	}
}

// runOn marks the points that running clocks pass by moving on from boundary t: a point
// reached at t (or before, while paused at it) is passed at t.
func (o *clockOracle) runOn(t time.Time) {
	for i := range o.m {
		m := &o.m[i]
		if !m.active || o.paused(i) {
			continue
		}
		if m.warnedAt.IsZero() && m.elapsed >= o.targets[o.prio][i]/2 {
			m.warnedAt = t
		}
		if m.breachedAt.IsZero() && m.elapsed >= o.targets[o.prio][i] {
			m.breachedAt = t
			m.breached++
		}
	}
}

func (o *clockOracle) run(events []sla.Event, now time.Time) {
	next := 0
	for t := events[0].At; !t.After(now); t = t.Add(time.Minute) {
		for next < len(events) && events[next].At.Equal(t) {
			o.apply(events[next])
			o.checkBreaches(t)
			next++
		}
		o.checkBreaches(t)
		if t.Equal(now) {
			break
		}
		o.runOn(t)
		open := o.cal.IsOpen(t)
		for i := range o.m {
			if o.m[i].active && !o.paused(i) && open {
				o.m[i].elapsed += time.Minute
			}
		}
	}
	// Keep counting past now, without events, to find the deadlines and warning points of
	// running clocks.
	for i := range o.m {
		m := &o.m[i]
		if !m.active || o.paused(i) || !m.breachedAt.IsZero() {
			continue
		}
		left, warnLeft := o.targets[o.prio][i]-m.elapsed, o.targets[o.prio][i]/2-m.elapsed
		for u := now; u.Before(now.AddDate(0, 0, 60)); u = u.Add(time.Minute) {
			if warnLeft == 0 && m.warnedAt.IsZero() {
				m.warnPoint = u
			}
			if left == 0 {
				m.deadline = u
				break
			}
			if o.cal.IsOpen(u) {
				left -= time.Minute
				warnLeft -= time.Minute
			}
		}
	}
}

// nextWake returns the first instant past now at which a running clock is past a warning
// point or its deadline; ok is false when some point lies beyond the oracle's horizon.
func (o *clockOracle) nextWake() (wake time.Time, ok bool) {
	for i := range o.m {
		m := &o.m[i]
		if !m.active || o.paused(i) || !m.breachedAt.IsZero() {
			continue
		}
		if m.deadline.IsZero() {
			return time.Time{}, false
		}
		for _, p := range []time.Time{m.warnPoint, m.deadline} {
			if !p.IsZero() && (wake.IsZero() || p.Add(1).Before(wake)) {
				wake = p.Add(1)
			}
		}
	}
	return wake, true
}

func randomTimeline(r *rand.Rand, start time.Time) []sla.Event {
	events := []sla.Event{{At: start, Kind: sla.EventCreated, Author: sla.AuthorCustomer, Attributes: sla.Attributes{Priority: "p1"}}}
	if r.IntN(4) == 0 { // created in another status, such as a call logged once solved
		events[0].Status = []sla.Category{sla.CategoryOpen, sla.CategoryPending, sla.CategoryOnHold, sla.CategorySolved, sla.CategoryClosed}[r.IntN(5)]
	}
	at := start
	for range r.IntN(20) {
		at = at.Add(time.Duration(r.IntN(500)) * time.Minute)
		e := sla.Event{At: at, Author: sla.AuthorAgent}
		switch r.IntN(9) {
		case 0, 1:
			e.Kind, e.Status = sla.EventStatus, []sla.Category{sla.CategoryOpen, sla.CategoryPending, sla.CategoryOnHold}[r.IntN(3)]
		case 2:
			e.Kind, e.Attributes = sla.EventAttributes, sla.Attributes{Priority: []string{"p1", "p2"}[r.IntN(2)]}
		case 3:
			e.Kind = sla.EventSolved
		case 4:
			e.Kind = sla.EventReopened
		case 5, 6:
			e.Kind, e.Author = sla.EventReply, sla.AuthorCustomer
		case 7:
			e.Kind, e.Author = sla.EventReply, []sla.Author{sla.AuthorAgent, sla.AuthorBot, sla.AuthorSystem}[r.IntN(3)]
			if r.IntN(2) == 0 {
				e.Status = sla.CategoryPending
			}
		case 8:
			e.Kind, e.Internal = sla.EventReply, true
		}
		events = append(events, e)
	}
	return events
}

func randomTargets(r *rand.Rand) [4]time.Duration {
	var out [4]time.Duration
	for i := range out {
		out[i] = time.Duration(2*(8+r.IntN(450))) * time.Minute // even: the 50% warning falls on a minute
	}
	return out
}

func TestClocksMatchMinuteOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	runs := 300
	if testing.Short() {
		runs = 60
	}
	for i := range runs {
		zone := oracleZones[i%len(oracleZones)]
		loc := mustLoad(zone)
		ts := transitionsNear(loc, 2001+r.IntN(35))
		around := ts[r.IntN(len(ts))]
		_, cal := randomConfig(t, r, zone, around)
		targets := map[string][4]time.Duration{"p1": randomTargets(r), "p2": randomTargets(r)}
		policyTargets := map[string]sla.Targets{}
		for prio, d := range targets {
			tg := func(m sla.Metric) *sla.Target {
				return &sla.Target{Within: d[m], BusinessHours: true, Warnings: []sla.Warning{{Percent: 50}}}
			}
			policyTargets[prio] = sla.Targets{FirstResponse: tg(sla.FirstResponse), NextResponse: tg(sla.NextResponse), PeriodicUpdate: tg(sla.PeriodicUpdate), Resolution: tg(sla.Resolution)}
		}
		ps, err := sla.NewPolicies(sla.Policy{Name: "P", Calendar: cal, Targets: policyTargets})
		require.NoError(t, err)
		start := around.Add(-time.Duration(r.IntN(48*60)) * time.Minute).Truncate(time.Minute)
		events := randomTimeline(r, start)
		now := events[len(events)-1].At.Add(time.Duration(r.IntN(3000)) * time.Minute)

		o := checkClocksAgainstOracle(t, ps, cal, targets, events, now, i, zone)
		// Evaluated exactly at the first deadline or warning point ahead, nothing is passed
		// yet; the wake instant is the first at which something is.
		if wake, ok := o.nextWake(); ok && !wake.IsZero() {
			checkClocksAgainstOracle(t, ps, cal, targets, events, wake.Add(-1), i, zone)
		}
	}
}

func checkClocksAgainstOracle(t *testing.T, ps *sla.Policies, cal *sla.Calendar, targets map[string][4]time.Duration, events []sla.Event, now time.Time, i int, zone string) *clockOracle {
	t.Helper()
	o := &clockOracle{cal: cal, targets: targets}
	o.run(events, now)
	got, err := sla.Evaluate(ps, events, now)
	require.NoError(t, err)
	if want, ok := o.nextWake(); ok {
		wake, due := got.NextWake()
		require.Equal(t, !want.IsZero(), due, "run %d: next wake %s, want %s", i, wake, want)
		require.True(t, want.Equal(wake), "run %d: next wake %s, want %s\n%s", i, wake, want, got.Explain())
	}
	for m, want := range o.m {
		c := got.Clock(sla.Metric(m))
		msg := []any{"run %d %s %s: events %+v now %s\n%s", i, zone, sla.Metric(m), events, now, got.Explain()}
		require.Equal(t, want.elapsed, c.Elapsed, msg...)
		require.True(t, want.breachedAt.Equal(c.BreachedAt), "breached at %s, want %s: run %d %s", c.BreachedAt, want.breachedAt, i, sla.Metric(m))
		require.Equal(t, want.cycles, c.Cycles, msg...)
		if want.warnedAt.IsZero() {
			require.Empty(t, c.Warnings, msg...)
		} else {
			require.Len(t, c.Warnings, 1, msg...)
			require.True(t, want.warnedAt.Equal(c.Warnings[0].At), "warned at %s, want %s: run %d %s", c.Warnings[0].At, want.warnedAt, i, sla.Metric(m))
		}
		require.Equal(t, want.breached, c.BreachedCycles, msg...)
		require.Equal(t, want.active && o.paused(m), c.Paused, msg...)
		switch {
		case !want.started:
			require.Equal(t, sla.NotStarted, c.Outcome, msg...)
		case !want.breachedAt.IsZero():
			require.Equal(t, sla.Breached, c.Outcome, msg...)
		case want.active:
			require.Equal(t, sla.Running, c.Outcome, msg...)
		default:
			require.Equal(t, sla.Met, c.Outcome, msg...)
		}
		if !want.deadline.IsZero() {
			require.True(t, want.deadline.Equal(c.Deadline), "deadline %s, want %s: run %d %s", c.Deadline, want.deadline, i, sla.Metric(m))
		}
	}
	return o
}
