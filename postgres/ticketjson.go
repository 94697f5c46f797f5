package postgres

import (
	"encoding/json"
	"fmt"
	"sync"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/ticket"
)

// decodeTicketDoc decodes a ticket's document as encoding/json does, the way decodeEvents
// decodes events: without reflection for the documents storedTicket makes, else through
// encoding/json. intern is shared as decodeEvents shares it.
func decodeTicketDoc(data []byte, intern map[string]string) (ticket.Ticket, error) {
	d := eventDecoder{b: data, intern: intern}
	var t ticket.Ticket
	if d.ticket(&t) && d.end() {
		return t, nil
	}
	t = ticket.Ticket{}
	if err := json.Unmarshal(data, &t); err != nil {
		return ticket.Ticket{}, fmt.Errorf("postgres: decode ticket: %w", err)
	}
	return t, nil
}

// ticket reads a ticket document into t, which must be zero.
func (d *eventDecoder) ticket(t *ticket.Ticket) bool {
	return d.once(func(key []byte) (uint64, bool) { return d.ticketField(t, key) })
}

// ticketField reads the value of the ticket field named key into t and returns the field's
// bit.
func (d *eventDecoder) ticketField(t *ticket.Ticket, key []byte) (uint64, bool) {
	switch string(key) {
	case "ID":
		return 1 << 0, d.id(&t.ID)
	case "Tenant":
		return 1 << 1, d.plain(&t.Tenant)
	case "Number":
		return 1 << 2, d.plain(&t.Number)
	case "Subject":
		return 1 << 3, d.plain(&t.Subject)
	case "Requester":
		return 1 << 4, d.requester(&t.Requester)
	case "Channel":
		return 1 << 5, enum(d, &t.Channel)
	case "Type":
		return 1 << 6, enum(d, &t.Type)
	case "Impact":
		return 1 << 7, enum(d, &t.Impact)
	case "Urgency":
		return 1 << 8, enum(d, &t.Urgency)
	case "Priority":
		return 1 << 9, enum(d, &t.Priority)
	case "PriorityExplicit":
		return 1 << 10, d.bool(&t.PriorityExplicit)
	case "Status":
		return 1 << 11, enum(d, &t.Status)
	case "Assignee":
		return 1 << 12, d.plain(&t.Assignee)
	case "Group":
		return 1 << 13, d.plain(&t.Group)
	case "Line":
		return 1 << 14, d.small(&t.Line)
	case "Tags":
		return 1 << 15, d.strs(&t.Tags)
	case "Fields":
		return 1 << 16, d.fields(&t.Fields)
	case "Language":
		return 1 << 17, d.language(&t.Language)
	case "LanguageDetected":
		return 1 << 18, d.bool(&t.LanguageDetected)
	case "Problem":
		return 1 << 19, d.id(&t.Problem)
	case "Links":
		return 1 << 20, d.links(&t.Links)
	case "Satisfaction":
		return 1 << 21, d.rating(&t.Satisfaction)
	}
	return d.ticketTail(t, key)
}

// ticketTail is ticketField for the fields after Satisfaction.
func (d *eventDecoder) ticketTail(t *ticket.Ticket, key []byte) (uint64, bool) {
	switch string(key) {
	case "CreatedAt":
		return 1 << 22, d.at(&t.CreatedAt)
	case "UpdatedAt":
		return 1 << 23, d.at(&t.UpdatedAt)
	case "SolvedAt":
		return 1 << 24, d.at(&t.SolvedAt)
	case "ClosedAt":
		return 1 << 25, d.at(&t.ClosedAt)
	case "Version":
		return 1 << 26, d.int(&t.Version)
	case "CommentCount":
		return 1 << 27, d.small(&t.CommentCount)
	case "LastEventSeq":
		return 1 << 28, d.int(&t.LastEventSeq)
	}
	return 0, false
}

// plain reads a string value into dst.
func (d *eventDecoder) plain(dst *string) bool {
	s, ok := d.str()
	*dst = s
	return ok
}

// language reads a language tag as its UnmarshalText, which encoding/json calls, reads it.
func (d *eventDecoder) language(dst *language.Tag) bool {
	s, ok := d.raw()
	if !ok {
		return false
	}
	if tag, ok := tags.get(s); ok {
		*dst = tag
		return true
	}
	if dst.UnmarshalText(s) != nil {
		return false
	}
	tags.add(s, *dst)
	return true
}

// tags holds the language tags read so far, by their text: a store's tickets name few
// languages, and reading a tag's text anew allocates.
var tags tagCache

// maxTags bounds tagCache: past it, tags are read anew each time.
const maxTags = 256

type tagCache struct {
	mu   sync.RWMutex
	tags map[string]language.Tag
}

func (c *tagCache) get(text []byte) (language.Tag, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	tag, ok := c.tags[string(text)]
	return tag, ok
}

func (c *tagCache) add(text []byte, tag language.Tag) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tags == nil {
		c.tags = make(map[string]language.Tag)
	}
	if len(c.tags) < maxTags {
		c.tags[string(text)] = tag
	}
}

func (d *eventDecoder) requester(r *ticket.Requester) bool {
	return d.once(func(key []byte) (bit uint64, ok bool) {
		switch string(key) {
		case "ID":
			bit, ok = 1, d.plain(&r.ID)
		case "Name":
			bit, ok = 2, d.plain(&r.Name)
		case "Email":
			bit, ok = 4, d.plain(&r.Email)
		case "Language":
			bit, ok = 8, d.language(&r.Language)
		case "Organization":
			bit, ok = 16, d.plain(&r.Organization)
		}
		return bit, ok
	})
}

func (d *eventDecoder) rating(r *ticket.Rating) bool {
	return d.once(func(key []byte) (bit uint64, ok bool) {
		switch string(key) {
		case "CSAT":
			bit, ok = 1, d.small(&r.CSAT)
		case "CES":
			bit, ok = 2, d.small(&r.CES)
		case "Comment":
			bit, ok = 4, d.plain(&r.Comment)
		}
		return bit, ok
	})
}

// fields reads an object of texts; {} is an empty map, as encoding/json makes it. A key
// given twice is refused (encoding/json keeps the last).
func (d *eventDecoder) fields(dst *map[string]string) bool {
	out := map[string]string{}
	ok := d.object(func(key []byte) bool {
		k := string(key)
		if _, dup := out[k]; dup {
			return false
		}
		v, ok := d.str()
		out[k] = v
		return ok
	})
	*dst = out
	return ok
}

// links reads an array of links; [] is an empty slice, as encoding/json makes it.
func (d *eventDecoder) links(dst *[]ticket.Link) bool {
	if !d.next('[') {
		return false
	}
	out := []ticket.Link{}
	if !d.next(']') {
		for {
			out = append(out, ticket.Link{})
			if !d.link(&out[len(out)-1]) {
				return false
			}
			if d.next(']') {
				break
			}
			if !d.next(',') {
				return false
			}
		}
	}
	*dst = out
	return true
}
