package postgres_test

import (
	"context"
	"fmt"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/ticket"
)

// A host migrates at start, then hands the store to a ticket.Service. (This example needs a
// database, so it is compiled but not run.)
func ExampleNewTicketStore() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		panic(err)
	}
	defer pool.Close()
	if _, err := postgres.Migrate(ctx, pool, "supportkit"); err != nil {
		panic(err)
	}
	store, err := postgres.NewTicketStore(pool, postgres.Config{Schema: "supportkit"})
	if err != nil {
		panic(err)
	}
	svc, err := ticket.NewService(store, ticket.Config{})
	if err != nil {
		panic(err)
	}
	tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "VPN is down", Requester: ticket.Requester{Email: "ann@example.com"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(tk.Number)
}

// A host keeps its customers next to its tickets: a Directory on the same schema, written
// through a party.Service, which the Desk takes as Config.Directory. (This example needs a
// database, so it is compiled but not run.)
func ExampleNewDirectory() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		panic(err)
	}
	defer pool.Close()
	if _, err := postgres.Migrate(ctx, pool, "supportkit"); err != nil {
		panic(err)
	}
	dir, err := postgres.NewDirectory(pool, postgres.Config{Schema: "supportkit"})
	if err != nil {
		panic(err)
	}
	people, err := party.NewService(dir, party.Config{})
	if err != nil {
		panic(err)
	}
	ann, _, err := people.CreateCustomer(ctx, party.NewCustomer{Name: "Ann", Emails: []string{"Ann@Example.com"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(ann.Email())
}
