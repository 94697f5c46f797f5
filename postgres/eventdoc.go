package postgres

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/ticket"
)

// storedEvent is ticket.Event as the events table stores it: the same fields under the
// same names, each left out when zero. Most of an event's fields are zero for its kind, so
// the document is about a third of the full one, and reading a log, which decodes every
// event into a ticket.Event (where a missing field stays zero), costs PostgreSQL and the
// reader that much less. Rows written in the full form read the same.
type storedEvent struct {
	TicketID     uuid.UUID        `json:",omitzero"`
	Seq          int64            `json:",omitzero"`
	Kind         ticket.EventKind `json:",omitzero"`
	At           time.Time        `json:",omitzero"`
	ClampedFrom  time.Time        `json:",omitzero"`
	Actor        ticket.Actor     `json:",omitzero"`
	FromStatus   ticket.Status    `json:",omitzero"`
	ToStatus     ticket.Status    `json:",omitzero"`
	FromPriority ticket.Priority  `json:",omitzero"`
	ToPriority   ticket.Priority  `json:",omitzero"`
	FromAssignee string           `json:",omitzero"`
	ToAssignee   string           `json:",omitzero"`
	FromGroup    string           `json:",omitzero"`
	ToGroup      string           `json:",omitzero"`
	FromLine     int              `json:",omitzero"`
	ToLine       int              `json:",omitzero"`
	Field        string           `json:",omitzero"`
	FromValue    string           `json:",omitzero"`
	ToValue      string           `json:",omitzero"`
	TagsAdded    []string         `json:",omitzero"`
	TagsRemoved  []string         `json:",omitzero"`
	CommentID    uuid.UUID        `json:",omitzero"`
	Public       bool             `json:",omitzero"`
	AuthorKind   ticket.ActorKind `json:",omitzero"`
	Link         ticket.Link      `json:",omitzero"`
	Other        uuid.UUID        `json:",omitzero"`
	Channel      ticket.Channel   `json:",omitzero"`
	Type         ticket.Type      `json:",omitzero"`
	CSAT         int              `json:",omitzero"`
	CES          int              `json:",omitzero"`
	Reason       string           `json:",omitzero"`
}

// eventDoc is the document the events table stores for e.
func eventDoc(e ticket.Event) ([]byte, error) {
	d, err := json.Marshal(storedEvent(e))
	if err != nil {
		return nil, fmt.Errorf("postgres: event: %w", err)
	}
	return d, nil
}
