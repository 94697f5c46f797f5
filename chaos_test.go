package supportkit_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/simclock"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// cluster is several Desks over one memory store, ledger, lease and roster, on one
// simulated clock, with what their hooks reported.
type cluster struct {
	t        *testing.T
	clock    *simclock.Clock
	store    *ticket.MemoryStore
	ledger   *supportkit.MemoryLedger
	lease    *supportkit.MemoryLease
	roster   *supportkit.MemoryRoster
	policies *sla.Policies
	agents   []string

	mu        sync.Mutex
	desks     []*member
	delivered map[string]int           // occurrence -> hook calls, over every Desk
	offers    []routing.Offer          // offers delivered and not yet answered by the test
	open      map[string]routing.Offer // ticket -> its latest offer, to check one at a time
	answered  map[string]bool          // offers the test answered, by offer key
	problems  []string                 // broken invariants
}

// member is one Desk of the cluster and how to stop it.
type member struct {
	name string
	desk *supportkit.Desk
	stop func()
}

const chaosCapacity = 3

func (c *cluster) start(name string) *member {
	t := c.t
	d, err := supportkit.New(supportkit.Config{
		Store: c.store, Feed: c.store, Ledger: c.ledger, Lease: c.lease, Roster: c.roster, Instance: name,
		Now: c.clock.Now, Sleep: c.clock.Sleep, Policies: c.policies, LeaseFor: 5 * time.Minute,
		Routing: &routing.Config{OfferTimeout: 2 * time.Minute},
		Hooks: supportkit.Hooks{
			OnBreachWarning: func(_ context.Context, tk ticket.Ticket, cl sla.ClockResult, w sla.WarningHit) error {
				c.deliver(fmt.Sprintf("warning %s %s %d %d", tk.ID, cl.Metric, cl.Cycles, w.Index))
				return nil
			},
			OnBreach: func(_ context.Context, tk ticket.Ticket, cl sla.ClockResult) error {
				c.deliver(fmt.Sprintf("breach %s %s %d", tk.ID, cl.Metric, cl.Cycles))
				return nil
			},
			OnAssigned: func(_ context.Context, tk ticket.Ticket) error {
				c.deliver(fmt.Sprintf("assigned %s %s", tk.ID, tk.Assignee)) // each ticket is accepted once
				return nil
			},
			OnSolved: func(_ context.Context, tk ticket.Ticket) error {
				c.deliver(fmt.Sprintf("solved %s", tk.ID))
				return nil
			},
			OnOffered: func(_ context.Context, o routing.Offer, _ ticket.Ticket) error {
				c.offered(o)
				return nil
			},
		},
	})
	require.NoError(t, err)
	for _, id := range c.agents {
		_, err := d.AddAgent(routing.Agent{ID: id, Name: id, Presence: routing.Offline,
			Capacity: map[routing.Channel]int{routing.ChannelEmail: chaosCapacity}})
		require.NoError(t, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	c.clock.Add(1)
	go func() {
		defer close(done)
		_ = d.Run(ctx)
	}()
	m := &member{name: name, desk: d, stop: func() { cancel(); <-done; c.clock.Add(-1) }}
	c.mu.Lock()
	c.desks = append(c.desks, m)
	c.mu.Unlock()
	return m
}

func (c *cluster) deliver(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.delivered[key]++
}

func (c *cluster) offered(o routing.Offer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	if prev, ok := c.open[o.TaskID]; ok && !c.answered[offerID(prev)] && now.Before(prev.ExpiresAt) {
		c.problems = append(c.problems, fmt.Sprintf("ticket %s offered to %s while its offer to %s was open", o.TaskID, o.AgentID, prev.AgentID))
	}
	c.open[o.TaskID] = o
	c.offers = append(c.offers, o)
}

func offerID(o routing.Offer) string {
	return fmt.Sprintf("%s %s %d %d", o.TaskID, o.AgentID, o.OfferedAt.UnixNano(), o.No)
}

func (c *cluster) live() []*member {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.desks)
}

func (c *cluster) remove(m *member) {
	m.stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.desks = slices.DeleteFunc(c.desks, func(x *member) bool { return x == m })
}

func (c *cluster) takeOffers() []routing.Offer {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.offers
	c.offers = nil
	return out
}

// chaosPolicies: a first reply within 20 minutes (warned at half) and a fix within 90.
func chaosPolicies(t *testing.T) *sla.Policies {
	p, err := sla.NewPolicies(sla.Policy{Name: "chaos", Targets: map[string]sla.Targets{"": {
		FirstResponse: &sla.Target{Within: 20*time.Minute + 7*time.Second, Warnings: []sla.Warning{{Percent: 50}}},
		Resolution:    &sla.Target{Within: 90*time.Minute + 11*time.Second},
	}}})
	require.NoError(t, err)
	return p
}

// TestChaosSeveralDesksActAsOne runs three Desks over one store; tickets arrive and
// agents answer offers, reply and solve through random Desks; one Desk is stopped mid-run
// and a fresh one started. At the end every ticket is solved, no ticket was offered to
// two agents at once, no agent held more than its capacity, every hook occurrence was
// delivered exactly once, and each Desk's metrics equal those of a Desk built afresh from
// the store.
func TestChaosSeveralDesksActAsOne(t *testing.T) {
	tickets := 120
	if testing.Short() {
		tickets = 40
	}
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 11))
	c := &cluster{t: t, clock: simclock.New(start), store: ticket.NewMemoryStore(), ledger: supportkit.NewMemoryLedger(),
		lease: &supportkit.MemoryLease{}, roster: &supportkit.MemoryRoster{}, policies: chaosPolicies(t),
		agents: []string{"ann", "bob", "cid", "dan", "eve"}, delivered: map[string]int{}, open: map[string]routing.Offer{},
		answered: map[string]bool{}}
	for i := range 3 {
		c.start(fmt.Sprintf("desk-%d", i+1))
	}
	defer func() {
		for _, m := range c.live() {
			m.stop()
		}
	}()
	any := func() *supportkit.Desk { l := c.live(); return l[r.IntN(len(l))].desk }
	for _, a := range c.agents {
		require.NoError(t, any().SetPresence(ctx, a, routing.Available))
	}

	type plan struct {
		id            uuid.UUID
		agent         string
		reply, solved int // minutes after acceptance
		acceptedAt    int
	}
	arrivals := map[int]int{}
	for range tickets {
		arrivals[r.IntN(90)]++
	}
	plans := map[string]*plan{}
	var ids []uuid.UUID
	agentTicket := func(id uuid.UUID) (ticket.Ticket, error) { return any().Tickets().Get(ctx, id) }
	for minute := 0; minute < 600; minute++ {
		c.clock.Advance(start.Add(time.Duration(minute) * time.Minute))
		switch minute {
		case 45:
			c.remove(c.live()[0])
		case 50:
			c.start("desk-4")
		}
		for range arrivals[minute] {
			tk, err := any().Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down",
				Requester: customer, Channel: ticket.ChannelEmail})
			require.NoError(t, err)
			ids = append(ids, tk.ID)
			plans[tk.ID.String()] = &plan{id: tk.ID, reply: 1 + r.IntN(15), solved: 5 + r.IntN(60), acceptedAt: -1}
		}
		c.clock.Settle()
		for _, o := range c.takeOffers() {
			p := plans[o.TaskID]
			switch x := r.IntN(20); {
			case x == 0: // the agent does not answer: the offer lapses
			case x == 1:
				if err := any().Decline(ctx, o); err == nil {
					c.mu.Lock()
					c.answered[offerID(o)] = true
					c.mu.Unlock()
				}
			default:
				_, err := any().Accept(ctx, o)
				if err == nil {
					c.mu.Lock()
					c.answered[offerID(o)] = true
					c.mu.Unlock()
					p.agent, p.acceptedAt = o.AgentID, minute
				} else if !errors.Is(err, routing.ErrNotOffered) && !errors.Is(err, routing.ErrOfferExpired) {
					require.NoError(t, err)
				}
			}
		}
		for _, id := range ids {
			p := plans[id.String()]
			if p.acceptedAt < 0 {
				continue
			}
			actor := ticket.Actor{Kind: ticket.ActorAgent, ID: p.agent, Name: p.agent}
			switch minute - p.acceptedAt {
			case p.reply:
				_, err := any().Tickets().Comment(ctx, actor, id, ticket.NewComment{Body: "Looking.", Public: true})
				require.NoError(t, err)
			case p.reply + p.solved:
				_, err := any().Tickets().Solve(ctx, actor, id)
				require.NoError(t, err)
			}
		}
		c.clock.Settle()
		c.checkCapacity(ctx)
		if minute > 100 && allSolved(t, ctx, agentTicket, ids) {
			break
		}
	}
	for _, m := range c.live() {
		require.NoError(t, m.desk.Follow(ctx))
	}
	c.clock.Settle()

	require.True(t, allSolved(t, ctx, agentTicket, ids), "every ticket handled")
	c.mu.Lock()
	assert.Empty(t, c.problems)
	var twice []string
	for k, n := range c.delivered {
		if n != 1 {
			twice = append(twice, fmt.Sprintf("%s x%d", k, n))
		}
	}
	got := make(map[string]bool, len(c.delivered))
	for k := range c.delivered {
		got[k] = true
	}
	answered := len(c.answered)
	c.mu.Unlock()
	assert.Empty(t, twice, "delivered more than once")
	t.Logf("%d tickets, %d occurrences delivered, %d offers answered", len(ids), len(got), answered)
	assert.Equal(t, c.expected(ctx, ids), got, "every occurrence delivered")

	fresh, err := supportkit.New(supportkit.Config{Store: c.store, Feed: c.store, Now: c.clock.Now, Policies: c.policies})
	require.NoError(t, err)
	require.NoError(t, fresh.Load(ctx))
	want := recordsByID(fresh)
	for _, m := range c.live() {
		assert.Equal(t, want, recordsByID(m.desk), "metrics of %s", m.name)
	}
}

