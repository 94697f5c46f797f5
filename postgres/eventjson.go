package postgres

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/ticket"
)

// Reading a log decodes every event of it, and a Desk that restarts reads every log of the
// store: the events table's documents are decoded here without reflection. The decoder
// knows the documents storedEvent makes (under their exact names, each at most once, no
// null) and gives up on anything else; the document is then decoded by encoding/json, so
// that every document reads as encoding/json reads it, the fast way or not.

// decodeEvents decodes a JSON array of event documents into buf's array after its length,
// returning buf extended and the events: the part of it past buf's length, with no room
// to grow (or, for a text only encoding/json reads, a slice of its own, buf unchanged).
// Short texts are taken from intern when it holds them, and added to it (when not nil)
// when it does not, so that the events of many logs share them.
func decodeEvents(buf []ticket.Event, data []byte, intern map[string]string) ([]ticket.Event, []ticket.Event, error) {
	d := eventDecoder{b: data, intern: intern}
	if out, ok := d.array(buf); ok {
		if out == nil {
			return nil, []ticket.Event{}, nil // "[]" as encoding/json reads it
		}
		return out, out[len(buf):len(out):len(out)], nil
	}
	var out []ticket.Event
	if err := json.Unmarshal(data, &out); err != nil {
		return buf, nil, fmt.Errorf("decode events: %w", err)
	}
	return buf, out, nil
}

// decodeEvent decodes one event document.
func decodeEvent(data []byte) (ticket.Event, error) {
	d := eventDecoder{b: data}
	var e ticket.Event
	if d.event(&e) && d.end() {
		return e, nil
	}
	e = ticket.Event{}
	if err := json.Unmarshal(data, &e); err != nil {
		return ticket.Event{}, fmt.Errorf("decode event: %w", err)
	}
	return e, nil
}

// eventDecoder reads event documents from b at i. Its methods report false when the text
// is not what they know; the caller then decodes the whole text with encoding/json.
type eventDecoder struct {
	b      []byte
	i      int
	intern map[string]string // the short texts decoded so far; nil: none are shared
}

// array appends the events of the array at i to out.
func (d *eventDecoder) array(out []ticket.Event) ([]ticket.Event, bool) {
	if !d.next('[') {
		return nil, false
	}
	out = slices.Grow(out, bytes.Count(d.b, []byte(`"Seq"`)))
	if d.next(']') {
		return out, d.end()
	}
	for {
		out = append(out, ticket.Event{})
		if !d.event(&out[len(out)-1]) {
			return nil, false
		}
		if d.next(']') {
			return out, d.end()
		}
		if !d.next(',') {
			return nil, false
		}
	}
}

// end reports whether only white space is left.
func (d *eventDecoder) end() bool {
	d.space()
	return d.i == len(d.b)
}

func (d *eventDecoder) space() {
	for d.i < len(d.b) && (d.b[d.i] == ' ' || d.b[d.i] == '\n' || d.b[d.i] == '\t' || d.b[d.i] == '\r') {
		d.i++
	}
}

// next skips white space and then c, reporting whether c was there.
func (d *eventDecoder) next(c byte) bool {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// object reads an object whose keys are plain strings, calling field for each key with the
// decoder before the key's value; field reads the value.
func (d *eventDecoder) object(field func(key []byte) bool) bool {
	if !d.next('{') {
		return false
	}
	if d.next('}') {
		return true
	}
	for {
		key, ok := d.raw()
		if !ok || !d.next(':') {
			return false
		}
		d.space()
		if !field(key) {
			return false
		}
		if d.next('}') {
			return true
		}
		if !d.next(',') {
			return false
		}
	}
}

// once reads an object as object does, where field reads a key's value and returns the
// key's own bit; an unknown key (bit 0), a failed read or a key seen twice fails the read,
// which sends the document to encoding/json.
func (d *eventDecoder) once(field func(key []byte) (uint64, bool)) bool {
	var seen uint64
	return d.object(func(key []byte) bool {
		bit, ok := field(key)
		ok = ok && bit != 0 && seen&bit == 0
		seen |= bit
		return ok
	})
}

// raw reads a string without escapes and returns its bytes, which must be valid UTF-8.
func (d *eventDecoder) raw() ([]byte, bool) {
	d.space()
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return nil, false
	}
	n := bytes.IndexByte(d.b[d.i+1:], '"')
	if n < 0 {
		return nil, false
	}
	s := d.b[d.i+1 : d.i+1+n]
	ascii := true
	for _, c := range s {
		if c == '\\' || c < 0x20 {
			return nil, false
		}
		ascii = ascii && c < utf8.RuneSelf
	}
	d.i += n + 2
	return s, ascii || utf8.Valid(s)
}

// str reads a string value; short ones are shared.
func (d *eventDecoder) str() (string, bool) {
	s, ok := d.raw()
	if !ok {
		return "", false
	}
	if len(s) > 40 {
		return string(s), true
	}
	if v, ok := d.intern[string(s)]; ok {
		return v, true
	}
	v := string(s)
	if d.intern != nil {
		d.intern[v] = v
	}
	return v, true
}

func (d *eventDecoder) id(dst *uuid.UUID) bool {
	s, ok := d.raw()
	return ok && dst.UnmarshalText(s) == nil
}

// int reads an integer as JSON writes it: an optional minus, then 0 or digits that do not
// start with 0.
func (d *eventDecoder) int(dst *int64) bool {
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	digits := d.i
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		d.i++
	}
	if d.i == digits || d.b[digits] == '0' && d.i > digits+1 {
		return false
	}
	v, err := strconv.ParseInt(string(d.b[start:d.i]), 10, 64)
	*dst = v
	return err == nil
}

