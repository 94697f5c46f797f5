package ticket

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// Comment is a message on a ticket: a public reply the customer sees, or an internal note
// only agents see.
type Comment struct {
	ID          uuid.UUID
	TicketID    uuid.UUID
	Seq         int // 1, 2, ... in the order the ticket received them
	Author      Actor
	Public      bool // false: an internal note, never shown to the customer
	Body        string
	Attachments []Attachment
	// Refs lists comments this one stands for; a merge adds one note to the target that refers
	// to every comment of the source.
	Refs      []uuid.UUID
	Key       string // the idempotency key it was added with; "" for none
	CreatedAt time.Time
}

// Attachment is metadata of a file the host stores; the package keeps no blobs.
type Attachment struct {
	Name        string
	Size        int64
	ContentType string
	URL         string // where the host serves it
}

// Clone returns a deep copy of c.
func (c Comment) Clone() Comment {
	c.Attachments = slices.Clone(c.Attachments)
	c.Refs = slices.Clone(c.Refs)
	return c
}
