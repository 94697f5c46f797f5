package supportkit

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/ticket"
)

// SolvedWithField is the custom field that names, as a UUID string, the knowledge-base
// article that solved a ticket. SolveWith sets it; a host may set it too (with
// ticket.Changes.Fields, a macro, or NewTicket.Fields for a ticket solved at first contact)
// before or in the write that solves the ticket. It is kept in the store like any field, so
// the Desk reads it again after a restart. It is internal unless the host lists it in
// ticket.Config.PublicFields.
const SolvedWithField = "kb_article"

// SolveWith solves ticket id with article articleID of the knowledge base: one write that
// sets SolvedWithField and the status solved, as actor. When the Desk applies the solve it
// teaches the knowledge base the customer's words (see Config.KB and kb.KB.Learn). The
// ticket needs an assignee, as for ticket.Service.Solve. Errors: ErrNotConfigured without a
// KB; an error wrapping ticket.ErrInvalid for a nil articleID; kb.ErrNotFound for an article
// the knowledge base lacks (checked before the write); the ticket service's errors
// (ticket.ErrNotFound, ticket.ErrTransition, ticket.ErrClosed...).
func (d *Desk) SolveWith(ctx context.Context, actor ticket.Actor, id, articleID uuid.UUID) (ticket.Ticket, error) {
	if d.cfg.KB == nil {
		return ticket.Ticket{}, fmt.Errorf("%w: no knowledge base", ErrNotConfigured)
	}
	if articleID == uuid.Nil {
		return ticket.Ticket{}, fmt.Errorf("%w: supportkit: the solving article is required", ticket.ErrInvalid)
	}
	if _, err := d.cfg.KB.Get(ctx, articleID); err != nil {
		return ticket.Ticket{}, err
	}
	solved := ticket.StatusSolved
	return d.tickets.Update(ctx, actor, id, ticket.Changes{
		Fields: map[string]string{SolvedWithField: articleID.String()}, Status: &solved})
}

// learnedTickets are the tickets the Desk has taught the knowledge base from: a ticket
// counts once, at its first solve that names an article, so that a ticket solved again
// after a reopening does not count its customer twice.
type learnedTickets struct {
	mu  sync.Mutex
	ids map[uuid.UUID]bool
}

// has reports whether id is learned.
func (l *learnedTickets) has(id uuid.UUID) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ids[id]
}

// drop forgets id: a closed ticket, which is never solved again.
func (l *learnedTickets) drop(id uuid.UUID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.ids, id)
	if len(l.ids) == 0 {
		l.ids = nil // a Go map keeps its buckets: start afresh once empty
	}
}

// claim reports whether id is not learned yet, and marks it learned.
func (l *learnedTickets) claim(id uuid.UUID) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ids[id] {
		return false
	}
	if l.ids == nil {
		l.ids = make(map[uuid.UUID]bool)
	}
	l.ids[id] = true
	return true
}

// learn teaches the knowledge base from e when e solves the ticket and the ticket names the
// article that solved it (SolvedWithField) as of e. t is the ticket as apply has it: as e's
// write left it, or as read later; log, when not nil, is the ticket's log. Every way the
// Desk applies events comes here, so a Desk rebuilds what it learned on Load, and learns
// what other Desks solve through Config.Feed.
//
// An erasure (ticket.EventErased) of a ticket the Desk learned from teaches the knowledge
// base the ticket's redacted words in place of the old ones (see kb.Resolution.TicketID),
// so what it learned is what a Desk loading the redacted store learns. The Desk does not
// keep which closed tickets it learned from (see release): for a closed ticket the log
// tells, as relearn reads it.
func (d *Desk) learn(ctx context.Context, e *ticket.Event, t *ticket.Ticket, log *logView) {
	if d.cfg.KB == nil {
		return
	}
	erased := e.Kind == ticket.EventErased && (t.Status == ticket.StatusClosed || d.learned.has(t.ID))
	if !erased && (e.ToStatus != ticket.StatusSolved || (e.Kind != ticket.EventCreated && e.Kind != ticket.EventStatusChanged)) {
		return
	}
	var events []ticket.Event
	if log != nil {
		events = log.events
	} else {
		var err error
		if events, err = d.tickets.Events(ctx, t.ID); d.warn(err, "kb", e) {
			return
		}
	}
	if erased {
		d.relearn(ctx, *e, *t, events)
		return
	}
	r, ok, err := d.resolution(ctx, *e, *t, events)
	if d.warn(err, "kb", e) || !ok || !d.learned.claim(t.ID) {
		return
	}
	d.warn(d.cfg.KB.Learn(ctx, r), "kb", e)
}

