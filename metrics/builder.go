package metrics

import (
	"errors"
	"iter"
	"slices"
	"sync"
	"time"
)

// EventKind says what happened to a ticket.
type EventKind int

const (
	// EventCreated opens a ticket at At. Its description is not a reply. Every other event of
	// the ticket must come after it.
	EventCreated EventKind = iota + 1
	// EventSet sets an attribute: Field is FieldChannel, FieldPriority, FieldType,
	// FieldGroup or FieldAssignee with the new Value, or FieldLine with the new Int. A change
	// of assignee from one agent to another counts as a reassignment.
	EventSet
	// EventReplied is a public reply; Actor says whether an agent or the customer wrote it.
	// A customer reply ends a pending interval.
	EventReplied
	// EventSolved marks the ticket solved. Solving a solved ticket changes nothing.
	EventSolved
	// EventReopened reopens a solved ticket. A closed ticket is final: reopening it is an
	// error.
	EventReopened
	// EventClosed closes the ticket; closing a ticket that is not solved also solves it. A
	// closed ticket stays closed and solved: closing it again changes nothing, and later
	// replies, SLA outcomes, scores and work still count.
	EventClosed
	// EventPending starts waiting on the customer (a no-op while already pending). Waiting
	// on a third party ("on hold") is not pending: the customer still waits.
	EventPending
	// EventResumed ends waiting on the customer (a no-op while not pending).
	EventResumed
	// EventWorkStarted starts a handle-time segment (a no-op while one is open).
	EventWorkStarted
	// EventWorkStopped ends the open handle-time segment.
	EventWorkStopped
	// EventSLAMet records that SLA metric Field was met: Field is an SLAMetric's text, e.g.
	// string(SLAFirstResponse); a later outcome of the same metric replaces it.
	EventSLAMet
	// EventSLABreached records that SLA metric Field was breached (Field as for EventSLAMet).
	EventSLABreached
	// EventCSAT records a satisfaction answer Int in 1..5 (a later answer replaces it).
	EventCSAT
	// EventCES records a customer-effort answer Int in 1..7 (a later answer replaces it).
	EventCES
)

// Attribute names for EventSet's Field.
const (
	FieldChannel  = "channel"  // Event.Value is the ticket channel
	FieldPriority = "priority" // Event.Value is the priority
	FieldType     = "type"     // Event.Value is the ticket type
	FieldGroup    = "group"    // Event.Value is the group
	FieldAssignee = "assignee" // Event.Value is the assignee
	FieldLine     = "line"     // value in Event.Int: 1..MaxLine, or 0 for unknown
)

// ActorKind says who caused an event.
type ActorKind int

const (
	ActorSystem   ActorKind = iota // automation, the default
	ActorAgent                     // a support agent
	ActorCustomer                  // the requester
)

// Event is one thing that happened to a ticket, in plain values so that any host can produce
// it. Which fields matter depends on Kind (see the EventKind constants).
type Event struct {
	TicketID string    // the ticket the event belongs to; required
	At       time.Time // when it happened; required, not before the ticket's latest event
	Kind     EventKind // what happened
	Actor    ActorKind // who caused it; replies need ActorAgent or ActorCustomer
	Field    string    // attribute name for EventSet; SLAMetric text for EventSLAMet/EventSLABreached
	Value    string    // attribute value for EventSet
	Int      int       // score for EventCSAT/EventCES; line for EventSet with Field "line"
}

// Builder folds events into one Record per ticket. It records the owner (group, line,
// assignee) at the first agent reply, the first solve and the last solve
// (Record.OwnerAtFirstReply, OwnerAtFirstSolve, OwnerAtSolve), so that reports credit an
// escalated ticket's measures to the team that held it then; a ticket with no group, line
// or assignee at that moment has a zero Owner there, which reports read as its current one. Events of a ticket must arrive in time
// order (equal times are fine); tickets may interleave. Every record a Builder builds passes
// Record.Validate. A Builder holds every ticket it has seen until Delete: memory grows with
// the tickets held and their events, so a host that keeps a Builder for long deletes tickets
// once it has reported them. The zero Builder is empty and ready to use. A Builder is safe
// for concurrent use.
type Builder struct {
	mu    sync.Mutex
	recs  map[string]*building
	order []string // ticket IDs in creation order; "" marks a deleted ticket
	holes int      // deleted entries still in order
}

