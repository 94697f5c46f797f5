package supportkit_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// occurrence names one SLA notification: a warning point (index >= 0) or the breach (-1) of
// one cycle of one metric of one ticket.
type occurrence struct {
	ticket uuid.UUID
	metric sla.Metric
	cycle  int
	index  int
}

// ledger counts the hook calls of a Desk.
type ledger struct {
	mu       sync.Mutex
	points   map[occurrence]int
	assigned int
	solved   int
}

func (l *ledger) hooks() supportkit.Hooks {
	add := func(o occurrence) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.points[o]++
	}
	return supportkit.Hooks{
		OnBreachWarning: func(_ context.Context, t ticket.Ticket, c sla.ClockResult, w sla.WarningHit) error {
			add(occurrence{t.ID, c.Metric, c.Cycles, w.Index})
			return nil
		},
		OnBreach: func(_ context.Context, t ticket.Ticket, c sla.ClockResult) error {
			add(occurrence{t.ID, c.Metric, c.Cycles, -1})
			return nil
		},
		OnAssigned: func(context.Context, ticket.Ticket) error { l.mu.Lock(); l.assigned++; l.mu.Unlock(); return nil },
		OnSolved:   func(context.Context, ticket.Ticket) error { l.mu.Lock(); l.solved++; l.mu.Unlock(); return nil },
	}
}

// oddPolicies track every metric with targets of whole minutes and a few odd seconds, so
// that no warning or deadline ever falls on an instant of the workload's clock, which moves
// in whole minutes: what happened by an instant does not depend on which writes of that
// instant a check saw.
func oddPolicies(t *testing.T) *sla.Policies {
	t.Helper()
	half := []sla.Warning{{Percent: 50}}
	p, err := sla.NewPolicies(sla.Policy{Name: "odd", Targets: map[string]sla.Targets{"": {
		FirstResponse:  &sla.Target{Within: 30*time.Minute + 17*time.Second, Warnings: half},
		NextResponse:   &sla.Target{Within: 40*time.Minute + 13*time.Second, Warnings: half},
		PeriodicUpdate: &sla.Target{Within: 50*time.Minute + 11*time.Second, Warnings: half},
		Resolution:     &sla.Target{Within: 3*time.Hour + 7*time.Second, Warnings: []sla.Warning{{Percent: 50}, {Percent: 90}}},
	}}})
	require.NoError(t, err)
	return p
}

// expectedPoints is the oracle: on the ticket's final log, every warning point and breach
// the sla package reports at some instant of its history: at each event's instant, just
// before it, and at the end.
func expectedPoints(t *testing.T, p *sla.Policies, id uuid.UUID, events []ticket.Event, end time.Time) map[occurrence]bool {
	t.Helper()
	tl := supportkit.Timeline(events, "")
	instants := []time.Time{end}
	for _, e := range tl {
		instants = append(instants, e.At, e.At.Add(-time.Nanosecond))
	}
	want := map[occurrence]bool{}
	for _, at := range instants {
		res, err := sla.Evaluate(p, tl, at)
		require.NoError(t, err)
		for _, c := range res.Clocks {
			for _, w := range c.Warnings {
				want[occurrence{id, c.Metric, c.Cycles, w.Index}] = true
			}
			if c.Outcome == sla.Breached {
				want[occurrence{id, c.Metric, c.Cycles, -1}] = true
			}
		}
	}
	return want
}

// workload runs random ticket writes, merges, routing and clock checks from many
// goroutines against one Desk while the clock moves on.
type workload struct {
	t       *testing.T
	d       *supportkit.Desk
	clock   *fakeClock
	gate    sync.RWMutex // writers and checks share an instant; the clock moves alone
	mu      sync.Mutex
	tickets []uuid.UUID
	accepts int
}

func (w *workload) pick(r *rand.Rand) (uuid.UUID, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.tickets) == 0 {
		return uuid.Nil, false
	}
	return w.tickets[r.IntN(len(w.tickets))], true
}

// step does one random operation. Lifecycle refusals (a closed ticket, a move not allowed)
// are part of the game; anything else fails the test.
func (w *workload) step(ctx context.Context, r *rand.Rand) {
	w.gate.RLock()
	defer w.gate.RUnlock()
	svc := w.d.Tickets()
	cust := ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann"}
	id, ok := w.pick(r)
	var err error
	switch op := r.IntN(14); {
	case op < 2 || !ok:
		var tk ticket.Ticket
		tk, err = svc.Create(ctx, ticket.NewTicket{Subject: "s", Description: "d", Requester: customer,
			Channel: ticket.ChannelEmail, Group: "service-desk"})
		if err == nil {
			w.mu.Lock()
			w.tickets = append(w.tickets, tk.ID)
			w.mu.Unlock()
		}
	case op < 4:
		_, err = svc.Comment(ctx, agent, id, ticket.NewComment{Public: true, Body: "reply"})
	case op < 6:
		_, err = svc.Comment(ctx, cust, id, ticket.NewComment{Public: true, Body: "again"})
	case op == 6:
		s := []ticket.Status{ticket.StatusPending, ticket.StatusOnHold, ticket.StatusOpen}[r.IntN(3)]
		_, err = svc.Update(ctx, agent, id, ticket.Changes{Status: &s})
	case op == 7:
		if _, err = svc.Assign(ctx, agent, id, agent.ID); err == nil {
			_, err = svc.Solve(ctx, agent, id)
		}
	case op == 8:
		_, err = svc.Close(ctx, agent, id)
	case op == 9:
		_, err = svc.Reopen(ctx, agent, id)
	case op == 10:
		other, _ := w.pick(r)
		_, err = svc.Merge(ctx, agent, id, other)
	case op == 11:
		_, err = svc.Assign(ctx, agent, id, []string{"", "l1-a", "outsider"}[r.IntN(3)])
	default:
		w.dispatch(ctx)
	}
	if err != nil && !errors.Is(err, ticket.ErrClosed) && !errors.Is(err, ticket.ErrTransition) && !errors.Is(err, ticket.ErrInvalid) {
		assert.NoError(w.t, err)
	}
}

