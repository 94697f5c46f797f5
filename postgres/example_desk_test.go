package postgres_test

import (
	"context"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/postgres"
)

// Each copy of a host app runs a Desk over the same schema, with its own instance name:
// they share the tickets and their feed, the hook ledger, the dispatch lease and the
// agents' presence, and each keeps its own clock index, cleared as it starts. (This example
// needs a database, so it is compiled but not run.)
func ExampleNewLease() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		panic(err)
	}
	defer pool.Close()
	if _, err := postgres.Migrate(ctx, pool, ""); err != nil {
		panic(err)
	}
	instance, _ := os.Hostname()
	cfg := postgres.Config{}
	store, _ := postgres.NewTicketStore(pool, cfg)
	ledger, _ := postgres.NewLedger(pool, cfg)
	lease, _ := postgres.NewLease(pool, cfg)
	roster, _ := postgres.NewRoster(pool, cfg)
	clocks, err := postgres.NewClockIndex(pool, cfg, instance)
	if err != nil {
		panic(err)
	}
	if err := clocks.Clear(ctx); err != nil {
		panic(err)
	}
	desk, err := supportkit.New(supportkit.Config{Store: store, Feed: store, Ledger: ledger, Lease: lease,
		Roster: roster, Clocks: clocks, Instance: instance})
	if err != nil {
		panic(err)
	}
	_ = desk.Run(ctx) // until ctx ends
}
