package sla

import (
	"sync"
	"time"
)

// Tracker evaluates a timeline that grows one event at a time: after each Add, Evaluate
// returns what Evaluate (the function) returns for the events added so far, at a cost
// that does not grow with them. A ticket's clocks evaluated after each of its n events
// cost O(n) with a Tracker where calling Evaluate on each prefix costs O(n²). A Tracker
// is safe for concurrent use. One not built by NewTracker (the zero Tracker, or a nil
// *Tracker) has no policies: Add, Evaluate and EvaluateInto return ErrInvalid, Len is 0,
// and Reset and Recycle do nothing.
type Tracker struct {
	ps  *Policies // set by NewTracker, never changed: read without mu
	mu  sync.Mutex
	ev  evaluator
	n   int       // events added
	at  time.Time // the instant the timeline stands at: the latest event's time
	loc *time.Location
}

// NewTracker returns a Tracker of an empty timeline under policies. Errors wrap
// ErrInvalid: nil policies or Policies not built by NewPolicies.
func NewTracker(policies *Policies) (*Tracker, error) {
	if policies == nil || len(policies.list) == 0 {
		return nil, invalid("Policies", "nil or empty Policies: build them with NewPolicies")
	}
	t := &Tracker{ps: policies}
	t.reset(policies)
	return t, nil
}

// Reset empties the timeline, keeping the policies, so that the Tracker serves another
// ticket. Results returned before are not affected.
func (t *Tracker) Reset() {
	if !t.built() {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.reset(t.ps)
}

// Recycle is Reset for a caller done with the Results the Tracker returned: the memory of
// their traces serves the next timeline, so the Trace (and Explain) of a Result returned
// before Recycle no longer reads what it did; their Clocks are not affected. A ticket's
// clocks evaluated, then another's, cost no new trace memory once it has grown.
func (t *Tracker) Recycle() {
	if !t.built() {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	names, segs := t.ev.names, t.ev.segs
	clear(names)
	t.reuse(t.ps, names[:1], segs[:0])
}

// built reports whether t was built by NewTracker.
func (t *Tracker) built() bool { return t != nil && t.ps != nil }

// notBuilt is the error of a Tracker not built by NewTracker.
func notBuilt() error {
	return invalid("Tracker", "not built by NewTracker")
}

func (t *Tracker) reset(policies *Policies) {
	t.reuse(policies, make([]string, 1, 8), make([]segment, 0, 8))
}

// reuse empties the timeline, with names (of length 1) and segs (empty) as the trace's memory.
func (t *Tracker) reuse(policies *Policies, names []string, segs []segment) {
	t.ev = evaluator{ps: policies, names: names, segs: segs}
	for m := range t.ev.clocks {
		t.ev.clocks[m].res.Metric = Metric(m)
	}
	t.n, t.at, t.loc = 0, time.Time{}, nil
}

// Add appends e to the timeline. The Tracker keeps e's Tags: the caller must not modify
// them afterwards. An event stamped earlier than the one before it is taken at that one's
// time, as by Evaluate. Errors wrap ErrInvalid, with nothing added, for the events
// Evaluate rejects: a first event that is not EventCreated, a second EventCreated, a zero
// At, unknown kinds, authors or categories.
func (t *Tracker) Add(e Event) error {
	if !t.built() {
		return notBuilt()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := validateEvent(&e, t.n); err != nil {
		return err
	}
	if t.n == 0 {
		t.ev.since, t.at, t.loc = e.At, e.At, e.At.Location()
	}
	if e.At.After(t.at) {
		t.at = e.At
	}
	t.n++
	t.ev.step(&e, t.at)
	return nil
}

// Len returns the number of events added.
func (t *Tracker) Len() int {
	if !t.built() {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

// Evaluate returns the clocks of the timeline added so far as of now: the Result that
// Evaluate(policies, timeline, now) returns, Trace included. now must not be before the
// latest event added (events cannot be taken back); the Tracker then stands at now, and
// the events added next take at least now's time. Errors wrap ErrInvalid: no events
// added, or now before the latest of them.
func (t *Tracker) Evaluate(now time.Time) (*Result, error) {
	r := new(Result)
	if err := t.EvaluateInto(r, now); err != nil {
		return nil, err
	}
	return r, nil
}

// EvaluateInto is Evaluate writing the Result to r, which it overwrites whole, for a
// caller that evaluates often and is done with each Result before the next: the Result
// shares nothing with r's previous contents. Errors as Evaluate's, with r unchanged.
func (t *Tracker) EvaluateInto(r *Result, now time.Time) error {
	if !t.built() {
		return notBuilt()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.n == 0:
		return invalid("Timeline", "empty timeline: the first event must be EventCreated")
	case now.Before(t.at):
		return invalid("now", "before the latest event of the timeline")
	}
	ev := &t.ev
	ev.advance(now)
	ev.settle(now)
	t.at = now
	ev.snapshotInto(r, now, t.loc) // the Result gets warnings of its own: the clocks keep appending
	r.segs = ev.segs[:len(ev.segs):len(ev.segs)]
	for m := range ev.clocks {
		if s, ok := ev.clocks[m].segmentTo(now); ok {
			r.open[r.nopen] = s
			r.nopen++
		}
	}
	return nil
}
