// Command desk runs a support desk on PostgreSQL when DATABASE_URL is set, and on the
// in-memory store otherwise: it creates a ticket, replies to it, and prints the desk's change
// feed.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/ticket"
)

func main() {
	ctx := context.Background()
	store, closeStore, err := openStore(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer closeStore()
	desk, err := supportkit.New(supportkit.Config{Store: store})
	if err != nil {
		log.Fatal(err)
	}
	tickets := desk.Tickets()
	tk, err := tickets.Create(ctx, ticket.NewTicket{
		Subject: "VPN is down", Description: "Since this morning.",
		Requester: ticket.Requester{Email: "ann@example.com"},
	})
	if err != nil {
		log.Fatal(err)
	}
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "a-1", Name: "Alex"}
	if _, err := tickets.Comment(ctx, agent, tk.ID, ticket.NewComment{Public: true, Body: "Looking into it."}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("created", tk.Number)

	feed, ok := store.(ticket.Feed)
	if !ok {
		return
	}
	var cursor ticket.Cursor // a real reader keeps it across restarts
	for {
		entries, err := feed.Changes(ctx, cursor, 100)
		if err != nil {
			log.Fatal(err)
		}
		if len(entries) == 0 {
			return
		}
		for _, e := range entries {
			if e.Ticket == tk.ID {
				fmt.Println("event", e.Event.Seq, e.Event.Kind)
			}
		}
		cursor = entries[len(entries)-1].Cursor
	}
}

// openStore opens PostgreSQL at DATABASE_URL and migrates schema "supportkit", or returns the
// in-memory store when DATABASE_URL is empty.
func openStore(ctx context.Context) (ticket.Store, func(), error) {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		return ticket.NewMemoryStore(), func() {}, nil
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	if _, err := postgres.Migrate(ctx, pool, "supportkit"); err != nil {
		pool.Close()
		return nil, nil, err
	}
	store, err := postgres.NewTicketStore(pool, postgres.Config{Schema: "supportkit"})
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return store, pool.Close, nil
}
