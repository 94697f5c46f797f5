package ticket

import (
	"context"

	"github.com/google/uuid"
)

// Merge folds ticket source into ticket target in one atomic write. The source gets an
// internal note naming the target, a LinkMergedInto link and is closed; the target gets an
// internal note whose Refs list every comment of the source, and a LinkMergedFrom link. Both
// record EventMerged. It returns the target as stored. The notes are the actor's, and as
// with Comment, customers and bots cannot write internal notes, so they cannot merge.
// Errors: ErrInvalid (merging a ticket into itself, or a customer or bot merging),
// ErrNotFound, ErrClosed (either ticket closed), ErrConflict after MaxRetries.
func (s *Service) Merge(ctx context.Context, actor Actor, source, target uuid.UUID) (Ticket, error) {
	if source == target {
		return Ticket{}, invalid("target", "a ticket cannot merge into itself")
	}
	ts, err := s.mutate(ctx, actor, ActionMerge, []uuid.UUID{source, target}, false, func(es []*edit) error {
		// Checked once both tickets are known readable, so that the refusal reveals nothing.
		if err := checkNoteAuthor("actor", actor, false); err != nil {
			return err
		}
		src, dst := es[0], es[1]
		comments, err := s.store.Comments(ctx, src.t.ID)
		if err != nil {
			return err
		}
		refs := make([]uuid.UUID, len(comments))
		for i, c := range comments {
			refs[i] = c.ID
		}
		if _, err := s.appendComment(src, actor, false, "Merged into "+dst.t.Number+".", nil, nil); err != nil {
			return err
		}
		if _, err := s.appendComment(dst, actor, false, mergeNote(src.t.Number, src.t.Subject), nil, refs); err != nil {
			return err
		}
		merge(src, LinkMergedInto, dst.t.ID)
		merge(dst, LinkMergedFrom, src.t.ID)
		src.forceStatus(StatusClosed, EventStatusChanged)
		return nil
	})
	if err != nil {
		return Ticket{}, err
	}
	return ts[1], nil
}

// mergeNote is the body of the note a merge adds to the target: it names the source and
// copies its subject.
func mergeNote(number, subject string) string { return "Merged from " + number + ": " + subject }

func merge(e *edit, kind LinkKind, other uuid.UUID) {
	link := Link{Kind: kind, Target: other}
	e.t.Links = append(e.t.Links, link)
	e.emit(Event{Kind: EventMerged, Link: link, Other: other})
}

// Link relates ticket id to ticket other with kind, recording the link on id and its inverse
// on other (unless other is closed: closed tickets never change). LinkCausedBy also sets id's
// Problem; LinkCauses sets other's. Linking twice the same way changes nothing. The merge kinds
// are reserved for Merge. A directed kind is refused (ErrInvalid) when the two tickets are
// already linked the other way round (id the parent of other, then id its child; id caused by
// other, then id causing it), which would make each the other's parent, problem or
// original. Errors: ErrInvalid, ErrNotFound, ErrClosed (id closed), ErrConflict after
// MaxRetries.
func (s *Service) Link(ctx context.Context, actor Actor, id uuid.UUID, kind LinkKind, other uuid.UUID) (Ticket, error) {
	switch {
	case !kind.Valid():
		return Ticket{}, invalid("kind", "unknown link kind "+quote(kind))
	case kind == LinkMergedInto || kind == LinkMergedFrom:
		return Ticket{}, invalid("kind", "merge links are made by Merge")
	case id == other:
		return Ticket{}, invalid("other", "a ticket cannot link to itself")
	}
	ts, err := s.mutate(ctx, actor, ActionUpdate, []uuid.UUID{id, other}, true, func(es []*edit) error {
		a, b := es[0], es[1]
		if a.t.Status == StatusClosed {
			return &ClosedError{ID: a.t.ID, Number: a.t.Number}
		}
		if kind != LinkRelated && (contains(a.t.Links, Link{Kind: kind.Inverse(), Target: b.t.ID}) ||
			contains(b.t.Links, Link{Kind: kind, Target: a.t.ID})) {
			return invalid("kind", "the tickets are already linked the other way round")
		}
		addLink(a, kind, b.t.ID)
		if b.t.Status != StatusClosed {
			addLink(b, kind.Inverse(), a.t.ID)
		}
		return nil
	})
	return first(ts, err)
}

func addLink(e *edit, kind LinkKind, other uuid.UUID) {
	link := Link{Kind: kind, Target: other}
	if contains(e.t.Links, link) {
		return
	}
	e.t.Links = append(e.t.Links, link)
	e.emit(Event{Kind: EventLinked, Link: link, Other: other})
	if kind == LinkCausedBy && e.t.Problem != other {
		e.emit(Event{Kind: EventFieldChanged, Field: "problem", FromValue: idString(e.t.Problem), ToValue: other.String()})
		e.t.Problem = other
	}
}

func idString(id uuid.UUID) string {
	if id == uuid.Nil {
		return ""
	}
	return id.String()
}
