package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/postgres/internal/pgtest"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// killCalls counts hook calls per occurrence across Desks.
type killCalls struct {
	mu    sync.Mutex
	calls map[string]int
}

func (k *killCalls) add(key string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.calls == nil {
		k.calls = map[string]int{}
	}
	k.calls[key]++
}

func (k *killCalls) snapshot() map[string]int {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make(map[string]int, len(k.calls))
	for key, n := range k.calls {
		out[key] = n
	}
	return out
}

// killDesk is one running Desk of the test: a process with a pool of its own.
type killDesk struct {
	desk *supportkit.Desk
	stop context.CancelFunc
	done chan struct{}
}

// TestDesksKilledMidDispatchDeliverEachHookOnce runs three Desks over one schema and stops
// them (their Run's context cancelled) at random moments, some from inside a hook, then
// starts them again under the same names, while tickets are created, assigned and solved
// through them and their SLA clocks warn and breach. Every hook that returns nil must be
// called once per occurrence: by whichever Desk claims it first, never again after a
// restart.
func TestDesksKilledMidDispatchDeliverEachHookOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for several seconds")
	}
	ctx := context.Background()
	setupPool := pgtest.Pool(t, nil)
	schema := pgtest.Schema(t, setupPool)
	_, err := postgres.Migrate(ctx, setupPool, schema)
	require.NoError(t, err)
	policies, err := sla.NewPolicies(sla.Policy{Name: "fast", Targets: map[string]sla.Targets{"": {
		FirstResponse: &sla.Target{Within: 700 * time.Millisecond, Warnings: []sla.Warning{{Percent: 50}}},
		Resolution:    &sla.Target{Within: 1500 * time.Millisecond},
	}}})
	require.NoError(t, err)
	calls := &killCalls{}
	var mu sync.Mutex
	desks := map[string]*killDesk{}
	var start func(name string)
	kill := func(name string) {
		mu.Lock()
		k := desks[name]
		mu.Unlock()
		k.stop()
	}
	hooks := func(name string) supportkit.Hooks {
		maybeKill := func() {
			if rand.IntN(8) == 0 {
				go kill(name) // stops while the hook runs
			}
		}
		return supportkit.Hooks{
			OnAssigned: func(_ context.Context, tk ticket.Ticket) error {
				maybeKill()
				calls.add(fmt.Sprintf("assigned/%s/%s", tk.ID, tk.Assignee))
				return nil
			},
			OnSolved: func(_ context.Context, tk ticket.Ticket) error {
				maybeKill()
				calls.add("solved/" + tk.ID.String())
				return nil
			},
			OnBreachWarning: func(_ context.Context, tk ticket.Ticket, c sla.ClockResult, w sla.WarningHit) error {
				maybeKill()
				calls.add(fmt.Sprintf("warning/%s/%v/%d/%d", tk.ID, c.Metric, c.Cycles, w.Index))
				return nil
			},
			OnBreach: func(_ context.Context, tk ticket.Ticket, c sla.ClockResult) error {
				maybeKill()
				calls.add(fmt.Sprintf("breach/%s/%v/%d", tk.ID, c.Metric, c.Cycles))
				return nil
			},
		}
	}
	pools := map[string]*pgxpool.Pool{}
	start = func(name string) {
		mu.Lock()
		pool := pools[name]
		if pool == nil {
			pool = pgtest.Pool(t, func(c *pgxpool.Config) { c.MaxConns = 6 })
			pools[name] = pool
		}
		mu.Unlock()
		cfg := chaosParts(t, pool, postgres.Config{Schema: schema, PollInterval: 50 * time.Millisecond}, name)
		cfg.Instance, cfg.Policies, cfg.Hooks = name, policies, hooks(name)
		cfg.LeaseFor = 3 * time.Second
		cfg.Retry = supportkit.RetryPolicy{First: 50 * time.Millisecond, Max: 200 * time.Millisecond, ClaimFor: 2 * time.Second}
		d, err := supportkit.New(cfg)
		require.NoError(t, err)
		rctx, cancel := context.WithCancel(ctx)
		k := &killDesk{desk: d, stop: cancel, done: make(chan struct{})}
		go func() {
			defer close(k.done)
			_ = d.Run(rctx)
		}()
		mu.Lock()
		desks[name] = k
		mu.Unlock()
	}
	names := []string{"desk-a", "desk-b", "desk-c"}
	for _, n := range names {
		start(n)
	}
	// revive starts again every Desk that stopped; with kill, it also stops a
	// running one now and then.
	revive := func(kill bool) {
		for _, n := range names {
			mu.Lock()
			k := desks[n]
			mu.Unlock()
			select {
			case <-k.done:
				start(n)
			default:
				if kill && rand.IntN(10) == 0 {
					k.stop()
				}
			}
		}
	}
	restarter := make(chan struct{})
	var rg sync.WaitGroup
	rg.Go(func() {
		for {
			select {
			case <-restarter:
				return
			case <-time.After(100 * time.Millisecond):
			}
			revive(true)
		}
	})
	anyDesk := func() *supportkit.Desk {
		mu.Lock()
		defer mu.Unlock()
		return desks[names[rand.IntN(len(names))]].desk
	}
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-1", Name: "Alex"}
	var ids []string
	for i := range 30 {
		tk, err := anyDesk().Tickets().Create(ctx, ticket.NewTicket{Subject: fmt.Sprintf("Printer %d jams", i),
			Description: "It jams.", Requester: ticket.Requester{ID: "cust-1"}})
		require.NoError(t, err)
		ids = append(ids, tk.ID.String())
		time.Sleep(30 * time.Millisecond)
		_, err = anyDesk().Tickets().Assign(ctx, agent, tk.ID, "agent-1")
		require.NoError(t, err)
		if i%2 == 0 {
			_, err = anyDesk().Tickets().Solve(ctx, agent, tk.ID)
			require.NoError(t, err)
		}
	}
	time.Sleep(3 * time.Second) // the clocks of the open tickets breach
	close(restarter)
	rg.Wait()
	revive(false)
	// Let the Desks settle: every occurrence delivered, none pending.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		pending := 0
		mu.Lock()
		for _, k := range desks {
			pending += len(k.desk.Deliveries())
		}
		mu.Unlock()
		if pending == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, n := range names {
		kill(n)
		mu.Lock()
		<-desks[n].done
		mu.Unlock()
	}
	got := calls.snapshot()
	for key, n := range got {
		assert.Equal(t, 1, n, "calls of %s", key)
	}
	for i, id := range ids {
		assert.Equal(t, 1, got["assigned/"+id+"/agent-1"], "assigned %s", id)
		if i%2 == 0 {
			assert.Equal(t, 1, got["solved/"+id], "solved %s", id)
		} else {
			assert.Equal(t, 1, got["breach/"+id+"/resolution/1"], "resolution breach of %s", id)
		}
	}
}
