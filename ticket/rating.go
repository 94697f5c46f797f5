package ticket

import (
	"context"

	"github.com/google/uuid"
)

// Rate records a satisfaction answer: CSAT 1–5 and/or CES 1–7 (0 for not answered, but not
// both 0) with an optional comment, as EventRated, and keeps the answers in
// Ticket.Satisfaction (a later answer replaces an earlier one). Rating is the one change a
// closed ticket accepts: surveys are often answered after the ticket closed. Errors:
// ErrInvalid, ErrNotFound, ErrConflict after MaxRetries.
func (s *Service) Rate(ctx context.Context, actor Actor, id uuid.UUID, r Rating) (Ticket, error) {
	switch {
	case r.CSAT < 0 || r.CSAT > 5:
		return Ticket{}, invalid("csat", "must be 1 to 5 (0: not answered)")
	case r.CES < 0 || r.CES > 7:
		return Ticket{}, invalid("ces", "must be 1 to 7 (0: not answered)")
	case r.CSAT == 0 && r.CES == 0:
		return Ticket{}, invalid("rating", "neither CSAT nor CES answered")
	}
	if r.Comment != "" {
		if err := checkBody("comment", r.Comment, s.cfg.MaxBody); err != nil {
			return Ticket{}, err
		}
	}
	ts, err := s.mutate(ctx, actor, ActionRate, []uuid.UUID{id}, true, func(es []*edit) error {
		e := es[0]
		if r.CSAT != 0 {
			e.t.Satisfaction.CSAT = r.CSAT
		}
		if r.CES != 0 {
			e.t.Satisfaction.CES = r.CES
		}
		if r.Comment != "" {
			e.t.Satisfaction.Comment = r.Comment
		}
		e.emit(Event{Kind: EventRated, CSAT: r.CSAT, CES: r.CES, Reason: r.Comment})
		return nil
	})
	return first(ts, err)
}
