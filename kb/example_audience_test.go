package kb_test

import (
	"context"
	"fmt"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// The audience is part of every search: a customer never sees internal or
// unpublished articles, an agent sees internal ones and asks for drafts.
func Example_audience() {
	ctx := context.Background()
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{})
	if err != nil {
		panic(err)
	}
	add := func(slug string, v kb.Visibility, s kb.Status, title string) {
		err := k.Create(ctx, &kb.Article{Slug: slug, Visibility: v, Status: s,
			Translations: map[language.Tag]kb.Translation{language.English: {Title: title}}})
		if err != nil {
			panic(err)
		}
	}
	add("vpn-customers", kb.Public, kb.Published, "VPN app for customers")
	add("vpn-office", kb.Internal, kb.Published, "Office VPN for staff")
	add("vpn-next", kb.Public, kb.Draft, "VPN changes next month")

	show := func(q kb.Query) {
		res, err := k.Search(ctx, q)
		if err != nil {
			panic(err)
		}
		fmt.Print(q.Audience, ":")
		for _, h := range res.Hits {
			fmt.Print(" ", h.Slug)
		}
		fmt.Println()
	}
	show(kb.Query{Text: "vpn", Audience: kb.Customer, Statuses: []kb.Status{kb.Draft}})
	show(kb.Query{Text: "vpn", Audience: kb.Agent})
	show(kb.Query{Text: "vpn", Audience: kb.Agent, Statuses: []kb.Status{kb.Draft}})
	// Output:
	// customer: vpn-customers
	// agent: vpn-customers vpn-office
	// agent: vpn-next
}
