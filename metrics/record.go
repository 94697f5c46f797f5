package metrics

import (
	"math"
	"time"
)

// Interval is a span of time [Start, End). An Interval with a zero End is still open; the
// KPIs that read intervals cut open ones at the record's resolution time.
type Interval struct {
	Start time.Time // first instant of the span
	End   time.Time // instant the span ends; zero while it is still open
}

// SLAResult is the outcome of one SLA metric (e.g. SLAFirstResponse, SLAResolution) for a
// ticket. Only decided outcomes are recorded: a target still running has no SLAResult.
type SLAResult struct {
	Metric SLAMetric // the SLA metric; a well-formed name (SLAMetric.Valid)
	Met    bool      // false: breached
}

// Owner is who held a ticket at one moment: its group, line of support and assignee. Reports
// credit each measure to the owner at the moment it happened (see Attribution).
type Owner struct {
	Group    string // Record.Group at that moment
	Line     int    // Record.Line at that moment: 1..MaxLine, 0 when unknown
	Assignee string // Record.Assignee at that moment
}

// Record is what the metrics package knows about one ticket. Hosts build it themselves or
// fold events into it with a Builder. Times are absolute instants; a zero time means "did not
// happen". Record is a plain value; Validate reports whether it can be measured.
type Record struct {
	TicketID string // the host's ticket identifier; reports name excluded records by it
	Channel  string // e.g. "email", "chat", "phone"
	Priority string // e.g. "low", "normal", "high"
	Type     string // e.g. "incident", "service_request", "question"
	Group    string // the team responsible
	Assignee string // the agent responsible (the "agent" dimension of reports)
	Line     int    // line of support, 1..MaxLine; 0 when unknown

	Created     time.Time // required
	FirstReply  time.Time // first public agent reply
	FirstSolved time.Time // first time the ticket was solved
	Solved      time.Time // last solve; zero when never solved or reopened since
	Closed      time.Time // when the ticket was closed; zero while not closed

	Reopens         int // times reopened after a solve
	AgentReplies    int // public agent replies
	CustomerReplies int // customer replies after the description
	Reassignments   int // changes from one assignee to another

	Handle  []Interval // agent work on the ticket (handle-time segments)
	Pending []Interval // time the ticket waited on the customer

	SLA  []SLAResult // decided SLA outcomes, one per metric, at most MaxSLAMetrics
	CSAT int         // satisfaction answer 1..5; 0 when not answered
	CES  int         // customer-effort answer 1..7; 0 when not answered

	// The owner when the ticket was first answered, first solved and last solved, for
	// tickets that move between teams (escalations). A zero Owner means "the record's own
	// Group, Line and Assignee": hosts that do not track moves leave them zero. A Builder
	// fills them.
	OwnerAtFirstReply Owner // owner at FirstReply
	OwnerAtFirstSolve Owner // owner at FirstSolved
	OwnerAtSolve      Owner // owner at Solved
}

// Validate returns nil when r can be measured, or a *ValidationError (wrapping ErrInvalid)
// naming the first problem: a zero Created, an event time before Created, a solve after the
// close, a negative count, a line of support (Line or an Owner's Line) outside 0..MaxLine,
// an interval that ends before it starts, a score out of range, an SLA outcome whose metric
// name is malformed (see SLAMetric), a metric listed twice, or more than MaxSLAMetrics
// outcomes.
func (r *Record) Validate() error {
	if r.Created.IsZero() {
		return invalid("Created", "is zero")
	}
	for _, f := range []struct {
		name string
		t    time.Time
	}{{"FirstReply", r.FirstReply}, {"FirstSolved", r.FirstSolved}, {"Solved", r.Solved}, {"Closed", r.Closed}} {
		if !f.t.IsZero() && f.t.Before(r.Created) {
			return invalid(f.name, "is before Created")
		}
	}
	if !r.Solved.IsZero() && !r.FirstSolved.IsZero() && r.Solved.Before(r.FirstSolved) {
		return invalid("Solved", "is before FirstSolved")
	}
	if !r.Solved.IsZero() && r.FirstSolved.IsZero() {
		return invalid("FirstSolved", "is zero while Solved is set")
	}
	if !r.Closed.IsZero() {
		if r.FirstSolved.After(r.Closed) {
			return invalid("FirstSolved", "is after Closed")
		}
		if r.Solved.After(r.Closed) {
			return invalid("Solved", "is after Closed")
		}
	}
	if r.Reopens < 0 || r.AgentReplies < 0 || r.CustomerReplies < 0 || r.Reassignments < 0 {
		return invalid("counts", "negative count")
	}
	if err := validLines(r); err != nil {
		return err
	}
	if err := validIntervals("Handle", r.Handle, r.Created); err != nil {
		return err
	}
	if err := validIntervals("Pending", r.Pending, r.Created); err != nil {
		return err
	}
	if r.CSAT < 0 || r.CSAT > 5 {
		return invalid("CSAT", "%d is outside 1..5", r.CSAT)
	}
	if r.CES < 0 || r.CES > 7 {
		return invalid("CES", "%d is outside 1..7", r.CES)
	}
	if len(r.SLA) > MaxSLAMetrics {
		return invalid("SLA", "%d outcomes; at most MaxSLAMetrics (%d)", len(r.SLA), MaxSLAMetrics)
	}
	for i, s := range r.SLA {
		if !s.Metric.Valid() {
			return invalid("SLA", "malformed metric name %q (want e.g. %q)", string(s.Metric), string(SLAFirstResponse))
		}
		for _, o := range r.SLA[:i] {
			if o.Metric == s.Metric {
				return invalid("SLA", "metric %q listed twice", s.Metric)
			}
		}
	}
	return nil
}

