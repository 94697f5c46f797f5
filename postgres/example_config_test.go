package postgres_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/supportkit/supportkit/postgres"
)

// A store checks its Config when it is made, before any query: a schema name that is not a
// plain identifier is refused with ErrInvalid, and the zero Config uses DefaultSchema. The
// pool connects lazily, so this example runs without a server.
func ExampleConfig() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, "postgres://postgres@127.0.0.1:5432/test")
	if err != nil {
		panic(err)
	}
	defer pool.Close()

	_, err = postgres.NewTicketStore(pool, postgres.Config{Schema: "support-desk"})
	fmt.Println("support-desk:", errors.Is(err, postgres.ErrInvalid))

	_, err = postgres.NewTicketStore(pool, postgres.Config{})
	fmt.Println("zero Config:", err == nil, "schema", postgres.DefaultSchema)
	// Output:
	// support-desk: true
	// zero Config: true schema supportkit
}
