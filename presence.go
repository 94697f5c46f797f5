package supportkit

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// Roster shares agents' presence between the Desks of one store (Config.Roster), so that
// an agent who signs in through any Desk is offered work by the one that dispatches.
// Presence is ephemeral: a Roster holds the latest presence each agent's client reported,
// and a host whose agents' clients stop reporting (a closed browser) sets them Offline
// itself. Contract: safe for concurrent use; SetPresence keeps, per agent, the presence
// with the latest at (an older report changes nothing); Presences returns a copy of every
// agent's latest presence; an empty agent ID or an unknown presence is an error wrapping
// ticket.ErrInvalid; methods honour ctx. desktest.TestRoster checks an implementation.
type Roster interface {
	// SetPresence records agent's presence p as of at.
	SetPresence(ctx context.Context, agent string, p routing.Presence, at time.Time) error
	// Presences returns the latest presence of every agent recorded.
	Presences(ctx context.Context) (map[string]routing.Presence, error)
}

// MemoryRoster is the in-memory Roster, for Desks of one process. The zero MemoryRoster is
// empty and ready to use; it is safe for concurrent use.
type MemoryRoster struct {
	mu     sync.Mutex
	agents map[string]presenceAt
}

type presenceAt struct {
	p  routing.Presence
	at time.Time
}

var _ Roster = (*MemoryRoster)(nil)

// SetPresence implements Roster.
func (r *MemoryRoster) SetPresence(ctx context.Context, agent string, p routing.Presence, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if agent == "" {
		return fmt.Errorf("%w: roster: empty agent ID", ticket.ErrInvalid)
	}
	if _, err := p.MarshalText(); err != nil {
		return fmt.Errorf("%w: roster: %v", ticket.ErrInvalid, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.agents == nil {
		r.agents = make(map[string]presenceAt)
	}
	if old, ok := r.agents[agent]; ok && at.Before(old.at) {
		return nil
	}
	r.agents[agent] = presenceAt{p: p, at: at}
	return nil
}

// Presences implements Roster.
func (r *MemoryRoster) Presences(ctx context.Context) (map[string]routing.Presence, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]routing.Presence, len(r.agents))
	for id, p := range r.agents {
		out[id] = p.p
	}
	return out, nil
}

// SetPresence changes an agent's presence: in Config.Roster when there is one, so that
// every Desk of the store follows it (the dispatching Desk at its next wake, within a
// third of LeaseFor), and in this Desk's Router at once. Going offline withdraws the
// agent's open offers of this Desk. Errors: ErrNotConfigured without a Router; the
// routing package's (routing.ErrNotFound for an unknown agent, routing.ErrInvalid for an
// unknown presence) and the Roster's, with nothing changed.
//
// Presence is not stored with the tickets: a Desk that starts has its agents as the host
// adds them (AddAgent, with the presence it gives), then as the Roster says. Agents come
// back after a restart when their clients report their presence again (a sign-in, or the
// heartbeat a client sends while it is open); a host without a durable Roster adds its
// agents Offline and lets each client set Available, so that nobody is offered work
// before they are back.
func (d *Desk) SetPresence(ctx context.Context, agent string, p routing.Presence) error {
	if d.cfg.Router == nil {
		return fmt.Errorf("%w: no router", ErrNotConfigured)
	}
	if _, err := d.cfg.Router.Agent(agent); err != nil {
		return err
	}
	if _, err := p.MarshalText(); err != nil {
		return err
	}
	if d.cfg.Roster != nil {
		if err := d.cfg.Roster.SetPresence(ctx, agent, p, d.cfg.Now()); err != nil {
			return err
		}
	}
	err := d.applyPresence(ctx, agent, p)
	d.poke()
	return err
}

// applyPresence sets the agent's presence in the Router, first withdrawing (through the
// Ledger) the agent's open offers when it goes offline, so that no Desk accepts them.
func (d *Desk) applyPresence(ctx context.Context, agent string, p routing.Presence) error {
	if p == routing.Offline {
		d.offers.mu.Lock()
		var open []routing.Offer
		for _, o := range d.offers.byTask {
			if o.AgentID == agent {
				open = append(open, o)
			}
		}
		d.offers.mu.Unlock()
		for _, o := range open {
			d.settleOffer(ctx, o, d.cfg.Now())
		}
	}
	return d.cfg.Router.SetPresence(agent, p)
}

// followRoster applies the Roster's presences that differ from the Router's.
func (d *Desk) followRoster(ctx context.Context) error {
	if d.cfg.Roster == nil || d.cfg.Router == nil {
		return nil
	}
	all, err := d.cfg.Roster.Presences(ctx)
	if err != nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(all)) {
		info, err := d.cfg.Router.Agent(id)
		if err != nil || info.Presence == all[id] {
			continue // an agent this Desk does not route to, or no change
		}
		if err := d.applyPresence(ctx, id, all[id]); err != nil {
			return err
		}
	}
	return nil
}
