package supportkit

import (
	"cmp"
	"context"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Defaults of Config.LeaseFor, Config.CatchUp and Config.LedgerRetention.
const (
	defaultOfferTimeout = 30 * time.Second // routing.Config's
	defaultLeaseFor     = 30 * time.Second
	defaultCatchUp      = 24 * time.Hour
	defaultRetention    = 7 * 24 * time.Hour
)

// durableDefaults fills in and checks the Config fields of hook delivery and leadership.
func durableDefaults(cfg *Config) error {
	if err := cfg.Retry.validate(); err != nil {
		return err
	}
	if cfg.LeaseFor < 0 || cfg.CatchUp < 0 {
		return invalidConfig("LeaseFor or CatchUp is negative")
	}
	cfg.CatchUp = cmp.Or(cfg.CatchUp, defaultCatchUp)
	cfg.Retry = cfg.Retry.withDefaults()
	cfg.LeaseFor = cmp.Or(cfg.LeaseFor, defaultLeaseFor)
	if err := retentionDefault(cfg); err != nil {
		return err
	}
	if cfg.Lease != nil && cfg.Routing != nil && cmp.Or(cfg.Routing.OfferTimeout, defaultOfferTimeout) > cfg.LeaseFor {
		return invalidConfig("Routing.OfferTimeout is longer than LeaseFor")
	}
	if cfg.Clocks == nil {
		cfg.Clocks = &MemoryClockIndex{}
	}
	if cfg.Ledger == nil {
		cfg.Ledger = NewMemoryLedger()
	}
	if cfg.Instance == "" {
		id, err := uuid.NewRandom()
		if err != nil {
			return err
		}
		cfg.Instance = id.String()
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	return nil
}

// uniqueOwner returns an owner name for the Lease or the Ledger that no other holder has:
// the Desk's instance name and a random token. The Desk holds the Lease under one, so that
// two Desks given the same Instance never both hold it, and a Desk restarted under its old
// name waits for the old hold to lapse like any other; each answer to an offer claims its
// key under one of its own.
func uniqueOwner(instance string) (string, error) {
	id, err := uuid.NewRandom()
	if err != nil {
		return "", err
	}
	return instance + "#" + id.String(), nil
}

// leadership is what the Desk knows of the Lease: whether it held it at its last try and
// when it tries next.
type leadership struct {
	owner  string // this Desk's name in the Lease: Config.Instance and a token of its own
	mu     sync.Mutex
	held   bool
	retry  time.Time // when to renew the hold, or try to take it, next
	signal bool      // the hold was taken since the last look (a takeover)
}

// leading reports whether this Desk may dispatch at now: always without a Lease; with
// one, when it holds it, taking or renewing it when a third of LeaseFor has passed since
// the last try. took reports a hold taken now that was not held before. The Lease gets
// RetryPolicy.Timeout to answer, as the Desk's other stores do, so that one that no longer
// answers holds up neither Run nor Leading for longer: a try that runs out counts as a hold
// lost, and the next is made a third of LeaseFor on.
func (d *Desk) leading(ctx context.Context, now time.Time) (ok, took bool) {
	if d.cfg.Lease == nil {
		return true, false
	}
	d.lead.mu.Lock()
	defer d.lead.mu.Unlock()
	if now.Before(d.lead.retry) {
		return d.lead.held, false
	}
	actx, cancel := context.WithTimeout(ctx, d.cfg.Retry.Timeout)
	defer cancel()
	held, err := d.cfg.Lease.Acquire(actx, d.lead.owner, now, now.Add(d.cfg.LeaseFor))
	if err != nil {
		d.cfg.Logger.Warn().Err(err).Msg("desk: the lease could not be renewed")
		held = false
	}
	took = held && !d.lead.held
	d.lead.held, d.lead.retry = held, now.Add(d.cfg.LeaseFor/3)
	return held, took
}

// leaseWake returns when the Desk must next look at the Lease; zero without one.
func (d *Desk) leaseWake() time.Time {
	if d.cfg.Lease == nil {
		return time.Time{}
	}
	d.lead.mu.Lock()
	defer d.lead.mu.Unlock()
	return d.lead.retry
}

// releaseLease gives the Lease up when this Desk holds it, so that another takes over at
// once; it runs when Run returns, with a context that is not cancelled but ends a third
// of LeaseFor on: a Lease or Ledger that no longer answers holds Run up that long at most
// (the hold then lapses by itself).
func (d *Desk) releaseLease() {
	if d.cfg.Lease == nil {
		return
	}
	d.lead.mu.Lock()
	defer d.lead.mu.Unlock()
	if d.lead.held {
		ctx, cancel := context.WithTimeout(context.Background(), d.cfg.LeaseFor/3)
		defer cancel()
		if d.cfg.Router != nil {
			d.withdrawOffers(ctx)
		}
		if err := d.cfg.Lease.Release(ctx, d.lead.owner); err != nil {
			d.cfg.Logger.Warn().Err(err).Msg("desk: the lease could not be released")
		}
		d.lead.held, d.lead.retry = false, time.Time{}
	}
}

// Leading reports whether this Desk held the Lease at its last look (always true without
// a Lease): it is the one that dispatches.
func (d *Desk) Leading() bool {
	if d.cfg.Lease == nil {
		return true
	}
	d.lead.mu.Lock()
	defer d.lead.mu.Unlock()
	return d.lead.held
}

// retentionDefault fills in and checks Config.LedgerRetention, once CatchUp, Retry and
// LeaseFor have their defaults.
func retentionDefault(cfg *Config) error {
	least := cfg.CatchUp + cfg.Retry.ClaimFor + cfg.LeaseFor
	switch {
	case cfg.LedgerRetention == 0:
		cfg.LedgerRetention = max(defaultRetention, 2*cfg.CatchUp, least)
	case cfg.LedgerRetention > 0 && cfg.LedgerRetention < least:
		return invalidConfig("LedgerRetention is shorter than CatchUp, Retry.ClaimFor and LeaseFor together")
	}
	return nil
}
