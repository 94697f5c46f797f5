package ticket

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// EventKind names what an event records.
type EventKind string

// Event kinds. The comment on each lists the Event fields it sets besides the common ones
// (TicketID, Seq, Kind, At, Actor).
const (
	// EventCreated: ToStatus, ToPriority, ToAssignee, ToGroup, ToLine, Channel, Type; Other
	// is the closed ticket when this one is its follow-up; Reason is PriorityByHand or
	// PriorityDerived, as on EventPriorityChanged; CommentID is the description's comment
	// (the EventCommented that Create writes for it carries the same ID), nil without one.
	EventCreated EventKind = "created"
	// EventStatusChanged: FromStatus, ToStatus (solved and closed are status changes too).
	EventStatusChanged EventKind = "status_changed"
	// EventReopened: FromStatus (pending or solved), ToStatus (open): a customer's public
	// reply to a pending or solved ticket, Reopen, or any other move from solved to open.
	EventReopened EventKind = "reopened"
	// EventPriorityChanged: FromPriority, ToPriority, and Reason: PriorityByHand when the
	// new priority was set by hand (Ticket.PriorityExplicit), PriorityDerived when it follows
	// impact and urgency. FromPriority equals ToPriority when only that changed: the current
	// priority was pinned by hand, or a hand-set one was released and derives the same.
	EventPriorityChanged EventKind = "priority_changed"
	// EventAssigneeChanged: FromAssignee, ToAssignee.
	EventAssigneeChanged EventKind = "assignee_changed"
	// EventGroupChanged: FromGroup, ToGroup.
	EventGroupChanged EventKind = "group_changed"
	// EventEscalated: FromLine, ToLine, FromGroup, ToGroup, Reason.
	EventEscalated EventKind = "escalated"
	// EventTagsChanged: TagsAdded, TagsRemoved.
	EventTagsChanged EventKind = "tags_changed"
	// EventFieldChanged: Field, FromValue, ToValue. Field is a custom field's name, or one of
	// "subject", "type", "impact", "urgency", "language", "problem".
	EventFieldChanged EventKind = "field_changed"
	// EventCommented: CommentID, Public, AuthorKind.
	EventCommented EventKind = "commented"
	// EventMerged: Other; on the source (closed by the merge) Link.Kind is LinkMergedInto, on
	// the target LinkMergedFrom.
	EventMerged EventKind = "merged"
	// EventLinked: Link.
	EventLinked EventKind = "linked"
	// EventRated: CSAT (1–5, or 0), CES (1–7, or 0), Reason holds the customer's comment.
	EventRated EventKind = "rated"
	// EventErased: no other field. It records that personal data was erased from the ticket,
	// its comments and its earlier events (see Eraser), not what was erased; Actor is who
	// erased it.
	EventErased EventKind = "erased"
)

// Reasons an EventCreated or EventPriorityChanged gives for the priority it records.
const (
	// PriorityByHand: the priority was set by hand and stays until set again.
	PriorityByHand = "priority set by hand"
	// PriorityDerived: the priority is derived from impact and urgency by the PriorityMatrix.
	PriorityDerived = "priority derived from impact and urgency"
)

func priorityReason(explicit bool) string {
	if explicit {
		return PriorityByHand
	}
	return PriorityDerived
}

// Event is one entry of a ticket's audit log. The log is append-only and complete: every
// change to a ticket writes at least one event in the same store write, and events are
// numbered 1, 2, ... per ticket in the order the changes were committed. Fields that do not
// apply to a Kind are zero. Erasure is the one rewrite the log allows: it replaces personal
// data in earlier events' text fields (actors' IDs and names, values, reasons) and appends
// an EventErased, keeping every event's Seq, Kind, At, statuses, priorities and links, so
// that timelines, counts and durations read the same before and after.
type Event struct {
	TicketID uuid.UUID // the ticket whose log holds the event
	Seq      int64     // 1, 2, ... per ticket, in commit order
	Kind     EventKind // what happened; says which fields below are set
	// At is when it happened. Within a ticket At never decreases with Seq: when
	// Config.Now reads earlier than the ticket's previous event, the event takes the
	// previous event's time and ClampedFrom keeps the reading.
	At time.Time
	// ClampedFrom is zero unless At was clamped: then it is the earlier time Config.Now
	// returned for the change (a clock stepped back, or skew between processes).
	ClampedFrom time.Time
	Actor       Actor // who did it; for EventCommented the comment's author

	// The fields below are set only by the kinds whose constant names them (see EventKind);
	// for other kinds they are zero.

	FromStatus   Status    // the status before the change
	ToStatus     Status    // the status after it (for EventCreated, the first status)
	FromPriority Priority  // the priority before the change
	ToPriority   Priority  // the priority after it (for EventCreated, the first priority)
	FromAssignee string    // the assignee before; "" for none
	ToAssignee   string    // the assignee after; "" for none
	FromGroup    string    // the group before; "" for none
	ToGroup      string    // the group after; "" for none
	FromLine     int       // the support line before an escalation
	ToLine       int       // the support line after an escalation, or the first line
	Field        string    // the changed field: a custom field's name or a built-in one
	FromValue    string    // the field's value before; "" when it was unset
	ToValue      string    // the field's value after; "" when it was removed
	TagsAdded    []string  // normalized tags added, sorted
	TagsRemoved  []string  // normalized tags removed, sorted
	CommentID    uuid.UUID // the comment added (EventCommented) or the description (EventCreated)
	Public       bool      // for EventCommented: the comment is a public reply
	AuthorKind   ActorKind // for EventCommented: the comment author's kind
	Link         Link      // the link made (EventLinked, EventMerged)
	Other        uuid.UUID // the other ticket of a merge, link or follow-up
	Channel      Channel   // for EventCreated: the ticket's channel
	Type         Type      // for EventCreated: the ticket's type
	CSAT         int       // for EventRated: the CSAT answer, 0 when not given
	CES          int       // for EventRated: the CES answer, 0 when not given
	// Reason is free text: the escalation's reason, the priority's PriorityByHand or
	// PriorityDerived, or the rating's comment.
	Reason string
}

// FromCategory returns the category of FromStatus ("" when unset).
func (e Event) FromCategory() StatusCategory { return e.FromStatus.Category() }

// ToCategory returns the category of ToStatus ("" when unset).
func (e Event) ToCategory() StatusCategory { return e.ToStatus.Category() }

// Clone returns a deep copy of e.
func (e Event) Clone() Event {
	e.TagsAdded = slices.Clone(e.TagsAdded)
	e.TagsRemoved = slices.Clone(e.TagsRemoved)
	return e
}

// Valid reports whether k is one of the defined event kinds.
func (k EventKind) Valid() bool {
	switch k {
	case EventCreated, EventStatusChanged, EventReopened, EventPriorityChanged, EventAssigneeChanged,
		EventGroupChanged, EventEscalated, EventTagsChanged, EventFieldChanged, EventCommented,
		EventMerged, EventLinked, EventRated, EventErased:
		return true
	}
	return false
}

// UnmarshalText sets k from a defined event kind or "": any other text gives a
// *ValidationError wrapping ErrInvalid.
func (k *EventKind) UnmarshalText(text []byte) error {
	return unmarshalEnum(k, text, "event kind", EventKind.Valid)
}
