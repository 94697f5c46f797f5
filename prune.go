package supportkit

import (
	"context"
	"errors"
	"sync"
	"time"
)

// pruneEvery is how often a Desk prunes a PruningLedger (Config.LedgerRetention).
const pruneEvery = time.Hour

// pruning is when the Desk next prunes its Ledger.
type pruning struct {
	mu   sync.Mutex
	next time.Time // zero: at the next Tick
}

// prunes reports whether this Desk prunes its Ledger: one that is a PruningLedger, with a
// LedgerRetention that is not negative, on the Desk that dispatches (every Desk when none
// dispatches).
func (d *Desk) prunes() (PruningLedger, bool) {
	pl, ok := d.cfg.Ledger.(PruningLedger)
	if !ok || d.cfg.LedgerRetention < 0 {
		return nil, false
	}
	return pl, d.cfg.Router == nil || d.Leading()
}

// pruneLedger prunes the Ledger as of now when it is due, and then not again for
// pruneEvery. One prune takes at most a third of LeaseFor, so that it never holds the
// Desk's round up past the renewal of the Lease: a large backlog (the first prune of an
// old ledger) is pruned a third of LeaseFor at a time, with a pause as long between. A
// failure is logged, and tried again at the next prune.
func (d *Desk) pruneLedger(ctx context.Context, now time.Time) {
	pl, ok := d.prunes()
	if !ok {
		return
	}
	d.pruning.mu.Lock()
	if now.Before(d.pruning.next) {
		d.pruning.mu.Unlock()
		return
	}
	d.pruning.next = now.Add(pruneEvery)
	d.pruning.mu.Unlock()
	pctx, cancel := context.WithTimeout(ctx, d.cfg.LeaseFor/3)
	n, err := pl.Prune(pctx, now.Add(-d.cfg.LedgerRetention))
	cancel()
	switch {
	case err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded):
		d.cfg.Logger.Debug().Int("records", n).Msg("desk: pruned part of the ledger; going on soon")
		d.pruning.mu.Lock()
		d.pruning.next = d.cfg.Now().Add(d.cfg.LeaseFor / 3)
		d.pruning.mu.Unlock()
	case err != nil && ctx.Err() == nil:
		d.cfg.Logger.Warn().Err(err).Msg("desk: pruning the ledger failed")
	case n > 0:
		d.cfg.Logger.Debug().Int("records", n).Msg("desk: pruned the ledger")
	}
}

// pruneWake returns when this Desk next prunes its Ledger; zero when it does not.
func (d *Desk) pruneWake() time.Time {
	if _, ok := d.prunes(); !ok {
		return time.Time{}
	}
	d.pruning.mu.Lock()
	defer d.pruning.mu.Unlock()
	return d.pruning.next
}