func (w *workload) dispatch(ctx context.Context) {
	offers, err := w.d.Dispatch(ctx, w.clock.Now())
	assert.NoError(w.t, err)
	for _, o := range offers {
		if _, err := w.d.Accept(ctx, o); err == nil {
			w.mu.Lock()
			w.accepts++
			w.mu.Unlock()
		}
	}
}

func (w *workload) check(ctx context.Context) {
	w.gate.RLock()
	defer w.gate.RUnlock()
	assert.NoError(w.t, w.d.CheckClocks(ctx, w.clock.Now()))
}

func (w *workload) tick(r *rand.Rand) {
	w.gate.Lock()
	defer w.gate.Unlock()
	w.clock.set(w.clock.Now().Add(time.Duration(1+r.IntN(20)) * time.Minute))
}

// TestHooksFireOncePerOccurrenceUnderConcurrentWritesAndChecks runs ticket writes, merges,
// dispatch and accept, and clock checks at random instants from many goroutines, then
// checks every hook call against what the final audit logs say should have been notified:
// each SLA warning and breach of the history exactly once, OnSolved once per solve,
// OnAssigned once per assignment and once per accepted offer. -short runs one seed.
func TestHooksFireOncePerOccurrenceUnderConcurrentWritesAndChecks(t *testing.T) {
	seeds := uint64(4)
	if testing.Short() {
		seeds = 1
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { runWorkload(t, seed) })
	}
}

func runWorkload(t *testing.T, seed uint64) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	router, err := routing.New(routing.Config{Now: clock.Now, OfferTimeout: 5 * time.Minute})
	require.NoError(t, err)
	require.NoError(t, router.AddAgent(routing.Agent{ID: "l1-a", Teams: []string{"service-desk"}, Presence: routing.Available,
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 3}}))
	policies := oddPolicies(t)
	log := &ledger{points: map[occurrence]int{}}
	// A host observer runs before the Desk's: checking the clocks from it is a check that
	// comes after a write is committed but before the Desk has seen it.
	var d *supportkit.Desk
	var rmu sync.Mutex
	r := rand.New(rand.NewPCG(seed, 200))
	early := func(ctx context.Context, _ ticket.Event, _ ticket.Ticket) {
		rmu.Lock()
		now := r.IntN(3) == 0
		rmu.Unlock()
		if now {
			assert.NoError(t, d.CheckClocks(ctx, clock.Now()))
		}
	}
	d, err = supportkit.New(supportkit.Config{Now: clock.Now, Policies: policies, Router: router, Hooks: log.hooks(),
		Tickets: ticket.Config{Observers: []ticket.Observer{early}}})
	require.NoError(t, err)
	w := &workload{t: t, d: d, clock: clock}

	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(seed, uint64(g)))
			for range 120 {
				w.step(ctx, r)
			}
		})
	}
	stop := make(chan struct{})
	var bg sync.WaitGroup
	bg.Go(func() {
		r := rand.New(rand.NewPCG(seed, 100))
		for {
			select {
			case <-stop:
				return
			default:
				w.tick(r)
				if r.IntN(4) == 0 {
					w.check(ctx)
				}
			}
		}
	})
	wg.Wait()
	close(stop)
	bg.Wait()
	end := clock.Now().Add(24 * time.Hour)
	require.NoError(t, d.CheckClocks(ctx, end))

	want := map[occurrence]bool{}
	var solves, assignments int
	tickets := 0
	for tk, err := range d.Tickets().All(ctx, ticket.Query{}) { // follow-ups of closed tickets too
		require.NoError(t, err)
		tickets++
		id := tk.ID
		events, err := d.Tickets().Events(ctx, id)
		require.NoError(t, err)
		for o := range expectedPoints(t, policies, id, events, end) {
			want[o] = true
		}
		for _, e := range events {
			if e.ToStatus == ticket.StatusSolved && (e.Kind == ticket.EventStatusChanged || e.Kind == ticket.EventCreated) {
				solves++
			}
			hand := e.Actor.ID != "routing"
			if e.ToAssignee != "" && hand && (e.Kind == ticket.EventAssigneeChanged || e.Kind == ticket.EventCreated) {
				assignments++
			}
		}
	}
	for o, n := range log.points {
		assert.Equal(t, 1, n, "%v notified %d times", o, n)
		assert.True(t, want[o], "%v notified but never reached", o)
	}
	for o := range want {
		assert.Contains(t, log.points, o, "%v reached but never notified", o)
	}
	assert.Equal(t, solves, log.solved, "OnSolved once per solve")
	assert.Equal(t, assignments+w.accepts, log.assigned, "OnAssigned once per assignment by hand and per accepted offer")
	assert.NotEmpty(t, want, "the workload reaches SLA points")
	t.Logf("%d tickets, %d points, %d solves, %d assignments, %d accepts", tickets, len(want), solves, assignments, w.accepts)
}
