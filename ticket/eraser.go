package ticket

import (
	"cmp"
	"context"
	"iter"
	"maps"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Eraser is the optional Store ability behind Service.Erase and Service.Export: finding the
// tickets that hold a person's data and rewriting their text in place. The Service finds it
// by type assertion; MemoryStore has it, and tickettest.TestStore checks it when a store has
// it. The same concurrency, atomicity and copy rules as Store apply.
type Eraser interface {
	// Mentioning returns, in ascending ID order, the IDs of the tenant's tickets in whose
	// stored text (every string Texts yields for the ticket, its comments and its events) one
	// of terms occurs, compared as Mentions compares them (whatever the case, spacing,
	// punctuation, compatibility form or ё/е spelling). Empty terms are ignored; no other
	// term gives an empty result. It may return a ticket that does not match (the caller
	// checks each), never miss one that does; a store may simply check every ticket of the
	// tenant with Mentions.
	Mentioning(ctx context.Context, tenant string, terms []string) ([]uuid.UUID, error)

	// Redact rewrites one ticket in place and returns it as stored. The stored ticket's
	// Version must equal r.Ticket.Version (otherwise an error wrapping ErrConflict and no
	// change); the ticket is replaced with Version+1 (its Tenant and Number never change).
	// Each of r.Comments replaces the stored comment with the same ID and each of r.Events
	// the stored event with the same Seq; r.Erased is appended. A replacement that names no
	// stored comment or event of the ticket, or changes a comment's Seq or an event's Kind,
	// and an r.Erased that is not one EventErased following the stored events, give an error
	// wrapping ErrInvalid and change nothing; a missing ticket gives ErrNotFound.
	//
	// In the same write, Redact forgets the creation key and fingerprint the ticket was
	// created with (Creation.Key and Creation.Fingerprint), whatever the redaction replaces:
	// both are digests of the requester and the request, so keeping them would let anyone
	// who guesses an address confirm it, and would hand a redelivered first message the
	// erased ticket. After Redact, a Create with that key stores a new ticket, as for a key
	// never used.
	Redact(ctx context.Context, r Redaction) (Ticket, error)
}

// Redaction is one ticket's rewrite by Eraser.Redact.
type Redaction struct {
	Ticket   Ticket    // the new state; Version is the version it was read at
	Comments []Comment // replacements for the stored comments with the same IDs
	Events   []Event   // replacements for the stored events with the same Seq
	Erased   Event     // the EventErased appended, with Seq LastEventSeq of the stored ticket + 1
}

// Texts yields every string stored for a ticket: the ticket's own (subject, requester, assignee,
// group, tags, custom field names and values, rating comment), each comment's (author ID and
// name, body, key, attachment names, content types and URLs) and each event's (actor ID and
// name, assignees, groups, field and values, tags, reason). Enumerations (status, kind, ...)
// are left out. It is what Eraser.Mentioning searches and erasure must leave clean.
func Texts(t Ticket, comments []Comment, events []Event) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, s := range ticketTexts(t) {
			if !yield(s) {
				return
			}
		}
		for _, c := range comments {
			for _, s := range commentTexts(c) {
				if !yield(s) {
					return
				}
			}
		}
		for _, e := range events {
			for _, s := range eventTexts(e) {
				if !yield(s) {
					return
				}
			}
		}
	}
}

func ticketTexts(t Ticket) []string {
	out := []string{t.Number, t.Subject, t.Requester.ID, t.Requester.Name, t.Requester.Email,
		t.Requester.Organization, t.Assignee, t.Group, t.Satisfaction.Comment}
	out = append(out, t.Tags...)
	for _, k := range slices.Sorted(maps.Keys(t.Fields)) {
		out = append(out, k, t.Fields[k])
	}
	return out
}

func commentTexts(c Comment) []string {
	out := []string{c.Author.ID, c.Author.Name, c.Body, c.Key}
	for _, a := range c.Attachments {
		out = append(out, a.Name, a.ContentType, a.URL)
	}
	return out
}

func eventTexts(e Event) []string {
	out := []string{e.Actor.ID, e.Actor.Name, e.FromAssignee, e.ToAssignee, e.FromGroup, e.ToGroup,
		e.Field, e.FromValue, e.ToValue, e.Reason}
	out = append(out, e.TagsAdded...)
	return append(out, e.TagsRemoved...)
}

// Mentions reports whether any of terms occurs in Texts(t, comments, events), as
// Eraser.Mentioning compares them: both sides NFKC-normalized, with ё written as е,
// lower-cased and stripped of everything but letters, marks and digits, so that "Семён
// Ёлкин" is found in "семен  елкин" and the phone digits "4567" in "123-45-67". A term with
// no letter or digit is compared lower-cased, as written. A store may use it to check its
// candidates.
func Mentions(t Ticket, comments []Comment, events []Event, terms []string) bool {
	var bare, raw []string
	for _, term := range terms {
		switch k := skeleton(term); {
		case term == "":
		case k != "":
			bare = append(bare, k)
		default:
			raw = append(raw, strings.ToLower(term))
		}
	}
	if len(bare)+len(raw) == 0 {
		return false
	}
	for s := range Texts(t, comments, events) {
		if s == "" {
			continue
		}
		if containsAny(skeleton(s), bare) || len(raw) > 0 && containsAny(strings.ToLower(s), raw) {
			return true
		}
	}
	return false
}

func containsAny(s string, terms []string) bool {
	for _, term := range terms {
		if strings.Contains(s, term) {
			return true
		}
	}
	return false
}

// checkRedaction checks r against the stored ticket, comments and events as Eraser.Redact
// requires, and returns for each replaced comment and event its index in the stored lists.
func checkRedaction(r Redaction, t Ticket, comments []Comment, events []Event) (map[int]int, map[int]int, error) {
	if r.Ticket.Version != t.Version {
		return nil, nil, &ConflictError{ID: t.ID, Have: r.Ticket.Version}
	}
	ci := make(map[int]int, len(r.Comments))
	for i, c := range r.Comments {
		j := slices.IndexFunc(comments, func(s Comment) bool { return s.ID == c.ID })
		if j < 0 || comments[j].Seq != c.Seq || c.TicketID != t.ID {
			return nil, nil, invalid("redaction.comments", "replaces no stored comment of the ticket")
		}
		ci[i] = j
	}
	ei := make(map[int]int, len(r.Events))
	for i, e := range r.Events {
		j, found := slices.BinarySearchFunc(events, e.Seq, func(s Event, seq int64) int { return cmp.Compare(s.Seq, seq) })
		if !found || events[j].Kind != e.Kind || e.TicketID != t.ID {
			return nil, nil, invalid("redaction.events", "replaces no stored event of the ticket")
		}
		ei[i] = j
	}
	last := int64(0)
	if len(events) > 0 {
		last = events[len(events)-1].Seq
	}
	if e := r.Erased; e.Kind != EventErased || e.Seq != last+1 || e.TicketID != t.ID || r.Ticket.LastEventSeq != e.Seq {
		return nil, nil, invalid("redaction.erased", "must be the EventErased that follows the stored events")
	}
	return ci, ei, nil
}
