package ticket_test

import (
	"context"
	"fmt"
	"time"

	"github.com/supportkit/supportkit/ticket"
)

// Observers receive every committed event with the ticket as that write left it, in order
// per ticket: the hook for SLA clocks, routing and metrics.
func ExampleObserver() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	watch := func(_ context.Context, e ticket.Event, t ticket.Ticket) {
		switch e.Kind {
		case ticket.EventStatusChanged, ticket.EventReopened:
			fmt.Printf("%s #%d %s: %s (%s) -> %s (%s)\n", t.Number, e.Seq, e.At.Format("15:04"),
				e.FromStatus, e.FromCategory(), e.ToStatus, e.ToCategory())
		case ticket.EventCommented:
			fmt.Printf("%s #%d %s: comment by %s, public %t\n", t.Number, e.Seq, e.At.Format("15:04"), e.AuthorKind, e.Public)
		default:
			fmt.Printf("%s #%d %s: %s\n", t.Number, e.Seq, e.At.Format("15:04"), e.Kind)
		}
	}
	svc, _ := ticket.NewService(ticket.NewMemoryStore(), ticket.Config{Now: clock, Observers: []ticket.Observer{watch}})

	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "a-1", Name: "Alex"}
	tk, _ := svc.Create(ctx, ticket.NewTicket{Subject: "Printer jams", Description: "Every page.", Requester: ticket.Requester{ID: "c-1"}})
	now = now.Add(10 * time.Minute)
	svc.Assign(ctx, agent, tk.ID, "a-1")
	now = now.Add(5 * time.Minute)
	svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Public: true, Body: "Which tray?"})
	svc.Update(ctx, agent, tk.ID, ticket.Changes{Status: ticket.Ptr(ticket.StatusPending)})
	// Output:
	// SUP-1 #1 09:00: created
	// SUP-1 #2 09:00: comment by customer, public true
	// SUP-1 #3 09:10: assignee_changed
	// SUP-1 #4 09:10: new (open) -> open (open)
	// SUP-1 #5 09:15: comment by agent, public true
	// SUP-1 #6 09:15: open (open) -> pending (pending)
}
