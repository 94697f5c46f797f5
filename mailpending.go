package supportkit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/ticket"
)

// pendingSince is when a ticket was last set pending: the Seq and time of that event, and
// which of its timed steps this Desk has handed to delivery.
type pendingSince struct {
	seq      int64
	at       time.Time
	by       ticket.Actor // who set it pending
	reminded bool
	solved   bool
}

// pendingTickets are the tickets waiting for their customer, as their logs tell: the Desk
// learns them from the events it applies, so a restart finds them again by Load.
type pendingTickets struct {
	mu  sync.Mutex
	ids map[uuid.UUID]*pendingSince
}

// trackPending records that event e set the ticket pending, or that it is pending no more.
func (d *Desk) trackPending(e *ticket.Event, t *ticket.Ticket) {
	d.pending.mu.Lock()
	defer d.pending.mu.Unlock()
	switch {
	case t.Status != ticket.StatusPending:
		delete(d.pending.ids, t.ID)
	case e.Kind == ticket.EventStatusChanged || e.Kind == ticket.EventCreated:
		if d.pending.ids == nil {
			d.pending.ids = make(map[uuid.UUID]*pendingSince)
		}
		d.pending.ids[t.ID] = &pendingSince{seq: e.Seq, at: e.At, by: e.Actor}
	}
}

// pendingSteps returns when the reminder and the automatic solve of p are due for the
// sending Mailroom r; zero for a step that is off or already handed over.
func pendingSteps(r *Mailroom, p *pendingSince) (remind, solve time.Time) {
	if r.sends(email.NoticeReminder) && !p.reminded {
		remind = p.at.Add(r.cfg.RemindAfter)
	}
	if r.cfg.SolveAfter > 0 && !p.solved {
		solve = p.at.Add(r.cfg.SolveAfter)
	}
	return remind, solve
}

// nextPending returns when the earliest reminder or automatic solve is due; zero when none.
func (d *Desk) nextPending() time.Time {
	r := d.mailer.Load()
	if r == nil {
		return time.Time{}
	}
	d.pending.mu.Lock()
	defer d.pending.mu.Unlock()
	var next time.Time
	for _, p := range d.pending.ids {
		remind, solve := pendingSteps(r, p)
		for _, at := range []time.Time{remind, solve} {
			if !at.IsZero() && (next.IsZero() || at.Before(next)) {
				next = at
			}
		}
	}
	return next
}

// checkPending hands the reminders and automatic solves due by now to delivery, each keyed
// by the event that set the ticket pending, so that it happens once however many Desks
// and restarts see it. Those that fell due more than Config.CatchUp ago are history, as
// for hooks: taken as done, so that a Desk first started over old pending tickets does
// not remind them all at once.
func (d *Desk) checkPending(ctx context.Context, now time.Time) {
	r := d.mailer.Load()
	if r == nil {
		return
	}
	type step struct {
		id   uuid.UUID
		p    pendingSince
		kind string
	}
	var due []step
	history := now.Add(-d.cfg.CatchUp)
	d.pending.mu.Lock()
	for id, p := range d.pending.ids {
		remind, solve := pendingSteps(r, p)
		if !remind.IsZero() && !remind.After(now) {
			p.reminded = true
			if !remind.Before(history) {
				due = append(due, step{id, *p, "reminder"})
			}
		}
		if !solve.IsZero() && !solve.After(now) {
			p.solved = true
			if !solve.Before(history) {
				due = append(due, step{id, *p, "auto-solve"})
			}
		}
	}
	d.pending.mu.Unlock()
	for _, s := range due {
		key := fmt.Sprintf("mail/%s/%s/%d", s.kind, s.id, s.p.seq)
		d.deliver(ctx, key, mailHook, ticket.Ticket{ID: s.id}, func(ctx context.Context, _ ticket.Ticket) error { return r.pendingStep(ctx, s.id, s.p, s.kind) })
	}
}

// pendingStep reminds the customer of ticket id, or solves it, when it is still pending
// since the event p names.
func (r *Mailroom) pendingStep(ctx context.Context, id uuid.UUID, p pendingSince, kind string) error {
	t, err := r.desk.tickets.Get(ctx, id)
	if errors.Is(err, ticket.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if still, err := r.stillPending(ctx, t, p.seq); err != nil || !still {
		return err
	}
	if kind == "auto-solve" {
		return r.solvePending(ctx, t, p)
	}
	days := int(r.desk.cfg.Now().Sub(p.at) / (24 * time.Hour))
	return r.sendAuto(ctx, t, email.Notice{Kind: email.NoticeReminder, Days: max(days, 1)}, true)
}

// stillPending reports whether t is pending since its event seq: no status change after it.
func (r *Mailroom) stillPending(ctx context.Context, t ticket.Ticket, seq int64) (bool, error) {
	if t.Status != ticket.StatusPending {
		return false, nil
	}
	events, err := r.desk.tickets.EventsAfter(ctx, t.ID, seq)
	if err != nil {
		return false, err
	}
	for _, e := range events {
		if e.Kind == ticket.EventStatusChanged || e.Kind == ticket.EventReopened {
			return false, nil
		}
	}
	return true, nil
}

// solvePending solves pending ticket t as ticket.System. An unassigned ticket is given to
// the agent who set it pending, since solving needs an assignee; one nobody can be given
// to waits, with a warning logged.
func (r *Mailroom) solvePending(ctx context.Context, t ticket.Ticket, p pendingSince) error {
	solved := ticket.StatusSolved
	c := ticket.Changes{Status: &solved}
	if t.Assignee == "" {
		if p.by.Kind != ticket.ActorAgent || p.by.ID == "" {
			r.desk.cfg.Logger.Warn().Stringer("ticket", t.ID).Msg("mailroom: a pending ticket without an assignee is not solved by itself")
			return nil
		}
		c.Assignee = &p.by.ID
	}
	_, err := r.desk.tickets.Update(ctx, ticket.System, t.ID, c)
	var te *ticket.TransitionError
	if errors.As(err, &te) {
		return nil // it moved on meanwhile
	}
	return err
}