func (d *eventDecoder) small(dst *int) bool {
	var v int64
	ok := d.int(&v) && v == int64(int(v))
	*dst = int(v)
	return ok
}

func (d *eventDecoder) bool(dst *bool) bool {
	switch {
	case bytes.HasPrefix(d.b[d.i:], []byte("true")):
		*dst, d.i = true, d.i+4
	case bytes.HasPrefix(d.b[d.i:], []byte("false")):
		*dst, d.i = false, d.i+5
	default:
		return false
	}
	return true
}

// strs reads an array of strings; [] is an empty slice, as encoding/json makes it.
func (d *eventDecoder) strs(dst *[]string) bool {
	if !d.next('[') {
		return false
	}
	out := []string{}
	if !d.next(']') {
		for {
			s, ok := d.str()
			if !ok {
				return false
			}
			out = append(out, s)
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

// at reads a time as time.Time's UnmarshalJSON does, which is what encoding/json calls.
func (d *eventDecoder) at(dst interface{ UnmarshalJSON([]byte) error }) bool {
	start := d.i
	if _, ok := d.raw(); !ok {
		return false
	}
	return dst.UnmarshalJSON(d.b[start:d.i]) == nil
}

func (d *eventDecoder) actor(a *ticket.Actor) bool {
	return d.once(func(key []byte) (bit uint64, ok bool) {
		switch string(key) {
		case "Kind":
			bit = 1
			ok = enum(d, &a.Kind)
		case "ID":
			bit = 2
			a.ID, ok = d.str()
		case "Name":
			bit = 4
			a.Name, ok = d.str()
		}
		return bit, ok
	})
}

func (d *eventDecoder) link(l *ticket.Link) bool {
	return d.once(func(key []byte) (bit uint64, ok bool) {
		switch string(key) {
		case "Kind":
			bit = 1
			ok = enum(d, &l.Kind)
		case "Target":
			bit = 2
			ok = d.id(&l.Target)
		}
		return bit, ok
	})
}

// event reads one event document into e, which must be zero.
func (d *eventDecoder) event(e *ticket.Event) bool {
	return d.once(func(key []byte) (uint64, bool) { return d.field(e, key) })
}

// field reads the value of the field named key into e and returns the field's bit.
func (d *eventDecoder) field(e *ticket.Event, key []byte) (uint64, bool) {
	if bit, ok := d.text(e, key); bit != 0 {
		return bit, ok
	}
	switch string(key) {
	case "TicketID":
		return 1 << 0, d.id(&e.TicketID)
	case "Seq":
		return 1 << 1, d.int(&e.Seq)
	case "At":
		return 1 << 2, d.at(&e.At)
	case "ClampedFrom":
		return 1 << 3, d.at(&e.ClampedFrom)
	case "Actor":
		return 1 << 4, d.actor(&e.Actor)
	case "FromLine":
		return 1 << 5, d.small(&e.FromLine)
	case "ToLine":
		return 1 << 6, d.small(&e.ToLine)
	case "TagsAdded":
		return 1 << 7, d.strs(&e.TagsAdded)
	case "TagsRemoved":
		return 1 << 8, d.strs(&e.TagsRemoved)
	case "CommentID":
		return 1 << 9, d.id(&e.CommentID)
	case "Public":
		return 1 << 10, d.bool(&e.Public)
	case "Link":
		return 1 << 11, d.link(&e.Link)
	case "Other":
		return 1 << 12, d.id(&e.Other)
	case "CSAT":
		return 1 << 13, d.small(&e.CSAT)
	case "CES":
		return 1 << 14, d.small(&e.CES)
	}
	return 0, false
}

// text reads the value of a text field of e named key and returns the field's bit; 0 when
// key names no text field.
func (d *eventDecoder) text(e *ticket.Event, key []byte) (uint64, bool) {
	var dst *string
	var bit uint64
	switch string(key) {
	case "Kind":
		return 1 << 20, enum(d, &e.Kind)
	case "FromStatus":
		return 1 << 21, enum(d, &e.FromStatus)
	case "ToStatus":
		return 1 << 22, enum(d, &e.ToStatus)
	case "FromPriority":
		return 1 << 23, enum(d, &e.FromPriority)
	case "ToPriority":
		return 1 << 24, enum(d, &e.ToPriority)
	case "AuthorKind":
		return 1 << 25, enum(d, &e.AuthorKind)
	case "Channel":
		return 1 << 26, enum(d, &e.Channel)
	case "Type":
		return 1 << 27, enum(d, &e.Type)
	case "FromAssignee":
		dst, bit = &e.FromAssignee, 1<<28
	case "ToAssignee":
		dst, bit = &e.ToAssignee, 1<<29
	case "FromGroup":
		dst, bit = &e.FromGroup, 1<<30
	case "ToGroup":
		dst, bit = &e.ToGroup, 1<<31
	case "Field":
		dst, bit = &e.Field, 1<<32
	case "FromValue":
		dst, bit = &e.FromValue, 1<<33
	case "ToValue":
		dst, bit = &e.ToValue, 1<<34
	case "Reason":
		dst, bit = &e.Reason, 1<<35
	default:
		return 0, false
	}
	v, ok := d.str()
	*dst = v
	return bit, ok
}

// enum reads a value of one of the ticket package's enumerations, which accept "" and the
// values Valid accepts (their UnmarshalText, which encoding/json calls, refuses the others).
func enum[T interface {
	~string
	Valid() bool
}](d *eventDecoder, dst *T) bool {
	s, ok := d.str()
	*dst = T(s)
	return ok && (s == "" || (*dst).Valid())
}
