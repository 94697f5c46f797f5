package ticket

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// transitions lists the statuses each status may change to. New is only a starting status;
// closed is final and is reached only from solved (or by a merge).
var transitions = map[Status][]Status{
	StatusNew:     {StatusOpen, StatusPending, StatusOnHold, StatusSolved},
	StatusOpen:    {StatusPending, StatusOnHold, StatusSolved},
	StatusPending: {StatusOpen, StatusOnHold, StatusSolved},
	StatusOnHold:  {StatusOpen, StatusPending, StatusSolved},
	StatusSolved:  {StatusOpen, StatusClosed},
}

// CanTransition reports whether the lifecycle allows changing status from to to. It does not
// check the other conditions of a change (solving needs an assignee).
func CanTransition(from, to Status) bool { return contains(transitions[from], to) }

// setStatus moves the edit to status to, checking the lifecycle, and records kind (always
// EventReopened for solved → open, whichever way it happens). Setting the current status
// changes nothing.
func (e *edit) setStatus(to Status, kind EventKind) error {
	from := e.t.Status
	if !to.Valid() {
		return invalid("status", "unknown status "+quote(to))
	}
	if to == from {
		return nil
	}
	if !CanTransition(from, to) {
		reason := ""
		if to == StatusClosed {
			reason = "only solved tickets close"
		}
		return &TransitionError{From: from, To: to, Reason: reason}
	}
	if to == StatusSolved && e.t.Assignee == "" {
		return &TransitionError{From: from, To: to, Reason: "solving needs an assignee"}
	}
	if from == StatusSolved && to == StatusOpen {
		kind = EventReopened
	}
	e.forceStatus(to, kind)
	return nil
}

// forceStatus changes the status without the lifecycle check (merges close any status).
func (e *edit) forceStatus(to Status, kind EventKind) {
	from := e.t.Status
	e.t.Status = to
	switch to {
	case StatusSolved:
		e.t.SolvedAt = e.now
	case StatusClosed:
		e.t.ClosedAt = e.now
	default:
		e.t.SolvedAt = time.Time{}
	}
	e.emit(Event{Kind: kind, FromStatus: from, ToStatus: to})
}

// Solve marks a ticket solved. It needs an assignee. Errors: ErrNotFound, ErrClosed,
// ErrTransition (*TransitionError, also when unassigned), ErrConflict after MaxRetries.
func (s *Service) Solve(ctx context.Context, actor Actor, id uuid.UUID) (Ticket, error) {
	return s.setStatus(ctx, actor, id, StatusSolved, EventStatusChanged)
}

// Close closes a solved ticket for good. Errors as Solve; a ticket that is not solved gives a
// *TransitionError.
func (s *Service) Close(ctx context.Context, actor Actor, id uuid.UUID) (Ticket, error) {
	return s.setStatus(ctx, actor, id, StatusClosed, EventStatusChanged)
}

// Reopen moves a solved or pending ticket back to open and records EventReopened. Errors as
// Solve; other statuses give a *TransitionError.
func (s *Service) Reopen(ctx context.Context, actor Actor, id uuid.UUID) (Ticket, error) {
	ts, err := s.mutate(ctx, actor, ActionUpdate, []uuid.UUID{id}, false, func(es []*edit) error {
		e := es[0]
		if e.t.Status != StatusSolved && e.t.Status != StatusPending {
			return &TransitionError{From: e.t.Status, To: StatusOpen, Reason: "only solved or pending tickets reopen"}
		}
		return e.setStatus(StatusOpen, EventReopened)
	})
	return first(ts, err)
}

func (s *Service) setStatus(ctx context.Context, actor Actor, id uuid.UUID, to Status, kind EventKind) (Ticket, error) {
	ts, err := s.mutate(ctx, actor, ActionUpdate, []uuid.UUID{id}, false, func(es []*edit) error {
		return es[0].setStatus(to, kind)
	})
	return first(ts, err)
}

// CloseSolved closes, as the System actor, every ticket that has been solved for at least
// Config.CloseAfter at now. The host calls it periodically. It returns how many tickets it
// closed; a ticket reopened or changed meanwhile is skipped or rechecked, never closed early.
// On a store error it stops and returns the count so far with the error. A zero now, before
// every ticket, is an ErrInvalid error rather than a call that never closes anything.
func (s *Service) CloseSolved(ctx context.Context, now time.Time) (int, error) {
	if err := s.ready(); err != nil {
		return 0, err
	}
	if now.IsZero() {
		return 0, invalid("now", "the zero time")
	}
	closed := 0
	for t, err := range s.All(ctx, Query{Statuses: []Status{StatusSolved}}) {
		if err != nil {
			return closed, err
		}
		if !due(t, now, s.cfg.CloseAfter) {
			continue
		}
		changed := false
		_, err := s.mutate(ctx, System, ActionUpdate, []uuid.UUID{t.ID}, true, func(es []*edit) error {
			e := es[0]
			changed = false
			if e.t.Status != StatusSolved || !due(e.t, now, s.cfg.CloseAfter) {
				return nil
			}
			changed = true
			return e.setStatus(StatusClosed, EventStatusChanged)
		})
		if err != nil {
			return closed, err
		}
		if changed {
			closed++
		}
	}
	if closed > 0 {
		s.cfg.Logger.Info().Int("closed", closed).Msg("ticket: closed solved tickets")
	}
	return closed, nil
}

func due(t Ticket, now time.Time, after time.Duration) bool {
	return !t.SolvedAt.IsZero() && !now.Before(t.SolvedAt.Add(after))
}

func first(ts []Ticket, err error) (Ticket, error) {
	if err != nil {
		return Ticket{}, err
	}
	return ts[0], nil
}
