package supportkit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// With TagSkillsTask, a ticket tagged "vpn" is offered first to the agent whose skills
// include vpn, although another free agent has waited longer for work.
func ExampleTagSkillsTask() {
	ctx := context.Background()
	now := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	desk, err := supportkit.New(supportkit.Config{
		Now: func() time.Time { return now }, Routing: &routing.Config{}, Task: supportkit.TagSkillsTask,
	})
	if err != nil {
		panic(err)
	}
	email := map[routing.Channel]int{routing.ChannelEmail: 10}
	for _, a := range []routing.Agent{
		{ID: "john", Capacity: email, LastWork: now.Add(-time.Hour)},
		{ID: "olga", Capacity: email, LastWork: now.Add(-time.Minute), Skills: map[string]int{"vpn": 5, "network": 5}},
	} {
		if _, err := desk.AddAgent(a); err != nil {
			panic(err)
		}
	}
	for _, tag := range []string{"vpn", "printers"} {
		if _, err := desk.Create(ctx, ticket.NewTicket{Subject: tag + " trouble", Channel: ticket.ChannelEmail,
			Requester: ticket.Requester{Email: "ann@example.com"}, Tags: []string{tag}}); err != nil {
			panic(err)
		}
		offers, err := desk.Dispatch(ctx, now)
		if err != nil {
			panic(err)
		}
		for _, o := range offers {
			if _, err := desk.Accept(ctx, o); err != nil {
				panic(err)
			}
			fmt.Println(tag, "->", o.AgentID)
		}
	}
	// Output:
	// vpn -> olga
	// printers -> john
}
