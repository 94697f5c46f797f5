package sla

import (
	"math"
	"slices"
	"time"
)

// Outcome is the state of one SLA clock.
type Outcome int

// Outcomes.
const (
	// NotStarted: the clock's cycle has not begun (a next response before any customer
	// reply, a periodic update before the first agent reply).
	NotStarted Outcome = iota
	// Running: counting or paused, the deadline not yet passed.
	Running
	// Met: fulfilled at or before the deadline.
	Met
	// Breached: the clock ran past its deadline before fulfilment; it may still be running.
	// A clock breaches only once time has moved past the deadline while it runs: at the
	// deadline instant itself it is still Running, because a reply, solve or pause stamped
	// with that instant meets it. Evaluate at Deadline reports Running; at any later instant
	// (Deadline plus one nanosecond is the first) it reports Breached with BreachedAt equal
	// to Deadline. A clock whose new target is already exceeded when the target changes
	// breaches at that instant.
	Breached
)

// String returns "not started", "running", "met" or "breached".
func (o Outcome) String() string {
	switch o {
	case Running:
		return "running"
	case Met:
		return "met"
	case Breached:
		return "breached"
	}
	return "not started"
}

// WarningHit records that a warning point of the target was reached. Like a breach, a
// warning point is reached only once the clock has run past it: evaluated at the point
// itself it is still pending, and At is the point.
type WarningHit struct {
	// Index is the warning's position in Target.Warnings: the escalation level.
	Index int
	// At is when it was reached.
	At time.Time
}

// ClockResult is the state of one metric's clock at the evaluation instant. For the
// cyclic metrics (next response, periodic update) it describes the latest cycle. Its times
// (Start, Stop, Deadline, BreachedAt and the Warnings' At) are in the location of the
// timeline's first event, as the Trace's are, whatever the locations of the later events,
// of the evaluation instant and of the policy's calendar; they carry no monotonic reading.
type ClockResult struct {
	// Metric is the clock this result describes.
	Metric Metric
	// Policy is the name of the policy that set the current target; empty when no policy
	// applies.
	Policy string
	// Priority is the ticket priority whose Targets entry set the current target (the
	// ticket's priority, even when the policy's "" entry supplied the target); empty when
	// no policy applies.
	Priority string
	// Target is the time allowed; zero when no target applies (the clock is untracked).
	// For a Target.WorkingDays target it is the open time from Start to the due position
	// (see Calendar.AddWorkingDays), so it differs between cycles.
	Target time.Duration
	// BusinessHours reports whether the target counts the policy calendar's open time.
	BusinessHours bool
	// Outcome is the state of the clock: not started, running, met or breached.
	Outcome Outcome
	// Start is when the current cycle started; Stop when it was fulfilled (zero while
	// running).
	Start, Stop time.Time
	// Deadline is the last instant at which the clock is still met: the instant its budget
	// runs out if it keeps running. It breaches once it runs past that instant (see
	// Breached); after a breach Deadline equals BreachedAt. Zero while paused, stopped or
	// untracked.
	Deadline time.Time
	// Elapsed is the counted time of the cycle so far (time spent without a target is not
	// counted, see Tracked); Remaining is Target - Elapsed: zero at the deadline, negative
	// once the clock has counted past it, and zero while untracked.
	Elapsed, Remaining time.Duration
	// Paused reports whether the running clock is not counting now (a pausing status, or no
	// target).
	Paused bool
	// BreachedAt is the deadline the clock ran past (the instant its budget ran out, or the
	// instant a smaller target took over an exceeded budget); zero if it has not breached.
	BreachedAt time.Time
	// Warnings lists the warning points reached in this cycle under the current target.
	Warnings []WarningHit
	// Cycles counts the cycles started; BreachedCycles those that breached.
	Cycles, BreachedCycles int
}

// Tracked reports whether a target applies to the clock (Target > 0). An untracked clock
// still follows the ticket: it starts, stops and cycles with the events, so a target that
// applies later (a new priority, another policy) takes over a clock that is already
// running, from its original Start. It counts no time while untracked, though: the ticket
// had no promise then, so Elapsed holds only time spent under a target, and an untracked
// clock never breaches. Time counted under one target is kept when another takes over.
func (c *ClockResult) Tracked() bool { return c.Target > 0 }

