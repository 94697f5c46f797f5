package routing

import (
	"context"
	"time"
)

// Run expires and dispatches every Config.TickInterval until ctx is done, handing each new
// offer to deliver (called from Run's goroutine, outside the Router's lock, so deliver may
// call Accept or Decline). It returns ctx.Err(). Run is the only method that waits; hosts
// with their own scheduler call Expire and Dispatch themselves (see NextWake).
func (r *Router) Run(ctx context.Context, deliver func(Offer)) error {
	if r == nil {
		return errNilRouter()
	}
	tick := time.NewTicker(r.config().TickInterval)
	defer tick.Stop()
	for {
		r.Tick(deliver)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// Tick runs one round of Run: Expire then Dispatch at Config.Now(), delivering each offer.
// deliver may be nil.
func (r *Router) Tick(deliver func(Offer)) {
	r = r.orEmpty()
	cfg := r.config()
	now := cfg.Now()
	exp := r.Expire(now)
	offers := r.Dispatch(now)
	cfg.Logger.Debug().Int("expired", len(exp.Offers)).Int("reassigned", len(exp.Reassigned)).
		Int("offers", len(offers)).Msg("routing tick")
	if deliver == nil {
		return
	}
	for _, o := range offers {
		deliver(o)
	}
}
