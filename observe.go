package supportkit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// retryDelay is how long CheckClocks waits before it evaluates again a ticket it could not
// read, so that a scheduler sleeping until NextWake never spins on a failing ticket.
const retryDelay = time.Minute

// errNoEvents is logged when the store gives none of the events up to the one observed.
var errNoEvents = errors.New("supportkit: the store returned none of the ticket's events")

// apply wires one committed event into the other packages: it feeds the metrics builder,
// re-evaluates the ticket's SLA clocks as of the event, keeps routing in step and finds
// the hook occurrences. t is the ticket as the event's write left it, working whether it
// counted handle time before e; log, when not nil,
// is the ticket's log up to e (otherwise the store is read). check makes the unservable
// check when the ticket's task is left waiting.
func (d *Desk) apply(ctx context.Context, e *ticket.Event, t *ticket.Ticket, working bool, log *logView, how applyMode) {
	var id string
	if log != nil {
		id = log.id
	} else {
		id = e.TicketID.String()
	}
	var buf [8]metrics.Event
	d.record(log, e, appendMetricsEvents(buf[:0], id, e, t)...)
	d.handle(log, id, e, t, working)
	var res *sla.Result
	if d.cfg.Policies != nil {
		res = d.clocksAt(ctx, id, e, t, log, how)
	}
	if d.cfg.Router != nil && how != settledTicket {
		d.route(ctx, id, e, t, res)
		if how == live {
			d.checkQueued(ctx, *t, e.At)
		}
	}
	d.learn(ctx, e, t, log)
	if e.Kind == ticket.EventErased {
		d.rebind(*t)
		d.guesses.Delete(t.ID) // made from the subject before the erasure
	}
	d.callHooks(ctx, e, t)
	d.trackPending(e, t)
	d.mailEvent(ctx, e, t)
}

// record adds the metrics events of ticket event e to the builder; with a log, to the
// log's batch, which the builder takes once the log is applied (flush).
func (d *Desk) record(log *logView, e *ticket.Event, ms ...metrics.Event) {
	if log != nil {
		log.metrics = append(log.metrics, ms...)
		return
	}
	for _, m := range ms {
		d.warn(d.records.Add(m), "metrics", e)
	}
}

// flush adds the log's batch of metrics events to the builder. A refused event is
// logged with the log's last event.
func (d *Desk) flush(log *logView) {
	if len(log.metrics) > 0 {
		d.warn(d.records.AddAll(log.metrics), "metrics", &log.events[len(log.events)-1])
		log.metrics = log.metrics[:0]
	}
}

// applyMode says how much of apply's work an event needs.
type applyMode uint8

const (
	live          applyMode = iota // a write as it happens: everything
	bulk                           // a batch read from the store: the unservable check comes at its end
	settledTicket                  // a ticket first seen solved or closed: no routing, which would end empty
)

// callHooks calls OnAssigned when e gave the ticket an agent and OnSolved when e solved it,
// creation included.
func (d *Desk) callHooks(ctx context.Context, e *ticket.Event, t *ticket.Ticket) {
	created := e.Kind == ticket.EventCreated
	if h := d.cfg.Hooks.OnAssigned; h != nil && e.ToAssignee != "" && (created || e.Kind == ticket.EventAssigneeChanged) {
		d.deliverAt(ctx, e.At, eventKey("assigned", *e), "OnAssigned", *t, h)
	}
	if h := d.cfg.Hooks.OnSolved; h != nil && e.ToStatus == ticket.StatusSolved && (created || e.Kind == ticket.EventStatusChanged) {
		d.deliverAt(ctx, e.At, eventKey("solved", *e), "OnSolved", *t, h)
	}
}

