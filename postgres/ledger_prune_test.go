package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// ledgerRows returns the keys of the schema's ledger rows, in order.
func ledgerRows(t *testing.T, s setup) []string {
	t.Helper()
	rows, err := s.pool.Query(context.Background(), "SELECT key FROM "+s.schema+".desk_ledger ORDER BY key COLLATE \"C\"")
	require.NoError(t, err)
	var keys []string
	for rows.Next() {
		var k string
		require.NoError(t, rows.Scan(&k))
		keys = append(keys, k)
	}
	require.NoError(t, rows.Err())
	return keys
}

// Prune deletes the rows of delivered keys and lapsed claims, over several statements
// when there are more than one deletes, and leaves the kept rows not delivered, the
// claims still running and the rows delivered later.
func TestLedgerPruneDeletesOldRowsAndKeepsKeptOnes(t *testing.T) {
	ctx := context.Background()
	s := newSetup(t, nil)
	l, err := postgres.NewLedger(s.pool, postgres.Config{Schema: s.schema})
	require.NoError(t, err)
	at := chaosStart
	var claims []supportkit.Claim
	var keys []string
	for i := range 2500 {
		key := fmt.Sprintf("old/%04d", i)
		keys = append(keys, key)
		claims = append(claims, supportkit.Claim{Key: key, Owner: "a", Now: at, Until: at.Add(time.Minute)})
	}
	_, err = l.ClaimBatch(ctx, claims)
	require.NoError(t, err)
	require.NoError(t, l.DoneBatch(ctx, keys[:2400], "a")) // 100 lapse undelivered
	require.NoError(t, l.Keep(ctx, "kept", []byte("payload")))
	_, err = l.Claim(ctx, supportkit.Claim{Key: "kept", Owner: "a", Now: at, Until: at.Add(time.Minute)})
	require.NoError(t, err)
	later := at.Add(time.Hour)
	_, err = l.Claim(ctx, supportkit.Claim{Key: "new", Owner: "a", Now: later, Until: later.Add(time.Minute)})
	require.NoError(t, err)
	require.NoError(t, l.Done(ctx, "new", "a"))
	require.NoError(t, l.Done(ctx, "unclaimed", "a"))

	n, err := l.Prune(ctx, later)
	require.NoError(t, err)
	assert.Equal(t, 2500, n)
	assert.Equal(t, []string{"kept", "new", "unclaimed"}, ledgerRows(t, s))
	kept, err := l.Kept(ctx, "", 10)
	require.NoError(t, err)
	assert.Equal(t, []supportkit.KeptOccurrence{{Key: "kept", Payload: []byte("payload")}}, kept)
	n, err = l.Prune(ctx, later)
	require.NoError(t, err)
	assert.Zero(t, n)
}

// hookLog counts hook calls by occurrence.
type hookLog struct {
	mu    sync.Mutex
	calls map[string]int
}

func (h *hookLog) add(key string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.calls == nil {
		h.calls = map[string]int{}
	}
	h.calls[key]++
	return nil
}

func (h *hookLog) counts() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string]int{}
	for k, n := range h.calls {
		out[k] = n
	}
	return out
}

// A Desk on PostgreSQL prunes the ledger rows of occurrences older than its retention, and
// a process started after the prune over the same schema (reading the feed from its start)
// calls no hook again: every pruned occurrence is older than CatchUp.
func TestRestartAfterThePruneDeliversNothingAgainOnPostgreSQL(t *testing.T) {
	ctx := context.Background()
	s := newSetup(t, nil)
	clock := &settableClock{now: chaosStart}
	policies, err := sla.NewPolicies(sla.Policy{Name: "standard", Targets: map[string]sla.Targets{"": {
		FirstResponse: &sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Percent: 50}}},
	}}})
	require.NoError(t, err)
	hooks := &hookLog{}
	open := func(name string) *supportkit.Desk {
		ledger, err := postgres.NewLedger(s.pool, postgres.Config{Schema: s.schema})
		require.NoError(t, err)
		d, err := supportkit.New(supportkit.Config{Store: s.store, Feed: s.store, Ledger: ledger, Policies: policies,
			Instance: name, Now: clock.Now, CatchUp: time.Hour, LedgerRetention: time.Hour + 90*time.Second,
			Hooks: supportkit.Hooks{
				OnSolved: func(_ context.Context, tk ticket.Ticket) error { return hooks.add("solved " + tk.Subject) },
				OnBreachWarning: func(_ context.Context, tk ticket.Ticket, _ sla.ClockResult, _ sla.WarningHit) error {
					return hooks.add("warning " + tk.Subject)
				},
				OnBreach: func(_ context.Context, tk ticket.Ticket, _ sla.ClockResult) error {
					return hooks.add("breach " + tk.Subject)
				},
			}})
		require.NoError(t, err)
		require.NoError(t, d.Load(ctx))
		return d
	}
	a := open("a")
	requester := ticket.Requester{Name: "Ann Lee", Email: "ann@example.com"}
	solved, err := a.Tickets().Create(ctx, ticket.NewTicket{Subject: "Password", Description: "reset", Requester: requester, Assignee: "agent-1"})
	require.NoError(t, err)
	_, err = a.Tickets().Solve(ctx, ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-1"}, solved.ID)
	require.NoError(t, err)
	_, err = a.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: requester})
	require.NoError(t, err)
	clock.Set(chaosStart.Add(2 * time.Hour))
	require.NoError(t, a.CheckClocks(ctx, clock.Now()))
	want := map[string]int{"solved Password": 1, "warning VPN": 1, "breach VPN": 1}
	require.Equal(t, want, hooks.counts())
	require.Len(t, ledgerRows(t, s), 3)

	clock.Set(chaosStart.Add(4 * time.Hour))
	a.Tick(ctx)
	assert.Empty(t, ledgerRows(t, s), "every row ended before 2:58:30 after the start")

	b := open("b")
	b.Tick(ctx)
	assert.Equal(t, want, hooks.counts(), "no hook called again")
}
