package sla

import (
	"fmt"
	"time"
)

// EventKind says what happened to a ticket.
type EventKind int

// Event kinds.
const (
	// EventCreated opens the timeline; it must be the first event, and the only one.
	EventCreated EventKind = iota + 1
	// EventReply is a comment; who wrote it (Author) and whether it is Internal decide which
	// clocks it touches.
	EventReply
	// EventStatus changes the status category (Status).
	EventStatus
	// EventAttributes changes attributes such as the priority (Attributes).
	EventAttributes
	// EventSolved solves the ticket (status category solved unless Status says otherwise).
	EventSolved
	// EventReopened reopens a solved ticket (status category open unless Status says
	// otherwise).
	EventReopened
	// EventClosed closes the ticket (status category closed).
	EventClosed
)

// String returns the kind's name, such as "reply".
func (k EventKind) String() string {
	switch k {
	case EventCreated:
		return "created"
	case EventReply:
		return "reply"
	case EventStatus:
		return "status"
	case EventAttributes:
		return "attributes"
	case EventSolved:
		return "solved"
	case EventReopened:
		return "reopened"
	case EventClosed:
		return "closed"
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Author says who caused an event. Only AuthorAgent replies count as responses and only
// AuthorCustomer replies start a next-response clock.
type Author int

// Authors. The zero value is AuthorSystem, which never counts as a response.
const (
	AuthorSystem   Author = iota // the desk itself; never a response
	AuthorAgent                  // a team member; a reply not Internal is a response
	AuthorCustomer               // the customer; a reply not Internal starts a next-response clock
	AuthorBot                    // an automated responder; never a response
)

// Event is one entry of a ticket's timeline, the input of Evaluate. It carries the state
// of the ticket after the event.
type Event struct {
	// At is when it happened; it must not be zero. Timelines are in the order the events
	// happened, which should be sorted by At: an event stamped before its predecessor is
	// taken at its predecessor's time (see Evaluate).
	At time.Time
	// Kind is what happened.
	Kind EventKind
	// Author is who did it.
	Author Author
	// Internal marks a reply as an internal note: it never counts as a response.
	Internal bool
	// Status is the status category after the event. Empty means unchanged (new on
	// EventCreated, solved on EventSolved, open on EventReopened, closed on EventClosed).
	// An EventCreated with status solved or closed stops the first response and
	// resolution clocks at creation, met; with pending or on-hold the clocks start paused
	// where their targets pause in that status.
	Status Category
	// Attributes are the ticket's attributes after the event. The zero value means
	// unchanged; EventCreated should carry them.
	Attributes Attributes
}

func (e *Event) counts(a Author) bool { return e.Kind == EventReply && e.Author == a && !e.Internal }

// validateTimeline checks the content of each event. Order by time is not checked: Evaluate
// clamps an event stamped before its predecessor. Events after now are ignored later.
func validateTimeline(events []Event) error {
	if len(events) == 0 {
		return invalid("Timeline", "empty timeline: the first event must be EventCreated")
	}
	for i := range events {
		if err := validateEvent(&events[i], i); err != nil {
			return err
		}
	}
	return nil
}

// validateEvent checks e, the i-th event of a timeline.
func validateEvent(e *Event, i int) error {
	field := func(name string) string { return fmt.Sprintf("Timeline[%d].%s", i, name) }
	switch {
	case e.At.IsZero():
		return invalid(field("At"), "zero time")
	case e.Kind < EventCreated || e.Kind > EventClosed:
		return invalid(field("Kind"), "unknown event kind "+e.Kind.String())
	case e.Status != "" && !e.Status.valid():
		return invalid(field("Status"), fmt.Sprintf("unknown status category %q", e.Status))
	case e.Author < AuthorSystem || e.Author > AuthorBot:
		return invalid(field("Author"), fmt.Sprintf("unknown author kind %d", int(e.Author)))
	case i == 0 && e.Kind != EventCreated:
		return invalid(field("Kind"), "event before creation: the first event must be EventCreated")
	case i > 0 && e.Kind == EventCreated:
		return invalid(field("Kind"), "second EventCreated")
	}
	return nil
}
