package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/postgres/internal/pgtest"
	"github.com/supportkit/supportkit/ticket"
	"github.com/supportkit/supportkit/ticket/tickettest"
)

// setup is a migrated schema of its own for one test, and a store on it.
type setup struct {
	pool   *pgxpool.Pool
	schema string
	store  *postgres.TicketStore
}

func newSetup(t testing.TB, configure func(*pgxpool.Config)) setup {
	t.Helper()
	pool := pgtest.Pool(t, func(c *pgxpool.Config) {
		c.MaxConns = 8
		if configure != nil {
			configure(c)
		}
	})
	schema := pgtest.Schema(t, pool)
	_, err := postgres.Migrate(context.Background(), pool, schema)
	require.NoError(t, err)
	store, err := postgres.NewTicketStore(pool, postgres.Config{Schema: schema, PollInterval: 200 * time.Millisecond})
	require.NoError(t, err)
	return setup{pool: pool, schema: schema, store: store}
}

func TestTicketStorePassesTheSuite(t *testing.T) {
	tickettest.TestStoreWith(t, func(t *testing.T) ticket.Store { return newSetup(t, nil).store },
		// Other applications' transactions on a shared server can hold the feed back.
		tickettest.Options{Hold: postgres.HoldCreate, FeedDelay: 20 * time.Second})
}

func TestTicketStorePassesTheMessageIndexSuite(t *testing.T) {
	tickettest.TestMessageIndex(t, func(t *testing.T) ticket.Store { return newSetup(t, nil).store })
}
