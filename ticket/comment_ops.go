package ticket

import (
	"context"
	"maps"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// NewComment is the input of Service.Comment: what is written. Who writes it is the actor
// passed to Comment, as for every other change to an existing ticket.
type NewComment struct {
	Public      bool         // a reply the customer sees; false for an internal note
	Body        string       // required, not blank; at most Config.MaxBody bytes
	Attachments []Attachment // at most 100
	// Key is an idempotency key (an email's Message-ID); "" disables the check. A comment
	// with a Key the ticket already holds is a redelivery only when the held comment has the
	// same author (the actor's kind and ID), visibility, body and attachments: it is then
	// returned and nothing is added. Any other reuse of the key gives a *KeyReuseError
	// (ErrConflict).
	Key string
}

// Comment adds a comment by actor (its Author) to ticket id and returns it. Like every
// write on an existing ticket, it takes (ctx, actor, id, what). Side effects follow the
// lifecycle: a customer's public comment on a pending or solved ticket reopens it
// (EventReopened); an agent's public reply to a new ticket opens it. A customer's public comment on a closed
// ticket creates a follow-up ticket linked to it, and the returned comment's TicketID is the
// follow-up's. With a Key the ticket (or, for a closed ticket, its follow-up) already got on
// the same comment (see NewComment.Key), the earlier comment is returned and nothing
// changes; a follow-up is found by the closed ticket and the Key together, never confused
// with a ticket a host created with that key. A Key held by a different comment gives a
// *KeyReuseError that reveals nothing of that comment, so the returned comment is always
// one its author wrote. Customers and bots cannot write internal notes. Errors: ErrInvalid,
// ErrNotFound, ErrClosed (any other comment on a closed ticket), ErrConflict (a reused Key,
// or after MaxRetries).
func (s *Service) Comment(ctx context.Context, actor Actor, id uuid.UUID, nc NewComment) (Comment, error) {
	if err := s.ready(); err != nil {
		return Comment{}, err
	}
	if err := s.checkComment(actor, nc); err != nil {
		return Comment{}, err
	}
	var added Comment
	_, err := s.mutate(ctx, actor, commentAction(nc.Public), []uuid.UUID{id}, true, func(es []*edit) error {
		e := es[0]
		if nc.Key != "" {
			if c, ok, err := s.commentByKey(ctx, e.t.ID, actor, nc); err != nil || ok {
				added = c
				return err
			}
		}
		if e.t.Status == StatusClosed {
			return &ClosedError{ID: e.t.ID, Number: e.t.Number}
		}
		c, err := s.appendComment(e, actor, nc.Public, nc.Body, nc.Attachments, nil)
		if err != nil {
			return err
		}
		c.Key = nc.Key
		e.comments[len(e.comments)-1].Key = nc.Key
		added = c
		return commentEffects(e, actor, nc.Public)
	})
	if err == nil {
		return added, nil
	}
	var closed *ClosedError
	if !asClosed(err, &closed) || actor.Kind != ActorCustomer || !nc.Public {
		return Comment{}, err
	}
	return s.followUp(ctx, actor, closed.ID, nc)
}

// commentByKey finds the ticket's comment with nc's idempotency key: the comment and true
// when it is a redelivery of nc by author, a *KeyReuseError when another comment holds the key, and
// false when none does.
func (s *Service) commentByKey(ctx context.Context, id uuid.UUID, author Actor, nc NewComment) (Comment, bool, error) {
	cs, err := s.store.Comments(ctx, id)
	if err != nil {
		return Comment{}, false, err
	}
	for _, c := range cs {
		if c.Key != nc.Key {
			continue
		}
		if !sameComment(c, author, nc) {
			return Comment{}, false, &KeyReuseError{What: "comment"}
		}
		return c, true, nil
	}
	return Comment{}, false, nil
}

func (s *Service) checkComment(actor Actor, nc NewComment) error {
	if err := checkText("key", nc.Key, 512, false); err != nil {
		return err
	}
	if err := checkActor("actor", actor); err != nil {
		return err
	}
	if err := checkNoteAuthor("public", actor, nc.Public); err != nil {
		return err
	}
	if err := checkBody("body", nc.Body, s.cfg.MaxBody); err != nil {
		return err
	}
	return checkAttachments("attachments", nc.Attachments)
}

// checkNoteAuthor refuses an internal note (public false) by a customer or a bot.
func checkNoteAuthor(field string, author Actor, public bool) error {
	if !public && (author.Kind == ActorCustomer || author.Kind == ActorBot) {
		return invalid(field, "only agents and the system write internal notes")
	}
	return nil
}

// commentEffects moves the status as a comment by author of the given visibility does.
func commentEffects(e *edit, author Actor, public bool) error {
	if !public {
		return nil
	}
	switch {
	case author.Kind == ActorCustomer && (e.t.Status == StatusPending || e.t.Status == StatusSolved):
		return e.setStatus(StatusOpen, EventReopened)
	case author.Kind == ActorAgent && e.t.Status == StatusNew:
		return e.setStatus(StatusOpen, EventStatusChanged)
	}
	return nil
}

// followUp creates a ticket continuing closed ticket id, with the comment author wrote as its
// description, and returns that comment. The follow-up's creation key is derived from the
// closed ticket and the comment's key (see followUpKey), so a redelivered reply finds the
// follow-up it created before and never a ticket a host created with the same key; the same
// key on another reply (another author or body) gives a *KeyReuseError. The follow-up takes
// the closed ticket's triage and language; a language that was only guessed is guessed
// again from the reply.
func (s *Service) followUp(ctx context.Context, author Actor, id uuid.UUID, nc NewComment) (Comment, error) {
	old, err := s.ticket(ctx, id)
	if err != nil {
		return Comment{}, err
	}
	lang := old.Language
	if old.LanguageDetected {
		lang = language.Und
	}
	priority := Priority("")
	if old.PriorityExplicit {
		priority = old.Priority
	}
	t, err := s.create(ctx, NewTicket{
		Key: nc.Key, Subject: old.Subject, Description: nc.Body, Attachments: nc.Attachments,
		Requester: old.Requester, Author: author, Channel: old.Channel, Type: old.Type,
		Impact: old.Impact, Urgency: old.Urgency, Priority: priority, Group: old.Group,
		Line: old.Line, Tags: old.Tags, Fields: maps.Clone(old.Fields),
		Language: lang, FollowUpOf: old.ID,
	}, true)
	if isKeyReuse(err) {
		return Comment{}, &KeyReuseError{What: "comment"}
	}
	if err != nil {
		return Comment{}, err
	}
	cs, err := s.store.Comments(ctx, t.ID)
	if err != nil {
		return Comment{}, err
	}
	// The follow-up's first comment is this reply: a follow-up found by its key was created
	// for the same author and body (its fingerprint matched).
	if len(cs) == 0 {
		return Comment{}, &NotFoundError{What: "comment", Key: "description of follow-up " + t.Number}
	}
	return cs[0], nil
}

// appendComment adds a comment and its EventCommented to the edit.
func (s *Service) appendComment(e *edit, author Actor, public bool, body string, att []Attachment, refs []uuid.UUID) (Comment, error) {
	id, err := s.newID()
	if err != nil {
		return Comment{}, err
	}
	e.t.CommentCount++
	c := Comment{
		ID: id, TicketID: e.t.ID, Seq: e.t.CommentCount, Author: author, Public: public, Body: body,
		Attachments: att, Refs: refs, CreatedAt: e.now,
	}
	e.comments = append(e.comments, c.Clone())
	ev := Event{Kind: EventCommented, CommentID: id, Public: public, AuthorKind: author.Kind}
	saved := e.actor
	e.actor = author
	e.emit(ev)
	e.actor = saved
	return c, nil
}