func recordsByID(d *supportkit.Desk) map[string]metrics.Record {
	out := map[string]metrics.Record{}
	for r := range d.Metrics().Records() {
		out[r.TicketID] = r
	}
	return out
}

func allSolved(t *testing.T, ctx context.Context, get func(uuid.UUID) (ticket.Ticket, error), ids []uuid.UUID) bool {
	for _, id := range ids {
		tk, err := get(id)
		require.NoError(t, err)
		if tk.Status != ticket.StatusSolved {
			return false
		}
	}
	return true
}

// checkCapacity records an agent holding more open tickets than its capacity.
func (c *cluster) checkCapacity(ctx context.Context) {
	held := map[string]int{}
	page, err := c.store.List(ctx, ticket.Query{Statuses: []ticket.Status{ticket.StatusNew, ticket.StatusOpen}, Limit: 1000})
	require.NoError(c.t, err)
	for _, tk := range page.Tickets {
		if tk.Assignee != "" {
			held[tk.Assignee]++
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for a, n := range held {
		if n > chaosCapacity {
			c.problems = append(c.problems, fmt.Sprintf("%s holds %d tickets at %s", a, n, c.clock.Now().Format("15:04")))
		}
	}
}

// expected is the oracle of occurrences, from the final logs: each assignment and solve,
// and every warning and breach the sla package reports at some instant of a ticket's
// history.
func (c *cluster) expected(ctx context.Context, ids []uuid.UUID) map[string]bool {
	want := map[string]bool{}
	for _, id := range ids {
		events, err := c.store.Events(ctx, id, 0)
		require.NoError(c.t, err)
		for _, e := range events {
			switch {
			case e.Kind == ticket.EventAssigneeChanged:
				want[fmt.Sprintf("assigned %s %s", id, e.ToAssignee)] = true
			case e.Kind == ticket.EventStatusChanged && e.ToStatus == ticket.StatusSolved:
				want[fmt.Sprintf("solved %s", id)] = true
			}
		}
		for o := range expectedPoints(c.t, c.policies, id, events, c.clock.Now()) {
			if o.index < 0 {
				want[fmt.Sprintf("breach %s %s %d", id, o.metric, o.cycle)] = true
			} else {
				want[fmt.Sprintf("warning %s %s %d %d", id, o.metric, o.cycle, o.index)] = true
			}
		}
	}
	return want
}