// clocksAt evaluates the ticket's clocks as its log stood right after e, records decided
// outcomes in the metrics builder and notifies warnings and breaches not yet notified:
// first those reached since the previous event (when its clocks were due before e), then
// those of the new state. Only the observer starts watching a ticket and only the close
// ends it, so no other path can rebuild what was notified. A ticket first seen solved or
// closed (how == settledTicket) by a bulk load notifies what it reached before its close
// as a Desk that never stopped would have (Config.CatchUp and the Ledger decide what is
// delivered), and the Desk stops watching it once its log is applied; one that Sync or a
// write of another Desk shows first only records its outcomes: what it reached is history.
func (d *Desk) clocksAt(ctx context.Context, id string, e *ticket.Event, t *ticket.Ticket, log *logView, how applyMode) *sla.Result {
	var events []ticket.Event
	var seg string // the segment of a log read here; a logView has its timeline
	var segErr error
	if log != nil {
		events, seg, segErr = log.events[:log.i+1], log.segment, log.segmentErr
	} else {
		seg, segErr = d.segment(ctx, *t)
		var err error
		events, err = d.tickets.Events(ctx, t.ID)
		if d.warn(err, "sla", e) {
			d.retryLater(t.ID, e.At, t.Status != ticket.StatusClosed)
			return nil
		}
		events = slices.DeleteFunc(events, func(x ticket.Event) bool { return x.Seq > e.Seq })
	}
	eval := func(n int, at time.Time) (*sla.Result, error) {
		if log != nil {
			return log.clocks(n, at)
		}
		return sla.Evaluate(d.cfg.Policies, Timeline(events[:n], seg), at)
	}
	if len(events) == 0 {
		d.warn(errNoEvents, "sla", e)
		return nil
	}
	// A closed ticket's clocks were settled when it closed: the events after the close
	// notify nothing, and the close ends the watch.
	var settled bool
	var at time.Time
	if log != nil {
		settled, at = log.closedBefore(log.i), log.latest(log.i)
	} else {
		settled, at = slices.ContainsFunc(events[:len(events)-1], isClosing), latest(events)
	}
	if how == settledTicket && !catchingUp(ctx) {
		settled = true
	}
	if settled || isClosing(*e) {
		defer d.forget(t.ID)
	}
	if segErr != nil { // logged: the policy is unknown, so nothing is evaluated now
		if !settled {
			d.retryLater(t.ID, at, true)
		}
		return nil
	}
	if !settled && len(events) > 1 && d.behind(t.ID, e.Seq, at) {
		prev := events[:len(events)-1]
		before, err := eval(len(prev), at)
		if !d.warn(err, "sla", e) {
			d.notify(ctx, *t, evaluation{res: before, seq: prev[len(prev)-1].Seq, before: at}, true)
		}
	}
	res, err := eval(len(events), at)
	if d.warn(err, "sla", e) {
		d.retryLater(t.ID, at, !settled)
		return nil
	}
	var buf [4]metrics.Event
	d.record(log, e, appendSLAEvents(buf[:0], id, e.At, res)...)
	if !settled {
		d.notify(ctx, *t, evaluation{res: res, seq: e.Seq, observed: true}, true)
		d.keepSegment(t.ID, seg)
	}
	return res
}

// forget stops watching the ticket.
func (d *Desk) forget(id uuid.UUID) {
	d.mu.Lock()
	delete(d.watch, id)
	d.index(id, nil)
	d.mu.Unlock()
}

// index records the watched ticket's next look in the ClockIndex (none for a nil watch,
// or one with nothing due); d.mu is held, so the ClockIndex gets RetryPolicy.Timeout to
// answer. A failure is logged, and the ticket is kept among the unindexed ones, which
// CheckClocks and NextWake read from the Desk's own watch until a later index succeeds.
func (d *Desk) index(id uuid.UUID, w *watch) {
	var at time.Time
	if w != nil && w.due {
		at = w.next
	}
	ctx, cancel := context.WithTimeout(context.Background(), d.cfg.Retry.Timeout)
	defer cancel()
	if err := d.cfg.Clocks.Set(ctx, id, at); err != nil {
		d.cfg.Logger.Warn().Err(err).Stringer("ticket", id).Msg("desk: the clock index was not updated; retrying")
		if d.unindexed == nil {
			d.unindexed = make(map[uuid.UUID]bool)
		}
		d.unindexed[id] = true
		return
	}
	delete(d.unindexed, id)
}