// Segment is one stretch of the explain trace: a clock running or paused, and why.
type Segment struct {
	// Metric is the clock the segment belongs to.
	Metric Metric
	// From and To bound the segment, [From, To), in the location of the timeline's first
	// event.
	From, To time.Time
	// Running reports whether the clock was counting; false for a pause (a pausing status,
	// or no target).
	Running bool
	// Counted is the time the clock counted in the segment.
	Counted time.Duration
	// Why is the reason, such as "status pending" or "no target".
	Why string
	// Policy and Priority are the policy name and ticket priority whose target applied
	// during the segment; both empty when no target applied.
	Policy, Priority string
}

// Result is the outcome of Evaluate. Read it; it is not safe to modify concurrently.
type Result struct {
	// Now is the evaluation instant, as given. The other times of a Result (Clocks, Trace,
	// NextWake) are in the location of the timeline's first event.
	Now time.Time
	// Clocks holds one ClockResult per metric, indexed by Metric: FirstResponse,
	// NextResponse, PeriodicUpdate and Resolution.
	Clocks [4]ClockResult

	nextWake time.Time
	segs     []segment            // the trace, compact: no pointers for the collector to scan
	open     [metricCount]segment // segments still open at Now, after segs (a Tracker's)
	nopen    int
	names    []string // policy names and priorities the trace refers to
	loc      *time.Location
}

// segment is the compact form of a Segment; names index Result.names.
type segment struct {
	from, to, counted int64
	metric            uint8
	running           bool
	why               uint8
	policy, priority  uint32
}

var whys = [...]string{"status new", "status open", "status pending", "status on-hold", "status solved", "status closed", "no target"}

// Trace returns the running and paused segments of every clock, in time order per metric,
// with times in the location of the first event.
func (r *Result) Trace() []Segment {
	out := make([]Segment, 0, len(r.segs)+r.nopen)
	for _, s := range slices.Concat(r.segs, r.open[:r.nopen]) {
		out = append(out, Segment{
			Metric: Metric(s.metric), From: time.Unix(0, s.from).In(r.loc), To: time.Unix(0, s.to).In(r.loc),
			Running: s.running, Counted: time.Duration(s.counted), Why: whys[s.why],
			Policy: r.names[s.policy], Priority: r.names[s.priority],
		})
	}
	return out
}

// Clock returns the result for metric m. For a value that is not one of the four metrics
// it returns a new ClockResult that is NotStarted and untracked.
func (r *Result) Clock(m Metric) *ClockResult {
	if m < 0 || m >= metricCount {
		return &ClockResult{Metric: m}
	}
	return &r.Clocks[m]
}

// NextWake returns the earliest instant after Now at which the result would change by
// itself, for the host's scheduler: the first instant at which a running clock is past a
// warning point or its deadline, which is that point or deadline plus one nanosecond
// (see Breached). A scheduler that evaluates exactly at the returned instant observes the
// change. The instant is always after Now, so a scheduler never spins. It reports false
// when nothing is due: every clock stopped, paused, breached or untracked. The instant is in
// the location of the timeline's first event.
func (r *Result) NextWake() (time.Time, bool) { return r.nextWake, !r.nextWake.IsZero() }

// clock is the engine's state for one metric.
type clock struct {
	res      ClockResult
	started  bool
	active   bool
	breached bool
	target   *Target
	budget   time.Duration // the time allowed in this cycle under target
	budgetAt time.Time     // the cycle Start a working-day budget was computed for
	cal      *Calendar     // nil counts calendar time
	paused   bool
	why      uint8  // index into whys
	warned   uint64 // bit i: warning i reached in this cycle

	seg     bool // a segment is open
	segFrom time.Time
	segRun  bool
	segWhy  uint8
	segPol  uint32
	segPrio uint32
	pol     uint32 // name indexes of the current policy and priority
	prio    uint32
	counted time.Duration
}

