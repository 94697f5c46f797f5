package kb_test

import (
	"context"
	"fmt"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// Index articles in Russian and English, then find them the way people type:
// inflected, with a typo, or in the wrong keyboard layout.
func Example_indexing() {
	ctx := context.Background()
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{})
	if err != nil {
		panic(err)
	}
	err = k.Create(ctx, &kb.Article{
		Slug:       "password-reset",
		Category:   "account/password",
		Visibility: kb.Public,
		Status:     kb.Published,
		Translations: map[language.Tag]kb.Translation{
			language.Russian: {Title: "Как восстановить пароль", Body: "Нажмите «Забыли пароль?» на странице входа."},
			language.English: {Title: "How to reset your password", Body: "Click Forgot password on the sign-in page."},
		},
	})
	if err != nil {
		panic(err)
	}
	for _, q := range []string{"восстановление паролей", "pasword reset", "gfhjkm"} {
		res, err := k.Search(ctx, kb.Query{Text: q, Audience: kb.Customer})
		if err != nil {
			panic(err)
		}
		h := res.Hits[0]
		fmt.Printf("%s -> %s [%s] %q", q, h.Slug, h.Language, h.Title)
		if res.Corrected != "" {
			fmt.Printf(" (read as %q)", res.Corrected)
		}
		fmt.Println()
	}
	// Output:
	// восстановление паролей -> password-reset [ru] "Как восстановить пароль"
	// pasword reset -> password-reset [en] "How to reset your password"
	// gfhjkm -> password-reset [ru] "Как восстановить пароль" (read as "пароль")
}
