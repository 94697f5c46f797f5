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

// Two customers search the help center and open the password article; one of them raises
// a ticket anyway. Half an hour later both visits are finished: one was deflected.
func ExampleDesk_SelfService() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	desk, err := supportkit.New(supportkit.Config{Now: func() time.Time { return now }, Knowledge: &kb.Config{}})
	if err != nil {
		panic(err)
	}
	if err := desk.KB().Create(ctx, &kb.Article{Slug: "reset-password", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "Reset your password",
			Body: "Open the sign-in page and choose Forgot password."}}}); err != nil {
		panic(err)
	}
	for _, visit := range []string{"visit-1", "visit-2"} {
		res, err := desk.HelpSearch(ctx, visit, kb.Query{Text: "forgot password"})
		if err != nil {
			panic(err)
		}
		click := kb.ResultClick{Query: "forgot password", ArticleID: res.Hits[0].ArticleID, Position: 1}
		if err := desk.HelpOpened(ctx, visit, click); err != nil {
			panic(err)
		}
	}
	_, err = desk.CreateAfterHelp(ctx, "visit-2", ticket.NewTicket{Subject: "Still locked out",
		Requester: ticket.Requester{Email: "bob@example.com"}})
	if err != nil {
		panic(err)
	}

	now = now.Add(time.Hour)
	s, err := desk.SelfService(ctx)
	if err != nil {
		panic(err)
	}
	rate, _ := s.DeflectionRate()
	eff, _ := s.Articles[0].Effectiveness()
	fmt.Printf("%d searches, %d visits, deflection %.0f%%, article effectiveness %.0f%%\n", s.Searches, s.Sessions, 100*rate, 100*eff)
	// Output:
	// 2 searches, 2 visits, deflection 50%, article effectiveness 50%
}
