package desktest

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

// chaosCapacity is how many email tickets each agent of Chaos may hold at once.
const chaosCapacity = 3

// ChaosStore is the test's own view of the ticket store Chaos runs its Desks over.
type ChaosStore interface {
	ticket.Store
	ticket.Feed
}

// ChaosConfig says what Chaos runs its Desks over.
type ChaosConfig struct {
	// Tickets is how many tickets arrive, over the first 90 simulated minutes. Default 120,
	// 40 with -short.
	Tickets int
	// Desk returns the durable parts of a new Desk named name, as a process of its own
	// would build them over the shared storage: Store and Feed (required), Ledger, Lease,
	// Roster and Clocks. Chaos sets the rest (Instance, clock, policies, routing, hooks).
	Desk func(t *testing.T, name string) supportkit.Config
	// Reader is the test's view of the store the Desks share: Chaos reads the feed to know
	// when the Desks have caught up, and the logs for its oracle. Required.
	Reader ChaosStore
	// Crash, when set, ends the Desk named name the way a crash does: it makes the Desk's
	// storage unreachable, calls stop (which cancels the Desk's Run and waits for it to
	// return) and returns once done, so that Run's hand-over (the Lease's release) is lost.
	// Nil: the Desk is stopped the way a host shuts down, handing the Lease over.
	Crash func(name string, stop func())
}

// Chaos runs three Desks (Run, on one simulated clock) over the storage that cfg.Desk
// builds; tickets arrive and agents answer offers (some decline, some never answer),
// reply and solve through random Desks; at minute 45 the Desk that holds the Lease is
// stopped (cfg.Crash: killed) and at minute 50 a fresh one started. It checks that at the
// end every ticket is solved, no ticket was offered to two agents at once, no agent held
// more than its capacity, another Desk held the Lease within LeaseFor (5 minutes) of the
// stop, every hook occurrence was delivered exactly once (the oracle: the assignments and
// solves of the final logs, and every warning and breach sla.Evaluate reports at some
// instant of a ticket's history), and each Desk's metrics equal those of a Desk built
// afresh from cfg.Reader.
func Chaos(t *testing.T, cfg ChaosConfig) {
	tickets := cfg.Tickets
	if tickets <= 0 {
		tickets = 120
		if testing.Short() {
			tickets = 40
		}
	}
	c := &chaos{t: t, cfg: cfg, clock: simclock.New(base), policies: chaosPolicies(t),
		delivered: map[string]int{}, open: map[string]routing.Offer{}, answered: map[string]bool{}}
	for i := range max(5, tickets/24) {
		c.agents = append(c.agents, fmt.Sprintf("agent-%02d", i))
	}
	for i := range 3 {
		c.start(fmt.Sprintf("desk-%d", i+1))
	}
	defer func() {
		for _, m := range c.live() {
			m.stop()
		}
	}()
	ids, takeover := c.play(tickets)
	c.check(ids, tickets, takeover)
}

// chaos is the cluster of Desks Chaos runs, with what their hooks reported.
type chaos struct {
	t        *testing.T
	cfg      ChaosConfig
	clock    *simclock.Clock
	policies *sla.Policies
	agents   []string
	head     ticket.Cursor // how far the test has read the feed
	rng      *rand.Rand

	mu        sync.Mutex
	desks     []*chaosDesk
	delivered map[string]int           // occurrence -> hook calls, over every Desk
	offers    []routing.Offer          // offers delivered and not yet answered by the test
	open      map[string]routing.Offer // ticket -> its latest offer, to check one at a time
	answered  map[string]bool          // offers the test answered, by offerID
	problems  []string                 // broken invariants
	killed    string                   // the Desk stopped at minute 45
}

// chaosDesk is one Desk of the cluster and how to stop it.
type chaosDesk struct {
	name   string
	desk   *supportkit.Desk
	cancel context.CancelFunc
	done   chan struct{}
}

// stop cancels the Desk's Run and waits for it to return.
func (m *chaosDesk) stop() {
	m.cancel()
	<-m.done
}

