package ticket_test

import (
	"context"
	"fmt"
	"time"

	"github.com/supportkit/supportkit/ticket"
)

// A store's change feed hands a reader every committed event once, in commit order. The
// reader keeps the cursor of the last entry it handled (in a file or a table of its own) and
// passes it back after a restart to carry on where it stopped.
func ExampleFeed() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	store := ticket.NewMemoryStore()
	svc, _ := ticket.NewService(store, ticket.Config{Now: func() time.Time { return now }})
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "a-1", Name: "Alex"}

	tk, _ := svc.Create(ctx, ticket.NewTicket{Subject: "VPN is down", Requester: ticket.Requester{Email: "ann@example.com"}})
	var feed ticket.Feed = store // found by type assertion on any ticket.Store
	var saved ticket.Cursor      // "" reads from the start
	entries, _ := feed.Changes(ctx, saved, 10)
	for _, e := range entries {
		fmt.Println(e.Event.Seq, e.Event.Kind)
		saved = e.Cursor
	}

	// Later, perhaps in another run of the program: only what committed since.
	_, _ = svc.Assign(ctx, agent, tk.ID, "a-1")
	waitCtx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := feed.Wait(waitCtx, saved); err == nil {
		entries, _ = feed.Changes(ctx, saved, 10)
		for _, e := range entries {
			fmt.Println(e.Event.Seq, e.Event.Kind)
		}
	}
	// Output:
	// 1 created
	// 2 assignee_changed
	// 3 status_changed
}
