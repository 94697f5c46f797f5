package kb_test

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// Tickets solved with an article teach the knowledge base the customers'
// words for it: after two customers called a power cut a "thunderstorm",
// the next one who does finds the article.
func ExampleKB_Learn() {
	ctx := context.Background()
	k, _ := kb.New(nil, kb.Config{})
	power := &kb.Article{Slug: "power-failure", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {
			Title: "No connection after a power failure", Body: "Unplug the router for a minute, then check the power adapter."}}}
	_ = k.Create(ctx, power)

	search := func() {
		res, _ := k.Search(ctx, kb.Query{Text: "internet gone after thunderstorm", Audience: kb.Customer})
		fmt.Println(res.Total)
	}
	search()
	for _, words := range []string{"Internet gone after a thunderstorm last night", "Thunderstorm knocked out my internet"} {
		_ = k.Learn(ctx, kb.Resolution{ArticleID: power.ID, Language: language.English,
			Public: []string{words}, Notes: []string{"internal: line card replaced"}})
	}
	search()
	// Output:
	// 0
	// 1
}

// Erasing a customer: their ticket is learned again with its redacted text,
// in its place, and another is forgotten, so the word only they wrote
// ("Brightwater", a street name) finds nothing any more.
func ExampleKB_Forget() {
	ctx := context.Background()
	k, _ := kb.New(nil, kb.Config{})
	power := &kb.Article{Slug: "power-failure", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {
			Title: "No connection after a power failure", Body: "Unplug the router for a minute, then check the power adapter."}}}
	_ = k.Create(ctx, power)
	first, second := uuid.New(), uuid.New()
	learn := func(ticket uuid.UUID, words string) {
		_ = k.Learn(ctx, kb.Resolution{ArticleID: power.ID, TicketID: ticket, Language: language.English, Public: []string{words}})
	}
	search := func() {
		res, _ := k.Search(ctx, kb.Query{Text: "brightwater", Audience: kb.Customer})
		fmt.Println(res.Total)
	}
	learn(first, "Brightwater lane: thunderstorm, internet gone")
	learn(second, "Brightwater lane again, after the thunderstorm")
	search()
	learn(first, "[erased]: thunderstorm, internet gone")
	_ = k.Forget(ctx, second)
	search()
	// Output:
	// 1
	// 0
}

// A suggestion a host may approve: two customers found nothing with one
// word, searched again with another and opened a result.
func ExampleKB_SuggestSynonyms() {
	ctx := context.Background()
	k, _ := kb.New(nil, kb.Config{})
	ac := &kb.Article{Slug: "ac-leak", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "Air conditioner drips water", Body: "Clean the drain pipe."}}}
	_ = k.Create(ctx, ac)
	for _, session := range []string{"visit-1", "visit-2"} {
		_, _ = k.Search(ctx, kb.Query{Text: "aircon drips", Audience: kb.Customer, Session: session})
		_, _ = k.Search(ctx, kb.Query{Text: "conditioner drips", Audience: kb.Customer, Session: session})
		_ = k.RecordResultClick(ctx, kb.ResultClick{Query: "conditioner drips", ArticleID: ac.ID, Position: 1, Session: session})
	}
	suggestions, _ := k.SuggestSynonyms(ctx, 0)
	for _, s := range suggestions {
		fmt.Println(s.Words, s.Source, s.Evidence)
	}
	// Output:
	// [aircon conditioner] reformulation 2
}

// A visit that searched, read an article and raised no ticket within the
// deflection window is a deflection, credited to the article it read last.
func ExampleKB_Feedback() {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	k, _ := kb.New(nil, kb.Config{Now: func() time.Time { return now }})
	reset := &kb.Article{Slug: "reset", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "Reset your password", Body: "Open the sign-in page."}}}
	_ = k.Create(ctx, reset)
	for i, ticket := range []bool{false, false, true} {
		session := fmt.Sprint("visit-", i)
		_, _ = k.Search(ctx, kb.Query{Text: "reset password", Audience: kb.Customer, Session: session})
		_ = k.RecordResultClick(ctx, kb.ResultClick{Query: "reset password", ArticleID: reset.ID, Position: 1, Session: session})
		if ticket {
			_ = k.RecordTicket(ctx, session)
		}
	}
	now = now.Add(time.Hour)
	r, _ := k.Feedback(ctx)
	fmt.Printf("deflection rate %d/%d\n", r.Deflections, r.Sessions)
	a := r.Articles[0]
	fmt.Printf("article: %d impressions, %d clicks, %d deflections, %d tickets after\n", a.Impressions, a.Clicks, a.Deflections, a.TicketsAfter)
	// Output:
	// deflection rate 2/3
	// article: 3 impressions, 3 clicks, 2 deflections, 1 tickets after
}