// chaosPlan is what the agent who accepts a ticket does with it.
type chaosPlan struct {
	agent         string
	reply, solved int // minutes after acceptance
	acceptedAt    int // -1 until accepted
}

// play runs the simulated minutes until every ticket is solved, and returns the tickets
// and the minute another Desk held the Lease after the stop (-1 if none did).
func (c *chaos) play(tickets int) ([]uuid.UUID, int) {
	ctx := context.Background()
	c.rng = rand.New(rand.NewPCG(7, 11))
	for _, a := range c.agents {
		require.NoError(c.t, c.anyDesk().SetPresence(ctx, a, routing.Available))
	}
	arrivals := map[int]int{}
	for range tickets {
		arrivals[c.rng.IntN(90)]++
	}
	plans := map[uuid.UUID]*chaosPlan{}
	var ids []uuid.UUID
	takeover := -1
	for minute := 0; minute < 900; minute++ {
		c.clock.Advance(base.Add(time.Duration(minute) * time.Minute))
		switch minute {
		case 45:
			c.stopLeader()
		case 50:
			c.start("desk-4")
		}
		for range arrivals[minute] {
			tk, err := c.anyDesk().Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down",
				Requester: ticket.Requester{ID: "cust-1", Email: "ann@example.com"}, Channel: ticket.ChannelEmail})
			require.NoError(c.t, err)
			ids = append(ids, tk.ID)
			plans[tk.ID] = &chaosPlan{reply: 1 + c.rng.IntN(15), solved: 5 + c.rng.IntN(60), acceptedAt: -1}
		}
		c.settle(ctx)
		c.answerOffers(ctx, plans, minute)
		c.work(ctx, ids, plans, minute)
		c.settle(ctx)
		if minute >= 45 && takeover < 0 && slices.ContainsFunc(c.live(), func(m *chaosDesk) bool { return m.desk.Leading() }) {
			takeover = minute
		}
		if minute > 100 && c.checkCapacity(ctx) == 0 {
			break
		}
	}
	c.settle(ctx)
	return ids, takeover
}

// anyDesk returns a random live Desk.
func (c *chaos) anyDesk() *supportkit.Desk {
	l := c.live()
	return l[c.rng.IntN(len(l))].desk
}

// answerOffers has the agents answer the offers delivered: most accept, some decline, some
// let the offer lapse.
func (c *chaos) answerOffers(ctx context.Context, plans map[uuid.UUID]*chaosPlan, minute int) {
	for _, o := range c.takeOffers() {
		id, err := uuid.Parse(o.TaskID)
		require.NoError(c.t, err)
		switch x := c.rng.IntN(20); {
		case x == 0: // the agent does not answer: the offer lapses
		case x == 1:
			if err := c.anyDesk().Decline(ctx, o); err == nil {
				c.answer(o)
			}
		default:
			_, err := c.anyDesk().Accept(ctx, o)
			if err == nil {
				c.answer(o)
				plans[id].agent, plans[id].acceptedAt = o.AgentID, minute
			} else if !errors.Is(err, routing.ErrNotOffered) && !errors.Is(err, routing.ErrOfferExpired) {
				require.NoError(c.t, err)
			}
		}
	}
}

func (c *chaos) answer(o routing.Offer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.answered[offerID(o)] = true
}

// work has the agents reply to and solve the tickets they accepted, as planned.
func (c *chaos) work(ctx context.Context, ids []uuid.UUID, plans map[uuid.UUID]*chaosPlan, minute int) {
	for _, id := range ids {
		p := plans[id]
		if p.acceptedAt < 0 {
			continue
		}
		actor := ticket.Actor{Kind: ticket.ActorAgent, ID: p.agent, Name: p.agent}
		switch minute - p.acceptedAt {
		case p.reply:
			_, err := c.anyDesk().Tickets().Comment(ctx, actor, id, ticket.NewComment{Body: "Looking.", Public: true})
			require.NoError(c.t, err)
		case p.reply + p.solved:
			_, err := c.anyDesk().Tickets().Solve(ctx, actor, id)
			require.NoError(c.t, err)
		}
	}
}

