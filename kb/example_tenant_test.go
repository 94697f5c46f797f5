package kb_test

import (
	"context"
	"fmt"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// Serve two tenants from one store: each KB creates, finds and counts only
// its own tenant's articles, even under the same slug.
func Example_tenants() {
	ctx := context.Background()
	store := kb.NewMemoryStore()
	for _, tenant := range []string{"acme", "globex"} {
		k, err := kb.New(store, kb.Config{Tenant: tenant})
		if err != nil {
			panic(err)
		}
		err = k.Create(ctx, &kb.Article{
			Slug: "vpn", Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{
				language.English: {Title: "Connect to the " + tenant + " VPN"},
			},
		})
		if err != nil {
			panic(err)
		}
		res, err := k.Search(ctx, kb.Query{Text: "vpn", Audience: kb.Customer})
		if err != nil {
			panic(err)
		}
		a, err := k.Get(ctx, res.Hits[0].ArticleID)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %d found: %s\n", tenant, res.Total, a.Translations[language.English].Title)
	}
	acme, _ := store.GetBySlug(ctx, "acme", "vpn")
	globex, _ := store.GetBySlug(ctx, "globex", "vpn")
	fmt.Println(acme.Tenant, globex.Tenant, acme.ID != globex.ID)
	// Output:
	// acme: 1 found: Connect to the acme VPN
	// globex: 1 found: Connect to the globex VPN
	// acme globex true
}
