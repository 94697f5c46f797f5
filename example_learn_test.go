package supportkit_test

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/ticket"
)

// Customers call the VPN "the remote access" and never name the error: once two tickets
// in their words were solved with the VPN article, a customer who searches the help center
// the same way finds it. The agent's internal note teaches nothing.
func ExampleDesk_SolveWith() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	desk, err := supportkit.New(supportkit.Config{Now: func() time.Time { return now }, Knowledge: &kb.Config{}})
	if err != nil {
		panic(err)
	}
	article := &kb.Article{Slug: "vpn-809", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "VPN error 809",
			Body: "The firewall blocks L2TP: allow ports 500 and 4500."}}}
	if err := desk.KB().Create(ctx, article); err != nil {
		panic(err)
	}
	search := func(text string) {
		res, err := desk.HelpSearch(ctx, "", kb.Query{Text: text})
		if err != nil {
			panic(err)
		}
		fmt.Printf("%q: %d found\n", text, len(res.Hits))
	}
	search("remote access broken at home")

	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-1"}
	for _, description := range []string{"The remote access is broken since I work from home.", "Remote access broken at home again."} {
		t, err := desk.Tickets().Create(ctx, ticket.NewTicket{Subject: "Remote access", Description: description,
			Requester: ticket.Requester{Email: "ann@example.com"}, Assignee: agent.ID, Language: language.English})
		if err != nil {
			panic(err)
		}
		if _, err := desk.Tickets().Comment(ctx, agent, t.ID, ticket.NewComment{Body: "Router firmware quirk, see ops wiki."}); err != nil {
			panic(err)
		}
		if _, err := desk.SolveWith(ctx, agent, t.ID, article.ID); err != nil {
			panic(err)
		}
		now = now.Add(time.Hour)
	}
	search("remote access broken at home")
	search("router firmware quirk")
	// Output:
	// "remote access broken at home": 0 found
	// "remote access broken at home": 1 found
	// "router firmware quirk": 0 found
}