// check asserts the invariants at the end of the run.
func (c *chaos) check(ids []uuid.UUID, tickets, takeover int) {
	t, ctx := c.t, context.Background()
	require.Zero(t, c.checkCapacity(ctx), "every ticket handled")
	require.Len(t, ids, tickets)
	c.mu.Lock()
	assert.Empty(t, c.problems)
	var twice []string
	got := make(map[string]bool, len(c.delivered))
	for k, n := range c.delivered {
		got[k] = true
		if n != 1 {
			twice = append(twice, fmt.Sprintf("%s x%d", k, n))
		}
	}
	answered, killed := len(c.answered), c.killed
	c.mu.Unlock()
	assert.Empty(t, twice, "delivered more than once")
	// A crashed Desk released nothing: the others waited for its hold to lapse, at most
	// LeaseFor (5 minutes) after its last renewal.
	assert.True(t, takeover >= 45 && takeover <= 50, "taken over at minute %d", takeover)
	t.Logf("%d tickets, %d agents, %s stopped at minute 45, the lease taken over at minute %d, %d occurrences delivered, %d offers answered",
		len(ids), len(c.agents), killed, takeover, len(got), answered)
	assert.Equal(t, c.expected(ctx, ids), got, "every occurrence delivered")

	fresh, err := supportkit.New(supportkit.Config{Store: c.cfg.Reader, Feed: c.cfg.Reader, Now: c.clock.Now, Policies: c.policies})
	require.NoError(t, err)
	require.NoError(t, fresh.Load(ctx))
	want := recordsByID(fresh)
	require.Len(t, want, tickets)
	for _, m := range c.live() {
		assert.Equal(t, want, recordsByID(m.desk), "metrics of %s", m.name)
	}
}

