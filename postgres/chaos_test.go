package postgres_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/postgres/internal/pgtest"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/simclock"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

var chaosTickets = flag.Int("chaos.tickets", 0, "tickets of TestChaosDesksOverOnePostgreSQL (default 120, 40 with -short, 2000 for the full run)")

var chaosStart = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

const chaosCapacity = 3

// pgCluster is several Desks over one PostgreSQL schema, each with a pool of its own (a
// process), on one simulated clock, with what their hooks reported.
type pgCluster struct {
	t        *testing.T
	schema   string
	clock    *simclock.Clock
	policies *sla.Policies
	agents   []string
	reader   *postgres.TicketStore // the test's own view of the store
	head     ticket.Cursor         // how far reader has read the feed

	mu        sync.Mutex
	desks     []*pgMember
	delivered map[string]int           // occurrence -> hook calls, over every Desk
	offers    []routing.Offer          // offers delivered and not yet answered by the test
	open      map[string]routing.Offer // ticket -> its latest offer, to check one at a time
	answered  map[string]bool          // offers the test answered
	problems  []string                 // broken invariants
}

// pgMember is one Desk of the cluster: its pool, and how to stop or kill it.
type pgMember struct {
	name   string
	desk   *supportkit.Desk
	pool   *pgxpool.Pool
	cancel context.CancelFunc
	done   chan struct{}
}

