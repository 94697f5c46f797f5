package ticket

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// Comment is a message on a ticket: a public reply the customer sees, or an internal note
// only agents see.
type Comment struct {
	ID          uuid.UUID    // from Config.NewID
	TicketID    uuid.UUID    // the ticket it belongs to
	Seq         int          // 1, 2, ... in the order the ticket received them
	Author      Actor        // who wrote it; a merge note's author is the actor who merged
	Public      bool         // false: an internal note, never shown to the customer
	Body        string       // the text; empty only for a description that only carries attachments
	Attachments []Attachment // files in the order given; nil when none
	// Refs lists comments this one stands for; a merge adds one note to the target that refers
	// to every comment of the source.
	Refs      []uuid.UUID
	Key       string    // the idempotency key it was added with; "" for none
	CreatedAt time.Time // the time of the change that added it (its EventCommented's At)
}

// Attachment is metadata of a file the host stores; the package keeps no blobs.
type Attachment struct {
	Name        string // the file name shown; required, at most 255 characters
	Size        int64  // in bytes; not negative
	ContentType string // a MIME type such as "image/png"; optional
	URL         string // where the host serves it
}

// Clone returns a deep copy of c.
func (c Comment) Clone() Comment {
	c.Attachments = slices.Clone(c.Attachments)
	c.Refs = slices.Clone(c.Refs)
	return c
}
