package supportkit

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// reportUnservable asks the router which waiting tasks no agent could ever take at now and,
// for each that became so since the previous check or whose reason changed, logs a warning
// (task ID, channel and reason: no personal data) and calls Hooks.OnUnservable with the
// ticket. A task that became servable again, or left the router, is forgotten, so that it
// is reported again if it becomes unservable later. The hook is not called for a ticket
// whose version was written before since (zero: any), which a catch-up takes as reported.
func (d *Desk) reportUnservable(ctx context.Context, now, since time.Time) {
	d.stuckMu.Lock()
	list := d.cfg.Router.Unservable(now)
	seen := make(map[string]routing.Reason, len(list))
	var fresh []routing.Stuck
	for _, s := range list {
		seen[s.TaskID] = s.Reason
		if d.stuck[s.TaskID] != s.Reason {
			fresh = append(fresh, s)
		}
	}
	d.stuck = seen
	d.stuckMu.Unlock()
	for _, s := range fresh {
		d.cfg.Logger.Warn().Str("task", s.TaskID).Str("channel", string(s.Channel)).
			Stringer("reason", s.Reason).Msg("desk: no agent could ever take the ticket")
		d.callUnservable(ctx, s, since)
	}
}

// callUnservable calls Hooks.OnUnservable for s with the ticket it names, unless the
// ticket's version was written before since; a task that is not a ticket of the Desk's, or
// a ticket that cannot be read, is only logged.
func (d *Desk) callUnservable(ctx context.Context, s routing.Stuck, since time.Time) {
	h := d.cfg.Hooks.OnUnservable
	if h == nil {
		return
	}
	id, t, err := d.taskTicket(ctx, s.TaskID)
	if err != nil {
		d.cfg.Logger.Warn().Err(err).Str("task", s.TaskID).Msg("desk: unservable ticket not reported to the host")
		return
	}
	if t.UpdatedAt.Before(since) {
		return
	}
	key := fmt.Sprintf("unservable/%s/%d/%s", id, t.Version, s.Reason)
	d.deliver(ctx, key, "OnUnservable", t, func(ctx context.Context, t ticket.Ticket) error { return h(ctx, t, s) })
}

// taskTicket reads the ticket a routing task names.
func (d *Desk) taskTicket(ctx context.Context, task string) (uuid.UUID, ticket.Ticket, error) {
	id, err := uuid.Parse(task)
	if err != nil {
		return uuid.Nil, ticket.Ticket{}, fmt.Errorf("%w: task %q is not a ticket ID", ticket.ErrInvalid, task)
	}
	t, err := d.tickets.Get(ctx, id)
	return id, t, err
}

// forgetStuck drops what was reported of the task key (a ticket's ID as text): it left
// the router.
func (d *Desk) forgetStuck(key string) {
	d.stuckMu.Lock()
	delete(d.stuck, key)
	d.stuckMu.Unlock()
}

// checkQueued reports unservable tasks when the ticket's task waits in the router after a
// write, so that a ticket nobody can take is reported at once rather than at the next
// Dispatch.
func (d *Desk) checkQueued(ctx context.Context, t ticket.Ticket, now time.Time) {
	if info, err := d.cfg.Router.Task(t.ID.String()); err == nil && info.State == routing.Queued {
		d.reportUnservable(ctx, now, time.Time{})
	}
}
