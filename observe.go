package supportkit

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// observe is the Desk's ticket observer: it feeds the metrics builder, re-evaluates the
// ticket's SLA clocks as of the event, keeps routing in step and calls the hooks.
func (d *Desk) observe(ctx context.Context, e ticket.Event, t ticket.Ticket) {
	for _, m := range MetricsEvents(e, t) {
		d.warn(d.records.Add(m), "metrics", e)
	}
	var res *sla.Result
	if d.cfg.Policies != nil {
		res = d.clocksAt(ctx, e, t)
	}
	if d.cfg.Router != nil {
		d.route(e, t, res)
	}
	d.callHooks(ctx, e, t)
}

// callHooks calls OnAssigned when e gave the ticket an agent and OnSolved when e solved it,
// creation included.
func (d *Desk) callHooks(ctx context.Context, e ticket.Event, t ticket.Ticket) {
	created := e.Kind == ticket.EventCreated
	if h := d.cfg.Hooks.OnAssigned; h != nil && e.ToAssignee != "" && (created || e.Kind == ticket.EventAssigneeChanged) {
		h(ctx, t)
	}
	if h := d.cfg.Hooks.OnSolved; h != nil && e.ToStatus == ticket.StatusSolved && (created || e.Kind == ticket.EventStatusChanged) {
		h(ctx, t)
	}
}

// clocksAt evaluates the ticket's clocks as its log stood right after e, records decided
// outcomes in the metrics builder and notifies warnings and breaches not yet notified.
func (d *Desk) clocksAt(ctx context.Context, e ticket.Event, t ticket.Ticket) *sla.Result {
	events, err := d.tickets.Events(ctx, t.ID)
	if d.warn(err, "sla", e) {
		return nil
	}
	events = slices.DeleteFunc(events, func(x ticket.Event) bool { return x.Seq > e.Seq })
	res, err := sla.Evaluate(d.cfg.Policies, Timeline(events, d.segment(t)), e.At)
	if d.warn(err, "sla", e) {
		return nil
	}
	for _, m := range SLAEvents(e, res) {
		d.warn(d.records.Add(m), "metrics", e)
	}
	closing := e.Kind == ticket.EventStatusChanged && e.ToStatus == ticket.StatusClosed
	if t.Status != ticket.StatusClosed || closing {
		d.notify(ctx, t, res, true) // a closed ticket's clocks were settled when it closed
	}
	return res
}

func (d *Desk) segment(t ticket.Ticket) string {
	if d.cfg.Segment == nil {
		return ""
	}
	return d.cfg.Segment(t)
}

// warn logs err, if any, as a failure to wire event e into part, and reports whether there
// was one. The ticket change itself is committed; only the derived state is behind.
func (d *Desk) warn(err error, part string, e ticket.Event) bool {
	if err == nil {
		return false
	}
	d.cfg.Logger.Warn().Err(err).Str("part", part).Stringer("ticket", e.TicketID).
		Int64("seq", e.Seq).Str("event", string(e.Kind)).Msg("desk: event not wired")
	return true
}

// watch is what the Desk remembers of a ticket until it is closed: what it has notified, so
// that each warning and breach is notified once, and when its clocks next change (due is
// false while nothing is due).
type watch struct {
	fired map[point]bool
	next  time.Time
	due   bool
}

// point names one notification: a warning (index >= 0) or the breach (-1) of one cycle of
// one metric.
type point struct {
	metric sla.Metric
	cycle  int
	index  int
}

// notify calls the breach hooks for warnings and breaches in res not notified before, and
// records when the ticket's clocks next change. Without create it only updates a ticket
// still watched, so that a check racing with the ticket's close notifies nothing twice.
func (d *Desk) notify(ctx context.Context, t ticket.Ticket, res *sla.Result, create bool) {
	d.mu.Lock()
	w := d.watch[t.ID]
	if w == nil && !create {
		d.mu.Unlock()
		return
	}
	if w == nil {
		w = &watch{fired: make(map[point]bool)}
	}
	var warnings []func()
	for _, c := range res.Clocks {
		warnings = append(warnings, d.newPoints(ctx, w, t, c)...)
	}
	w.next, w.due = res.NextWake()
	if t.Status == ticket.StatusClosed {
		delete(d.watch, t.ID)
	} else {
		d.watch[t.ID] = w
	}
	d.mu.Unlock()
	for _, call := range warnings {
		call()
	}
}

// newPoints marks the clock's unnotified warnings and breach as notified in w and returns the
// hook calls for them. The caller holds d.mu.
func (d *Desk) newPoints(ctx context.Context, w *watch, t ticket.Ticket, c sla.ClockResult) []func() {
	var calls []func()
	for _, hit := range c.Warnings {
		p := point{c.Metric, c.Cycles, hit.Index}
		if !w.fired[p] {
			w.fired[p] = true
			if f := d.cfg.Hooks.OnBreachWarning; f != nil {
				calls = append(calls, func() { f(ctx, t, c, hit) })
			}
		}
	}
	p := point{c.Metric, c.Cycles, -1}
	if c.Outcome == sla.Breached && !w.fired[p] {
		w.fired[p] = true
		if f := d.cfg.Hooks.OnBreach; f != nil {
			calls = append(calls, func() { f(ctx, t, c) })
		}
	}
	return calls
}

// CheckClocks evaluates, as of now, the clocks of every ticket whose next SLA change is
// due by now and calls OnBreachWarning and OnBreach for what is newly reached. A host calls
// it from its scheduler at NextWake. It returns the errors of tickets it could not
// evaluate, joined; the other tickets are checked all the same.
func (d *Desk) CheckClocks(ctx context.Context, now time.Time) error {
	if d.cfg.Policies == nil {
		return nil
	}
	var errs []error
	for _, id := range d.due(now) {
		t, err := d.tickets.Get(ctx, id)
		if err == nil {
			var res *sla.Result
			if res, err = d.evaluate(ctx, t, now); err == nil {
				d.notify(ctx, t, res, false)
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (d *Desk) due(now time.Time) []uuid.UUID {
	d.mu.Lock()
	defer d.mu.Unlock()
	var ids []uuid.UUID
	for id, w := range d.watch {
		if w.due && !w.next.After(now) {
			ids = append(ids, id)
		}
	}
	return ids
}

// NextWake returns the earliest instant after which something changes by itself: an SLA
// warning or breach of a watched ticket, or a routing offer or grace period running out.
// A host's scheduler sleeps until then and calls CheckClocks and Dispatch. It reports false
// when nothing is due.
func (d *Desk) NextWake(now time.Time) (time.Time, bool) {
	d.mu.Lock()
	var next time.Time
	for _, w := range d.watch {
		if w.due && (next.IsZero() || w.next.Before(next)) {
			next = w.next
		}
	}
	d.mu.Unlock()
	if d.cfg.Router != nil {
		if r, ok := d.cfg.Router.NextWake(now); ok && (next.IsZero() || r.Before(next)) {
			next = r
		}
	}
	return next, !next.IsZero()
}
