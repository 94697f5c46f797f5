package ticket_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/supportkit/supportkit/ticket"
)

// A ticket's life: assigned, waiting on the customer, reopened by the customer's reply,
// solved, then closed automatically after the configured period; closed is final.
func Example_lifecycle() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc, _ := ticket.NewService(ticket.NewMemoryStore(), ticket.Config{
		Now:        func() time.Time { return now },
		CloseAfter: 48 * time.Hour,
	})
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "a-1", Name: "Alex"}
	customer := ticket.Actor{Kind: ticket.ActorCustomer, ID: "c-17", Name: "Ann"}

	tk, _ := svc.Create(ctx, ticket.NewTicket{Subject: "Printer jams", Requester: ticket.Requester{ID: "c-17"}})
	tk, _ = svc.Assign(ctx, agent, tk.ID, "a-1")
	fmt.Println("assigned:", tk.Status)
	tk, _ = svc.Update(ctx, agent, tk.ID, ticket.Changes{Status: ticket.Ptr(ticket.StatusPending)})
	fmt.Println("asked for logs:", tk.Status, "/", tk.Status.Category())
	svc.Comment(ctx, customer, tk.ID, ticket.NewComment{Public: true, Body: "Logs attached."})
	tk, _ = svc.Get(ctx, tk.ID)
	fmt.Println("customer replied:", tk.Status)
	tk, _ = svc.Solve(ctx, agent, tk.ID)
	fmt.Println("solved:", tk.Status)

	n, _ := svc.CloseSolved(ctx, now.Add(48*time.Hour))
	tk, _ = svc.Get(ctx, tk.ID)
	fmt.Println("two days later:", n, "closed,", tk.Status)

	_, err := svc.Reopen(ctx, agent, tk.ID)
	var te *ticket.TransitionError
	fmt.Println(errors.Is(err, ticket.ErrClosed), errors.As(err, &te))

	events, _ := svc.Events(ctx, tk.ID)
	for _, e := range events {
		if e.Kind == ticket.EventStatusChanged || e.Kind == ticket.EventReopened {
			fmt.Printf("%d %s %s -> %s by %s\n", e.Seq, e.Kind, e.FromStatus, e.ToStatus, e.Actor.Kind)
		}
	}
	// Output:
	// assigned: open
	// asked for logs: pending / pending
	// customer replied: open
	// solved: solved
	// two days later: 1 closed, closed
	// true false
	// 3 status_changed new -> open by agent
	// 4 status_changed open -> pending by agent
	// 6 reopened pending -> open by customer
	// 7 status_changed open -> solved by agent
	// 8 status_changed solved -> closed by system
}