// relearn teaches the knowledge base the redacted words of ticket t, erased by e, in place
// of what it learned from the ticket: the resolution of its first solve that names an
// article, as learn found it. When that fails the knowledge base forgets the ticket, so
// that no word of the erased text stays.
func (d *Desk) relearn(ctx context.Context, e ticket.Event, t ticket.Ticket, events []ticket.Event) {
	for _, x := range events {
		if x.ToStatus != ticket.StatusSolved || (x.Kind != ticket.EventCreated && x.Kind != ticket.EventStatusChanged) {
			continue
		}
		r, ok, err := d.resolution(ctx, x, t, events)
		if d.warn(err, "kb", &e) {
			break
		}
		if ok {
			if d.warn(d.cfg.KB.Learn(ctx, r), "kb", &e) {
				break
			}
			return
		}
	}
	d.warn(d.cfg.KB.Forget(ctx, t.ID), "kb", &e)
}

// resolution builds the kb.Resolution of the solve e: the subject and the solving article
// as they stood right after e, the description and the customers' public comments as
// Public (without erasure marks), the internal notes as Notes (which kb never learns), At
// the solve's time and TicketID the ticket. ok is false when no valid article is named. events is the ticket's log, possibly longer than
// t's (t.LastEventSeq tells which of its events t reflects).
func (d *Desk) resolution(ctx context.Context, e ticket.Event, t ticket.Ticket, events []ticket.Event) (kb.Resolution, bool, error) {
	end := writeEnd(e, events)
	article, subject := asOf(end, t, events)
	id, err := uuid.Parse(article)
	if err != nil || id == uuid.Nil {
		return kb.Resolution{}, false, nil
	}
	comments, err := d.tickets.Comments(ctx, t.ID)
	if err != nil {
		return kb.Resolution{}, false, err
	}
	bodies := make(map[uuid.UUID]string, len(comments))
	for _, c := range comments {
		bodies[c.ID] = c.Body
	}
	r := kb.Resolution{ArticleID: id, TicketID: t.ID, Language: t.Language, Public: []string{unerased(subject)}, At: e.At}
	description := uuid.Nil
	for _, x := range events {
		switch {
		case x.Seq > end:
		case x.Kind == ticket.EventCreated:
			description = x.CommentID
		case x.Kind != ticket.EventCommented:
		case x.Public && (x.CommentID == description || x.AuthorKind == ticket.ActorCustomer):
			r.Public = append(r.Public, unerased(bodies[x.CommentID]))
		case !x.Public:
			r.Notes = append(r.Notes, bodies[x.CommentID])
		}
	}
	return r, true, nil
}

// unerased returns text without the marks an erasure left (ticket.Erased), which are no
// customer's words.
func unerased(text string) string {
	return strings.ReplaceAll(text, ticket.Erased, " ")
}

// writeEnd returns the Seq of the last event of the write that made the solve e: e itself
// for a status change (a write moves the status last), and for a ticket solved at creation
// the end of the creation write, whose field, link and description events follow
// EventCreated.
func writeEnd(e ticket.Event, events []ticket.Event) int64 {
	end := e.Seq
	if e.Kind != ticket.EventCreated {
		return end
	}
	for _, x := range events {
		switch {
		case x.Seq <= end:
			continue
		case x.Kind == ticket.EventCommented && x.CommentID == e.CommentID && e.CommentID != uuid.Nil:
			return x.Seq
		case (x.Kind == ticket.EventFieldChanged || x.Kind == ticket.EventLinked) && x.Seq == end+1 && x.At.Equal(e.At) && x.Actor == e.Actor:
			end = x.Seq
		default:
			return end
		}
	}
	return end
}

// asOf returns the solving article (SolvedWithField) and the subject of ticket t as they
// stood right after event seq: t's values with the changes of the later events t reflects
// undone.
func asOf(seq int64, t ticket.Ticket, events []ticket.Event) (article, subject string) {
	article, subject = t.Fields[SolvedWithField], t.Subject
	var articleSet, subjectSet bool
	for _, x := range events {
		if x.Seq <= seq || x.Seq > t.LastEventSeq || x.Kind != ticket.EventFieldChanged {
			continue
		}
		switch {
		case x.Field == SolvedWithField && !articleSet:
			article, articleSet = x.FromValue, true
		case x.Field == "subject" && !subjectSet:
			subject, subjectSet = x.FromValue, true
		}
	}
	return article, subject
}