type evaluator struct {
	ps     *Policies
	status Category
	attrs  Attributes
	since  time.Time
	clocks [metricCount]clock
	segs   []segment
	names  []string
	nameAt map[string]uint32 // index of each name, once names outgrow a short scan

	// The policy, targets and status of the last retarget, to skip unchanged work.
	matched    bool
	attrsDirty bool
	curP       *Policy
	curTs      *Targets
	curStatus  Category
	curPrio    string
}

// shortNames is how many names are looked up by scanning before a map takes over, so a
// timeline with many distinct priorities costs linear time.
const shortNames = 8

// name returns the index of s in ev.names, adding it when new.
func (ev *evaluator) name(s string) uint32 {
	if ev.nameAt == nil {
		for i, n := range ev.names {
			if n == s {
				return uint32(i)
			}
		}
		if len(ev.names) < shortNames {
			ev.names = append(ev.names, s)
			return uint32(len(ev.names) - 1)
		}
		ev.nameAt = make(map[string]uint32, 2*len(ev.names))
		for i, n := range ev.names {
			ev.nameAt[n] = uint32(i)
		}
	}
	if i, ok := ev.nameAt[s]; ok {
		return i
	}
	ev.names = append(ev.names, s)
	ev.nameAt[s] = uint32(len(ev.names) - 1)
	return uint32(len(ev.names) - 1)
}

// Evaluate computes the SLA clocks of a ticket from its timeline as of now. It is a pure
// function: the same policies, timeline and now always give the same result, and nothing
// is kept between calls. Events after now are ignored. Policies are re-evaluated at every
// event; when the target changes (a new priority, another policy) the time already counted
// is kept and measured against the new target, while time spent with no target at all is
// not counted (see ClockResult.Tracked).
//
// The timeline is read in the order given. An event stamped earlier than its predecessor
// (a clock stepped back by NTP, or skew between processes writing one ticket) is taken at
// its predecessor's time, so such a timeline is evaluated, never rejected: the
// out-of-order event happens at the same instant as the one before it. Errors wrap
// ErrInvalid: nil policies or Policies not built by NewPolicies, a zero now (which would
// report every clock not started), an empty timeline, a first event that is not
// EventCreated, a second EventCreated, a zero At, unknown kinds, authors or categories.
func Evaluate(policies *Policies, timeline []Event, now time.Time) (*Result, error) {
	if policies == nil || len(policies.list) == 0 {
		return nil, invalid("Policies", "nil or empty Policies: build them with NewPolicies")
	}
	if now.IsZero() {
		return nil, invalid("now", "the zero time: the evaluation instant is required")
	}
	if err := validateTimeline(timeline); err != nil {
		return nil, err
	}
	ev := evaluator{ps: policies, segs: make([]segment, 0, 2*len(timeline)+4), names: make([]string, 1, 8)}
	for m := range ev.clocks {
		ev.clocks[m].res.Metric = Metric(m)
	}
	ev.since = timeline[0].At
	at := timeline[0].At
	for i := range timeline {
		e := &timeline[i]
		if e.At.After(at) {
			at = e.At // an earlier stamp keeps its predecessor's time
		}
		if at.After(now) {
			break
		}
		ev.step(e, at)
	}
	if !now.Before(ev.since) {
		ev.advance(now)
		ev.settle(now)
	}
	return ev.result(now, timeline[0].At.Location()), nil
}

// step applies event e, taken at t: the clocks run up to t, then e changes them.
func (ev *evaluator) step(e *Event, t time.Time) {
	ev.advance(t)
	ev.apply(e, t)
	ev.retarget(t)
	ev.settle(t)
}

func measure(cal *Calendar, a, b time.Time) time.Duration {
	if cal == nil {
		return b.Sub(a)
	}
	return cal.Between(a, b)
}

func addOpen(cal *Calendar, t time.Time, d time.Duration) time.Time {
	if cal == nil {
		return t.Add(d).Round(0) // no monotonic reading: results depend on the input only
	}
	return cal.Add(t, d)
}

