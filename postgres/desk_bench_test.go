package postgres_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// openTickets is how many open tickets BenchmarkCheckClocks watches.
const openTickets = 100_000

// asyncCommit, with SUPPORTKIT_BENCH_ASYNC_COMMIT set, commits without waiting for the WAL
// flush, so that a write costs the protocol's and the server's work, not the disk's.
func asyncCommit(c *pgxpool.Config) {
	if os.Getenv("SUPPORTKIT_BENCH_ASYNC_COMMIT") != "" {
		c.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
	}
}

// settableClock is a clock the benchmark sets.
type settableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *settableClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *settableClock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// BenchmarkCheckClocks measures one CheckClocks of a Desk watching 100,000 open tickets of
// which 10 reached a warning point: the clock index and the ledger are PostgreSQL's, the
// tickets are in memory (their reads cost the same whatever the number open). Tickets were
// created a second apart, each with a first-reply target of an hour warned at half, so each
// iteration moves the clock 10 seconds and 10 tickets fall due. "hooks" delivers the
// warnings through the ledger, claimed in one statement and recorded in another (the
// ledger is a BatchLedger); "hooks-one-by-one" hides the batch methods, as a host that
// wants every record on disk first does: a claim and a record per warning, each waiting
// for the disk; "no-hooks" has no hook.
//
//	go test -run '^$' -bench CheckClocks -benchtime 300x .
func BenchmarkCheckClocks(b *testing.B) {
	b.Run("hooks", func(b *testing.B) { benchCheckClocks(b, true, false) })
	b.Run("hooks-one-by-one", func(b *testing.B) { benchCheckClocks(b, true, true) })
	b.Run("no-hooks", func(b *testing.B) { benchCheckClocks(b, false, false) })
}

// singleLedger is a Ledger with the Claim and Done methods only.
type singleLedger struct{ l *postgres.Ledger }

func (s singleLedger) Claim(ctx context.Context, c supportkit.Claim) (supportkit.ClaimResult, error) {
	return s.l.Claim(ctx, c)
}

func (s singleLedger) Done(ctx context.Context, key, owner string) error {
	return s.l.Done(ctx, key, owner)
}

func benchCheckClocks(b *testing.B, hooks, oneByOne bool) {
	ctx := context.Background()
	st := newSetup(b, asyncCommit)
	cfg := postgres.Config{Schema: st.schema}
	clocks, err := postgres.NewClockIndex(st.pool, cfg, "bench")
	require.NoError(b, err)
	ledger, err := postgres.NewLedger(st.pool, cfg)
	require.NoError(b, err)
	p, err := sla.NewPolicies(sla.Policy{Name: "standard", Targets: map[string]sla.Targets{"": {
		FirstResponse: &sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Percent: 50}}},
	}}})
	require.NoError(b, err)
	clock := &settableClock{now: chaosStart}
	var warned atomic.Int64
	dcfg := supportkit.Config{Clocks: clocks, Ledger: ledger, Policies: p, Now: clock.Now, Instance: "bench"}
	if oneByOne {
		dcfg.Ledger = singleLedger{ledger}
	}
	if hooks {
		dcfg.Hooks.OnBreachWarning = func(context.Context, ticket.Ticket, sla.ClockResult, sla.WarningHit) error {
			warned.Add(1)
			return nil
		}
	}
	d, err := supportkit.New(dcfg)
	require.NoError(b, err)
	for i := range openTickets {
		clock.Set(chaosStart.Add(time.Duration(i) * time.Second))
		_, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down",
			Requester: ticket.Requester{ID: "cust-1", Email: "ann@example.com"}})
		require.NoError(b, err)
	}
	require.NoError(b, clocks.Flush(ctx))
	var rows int
	_, err = st.pool.Exec(ctx, "ANALYZE "+st.schema+".desk_clocks")
	require.NoError(b, err)
	require.NoError(b, st.pool.QueryRow(ctx, "SELECT count(*) FROM "+st.schema+".desk_clocks").Scan(&rows))
	require.Equal(b, openTickets, rows)

	now := chaosStart.Add(30 * time.Minute) // ticket i is warned once the clock passes 30 minutes and i seconds
	i := 0
	b.ResetTimer()
	for b.Loop() {
		i++
		if i*10 > openTickets {
			b.Fatal("out of tickets: lower -benchtime")
		}
		now = now.Add(10 * time.Second)
		clock.Set(now)
		require.NoError(b, d.CheckClocks(ctx, now))
	}
	b.StopTimer()
	if hooks {
		require.Equal(b, int64(10*i), warned.Load(), "10 warnings per check")
	}
	due, err := clocks.Due(ctx, now, 0)
	require.NoError(b, err)
	require.Empty(b, due, "every due ticket was looked at")
}