// start builds the Desk named name over cfg.Desk's parts and runs it.
func (c *chaos) start(name string) {
	t := c.t
	dc := c.cfg.Desk(t, name)
	dc.Instance, dc.Now, dc.Sleep, dc.Policies = name, c.clock.Now, c.clock.Sleep, c.policies
	dc.LeaseFor, dc.Routing, dc.Hooks = 5*time.Minute, &routing.Config{OfferTimeout: 2 * time.Minute}, c.hooks()
	d, err := supportkit.New(dc)
	require.NoError(t, err)
	for _, id := range c.agents {
		_, err := d.AddAgent(routing.Agent{ID: id, Name: id, Presence: routing.Offline,
			Capacity: map[routing.Channel]int{routing.ChannelEmail: chaosCapacity}})
		require.NoError(t, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &chaosDesk{name: name, desk: d, cancel: cancel, done: make(chan struct{})}
	c.clock.Add(1)
	go func() {
		defer close(m.done)
		defer c.clock.Add(-1)
		_ = d.Run(ctx)
	}()
	c.mu.Lock()
	c.desks = append(c.desks, m)
	c.mu.Unlock()
}

// hooks record each occurrence the Desks deliver, and the offers.
func (c *chaos) hooks() supportkit.Hooks {
	return supportkit.Hooks{
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
	}
}

// stopLeader stops the Desk that holds the Lease (the first, when none does): with
// cfg.Crash as a crash does, otherwise as a host shuts down.
func (c *chaos) stopLeader() {
	live := c.live()
	leader := live[0]
	for _, m := range live {
		if m.desk.Leading() {
			leader = m
		}
	}
	if c.cfg.Crash != nil {
		c.cfg.Crash(leader.name, leader.stop)
	} else {
		leader.stop()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.killed = leader.name
	c.desks = slices.DeleteFunc(c.desks, func(x *chaosDesk) bool { return x == leader })
}

func (c *chaos) deliver(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.delivered[key]++
}

func (c *chaos) offered(o routing.Offer) {
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

func (c *chaos) live() []*chaosDesk {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.desks)
}

func (c *chaos) takeOffers() []routing.Offer {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.offers
	c.offers = nil
	return out
}

// settle returns once every live Desk has read the feed as far as the test and has done
// its work for the clock's instant, again until no write comes of that work.
func (c *chaos) settle(ctx context.Context) {
	for {
		head := c.readFeed(ctx)
		deadline := time.Now().Add(30 * time.Second)
		for _, m := range c.live() {
			for c.behind(ctx, m.desk.Cursor(), head) {
				require.True(c.t, time.Now().Before(deadline), "%s stuck at %q, feed at %q", m.name, m.desk.Cursor(), head)
				time.Sleep(time.Millisecond)
			}
		}
		c.clock.Settle()
		if c.readFeed(ctx) == head {
			return
		}
	}
}

// readFeed reads the feed to its end and returns the cursor there.
func (c *chaos) readFeed(ctx context.Context) ticket.Cursor {
	for {
		entries, err := c.cfg.Reader.Changes(ctx, c.head, 1000)
		require.NoError(c.t, err)
		if len(entries) == 0 {
			return c.head
		}
		c.head = entries[len(entries)-1].Cursor
	}
}

// behind reports whether the feed cursor at comes before head: whether head is among the
// entries after it. Cursors are opaque, so it reads the feed from at.
func (c *chaos) behind(ctx context.Context, at, head ticket.Cursor) bool {
	for at != head {
		entries, err := c.cfg.Reader.Changes(ctx, at, 1000)
		require.NoError(c.t, err)
		if len(entries) == 0 {
			return false
		}
		for _, e := range entries {
			if e.Cursor == head {
				return true
			}
		}
		at = entries[len(entries)-1].Cursor
	}
	return false
}

// checkCapacity records an agent holding more open tickets than its capacity, and returns
// how many tickets are not solved.
func (c *chaos) checkCapacity(ctx context.Context) int {
	held := map[string]int{}
	unsolved := 0
	q := ticket.Query{Statuses: []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusPending, ticket.StatusOnHold}, Limit: 500}
	for {
		page, err := c.cfg.Reader.List(ctx, q)
		require.NoError(c.t, err)
		for _, tk := range page.Tickets {
			unsolved++
			if tk.Assignee != "" && (tk.Status == ticket.StatusNew || tk.Status == ticket.StatusOpen) {
				held[tk.Assignee]++
			}
		}
		if page.Next == uuid.Nil {
			break
		}
		q.After = page.Next
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for a, n := range held {
		if n > chaosCapacity {
			c.problems = append(c.problems, fmt.Sprintf("%s holds %d tickets at %s", a, n, c.clock.Now().Format("15:04")))
		}
	}
	return unsolved
}

// expected is the oracle of occurrences, from the final logs: each assignment and solve,
// and every warning and breach the sla package reports at some instant of a ticket's
// history (at each event, just before it, and at the end).
func (c *chaos) expected(ctx context.Context, ids []uuid.UUID) map[string]bool {
	want := map[string]bool{}
	end := c.clock.Now()
	for _, id := range ids {
		events, err := c.cfg.Reader.Events(ctx, id, 0)
		require.NoError(c.t, err)
		for _, e := range events {
			switch {
			case e.Kind == ticket.EventAssigneeChanged:
				want[fmt.Sprintf("assigned %s %s", id, e.ToAssignee)] = true
			case e.Kind == ticket.EventStatusChanged && e.ToStatus == ticket.StatusSolved:
				want[fmt.Sprintf("solved %s", id)] = true
			}
		}
		tl := supportkit.Timeline(events, "")
		instants := []time.Time{end}
		for _, e := range tl {
			instants = append(instants, e.At, e.At.Add(-time.Nanosecond))
		}
		for _, at := range instants {
			res, err := sla.Evaluate(c.policies, tl, at)
			require.NoError(c.t, err)
			for _, cl := range res.Clocks {
				for _, w := range cl.Warnings {
					want[fmt.Sprintf("warning %s %s %d %d", id, cl.Metric, cl.Cycles, w.Index)] = true
				}
				if cl.Outcome == sla.Breached {
					want[fmt.Sprintf("breach %s %s %d", id, cl.Metric, cl.Cycles)] = true
				}
			}
		}
	}
	return want
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

func recordsByID(d *supportkit.Desk) map[string]metrics.Record {
	out := map[string]metrics.Record{}
	for r := range d.Metrics().Records() {
		out[r.TicketID] = r
	}
	return out
}