// advance counts the running clocks up to t and records the warning points and deadlines
// the clocks ran past before t.
func (ev *evaluator) advance(t time.Time) {
	if !t.After(ev.since) {
		return
	}
	var memo [metricCount]struct {
		cal *Calendar
		d   time.Duration
	}
	n := 0
	for m := range ev.clocks {
		c := &ev.clocks[m]
		if !c.active || c.paused {
			continue
		}
		open, found := time.Duration(0), false
		for _, x := range memo[:n] {
			if x.cal == c.cal {
				open, found = x.d, true
			}
		}
		if !found {
			open = measure(c.cal, ev.since, t)
			memo[n].cal, memo[n].d = c.cal, open
			n++
		}
		c.cross(ev.since, open, t)
		c.res.Elapsed = addSat(c.res.Elapsed, open)
		c.counted = addSat(c.counted, open)
	}
	ev.since = t
}

// addSat returns a+b for counted times (never negative), saturating at the largest
// Duration as Calendar.Between does, so that a clock run for centuries stays breached
// instead of wrapping to a negative count.
func addSat(a, b time.Duration) time.Duration {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// cross records the warning points and the deadline the clock ran past while running
// from `from` to t with open time counted: a point reached at an instant strictly before
// t (the clock then ran on past it). A point already reached at `from` (the budget spent
// exactly) is run past at `from`.
func (c *clock) cross(from time.Time, open time.Duration, t time.Time) {
	e0, target := c.res.Elapsed, c.budget
	for i, w := range c.target.Warnings {
		b := w.budget(target)
		if c.warned&(1<<i) == 0 && e0 <= b && addSat(e0, open) >= b {
			if at := addOpen(c.cal, from, b-e0); at.Before(t) {
				c.warn(i, at)
			}
		}
	}
	if !c.breached && e0 <= target && addSat(e0, open) >= target {
		if at := addOpen(c.cal, from, target-e0); at.Before(t) {
			c.breach(at)
		}
	}
}

func (c *clock) warn(i int, at time.Time) {
	c.warned |= 1 << i
	c.res.Warnings = append(c.res.Warnings, WarningHit{Index: i, At: at})
}

func (c *clock) breach(at time.Time) {
	c.breached = true
	c.res.BreachedAt = at
	c.res.BreachedCycles++
}

// settle records, after the events at t, the points a change of target left behind: a
// new target whose warning point or budget the counted time already exceeds. A point
// reached exactly at t is not passed yet: an event at t could still stop the clock, so
// advance records it once the clock runs on.
func (ev *evaluator) settle(t time.Time) {
	for m := range ev.clocks {
		c := &ev.clocks[m]
		if !c.active || c.target == nil {
			continue
		}
		for i, w := range c.target.Warnings {
			if c.warned&(1<<i) == 0 && c.res.Elapsed > w.budget(c.budget) {
				c.warn(i, t)
			}
		}
		if !c.breached && c.res.Elapsed > c.budget {
			c.breach(t)
		}
	}
}

// apply applies event e, taken at t (its At, or its predecessor's time when stamped earlier).
func (ev *evaluator) apply(e *Event, t time.Time) {
	wasDone := ev.status.done()
	switch {
	case e.Status != "":
		ev.status = e.Status
	case e.Kind == EventCreated:
		ev.status = CategoryNew
	case e.Kind == EventSolved:
		ev.status = CategorySolved
	case e.Kind == EventReopened:
		ev.status = CategoryOpen
	case e.Kind == EventClosed:
		ev.status = CategoryClosed
	}
	if !e.Attributes.isZero() {
		ev.attrs = e.Attributes
		ev.attrsDirty = true
	}
	done := ev.status.done()
	fr, nr, pu, res := &ev.clocks[FirstResponse], &ev.clocks[NextResponse], &ev.clocks[PeriodicUpdate], &ev.clocks[Resolution]
	agent := e.counts(AuthorAgent)
	if e.Kind == EventCreated {
		fr.start(t)
		res.start(t)
		if done {
			// Created already solved or closed (a call logged after the fact): the
			// clocks take their targets and stop at once, met.
			ev.retarget(t)
			ev.stop(fr, t)
			ev.stop(res, t)
		}
		return
	}
	if agent || done {
		ev.stop(fr, t)
		ev.stop(nr, t)
		ev.stop(pu, t)
	}
	if agent && !done {
		pu.start(t)
	}
	if e.counts(AuthorCustomer) && !done && fr.started && !fr.active && !nr.active {
		nr.start(t)
	}
	if done {
		ev.stop(res, t)
	} else if wasDone && res.started && !res.active {
		res.active = true // a reopen continues the resolution clock
		res.res.Stop = time.Time{}
	}
}

func (c *clock) start(t time.Time) {
	c.started, c.active, c.breached, c.warned = true, true, false, 0
	c.res.Cycles++
	c.res.Start, c.res.Stop, c.res.BreachedAt = t, time.Time{}, time.Time{}
	c.res.Elapsed = 0
	c.res.Warnings = nil
}

func (ev *evaluator) stop(c *clock, t time.Time) {
	if !c.active {
		return
	}
	ev.closeSegment(c, t)
	c.active = false
	c.res.Stop = t
}

// retarget applies the first matching policy and its targets for the current state.
func (ev *evaluator) retarget(t time.Time) {
	p, ts := ev.curP, ev.curTs
	if !ev.matched || ev.attrsDirty {
		p, ts = ev.ps.match(&ev.attrs)
	}
	// The targets follow from the policy and the priority, so equal targets mean an equal
	// policy (or none that matters: no targets at all).
	unchanged := ev.matched && ts == ev.curTs && ev.status == ev.curStatus && ev.attrs.Priority == ev.curPrio
	ev.matched, ev.attrsDirty, ev.curP, ev.curTs, ev.curStatus, ev.curPrio = true, false, p, ts, ev.status, ev.attrs.Priority
	for m := range ev.clocks {
		c := &ev.clocks[m]
		if c.started && !c.active {
			continue // a stopped clock keeps the target it stopped under
		}
		if unchanged && (!c.active || c.seg) {
			continue // nothing to do but for clocks (re)started by this event
		}
		ev.retargetClock(c, p, ts, t)
	}
}

func (ev *evaluator) retargetClock(c *clock, p *Policy, ts *Targets, t time.Time) {
	m := c.res.Metric
	var target *Target
	if ts != nil {
		target = ts.get(m)
	}
	// Each policy holds its own copy of each Target, so the same target means the same
	// policy and calendar; only the priority that selected it may differ (the "" entry).
	changed := target != c.target || (target != nil && ev.attrs.Priority != c.res.Priority)
	if changed {
		if target != c.target {
			// A new target: its warning points are recomputed by settle, those already
			// passed being reported at t.
			c.warned = 0
			c.res.Warnings = nil
		}
		c.target = target
		c.cal = nil
		c.res.Target, c.res.BusinessHours, c.res.Policy, c.res.Priority = 0, false, "", ""
		c.pol, c.prio = 0, 0
		c.budget, c.budgetAt = 0, time.Time{}
		if target != nil {
			if target.BusinessHours || target.WorkingDays > 0 {
				c.cal = p.Calendar
			}
			c.budget = target.Within
			c.res.BusinessHours, c.res.Policy, c.res.Priority = c.cal != nil, p.Name, ev.attrs.Priority
			c.pol, c.prio = ev.name(p.Name), ev.name(ev.attrs.Priority)
		}
	}
	if target != nil && target.WorkingDays > 0 && (c.budgetAt.IsZero() || !c.budgetAt.Equal(c.res.Start)) {
		// A working-day budget depends on the cycle's start: computed when the target
		// takes over and again for each new cycle.
		// A calendar without n more working days never reaches the deadline: the budget is
		// then unlimited, as a Within target on a calendar that never opens again.
		var ok bool
		if c.budget, ok = c.cal.workingDaysBudget(c.res.Start, target.WorkingDays); !ok {
			c.budget = time.Duration(math.MaxInt64)
		}
		c.budgetAt = c.res.Start
	}
	c.res.Target = c.budget
	switch {
	case target == nil:
		c.paused, c.why = true, whyNoTarget
	case target.pauses(m, ev.status):
		c.paused, c.why = true, statusWhy(ev.status)
	default:
		c.paused, c.why = false, statusWhy(ev.status)
	}
	if c.active {
		ev.openSegment(c, t)
	}
}

const whyNoTarget = 6

func statusWhy(s Category) uint8 {
	switch s {
	case CategoryOpen:
		return 1
	case CategoryPending:
		return 2
	case CategoryOnHold:
		return 3
	case CategorySolved:
		return 4
	case CategoryClosed:
		return 5
	}
	return 0
}

// openSegment starts a trace segment at t unless the open one already says the same.
func (ev *evaluator) openSegment(c *clock, t time.Time) {
	run := !c.paused
	if c.seg && c.segRun == run && c.segWhy == c.why && c.segPol == c.pol && c.segPrio == c.prio {
		return
	}
	ev.closeSegment(c, t)
	c.seg, c.segFrom, c.segRun, c.segWhy, c.segPol, c.segPrio, c.counted = true, t, run, c.why, c.pol, c.prio, 0
}

func (ev *evaluator) closeSegment(c *clock, t time.Time) {
	if !c.seg {
		return
	}
	if s, ok := c.segmentTo(t); ok {
		ev.segs = append(ev.segs, s)
	}
	c.seg = false
}

// segmentTo returns the clock's open segment as it stands when closed at t; false when
// none is open or it would be empty.
func (c *clock) segmentTo(t time.Time) (segment, bool) {
	if !c.seg || !t.After(c.segFrom) {
		return segment{}, false
	}
	return segment{
		from: c.segFrom.UnixNano(), to: t.UnixNano(), counted: int64(c.counted), metric: uint8(c.res.Metric),
		running: c.segRun, why: c.segWhy, policy: c.segPol, priority: c.segPrio,
	}, true
}

// result returns the clocks as of now, closing the open trace segments at now: the end of
// an evaluation. Its times are in loc, the location of the timeline's first event.
func (ev *evaluator) result(now time.Time, loc *time.Location) *Result {
	for m := range ev.clocks {
		ev.closeSegment(&ev.clocks[m], now)
	}
	r := new(Result)
	ev.snapshotInto(r, now, loc)
	r.segs = ev.segs
	return r
}

// snapshotInto writes the clocks as of now, without the trace, to r, which it overwrites,
// and changes nothing else. The clocks' times and the next wake are in loc; the Warnings
// are r's own.
func (ev *evaluator) snapshotInto(r *Result, now time.Time, loc *time.Location) {
	*r = Result{Now: now, names: ev.names, loc: loc}
	for m := range ev.clocks {
		c := &ev.clocks[m]
		out := c.res
		switch {
		case !c.started:
			out.Outcome = NotStarted
		case c.breached:
			out.Outcome = Breached
		case c.active:
			out.Outcome = Running
		default:
			out.Outcome = Met
		}
		if c.target != nil && c.started {
			out.Remaining = c.budget - out.Elapsed
		}
		out.Paused = c.active && c.paused
		if c.active && !c.paused {
			if c.breached {
				out.Deadline = out.BreachedAt
			} else {
				out.Deadline = addOpen(c.cal, now, out.Remaining)
				r.wake(out.Deadline.Add(1)) // the first instant the clock is past it
			}
			for i, w := range c.target.Warnings {
				if c.warned&(1<<i) == 0 {
					r.wake(addOpen(c.cal, now, w.budget(c.budget)-out.Elapsed).Add(1))
				}
			}
		}
		r.Clocks[m] = out.in(loc)
	}
	r.nextWake = inLoc(r.nextWake, loc)
}

// in returns c with its times in loc, and Warnings of its own.
func (c ClockResult) in(loc *time.Location) ClockResult {
	c.Start, c.Stop, c.Deadline, c.BreachedAt = inLoc(c.Start, loc), inLoc(c.Stop, loc), inLoc(c.Deadline, loc), inLoc(c.BreachedAt, loc)
	if c.Warnings != nil {
		w := make([]WarningHit, len(c.Warnings))
		for i, h := range c.Warnings {
			h.At = inLoc(h.At, loc)
			w[i] = h
		}
		c.Warnings = w
	}
	return c
}

// inLoc returns t in loc, with no monotonic reading; the zero time stays the zero time.
func inLoc(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() || loc == nil {
		return t
	}
	return t.In(loc)
}

func (r *Result) wake(t time.Time) {
	if t.After(r.Now) && (r.nextWake.IsZero() || t.Before(r.nextWake)) {
		r.nextWake = t
	}
}
