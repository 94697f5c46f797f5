package ticket_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/supportkit/supportkit/ticket"
)

// Erase a person on request: their words, name, addresses and phone numbers go from every
// ticket, comment, event and attachment, the structure stays, and each rewritten ticket
// records that an erasure happened. Export first gives them everything stored about them.
func ExampleService_Erase() {
	ctx := context.Background()
	svc, err := ticket.NewService(nil, ticket.Config{})
	if err != nil {
		panic(err)
	}
	ann := ticket.Requester{ID: "c-17", Name: "Ann Lee", Email: "ann@example.com"}
	tk, err := svc.Create(ctx, ticket.NewTicket{
		Subject: "Printer jams", Requester: ann, Description: "Call me on +7 495 123-45-67.",
		Attachments: []ticket.Attachment{{Name: "jam.jpg", Size: 2048, URL: "https://files.example.com/17/jam.jpg"}},
	})
	if err != nil {
		panic(err)
	}
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "a-1", Name: "Alex"}
	if _, err := svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: "Ann Lee says 8 (495) 123 45 67 works best."}); err != nil {
		panic(err)
	}
	person := ticket.Person{IDs: []string{"c-17"}, Emails: []string{"ann@example.com"}, Names: []string{"Ann Lee"}, Phones: []string{"+74951234567"}}

	data, _ := svc.Export(ctx, ticket.System, person)
	raw, _ := json.Marshal(data)
	fmt.Println("export:", len(raw) > 0, len(data.Requested), "ticket")

	report, err := svc.Erase(ctx, ticket.System, person)
	if err != nil {
		panic(err)
	}
	fmt.Println("erased", report.Tickets, "ticket; delete", report.Files)
	got, _ := svc.Get(ctx, tk.ID)
	fmt.Printf("%q %q %d comments\n", got.Subject, got.Requester.Email, got.CommentCount)
	comments, _ := svc.Comments(ctx, tk.ID)
	for _, c := range comments {
		fmt.Printf("%q by %q", c.Body, c.Author.Name)
		for _, a := range c.Attachments {
			fmt.Printf(", file %q of %d bytes at %q", a.Name, a.Size, a.URL)
		}
		fmt.Println()
	}
	events, _ := svc.Events(ctx, tk.ID)
	fmt.Println("last event:", events[len(events)-1].Kind)
	// Output:
	// export: true 1 ticket
	// erased 1 ticket; delete [https://files.example.com/17/jam.jpg]
	// "[erased]" "" 2 comments
	// "[erased]" by "", file "[erased]" of 2048 bytes at ""
	// "[erased] says [erased] works best." by "Alex"
	// last event: erased
}