type building struct {
	rec  Record
	pos  int       // index in Builder.order
	last time.Time // time of the latest event
	work bool      // a Handle interval is open
	wait bool      // a Pending interval is open
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder { return &Builder{recs: map[string]*building{}} }

// Add applies e to its ticket's record. It returns a *ValidationError wrapping ErrInvalid,
// and changes nothing, when e has no ticket ID or time, an unknown kind or field, a score out
// of range, a line of support outside 0..MaxLine, comes before the ticket's creation or
// latest event, refers to a ticket never created (or creates one twice), reopens a ticket
// that is not solved or is closed, stops work that was not started, or records an SLA
// metric beyond MaxSLAMetrics for the ticket.
func (b *Builder) Add(e Event) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, err := b.add(e, nil)
	return err
}

// AddAll applies events in order, each as Add applies it, under one lock: for a host that
// feeds a ticket's whole log at once. An event Add would refuse changes nothing and the
// events after it still apply. It returns the errors of the refused events joined, each
// wrapping ErrInvalid, and nil when every event applied.
func (b *Builder) AddAll(events []Event) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var errs []error
	var t *building // the record of the previous event, which the next most often shares
	for _, e := range events {
		var err error
		if t, err = b.add(e, t); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// add applies e and returns its ticket's record; hint, when not nil, may be that record.
// b.mu is held.
func (b *Builder) add(e Event, hint *building) (*building, error) {
	if e.TicketID == "" {
		return nil, invalid("TicketID", "is empty")
	}
	if e.At.IsZero() {
		return nil, invalid("At", "is zero")
	}
	t := hint
	if t == nil || t.rec.TicketID != e.TicketID {
		t = b.recs[e.TicketID]
	}
	if e.Kind == EventCreated {
		if t != nil {
			return nil, invalid("Kind", "ticket %q created twice", e.TicketID)
		}
		if b.recs == nil {
			b.recs = map[string]*building{}
		}
		t = &building{rec: Record{TicketID: e.TicketID, Created: e.At}, pos: len(b.order), last: e.At}
		b.recs[e.TicketID] = t
		b.order = append(b.order, e.TicketID)
		return t, nil
	}
	if t == nil {
		return nil, invalid("TicketID", "ticket %q has no EventCreated", e.TicketID)
	}
	if e.At.Before(t.last) {
		return t, invalid("At", "event is before the ticket's latest event")
	}
	if err := t.apply(e); err != nil {
		return t, err
	}
	t.last = e.At
	return t, nil
}

func (t *building) apply(e Event) error {
	r := &t.rec
	switch e.Kind {
	case EventSet:
		return t.set(e)
	case EventReplied:
		switch e.Actor {
		case ActorAgent:
			r.AgentReplies++
			if r.FirstReply.IsZero() {
				r.FirstReply = e.At
				r.OwnerAtFirstReply = t.owner()
			}
		case ActorCustomer:
			r.CustomerReplies++
			t.endWait(e.At)
		default:
			return invalid("Actor", "a reply needs an agent or customer actor")
		}
	case EventSolved:
		t.solve(e.At)
	case EventReopened:
		if r.Solved.IsZero() {
			return invalid("Kind", "reopening a ticket that is not solved")
		}
		if !r.Closed.IsZero() {
			return invalid("Kind", "reopening a closed ticket (closed is final)")
		}
		r.Reopens++
		r.Solved = time.Time{}
		r.OwnerAtSolve = Owner{}
	case EventClosed:
		t.solve(e.At)
		if r.Closed.IsZero() {
			r.Closed = e.At
		}
	case EventPending:
		if !t.wait {
			r.Pending = append(r.Pending, Interval{Start: e.At})
			t.wait = true
		}
	case EventResumed:
		t.endWait(e.At)
	case EventWorkStarted:
		if !t.work {
			r.Handle = append(r.Handle, Interval{Start: e.At})
			t.work = true
		}
	case EventWorkStopped:
		if !t.work {
			return invalid("Kind", "work stopped but not started")
		}
		r.Handle[len(r.Handle)-1].End = e.At
		t.work = false
	case EventSLAMet, EventSLABreached:
		return t.sla(e)
	case EventCSAT:
		if e.Int < 1 || e.Int > 5 {
			return invalid("Int", "CSAT %d is outside 1..5", e.Int)
		}
		r.CSAT = e.Int
	case EventCES:
		if e.Int < 1 || e.Int > 7 {
			return invalid("Int", "CES %d is outside 1..7", e.Int)
		}
		r.CES = e.Int
	default:
		return invalid("Kind", "unknown event kind %d", e.Kind)
	}
	return nil
}

func (t *building) set(e Event) error {
	r := &t.rec
	switch e.Field {
	case FieldChannel:
		r.Channel = e.Value
	case FieldPriority:
		r.Priority = e.Value
	case FieldType:
		r.Type = e.Value
	case FieldGroup:
		r.Group = e.Value
	case FieldAssignee:
		if r.Assignee != "" && e.Value != r.Assignee {
			r.Reassignments++
		}
		r.Assignee = e.Value
	case FieldLine:
		if err := validLine("Int", e.Int); err != nil {
			return err
		}
		r.Line = e.Int
	default:
		return invalid("Field", "unknown attribute %q", e.Field)
	}
	return nil
}

func (t *building) sla(e Event) error {
	m := SLAMetric(e.Field)
	if !m.Valid() {
		return invalid("Field", "malformed SLA metric name %q (want e.g. %q)", e.Field, string(SLAFirstResponse))
	}
	met := e.Kind == EventSLAMet
	r := &t.rec
	for i := range r.SLA {
		if r.SLA[i].Metric == m {
			r.SLA[i].Met = met
			return nil
		}
	}
	if len(r.SLA) >= MaxSLAMetrics {
		return invalid("Field", "SLA metric %q would be one more than MaxSLAMetrics (%d)", e.Field, MaxSLAMetrics)
	}
	r.SLA = append(r.SLA, SLAResult{Metric: m, Met: met})
	return nil
}

func (t *building) solve(at time.Time) {
	r := &t.rec
	t.endWait(at)
	if !r.Solved.IsZero() {
		return
	}
	r.Solved = at
	r.OwnerAtSolve = t.owner()
	if r.FirstSolved.IsZero() {
		r.FirstSolved = at
		r.OwnerAtFirstSolve = r.OwnerAtSolve
	}
}

// owner returns the ticket's owner now.
func (t *building) owner() Owner {
	return Owner{Group: t.rec.Group, Line: t.rec.Line, Assignee: t.rec.Assignee}
}

func (t *building) endWait(at time.Time) {
	if t.wait {
		t.rec.Pending[len(t.rec.Pending)-1].End = at
		t.wait = false
	}
}

// Record returns a copy of the record of ticket id; ok is false when the ticket is unknown.
func (b *Builder) Record(id string) (r Record, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.recs[id]
	if t == nil {
		return Record{}, false
	}
	return t.copy(), true
}

// Records returns copies of all records in the order the tickets were created, as of the
// call (later events do not show up in a running iteration).
func (b *Builder) Records() iter.Seq[Record] {
	b.mu.Lock()
	snap := make([]Record, 0, len(b.recs))
	for _, id := range b.order {
		if id != "" {
			snap = append(snap, b.recs[id].copy())
		}
	}
	b.mu.Unlock()
	return slices.Values(snap)
}

// Delete forgets ticket id (e.g. once a closed ticket has been reported) and reports whether
// it was known. It takes constant amortized time, so deleting every ticket is linear.
func (b *Builder) Delete(id string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.recs[id]
	if t == nil {
		return false
	}
	delete(b.recs, id)
	b.order[t.pos] = ""
	b.holes++
	if b.holes > len(b.order)/2 {
		b.compact()
	}
	return true
}

// compact drops the deleted entries of order, renumbers the positions and moves the live
// tickets to a map of their own size (a Go map never shrinks), so that memory follows the
// tickets held, not every ticket ever held.
func (b *Builder) compact() {
	b.order = slices.Clone(slices.DeleteFunc(b.order, func(id string) bool { return id == "" }))
	recs := make(map[string]*building, len(b.order))
	for i, id := range b.order {
		t := b.recs[id]
		t.pos = i
		recs[id] = t
	}
	b.recs = recs
	b.holes = 0
}

// Len returns the number of tickets held.
func (b *Builder) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.recs)
}

func (t *building) copy() Record {
	r := t.rec
	r.Handle = slices.Clone(r.Handle)
	r.Pending = slices.Clone(r.Pending)
	r.SLA = slices.Clone(r.SLA)
	return r
}
