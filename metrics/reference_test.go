package metrics_test

import (
	"time"

	"github.com/supportkit/supportkit/metrics"
)

// refTicket is a second, deliberately plain implementation of the Builder's rules for one
// ticket: accept decides from a few flags whether the Builder must take an event, and record
// derives every Record field afterwards by scanning the accepted events, instead of folding
// them as the Builder does.
type refTicket struct {
	events  []metrics.Event // accepted, in order
	status  string          // "open", "solved" or "closed"
	working bool
	metrics map[string]bool
}

// accept reports whether the Builder must accept e (the ticket exists) and, if so, keeps it.
func (t *refTicket) accept(e metrics.Event) bool {
	if e.TicketID == "" || e.At.IsZero() || e.Kind == metrics.EventCreated {
		return false
	}
	if last := t.events[len(t.events)-1]; e.At.Before(last.At) {
		return false
	}
	ok := true
	switch e.Kind {
	case metrics.EventSet:
		switch e.Field {
		case metrics.FieldChannel, metrics.FieldPriority, metrics.FieldType, metrics.FieldGroup, metrics.FieldAssignee:
		case metrics.FieldLine:
			ok = e.Int >= 0 && e.Int <= metrics.MaxLine
		default:
			ok = false
		}
	case metrics.EventReplied:
		ok = e.Actor == metrics.ActorAgent || e.Actor == metrics.ActorCustomer
	case metrics.EventSolved:
		if t.status == "open" {
			t.status = "solved"
		}
	case metrics.EventClosed:
		t.status = "closed"
	case metrics.EventReopened:
		ok = t.status == "solved"
		if ok {
			t.status = "open"
		}
	case metrics.EventPending, metrics.EventResumed:
	case metrics.EventWorkStarted:
		t.working = true
	case metrics.EventWorkStopped:
		ok = t.working
		t.working = false
	case metrics.EventSLAMet, metrics.EventSLABreached:
		ok = metrics.SLAMetric(e.Field).Valid() && (t.metrics[e.Field] || len(t.metrics) < metrics.MaxSLAMetrics)
		if ok {
			t.metrics[e.Field] = true
		}
	case metrics.EventCSAT:
		ok = e.Int >= 1 && e.Int <= 5
	case metrics.EventCES:
		ok = e.Int >= 1 && e.Int <= 7
	default:
		ok = false
	}
	if ok {
		t.events = append(t.events, e)
	}
	return ok
}

func newRefTicket(created metrics.Event) *refTicket {
	return &refTicket{events: []metrics.Event{created}, status: "open", metrics: map[string]bool{}}
}

// record derives the ticket's Record from its accepted events.
func (t *refTicket) record() metrics.Record {
	r := metrics.Record{TicketID: t.events[0].TicketID, Created: t.events[0].At}
	lastReopen := -1
	var work, wait bool
	for i, e := range t.events {
		switch e.Kind {
		case metrics.EventReopened:
			lastReopen = i
			r.Reopens++
		case metrics.EventReplied:
			if e.Actor == metrics.ActorAgent {
				r.AgentReplies++
				if r.AgentReplies == 1 {
					r.FirstReply = e.At
					r.OwnerAtFirstReply = ownerAt(t.events, i)
				}
			} else {
				r.CustomerReplies++
			}
		case metrics.EventSet:
			switch e.Field {
			case metrics.FieldChannel:
				r.Channel = e.Value
			case metrics.FieldPriority:
				r.Priority = e.Value
			case metrics.FieldType:
				r.Type = e.Value
			case metrics.FieldGroup:
				r.Group = e.Value
			case metrics.FieldAssignee:
				if r.Assignee != "" && r.Assignee != e.Value {
					r.Reassignments++
				}
				r.Assignee = e.Value
			case metrics.FieldLine:
				r.Line = e.Int
			}
		case metrics.EventCSAT:
			r.CSAT = e.Int
		case metrics.EventCES:
			r.CES = e.Int
		case metrics.EventSLAMet, metrics.EventSLABreached:
			r.SLA = setSLA(r.SLA, e.Field, e.Kind == metrics.EventSLAMet)
		}
		work = handleStep(&r, work, e)
		wait = pendingStep(&r, wait, e)
	}
	r.FirstSolved = firstSolve(t.events, -1)
	r.Solved = firstSolve(t.events, lastReopen)
	r.OwnerAtFirstSolve = ownerAt(t.events, solveIndex(t.events, -1))
	r.OwnerAtSolve = ownerAt(t.events, solveIndex(t.events, lastReopen))
	for _, e := range t.events {
		if e.Kind == metrics.EventClosed {
			r.Closed = e.At
			break
		}
	}
	return r
}

// firstSolve returns the time of the first solve or close after index from.
func firstSolve(events []metrics.Event, from int) time.Time {
	if i := solveIndex(events, from); i >= 0 {
		return events[i].At
	}
	return time.Time{}
}

// solveIndex returns the index of the first solve or close after index from, or -1.
func solveIndex(events []metrics.Event, from int) int {
	for i := from + 1; i < len(events); i++ {
		if k := events[i].Kind; k == metrics.EventSolved || k == metrics.EventClosed {
			return i
		}
	}
	return -1
}

// ownerAt replays the attribute changes of events[:i+1] into the owner they leave; the zero
// Owner for i < 0.
func ownerAt(events []metrics.Event, i int) metrics.Owner {
	var o metrics.Owner
	for _, e := range events[:i+1] {
		if e.Kind != metrics.EventSet {
			continue
		}
		switch e.Field {
		case metrics.FieldGroup:
			o.Group = e.Value
		case metrics.FieldAssignee:
			o.Assignee = e.Value
		case metrics.FieldLine:
			o.Line = e.Int
		}
	}
	return o
}

func setSLA(res []metrics.SLAResult, m string, met bool) []metrics.SLAResult {
	for i := range res {
		if res[i].Metric == metrics.SLAMetric(m) {
			res[i].Met = met
			return res
		}
	}
	return append(res, metrics.SLAResult{Metric: metrics.SLAMetric(m), Met: met})
}

// handleStep opens and closes handle-time segments; open says whether one is open.
func handleStep(r *metrics.Record, open bool, e metrics.Event) bool {
	switch {
	case e.Kind == metrics.EventWorkStarted && !open:
		r.Handle = append(r.Handle, metrics.Interval{Start: e.At})
		return true
	case e.Kind == metrics.EventWorkStopped:
		r.Handle[len(r.Handle)-1].End = e.At
		return false
	}
	return open
}

// pendingStep opens and closes pending intervals: a customer reply, a resume, a solve or a
// close ends one.
func pendingStep(r *metrics.Record, open bool, e metrics.Event) bool {
	ends := e.Kind == metrics.EventResumed || e.Kind == metrics.EventSolved || e.Kind == metrics.EventClosed ||
		(e.Kind == metrics.EventReplied && e.Actor == metrics.ActorCustomer)
	switch {
	case e.Kind == metrics.EventPending && !open:
		r.Pending = append(r.Pending, metrics.Interval{Start: e.At})
		return true
	case ends && open:
		r.Pending[len(r.Pending)-1].End = e.At
		return false
	}
	return open
}
