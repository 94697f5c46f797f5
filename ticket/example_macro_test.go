package ticket_test

import (
	"context"
	"fmt"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/ticket"
)

// A macro replies in the ticket's language, tags the ticket and waits on the customer, all in
// one atomic change. Unknown placeholders are rejected when the macro is defined.
func ExampleService_ApplyMacro() {
	ctx := context.Background()
	svc, _ := ticket.NewService(ticket.NewMemoryStore(), ticket.Config{})
	err := svc.DefineMacro(ticket.Macro{
		Name: "ask-for-logs", Status: ticket.StatusPending, AddTags: []string{"needs-logs"}, AssignSelf: true,
		Comment: ticket.MacroComment{Public: true, Bodies: []ticket.Translation{
			{Language: language.English, Text: "Hello {{requester.name}}, please send the logs. {{agent.name}}"},
			{Language: language.Russian, Text: "Здравствуйте, {{requester.name}}! Пришлите, пожалуйста, логи. {{agent.name}}"},
		}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(svc.DefineMacro(ticket.Macro{Name: "bad", Comment: ticket.MacroComment{
		Bodies: []ticket.Translation{{Language: language.English, Text: "Hi {{customer.nickname}}"}},
	}}))

	tk, _ := svc.Create(ctx, ticket.NewTicket{
		Subject:   "Не работает принтер",
		Requester: ticket.Requester{Email: "ivan@example.com", Name: "Иван", Language: language.Russian},
	})
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "a-2", Name: "Мария"}
	tk, _ = svc.ApplyMacro(ctx, agent, tk.ID, "ask-for-logs")
	comments, _ := svc.Comments(ctx, tk.ID)
	fmt.Println(comments[len(comments)-1].Body)
	fmt.Println(tk.Status, tk.Assignee, tk.Tags)
	// Output:
	// ticket: invalid macro.comment.bodies[0]: unknown placeholder "customer.nickname"
	// Здравствуйте, Иван! Пришлите, пожалуйста, логи. Мария
	// pending a-2 [needs-logs]
}
