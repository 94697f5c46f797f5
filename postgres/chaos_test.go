package postgres_test

import (
	"context"
	"flag"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/desktest"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/postgres/internal/pgtest"
)

// chaosStart is the simulated instant the PostgreSQL tests start at.
var chaosStart = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

var chaosTickets = flag.Int("chaos.tickets", 0, "tickets of TestChaosDesksOverOnePostgreSQL (default 120, 40 with -short, 2000 for the full run)")

// TestChaosDesksOverOnePostgreSQL runs desktest.Chaos over one PostgreSQL schema: each
// Desk has a pool of its own (a process), and the dispatching Desk is killed mid-run (its
// pool closed, then its context cancelled, so it releases nothing). It runs 120 tickets
// (40 with -short); the full run is
//
//	go test -run TestChaosDesksOverOnePostgreSQL -chaos.tickets 2000 -timeout 30m .
func TestChaosDesksOverOnePostgreSQL(t *testing.T) {
	ctx := context.Background()
	setupPool := pgtest.Pool(t, nil)
	schema := pgtest.Schema(t, setupPool)
	_, err := postgres.Migrate(ctx, setupPool, schema)
	require.NoError(t, err)
	reader, err := postgres.NewTicketStore(setupPool, postgres.Config{Schema: schema})
	require.NoError(t, err)
	var mu sync.Mutex
	pools := map[string]*pgxpool.Pool{}
	desktest.Chaos(t, desktest.ChaosConfig{
		Tickets: *chaosTickets,
		Reader:  reader,
		Desk: func(t *testing.T, name string) supportkit.Config {
			pool := pgtest.Pool(t, func(cfg *pgxpool.Config) { cfg.MaxConns = 6 })
			mu.Lock()
			pools[name] = pool
			mu.Unlock()
			return chaosParts(t, pool, postgres.Config{Schema: schema, PollInterval: 100 * time.Millisecond}, name)
		},
		Crash: func(name string, stop func()) {
			mu.Lock()
			pool := pools[name]
			mu.Unlock()
			closed := make(chan struct{})
			go func() { pool.Close(); close(closed) }()
			time.Sleep(20 * time.Millisecond) // Close rejects new connections at once, then waits for those in use
			stop()
			<-closed
		},
	})
}

// chaosParts builds the durable parts of the Desk named name over pool.
func chaosParts(t *testing.T, pool *pgxpool.Pool, cfg postgres.Config, name string) supportkit.Config {
	store, err := postgres.NewTicketStore(pool, cfg)
	require.NoError(t, err)
	ledger, err := postgres.NewLedger(pool, cfg)
	require.NoError(t, err)
	lease, err := postgres.NewLease(pool, cfg)
	require.NoError(t, err)
	roster, err := postgres.NewRoster(pool, cfg)
	require.NoError(t, err)
	clocks, err := postgres.NewClockIndex(pool, cfg, name)
	require.NoError(t, err)
	return supportkit.Config{Store: store, Feed: store, Ledger: ledger, Lease: lease, Roster: roster, Clocks: clocks}
}
