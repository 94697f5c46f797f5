package ticket_test

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/ticket"
)

// Create a ticket from a web form. Priority comes from impact and urgency through the ITIL
// matrix, tags are normalized, and the description becomes the first public comment.
func ExampleService_Create() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC) }
	svc, err := ticket.NewService(ticket.NewMemoryStore(), ticket.Config{Now: now})
	if err != nil {
		panic(err)
	}
	tk, err := svc.Create(ctx, ticket.NewTicket{
		Key:         "form-8812", // a resubmitted form returns this ticket again
		Subject:     "VPN drops every hour",
		Description: "Since Monday the VPN disconnects every hour.",
		Requester:   ticket.Requester{ID: "c-17", Name: "Ann Lee", Email: "ann@example.com", Language: language.English},
		Type:        ticket.TypeIncident,
		Impact:      ticket.LevelHigh,
		Urgency:     ticket.LevelMedium,
		Tags:        []string{" VPN ", "Remote-Work", "vpn"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(tk.Number, tk.Status, tk.Priority, tk.Tags, tk.Line)
	fmt.Println("created", tk.CreatedAt.Format(time.DateTime))

	_, err = svc.Create(ctx, ticket.NewTicket{Subject: "", Requester: tk.Requester})
	fmt.Println(err)
	// Output:
	// SUP-1 new high [remote-work vpn] 1
	// created 2026-03-02 09:30:00
	// ticket: invalid subject: empty
}