// BenchmarkClockIndexDue measures the index alone: Due over 100,000 rows of which 10 are
// due, and Next.
//
//	go test -run '^$' -bench ClockIndexDue -benchtime 2000x .
func BenchmarkClockIndexDue(b *testing.B) {
	ctx := context.Background()
	st := newSetup(b, asyncCommit)
	x, err := postgres.NewClockIndex(st.pool, postgres.Config{Schema: st.schema}, "bench")
	require.NoError(b, err)
	for i := range openTickets {
		require.NoError(b, x.Set(ctx, uuid.Must(uuid.NewV7()), chaosStart.Add(time.Duration(i)*time.Second)))
	}
	require.NoError(b, x.Flush(ctx))
	_, err = st.pool.Exec(ctx, "ANALYZE "+st.schema+".desk_clocks")
	require.NoError(b, err)
	now := chaosStart.Add(9 * time.Second)
	b.Run("Due", func(b *testing.B) {
		for b.Loop() {
			due, err := x.Due(ctx, now, 0)
			if err != nil || len(due) != 10 {
				b.Fatal(len(due), err)
			}
		}
	})
	b.Run("Next", func(b *testing.B) {
		for b.Loop() {
			if _, ok, err := x.Next(ctx); err != nil || !ok {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLedgerTen measures the ledger's part of delivering ten occurrences: claiming
// and recording them one by one (each call a commit waiting for the disk), or in one
// ClaimBatch and one DoneBatch.
//
//	go test -run '^$' -bench LedgerTen -benchtime 200x .
func BenchmarkLedgerTen(b *testing.B) {
	ctx := context.Background()
	st := newSetup(b, asyncCommit)
	l, err := postgres.NewLedger(st.pool, postgres.Config{Schema: st.schema})
	require.NoError(b, err)
	claims := func(n int) []supportkit.Claim {
		out := make([]supportkit.Claim, 10)
		for i := range out {
			out[i] = supportkit.Claim{Key: fmt.Sprintf("warning/%d/%d", n, i), Owner: "bench", Now: chaosStart, Until: chaosStart.Add(time.Minute)}
		}
		return out
	}
	n := 0
	b.Run("one-by-one", func(b *testing.B) {
		for b.Loop() {
			n++
			for _, c := range claims(n) {
				res, err := l.Claim(ctx, c)
				if err != nil || res.State != supportkit.Claimed {
					b.Fatal(res, err)
				}
				require.NoError(b, l.Done(ctx, c.Key, c.Owner))
			}
		}
	})
	b.Run("batch", func(b *testing.B) {
		for b.Loop() {
			n++
			cs := claims(n)
			res, err := l.ClaimBatch(ctx, cs)
			if err != nil || len(res) != len(cs) || res[9].State != supportkit.Claimed {
				b.Fatal(res, err)
			}
			keys := make([]string, len(cs))
			for i, c := range cs {
				keys[i] = c.Key
			}
			require.NoError(b, l.DoneBatch(ctx, keys, "bench"))
		}
	})
}
