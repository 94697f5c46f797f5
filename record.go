package supportkit

import (
	"time"

	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// MetricsEvents converts one committed ticket event into the metrics package's events, for
// a metrics.Builder. t is the ticket as that event's write left it.
//
// The mapping: creation sets channel, priority, type, group, assignee and line (and starts
// the customer's wait, or solves the ticket, when it is created pending or solved); a public
// comment by an agent or by the customer is a reply (the description written with the ticket
// is not; bot and system comments and internal notes are not replies); pending starts and
// leaving pending ends the customer's wait; solved, closed and a reopen of a solved ticket map
// to their own kinds; priority, assignee, group, line (escalation) and type changes set the
// attribute; a rating records CSAT and CES. Events the metrics package does not read yield
// nothing. Handle time is not in this mapping: the Desk adds it from the ticket's state (see
// Desk.Metrics).
func MetricsEvents(e ticket.Event, t ticket.Ticket) []metrics.Event {
	return appendMetricsEvents(nil, e.TicketID.String(), &e, &t)
}

// appendMetricsEvents appends MetricsEvents(e, t) to out; id is e.TicketID as text.
func appendMetricsEvents(out []metrics.Event, id string, e *ticket.Event, t *ticket.Ticket) []metrics.Event {
	at := func(k metrics.EventKind) metrics.Event {
		return metrics.Event{TicketID: id, At: e.At, Kind: k, Actor: metricsActor(e.Actor.Kind)}
	}
	set := func(field, value string) metrics.Event {
		m := at(metrics.EventSet)
		m.Field, m.Value = field, value
		return m
	}
	line := func() metrics.Event {
		m := set(metrics.FieldLine, "")
		m.Int = e.ToLine
		return m
	}
	switch e.Kind {
	case ticket.EventCreated:
		out = append(out, at(metrics.EventCreated),
			set(metrics.FieldChannel, string(e.Channel)), set(metrics.FieldPriority, string(e.ToPriority)),
			set(metrics.FieldType, string(e.Type)), set(metrics.FieldGroup, e.ToGroup), line())
		if e.ToAssignee != "" {
			out = append(out, set(metrics.FieldAssignee, e.ToAssignee))
		}
		switch e.ToStatus { // a ticket may start pending, or solved on first contact
		case ticket.StatusPending:
			out = append(out, at(metrics.EventPending))
		case ticket.StatusSolved:
			out = append(out, at(metrics.EventSolved))
		}
		return out
	case ticket.EventCommented:
		return appendReply(out, *e, *t, at)
	case ticket.EventStatusChanged, ticket.EventReopened:
		return appendStatus(out, *e, at)
	case ticket.EventPriorityChanged:
		return append(out, set(metrics.FieldPriority, string(e.ToPriority)))
	case ticket.EventAssigneeChanged:
		return append(out, set(metrics.FieldAssignee, e.ToAssignee))
	case ticket.EventGroupChanged:
		return append(out, set(metrics.FieldGroup, e.ToGroup))
	case ticket.EventEscalated:
		return append(out, line(), set(metrics.FieldGroup, e.ToGroup))
	case ticket.EventFieldChanged:
		if e.Field == "type" {
			return append(out, set(metrics.FieldType, e.ToValue))
		}
	case ticket.EventRated:
		return appendRating(out, *e, at)
	}
	return out
}

func appendReply(out []metrics.Event, e ticket.Event, t ticket.Ticket, at func(metrics.EventKind) metrics.Event) []metrics.Event {
	description := t.Version == 1 // written by Create, with the ticket
	if !e.Public || description {
		return out
	}
	m := at(metrics.EventReplied)
	switch e.AuthorKind {
	case ticket.ActorAgent:
		m.Actor = metrics.ActorAgent
	case ticket.ActorCustomer:
		m.Actor = metrics.ActorCustomer
	default:
		return out
	}
	return append(out, m)
}

func appendStatus(out []metrics.Event, e ticket.Event, at func(metrics.EventKind) metrics.Event) []metrics.Event {
	if e.FromStatus == ticket.StatusPending && e.ToStatus != ticket.StatusPending {
		out = append(out, at(metrics.EventResumed))
	}
	switch {
	case e.ToStatus == ticket.StatusPending:
		out = append(out, at(metrics.EventPending))
	case e.ToStatus == ticket.StatusSolved:
		out = append(out, at(metrics.EventSolved))
	case e.ToStatus == ticket.StatusClosed:
		out = append(out, at(metrics.EventClosed))
	case e.FromStatus == ticket.StatusSolved:
		out = append(out, at(metrics.EventReopened))
	}
	return out
}

func appendRating(out []metrics.Event, e ticket.Event, at func(metrics.EventKind) metrics.Event) []metrics.Event {
	if e.CSAT > 0 {
		m := at(metrics.EventCSAT)
		m.Int = e.CSAT
		out = append(out, m)
	}
	if e.CES > 0 {
		m := at(metrics.EventCES)
		m.Int = e.CES
		out = append(out, m)
	}
	return out
}

// SLAEvents turns the decided clocks of an SLA evaluation into metrics events recorded at
// the instant of the ticket event e: one EventSLAMet or EventSLABreached per tracked metric whose
// clock is met or has breached in any cycle. A metrics.Builder keeps the latest outcome per metric.
func SLAEvents(e ticket.Event, r *sla.Result) []metrics.Event {
	return appendSLAEvents(nil, e.TicketID.String(), e.At, r)
}

// appendSLAEvents appends SLAEvents(e, r) to out; id is e.TicketID as text and at is e.At.
func appendSLAEvents(out []metrics.Event, id string, at time.Time, r *sla.Result) []metrics.Event {
	for i := range r.Clocks {
		c := &r.Clocks[i]
		k := metrics.EventSLAMet
		switch {
		case !c.Tracked():
			continue
		case c.Outcome == sla.Breached || c.BreachedCycles > 0:
			k = metrics.EventSLABreached
		case c.Outcome != sla.Met:
			continue
		}
		out = append(out, metrics.Event{TicketID: id, At: at, Kind: k, Field: string(metricsSLA(c.Metric))})
	}
	return out
}

// metricsSLA names an sla clock as the metrics package does.
func metricsSLA(m sla.Metric) metrics.SLAMetric {
	switch m {
	case sla.FirstResponse:
		return metrics.SLAFirstResponse
	case sla.NextResponse:
		return metrics.SLANextResponse
	case sla.PeriodicUpdate:
		return metrics.SLAPeriodicUpdate
	}
	return metrics.SLAResolution
}

func metricsActor(k ticket.ActorKind) metrics.ActorKind {
	switch k {
	case ticket.ActorAgent:
		return metrics.ActorAgent
	case ticket.ActorCustomer:
		return metrics.ActorCustomer
	}
	return metrics.ActorSystem
}

// handle keeps the ticket's handle-time segment in the metrics builder in step with the
// ticket right after event e (t carries its assignee and status then, see follower.step;
// running tells whether a segment ran before e):
// a segment runs while the ticket has an assignee and an open status (new or open), and
// ends when it is set pending, on hold, solved or closed, or unassigned. Reassigning an
// open ticket keeps the segment running. Every Desk reads the same log the same way, so a
// Desk that applies a write it did not make derives the same segments as the one that
// made it; a write whose events start and then end a segment leaves one of zero length.
func (d *Desk) handle(log *logView, id string, e *ticket.Event, t *ticket.Ticket, running bool) {
	working := isWorking(t.Assignee, t.Status)
	kind := metrics.EventWorkStarted
	switch {
	case working == running:
		return
	case running:
		kind = metrics.EventWorkStopped
	}
	d.record(log, e, metrics.Event{TicketID: id, At: e.At, Kind: kind, Actor: metricsActor(e.Actor.Kind)})
}

// isWorking reports whether a ticket with this assignee and status counts handle time.
func isWorking(assignee string, s ticket.Status) bool {
	return assignee != "" && s.Category() == ticket.CategoryOpen
}