// MaxLine is the highest line of support a Record or an Event may name; lines run 1..MaxLine,
// and 0 means unknown.
const MaxLine = 3

func validLine(field string, line int) error {
	if line < 0 || line > MaxLine {
		return invalid(field, "line %d is outside 1..%d (0 when unknown)", line, MaxLine)
	}
	return nil
}

func validLines(r *Record) error {
	for _, f := range []struct {
		name string
		line int
	}{{"Line", r.Line}, {"OwnerAtFirstReply.Line", r.OwnerAtFirstReply.Line},
		{"OwnerAtFirstSolve.Line", r.OwnerAtFirstSolve.Line}, {"OwnerAtSolve.Line", r.OwnerAtSolve.Line}} {
		if err := validLine(f.name, f.line); err != nil {
			return err
		}
	}
	return nil
}

func validIntervals(field string, iv []Interval, created time.Time) error {
	for _, s := range iv {
		if s.Start.Before(created) {
			return invalid(field, "interval starts before Created")
		}
		if !s.End.IsZero() && s.End.Before(s.Start) {
			return invalid(field, "interval ends before it starts (negative duration)")
		}
	}
	return nil
}

// FirstResponseTime is FRT = FirstReply − Created, measured by cal (nil means WallClock).
// ok is false when there is no public agent reply.
func FirstResponseTime(r *Record, cal Calendar) (d time.Duration, ok bool) {
	if r.FirstReply.IsZero() {
		return 0, false
	}
	return between(cal, r.Created, r.FirstReply), true
}

// FirstResolutionTime = FirstSolved − Created, measured by cal (nil means WallClock).
// ok is false when the ticket was never solved.
func FirstResolutionTime(r *Record, cal Calendar) (d time.Duration, ok bool) {
	if r.FirstSolved.IsZero() {
		return 0, false
	}
	return between(cal, r.Created, r.FirstSolved), true
}

// FullResolutionTime = Solved − Created (the last solve), measured by cal (nil means
// WallClock). ok is false when the ticket is not solved now.
func FullResolutionTime(r *Record, cal Calendar) (d time.Duration, ok bool) {
	if r.Solved.IsZero() {
		return 0, false
	}
	return between(cal, r.Created, r.Solved), true
}

// RequesterWaitTime is the time the customer waited on the support team until the last solve:
// (Solved − Created) − Σ Pending ∩ [Created, Solved], every term measured by cal (nil means
// WallClock); an open Pending interval ends at Solved. ok is false when the ticket is not solved.
func RequesterWaitTime(r *Record, cal Calendar) (d time.Duration, ok bool) {
	if r.Solved.IsZero() {
		return 0, false
	}
	total := between(cal, r.Created, r.Solved)
	total -= sumIntervals(cal, r.Pending, r.Created, r.Solved)
	return max(total, 0), true
}

// AgentWorkTime is the handle time of the ticket: Σ (End − Start) over Handle, each interval
// measured by cal (nil means WallClock), saturating at the largest Duration. Open intervals are not counted. ok is false when the
// record has no closed Handle interval.
func AgentWorkTime(r *Record, cal Calendar) (d time.Duration, ok bool) {
	for _, s := range r.Handle {
		if s.End.IsZero() {
			continue
		}
		d = addSat(d, between(cal, s.Start, s.End))
		ok = true
	}
	return d, ok
}

// sumIntervals returns Σ |iv ∩ [from, to]| by cal, saturating at the largest Duration; open
// intervals end at to.
func sumIntervals(cal Calendar, iv []Interval, from, to time.Time) time.Duration {
	var d time.Duration
	for _, s := range iv {
		a, b := s.Start, s.End
		if b.IsZero() || b.After(to) {
			b = to
		}
		if a.Before(from) {
			a = from
		}
		d = addSat(d, between(cal, a, b))
	}
	return d
}

// addSat returns a + b for non-negative a and b, or the largest Duration when the sum does
// not fit.
func addSat(a, b time.Duration) time.Duration {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func between(cal Calendar, a, b time.Time) time.Duration {
	if cal == nil {
		return WallClock{}.Between(a, b)
	}
	return max(cal.Between(a, b), 0)
}

// FCRVariant selects the definition of first contact resolution. Every variant's denominator
// is the number of solved tickets (FirstSolved set).
type FCRVariant int

const (
	// FCRSingleReply counts tickets solved with at most one public agent reply.
	FCRSingleReply FCRVariant = iota
	// FCRNoCustomerReply counts solved tickets where the customer wrote nothing after the
	// description.
	FCRNoCustomerReply
	// FCRNeverReopened counts solved tickets that were never reopened.
	FCRNeverReopened
)

// FirstContactResolved reports whether r is solved and counts as resolved at first contact
// under variant v. Unsolved tickets are never first-contact resolved.
func FirstContactResolved(r *Record, v FCRVariant) bool {
	if r.FirstSolved.IsZero() {
		return false
	}
	switch v {
	case FCRSingleReply:
		return r.AgentReplies <= 1
	case FCRNoCustomerReply:
		return r.CustomerReplies == 0
	case FCRNeverReopened:
		return r.Reopens == 0
	}
	return false
}