func (c *pgCluster) start(name string) *pgMember {
	t := c.t
	pool := pgtest.Pool(t, func(cfg *pgxpool.Config) { cfg.MaxConns = 6 })
	pcfg := postgres.Config{Schema: c.schema, PollInterval: 100 * time.Millisecond}
	store, err := postgres.NewTicketStore(pool, pcfg)
	require.NoError(t, err)
	ledger, err := postgres.NewLedger(pool, pcfg)
	require.NoError(t, err)
	lease, err := postgres.NewLease(pool, pcfg)
	require.NoError(t, err)
	roster, err := postgres.NewRoster(pool, pcfg)
	require.NoError(t, err)
	clocks, err := postgres.NewClockIndex(pool, pcfg, name)
	require.NoError(t, err)
	d, err := supportkit.New(supportkit.Config{
		Store: store, Feed: store, Ledger: ledger, Lease: lease, Roster: roster, Clocks: clocks, Instance: name,
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
	m := &pgMember{name: name, desk: d, pool: pool, cancel: cancel, done: make(chan struct{})}
	c.clock.Add(1)
	go func() {
		defer close(m.done)
		defer c.clock.Add(-1)
		_ = d.Run(ctx)
	}()
	c.mu.Lock()
	c.desks = append(c.desks, m)
	c.mu.Unlock()
	return m
}

// stop ends a Desk's Run the way a host shuts down: it hands the Lease over.
func (m *pgMember) stop() {
	m.cancel()
	<-m.done
}

// kill ends a Desk the way a crash does: its pool is closed first, so that Run's
// hand-over (the Lease's release) cannot reach the database, then its context ends.
func (c *pgCluster) kill(m *pgMember) {
	closed := make(chan struct{})
	go func() { m.pool.Close(); close(closed) }()
	time.Sleep(20 * time.Millisecond) // Close rejects new connections at once, then waits for those in use
	m.cancel()
	<-m.done
	<-closed
	c.mu.Lock()
	defer c.mu.Unlock()
	c.desks = slices.DeleteFunc(c.desks, func(x *pgMember) bool { return x == m })
}

func (c *pgCluster) deliver(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.delivered[key]++
}

func (c *pgCluster) offered(o routing.Offer) {
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

func (c *pgCluster) live() []*pgMember {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.desks)
}

func (c *pgCluster) takeOffers() []routing.Offer {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.offers
	c.offers = nil
	return out
}

// settle returns once every live Desk has read the feed as far as the test's reader and
// has done its work for the clock's instant, again until no write comes of that work.
func (c *pgCluster) settle(ctx context.Context) {
	for {
		head := c.readFeed(ctx)
		deadline := time.Now().Add(30 * time.Second)
		for _, m := range c.live() {
			for cursorBefore(m.desk.Cursor(), head) {
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
func (c *pgCluster) readFeed(ctx context.Context) ticket.Cursor {
	for {
		entries, err := c.reader.Changes(ctx, c.head, 1000)
		require.NoError(c.t, err)
		if len(entries) == 0 {
			return c.head
		}
		c.head = entries[len(entries)-1].Cursor
	}
}

// cursorBefore reports whether feed cursor a is before b (both "<transaction>:<position>").
func cursorBefore(a, b ticket.Cursor) bool {
	if b == "" {
		return false
	}
	if a == "" {
		return true
	}
	ax, ap := splitCursor(a)
	bx, bp := splitCursor(b)
	return ax < bx || ax == bx && ap < bp
}

func splitCursor(c ticket.Cursor) (uint64, int64) {
	x, p, _ := strings.Cut(string(c), ":")
	xid, _ := strconv.ParseUint(x, 10, 64)
	pos, _ := strconv.ParseInt(p, 10, 64)
	return xid, pos
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

// TestChaosDesksOverOnePostgreSQL runs three Desks, each with a pool of its own, over one
// PostgreSQL schema; tickets arrive and agents answer offers, reply and solve through
// random Desks; the dispatching Desk is killed mid-run (its pool closed, then its context
// cancelled, so it releases nothing) and a fresh one started. At the end every ticket is
// solved, no ticket was offered to two agents at once, no agent held more than its
// capacity, every hook occurrence was delivered exactly once, and each Desk's metrics
// equal those of a Desk built afresh over the store. It runs 120 tickets (40 with -short);
// the full run is
//
//	go test -run TestChaosDesksOverOnePostgreSQL -chaos.tickets 2000 -timeout 30m .
func TestChaosDesksOverOnePostgreSQL(t *testing.T) {
	tickets := 120
	if testing.Short() {
		tickets = 40
	}
	if *chaosTickets > 0 {
		tickets = *chaosTickets
	}
	ctx := context.Background()
	setupPool := pgtest.Pool(t, nil)
	schema := pgtest.Schema(t, setupPool)
	_, err := postgres.Migrate(ctx, setupPool, schema)
	require.NoError(t, err)
	reader, err := postgres.NewTicketStore(setupPool, postgres.Config{Schema: schema})
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(7, 11))
	c := &pgCluster{t: t, schema: schema, clock: simclock.New(chaosStart), policies: chaosPolicies(t), reader: reader,
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
	anyDesk := func() *supportkit.Desk { l := c.live(); return l[r.IntN(len(l))].desk }
	for _, a := range c.agents {
		require.NoError(t, anyDesk().SetPresence(ctx, a, routing.Available))
	}

	type plan struct {
		agent         string
		reply, solved int // minutes after acceptance
		acceptedAt    int
	}
	arrivals := map[int]int{}
	for range tickets {
		arrivals[r.IntN(90)]++
	}
	plans := map[uuid.UUID]*plan{}
	var ids []uuid.UUID
	killed, takeover := "", -1
	for minute := 0; minute < 900; minute++ {
		c.clock.Advance(chaosStart.Add(time.Duration(minute) * time.Minute))
		switch minute {
		case 45:
			leader := c.live()[0]
			for _, m := range c.live() {
				if m.desk.Leading() {
					leader = m
				}
			}
			killed = leader.name
			c.kill(leader)
		case 50:
			c.start("desk-4")
		}
		for range arrivals[minute] {
			tk, err := anyDesk().Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down",
				Requester: ticket.Requester{ID: "cust-1", Email: "ann@example.com"}, Channel: ticket.ChannelEmail})
			require.NoError(t, err)
			ids = append(ids, tk.ID)
			plans[tk.ID] = &plan{reply: 1 + r.IntN(15), solved: 5 + r.IntN(60), acceptedAt: -1}
		}
		c.settle(ctx)
		for _, o := range c.takeOffers() {
			id, err := uuid.Parse(o.TaskID)
			require.NoError(t, err)
			p := plans[id]
			switch x := r.IntN(20); {
			case x == 0: // the agent does not answer: the offer lapses
			case x == 1:
				if err := anyDesk().Decline(ctx, o); err == nil {
					c.mu.Lock()
					c.answered[offerID(o)] = true
					c.mu.Unlock()
				}
			default:
				_, err := anyDesk().Accept(ctx, o)
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
			p := plans[id]
			if p.acceptedAt < 0 {
				continue
			}
			actor := ticket.Actor{Kind: ticket.ActorAgent, ID: p.agent, Name: p.agent}
			switch minute - p.acceptedAt {
			case p.reply:
				_, err := anyDesk().Tickets().Comment(ctx, actor, id, ticket.NewComment{Body: "Looking.", Public: true})
				require.NoError(t, err)
			case p.reply + p.solved:
				_, err := anyDesk().Tickets().Solve(ctx, actor, id)
				require.NoError(t, err)
			}
		}
		c.settle(ctx)
		if killed != "" && takeover < 0 && slices.ContainsFunc(c.live(), func(m *pgMember) bool { return m.desk.Leading() }) {
			takeover = minute
		}
		unsolved := c.checkCapacity(ctx)
		if minute > 100 && unsolved == 0 {
			break
		}
	}
	c.settle(ctx)
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
	answered := len(c.answered)
	c.mu.Unlock()
	assert.Empty(t, twice, "delivered more than once")
	// The killed Desk released nothing: the others waited for its hold to lapse, at most
	// LeaseFor (5 minutes) after its last renewal.
	assert.True(t, takeover > 45 && takeover <= 50, "taken over at minute %d", takeover)
	t.Logf("%d tickets, %d agents, %s killed at minute 45, the lease taken over at minute %d, %d occurrences delivered, %d offers answered",
		len(ids), len(c.agents), killed, takeover, len(got), answered)
	assert.Equal(t, c.expected(ctx, ids), got, "every occurrence delivered")

	fresh, err := supportkit.New(supportkit.Config{Store: reader, Feed: reader, Now: c.clock.Now, Policies: c.policies})
	require.NoError(t, err)
	require.NoError(t, fresh.Load(ctx))
	want := recordsByID(fresh)
	require.Len(t, want, tickets)
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

// checkCapacity records an agent holding more open tickets than its capacity, and returns
// how many tickets are not solved.
func (c *pgCluster) checkCapacity(ctx context.Context) int {
	held := map[string]int{}
	unsolved := 0
	q := ticket.Query{Statuses: []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusPending, ticket.StatusOnHold}, Limit: 500}
	for {
		page, err := c.reader.List(ctx, q)
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
func (c *pgCluster) expected(ctx context.Context, ids []uuid.UUID) map[string]bool {
	want := map[string]bool{}
	end := c.clock.Now()
	for _, id := range ids {
		events, err := c.reader.Events(ctx, id, 0)
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
