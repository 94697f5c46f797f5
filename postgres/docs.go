package postgres

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/ticket"
)

// storedEvent is ticket.Event as the events table stores it: the same fields under the
// same names (a field added to ticket.Event must be added here, or the conversion in
// eventDoc does not compile), each left out when zero. Most of an event's fields are zero for its kind, so
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
// Characters HTML treats specially are written as they are, not escaped: the table keeps the
// text, and text without escapes is what decodeEvents reads fastest.
func eventDoc(e ticket.Event) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(storedEvent(e)); err != nil {
		return nil, fmt.Errorf("postgres: event: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// storedTicket is ticket.Ticket as the tickets table stores it in data, each field left
// out when zero, as storedEvent does for events; Tenant, Number and Version are left out
// for good, since decodeTicket reads them from their columns.
type storedTicket struct {
	ID               uuid.UUID         `json:",omitzero"`
	Tenant           string            `json:"-"`
	Number           string            `json:"-"`
	Subject          string            `json:",omitzero"`
	Requester        ticket.Requester  `json:",omitzero"`
	Channel          ticket.Channel    `json:",omitzero"`
	Type             ticket.Type       `json:",omitzero"`
	Impact           ticket.Level      `json:",omitzero"`
	Urgency          ticket.Level      `json:",omitzero"`
	Priority         ticket.Priority   `json:",omitzero"`
	PriorityExplicit bool              `json:",omitzero"`
	Status           ticket.Status     `json:",omitzero"`
	Assignee         string            `json:",omitzero"`
	Group            string            `json:",omitzero"`
	Line             int               `json:",omitzero"`
	Tags             []string          `json:",omitzero"`
	Fields           map[string]string `json:",omitzero"`
	Language         language.Tag      `json:",omitzero"`
	LanguageDetected bool              `json:",omitzero"`
	Problem          uuid.UUID         `json:",omitzero"`
	Links            []ticket.Link     `json:",omitzero"`
	Satisfaction     ticket.Rating     `json:",omitzero"`
	CreatedAt        time.Time         `json:",omitzero"`
	UpdatedAt        time.Time         `json:",omitzero"`
	SolvedAt         time.Time         `json:",omitzero"`
	ClosedAt         time.Time         `json:",omitzero"`
	Version          int64             `json:"-"`
	CommentCount     int               `json:",omitzero"`
	LastEventSeq     int64             `json:",omitzero"`
}

// ticketDoc is the document the tickets table stores for t.
func ticketDoc(t ticket.Ticket) ([]byte, error) {
	d, err := json.Marshal(storedTicket(t))
	if err != nil {
		return nil, fmt.Errorf("postgres: ticket: %w", err)
	}
	return d, nil
}