// unindexedDue returns the tickets whose index failed and whose clocks are due by now, and
// the earliest next look of the others (zero when none); with retry it first tries again
// to index each (the caller read the index before). d.mu is held.
func (d *Desk) unindexedDue(now time.Time, retry bool) (due []uuid.UUID, next time.Time) {
	for id := range d.unindexed {
		w := d.watch[id]
		if retry {
			d.index(id, w)
		}
		if w == nil || !w.due {
			continue
		}
		if !w.next.After(now) {
			due = append(due, id)
		} else if next.IsZero() || w.next.Before(next) {
			next = w.next
		}
	}
	return due, next
}

func isClosing(e ticket.Event) bool {
	return e.Kind == ticket.EventStatusChanged && e.ToStatus == ticket.StatusClosed
}

// latest returns the time of the latest of events: the instant the log stands at, even
// when an event was stamped earlier than the one before it.
func latest(events []ticket.Event) time.Time {
	var at time.Time
	for _, e := range events {
		if e.At.After(at) {
			at = e.At
		}
	}
	return at
}

// segment names t's customer segment for an evaluation of its clocks: Config.Segment's,
// else, with a Directory, read from it under ctx bounded by DirectoryTimeout (see
// CustomerSegment). A segment read for a watched ticket is kept with its watch. When the
// Directory cannot be read, the failure is logged and the segment last read for the
// ticket stands in, so that a failing Directory never moves a ticket to another policy;
// for a ticket with none, the error is returned, wrapped, and the caller evaluates later.
func (d *Desk) segment(ctx context.Context, t ticket.Ticket) (string, error) {
	switch {
	case d.cfg.Segment != nil:
		return d.cfg.Segment(t), nil
	case d.cfg.Directory == nil:
		return "", nil
	}
	rctx, cancel := context.WithTimeout(ctx, DirectoryTimeout)
	defer cancel()
	seg, err := readSegment(rctx, d.cfg.Directory, d.tenant(), t)
	if err == nil {
		d.keepSegment(t.ID, seg)
		return seg, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if w := d.watch[t.ID]; w != nil && w.segmentRead {
		d.cfg.Logger.Warn().Err(err).Stringer("ticket", t.ID).Str("segment", w.segment).
			Msg("desk: the Directory could not be read; the ticket keeps the segment last read")
		return w.segment, nil
	}
	d.cfg.Logger.Warn().Err(err).Stringer("ticket", t.ID).
		Msg("desk: the Directory could not be read; the ticket's clocks are evaluated once it can be")
	return "", fmt.Errorf("supportkit: the segment of ticket %s is unknown: %w", t.ID, err)
}

// keepSegment keeps seg, just read from the Directory, with the ticket's watch, if any.
func (d *Desk) keepSegment(id uuid.UUID, seg string) {
	if d.cfg.Segment != nil || d.cfg.Directory == nil {
		return
	}
	d.mu.Lock()
	if w := d.watch[id]; w != nil {
		w.segment, w.segmentRead = seg, true
	}
	d.mu.Unlock()
}

// warn logs err, if any, as a failure to wire event e into part, and reports whether there
// was one. The ticket change itself is committed; only the derived state is behind.
func (d *Desk) warn(err error, part string, e *ticket.Event) bool {
	if err == nil {
		return false
	}
	d.cfg.Logger.Warn().Err(err).Str("part", part).Stringer("ticket", e.TicketID).
		Int64("seq", e.Seq).Str("event", string(e.Kind)).Msg("desk: event not wired")
	return true
}

// watch is what the Desk keeps of a ticket from the first event its observer handles until
// the observer has handled the ticket's close: the ledger of notified occurrences, when the
// clocks next change, and how far the observer got.
type watch struct {
	// The occurrences notified: a handful per ticket, so a slice, and a map as well once
	// a long-lived ticket has many (manyPoints).
	fired    []point
	firedSet map[point]bool
	// next is when the clocks next change; due is false while nothing is due. seq and at
	// name the evaluation that set them (the last event it read, its instant), so that an
	// older evaluation finishing late never overwrites a newer one.
	next time.Time
	due  bool
	seq  int64
	at   time.Time
	// observed is the Seq of the last event the observer evaluated and observedNext the
	// next change of that evaluation (zero when none).
	observed     int64
	observedNext time.Time
	// segment is the customer segment last read from the Directory (segmentRead), which
	// stands in while the Directory cannot be read.
	segment     string
	segmentRead bool
}

// point names one occurrence: a warning (index >= 0) or the breach (-1) of one cycle of one
// metric.
type point struct {
	metric sla.Metric
	cycle  int
	index  int
}

// manyPoints is how many notified occurrences a watch scans before it keeps a map.
const manyPoints = 32

// fire marks p as notified, reporting whether it was not before.
func (w *watch) fire(p point) bool {
	switch {
	case w.firedSet != nil:
		if w.firedSet[p] {
			return false
		}
		w.firedSet[p] = true
		return true
	case slices.Contains(w.fired, p):
		return false
	}
	w.fired = append(w.fired, p)
	if len(w.fired) > manyPoints {
		w.firedSet = make(map[point]bool, 2*len(w.fired))
		for _, q := range w.fired {
			w.firedSet[q] = true
		}
		w.fired = nil
	}
	return true
}

// evaluation is one evaluation of a ticket's clocks to notify.
type evaluation struct {
	res *sla.Result
	seq int64 // Seq of the last event evaluated
	// before, when set, limits the notification to points reached strictly before it: the
	// state just before an event at that instant. Such an evaluation sets no wake.
	before time.Time
	// observed marks the observer's evaluation of the event seq.
	observed bool
}

// behind reports whether the observer must look at the ticket's clocks just before event
// seq at instant at: the previous event is not the last it evaluated, or something came due
// by at.
func (d *Desk) behind(id uuid.UUID, seq int64, at time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	w := d.watch[id]
	return w == nil || w.observed != seq-1 || (!w.observedNext.IsZero() && !w.observedNext.After(at))
}

// notify calls the breach hooks for the warnings and breaches of ev not notified before, and
// records when the ticket's clocks next change. Only with start does it begin watching a
// ticket not yet watched (the observer); CheckClocks updates watched tickets only, so that a
// check racing with the ticket's close notifies nothing twice.
func (d *Desk) notify(ctx context.Context, t ticket.Ticket, ev evaluation, start bool) {
	d.mu.Lock()
	w := d.watch[t.ID]
	if w == nil && !start {
		d.mu.Unlock()
		return
	}
	if w == nil {
		w = &watch{}
		d.watch[t.ID] = w
	}
	var calls []func()
	for i := range ev.res.Clocks {
		calls = d.newPoints(ctx, calls, w, &t, &ev.res.Clocks[i], ev.before)
	}
	if ev.before.IsZero() {
		w.setWake(ev)
		if !catchingUp(ctx) {
			d.index(t.ID, w)
		}
	}
	d.mu.Unlock()
	for _, call := range calls {
		call()
	}
}

// setWake records the next change of ev unless a newer evaluation already did.
func (w *watch) setWake(ev evaluation) {
	next, _ := ev.res.NextWake()
	if ev.observed {
		w.observed, w.observedNext = ev.seq, next
	}
	if ev.seq < w.seq || (ev.seq == w.seq && ev.res.Now.Before(w.at)) {
		return
	}
	w.seq, w.at = ev.seq, ev.res.Now
	w.next, w.due = next, !next.IsZero()
}

// newPoints marks the clock's unnotified warnings and breach reached before the instant
// before (any, when zero) as notified in w and appends the hook calls for them to calls.
// The caller holds d.mu.
func (d *Desk) newPoints(ctx context.Context, calls []func(), w *watch, t *ticket.Ticket, c *sla.ClockResult, before time.Time) []func() {
	reached := func(at time.Time) bool { return before.IsZero() || at.Before(before) }
	for _, hit := range c.Warnings {
		p := point{c.Metric, c.Cycles, hit.Index}
		if reached(hit.At) && w.fire(p) {
			if f := d.cfg.Hooks.OnBreachWarning; f != nil {
				calls = append(calls, d.warningCall(ctx, f, *t, *c, hit))
			}
			if call := d.mailWarningCall(ctx, *t, *c, hit); call != nil {
				calls = append(calls, call)
			}
		}
	}
	p := point{c.Metric, c.Cycles, -1}
	if c.Outcome == sla.Breached && reached(c.BreachedAt) && w.fire(p) {
		if f := d.cfg.Hooks.OnBreach; f != nil {
			calls = append(calls, d.breachCall(ctx, f, *t, *c))
		}
	}
	return calls
}

// warningCall returns the delivery of warning hit of clock c.
func (d *Desk) warningCall(ctx context.Context, f func(context.Context, ticket.Ticket, sla.ClockResult, sla.WarningHit) error,
	t ticket.Ticket, c sla.ClockResult, hit sla.WarningHit) func() {
	key := fmt.Sprintf("warning/%s/%s/%d/%d", t.ID, metricsSLA(c.Metric), c.Cycles, hit.Index)
	return func() {
		d.deliverAt(ctx, hit.At, key, "OnBreachWarning", t, func(ctx context.Context, t ticket.Ticket) error { return f(ctx, t, c, hit) })
	}
}

// breachCall returns the delivery of clock c's breach.
func (d *Desk) breachCall(ctx context.Context, f func(context.Context, ticket.Ticket, sla.ClockResult) error, t ticket.Ticket, c sla.ClockResult) func() {
	key := fmt.Sprintf("breach/%s/%s/%d", t.ID, metricsSLA(c.Metric), c.Cycles)
	return func() {
		d.deliverAt(ctx, c.BreachedAt, key, "OnBreach", t, func(ctx context.Context, t ticket.Ticket) error { return f(ctx, t, c) })
	}
}

// retryLater makes the ticket due again retryDelay after the instant after, for a ticket
// whose log could not be read or evaluated. Only with start does it begin watching a ticket
// not yet watched (the observer).
func (d *Desk) retryLater(id uuid.UUID, after time.Time, start bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	w := d.watch[id]
	if w == nil && start {
		w = &watch{}
		d.watch[id] = w
	}
	if w != nil {
		w.next, w.due = after.Add(retryDelay), true
		d.index(id, w)
	}
}

// CheckClocks evaluates, as of now, the clocks of every ticket whose next SLA change is
// due by now (the ClockIndex gives them, so the cost follows the due tickets, not the open
// ones) and calls OnBreachWarning and OnBreach for what is newly reached. A host calls
// it from its scheduler at NextWake. It returns the errors of tickets it could not
// evaluate, joined; the other tickets are checked all the same. A ticket whose log cannot
// be read is due again a minute after now (a missing one is no longer watched); one whose
// timeline the sla package rejects waits for its next event. A ticket whose ClockIndex
// update failed is found due from the Desk's own record, and its update is tried again.
// Each warning point and breach of a cycle is notified once, whichever of CheckClocks and
// the ticket's writes sees it first. With a Mailroom that sends by itself, it also sends the pending reminders and
// makes the automatic solves that are due by now (MailConfig.RemindAfter, SolveAfter),
// with or without Policies.
func (d *Desk) CheckClocks(ctx context.Context, now time.Time) error {
	ctx, deliver := d.batchHooks(ctx)
	defer deliver()
	d.checkPending(ctx, now)
	if d.cfg.Policies == nil {
		return nil
	}
	ids, err := d.due(ctx, now)
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		if err := d.check(ctx, id, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// check evaluates one watched ticket as of now and notifies what is new.
func (d *Desk) check(ctx context.Context, id uuid.UUID, now time.Time) error {
	t, err := d.tickets.Get(ctx, id)
	var events []ticket.Event
	if err == nil {
		events, err = d.tickets.Events(ctx, id)
	}
	switch {
	case errors.Is(err, ticket.ErrNotFound):
		d.forget(id) // gone from the store: no event will come
		return err
	case err != nil:
		d.retryLater(id, now, false)
		return err
	}
	seg, err := d.segment(ctx, t)
	if err != nil {
		d.retryLater(id, now, false)
		return err
	}
	res, err := sla.Evaluate(d.cfg.Policies, Timeline(events, seg), now)
	if err != nil {
		d.mu.Lock()
		if w := d.watch[id]; w != nil {
			w.due = false // the same log gives the same error: wait for its next event
			d.index(id, w)
		}
		d.mu.Unlock()
		return err
	}
	d.notify(ctx, t, evaluation{res: res, seq: events[len(events)-1].Seq}, false)
	return nil
}

// due returns the watched tickets the ClockIndex has due by now, and removes from it the
// due ones the Desk does not watch, which would otherwise stay due for ever.
func (d *Desk) due(ctx context.Context, now time.Time) ([]uuid.UUID, error) {
	ids, err := d.cfg.Clocks.Due(ctx, now, 0)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	ids = slices.DeleteFunc(ids, func(id uuid.UUID) bool {
		if d.watch[id] != nil {
			return false
		}
		d.index(id, nil) // left from before a restart, for a ticket this Desk does not watch
		return true
	})
	more, _ := d.unindexedDue(now, true)
	for _, id := range more {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// NextWake returns the earliest instant after which something changes by itself: an SLA
// warning or breach of a watched ticket, a routing offer or grace period running out, a
// hook delivery to retry, a pending ticket's reminder or automatic solve (see
// MailConfig.RemindAfter), the Lease to renew, or the Ledger to prune (Config.LedgerRetention,
// hourly once a Tick has pruned it). A host's scheduler sleeps until then and
// calls CheckClocks, Dispatch and RetryHooks (or Tick); Run does this itself. It reports
// false when nothing is due. It reads the ClockIndex (Config.Clocks) with ctx; when that
// fails it answers a minute after now.
func (d *Desk) NextWake(ctx context.Context, now time.Time) (time.Time, bool) {
	var next time.Time
	see := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	if d.cfg.Policies != nil { // without, CheckClocks reads no index: what it holds is from before
		if at, ok, err := d.cfg.Clocks.Next(ctx); err == nil && ok {
			see(at)
		} else if err != nil {
			// Without the index's answer, look again soon rather than sleep past a deadline.
			see(now.Add(retryDelay))
		}
	}
	if d.cfg.Router != nil && d.Leading() {
		if r, ok := d.cfg.Router.NextWake(now); ok {
			see(r)
		}
	}
	d.mu.Lock()
	due, later := d.unindexedDue(now, false)
	d.mu.Unlock()
	if len(due) > 0 {
		see(now)
	}
	see(later)
	see(d.nextRetry())
	see(d.nextPending())
	see(d.leaseWake())
	see(d.pruneWake())
	return next, !next.IsZero()
}

// eventKey is the delivery key of a hook occurrence caused by ticket event e.
func eventKey(kind string, e ticket.Event) string {
	return fmt.Sprintf("%s/%s/%d", kind, e.TicketID, e.Seq)
}
