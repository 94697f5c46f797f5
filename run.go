package supportkit

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// ErrRunning is returned by Run when the Desk's Run is running already.
var ErrRunning = errors.New("supportkit: Run is running already")

// Run drives the Desk until ctx ends, and returns ctx.Err(). It first loads what the
// store holds (Load, retried after a failure). Then it waits for the next wake (NextWake,
// or the next pruning of the Ledger), the next change committed through this Desk or, with Config.Feed, through any Desk, and
// then: reads the changes other Desks committed (Follow), applies agents' presence from
// Config.Roster, evaluates the SLA clocks that are due (CheckClocks), expires offers that
// timed out and offers waiting tickets to free agents when this Desk holds the Lease
// (Dispatch, delivering each offer to Hooks.OnOffered), and retries hook deliveries that
// are due (RetryHooks), and prunes the Ledger once an hour (Config.LedgerRetention).
// Errors of these steps are logged to Config.Logger and retried at the next wake (a feed
// that failed to read wakes Run again no sooner than RetryPolicy.First later); Run itself
// never fails before ctx ends, but for ErrRunning.
//
// Run blocks; with a Feed it starts one goroutine that waits on the feed, and stops it
// before returning. Every other method works the same whether Run is running or not, so a
// host with its own scheduler calls Tick (or CheckClocks, Dispatch and RetryHooks) at
// NextWake instead. Run may be called once at a time per Desk: a call made while another
// runs returns ErrRunning at once, changing nothing. On return it withdraws
// this Desk's open offers and releases the Lease, if it held it, taking at most a third of
// Config.LeaseFor for it.
func (d *Desk) Run(ctx context.Context) error {
	if !d.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer d.running.Store(false)
	defer d.releaseLease()
	if d.cfg.Feed != nil {
		var wg sync.WaitGroup
		defer wg.Wait()
		wg.Go(func() { d.watchFeed(ctx) })
	}
	for ctx.Err() == nil {
		err := d.Load(ctx)
		if err == nil {
			break
		}
		d.cfg.Logger.Warn().Err(err).Msg("desk: loading the store failed; retrying")
		d.cfg.Sleep(ctx, d.cfg.Now().Add(d.cfg.Retry.First), nil)
	}
	for {
		d.Tick(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		now := d.cfg.Now()
		next, ok := d.NextWake(ctx, now)
		if !ok {
			next = time.Time{}
		}
		d.cfg.Sleep(ctx, next, d.wake)
		select {
		case <-d.wake:
		default:
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// Tick runs one round of Run at the Desk's clock: feed, clocks, offers, retries and, when
// due, the pruning of the Ledger (Config.LedgerRetention). A host that drives the Desk
// itself may call it instead of the separate methods.
func (d *Desk) Tick(ctx context.Context) {
	if err := d.Follow(ctx); err != nil && ctx.Err() == nil {
		d.cfg.Logger.Warn().Err(err).Msg("desk: reading the change feed failed")
	}
	now := d.cfg.Now()
	if err := d.CheckClocks(ctx, now); err != nil && ctx.Err() == nil {
		d.cfg.Logger.Warn().Err(err).Msg("desk: checking clocks failed for some tickets")
	}
	if err := d.followRoster(ctx); err != nil && ctx.Err() == nil {
		d.cfg.Logger.Warn().Err(err).Msg("desk: reading the roster failed")
	}
	if d.cfg.Router != nil {
		// The clock is read again: the hooks CheckClocks called may have run past the hold
		// on the Lease, which Dispatch must look at as of now.
		offers, err := d.Dispatch(ctx, d.cfg.Now())
		if err != nil && ctx.Err() == nil {
			d.cfg.Logger.Warn().Err(err).Msg("desk: dispatch failed")
		}
		for _, o := range offers {
			d.offered(ctx, o)
		}
	}
	d.RetryHooks(ctx, now)
	d.pruneLedger(ctx, now)
}

// offered delivers an offer to Hooks.OnOffered.
func (d *Desk) offered(ctx context.Context, o routing.Offer) {
	h := d.cfg.Hooks.OnOffered
	if h == nil {
		return
	}
	_, t, err := d.taskTicket(ctx, o.TaskID)
	if err != nil {
		d.cfg.Logger.Warn().Err(err).Str("task", o.TaskID).Msg("desk: offer not delivered to the host")
		return
	}
	d.deliver(ctx, "offered/"+offerKey(o), "OnOffered", t, func(ctx context.Context, t ticket.Ticket) error { return h(ctx, o, t) })
}

// poke wakes Run: something changed that may be due now.
func (d *Desk) poke() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// sleep is the default Config.Sleep: a timer of the real clock.
func sleep(ctx context.Context, until time.Time, wake <-chan struct{}) {
	var timer <-chan time.Time
	if !until.IsZero() {
		t := time.NewTimer(time.Until(until))
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ctx.Done():
	case <-wake:
	case <-timer:
	}
}
