package kb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// secretWords appear only in internal, draft or archived articles.
var secretWords = []string{"увольнения", "reorganization", "бонусыруководства", "acquisition", "зарплатная", "layoffplan"}

// publicWords appear in published public articles (and in hidden ones too).
var publicWords = []string{"пароль", "password", "доставка", "delivery", "возврат", "refund"}

// mangle returns a query a user might type for word: as is, with a typo, half
// typed, or in the wrong keyboard layout.
func mangle(rng *rand.Rand, word string) string {
	r := []rune(word)
	switch rng.IntN(4) {
	case 0:
		i := rng.IntN(len(r) - 1)
		r[i], r[i+1] = r[i+1], r[i]
		return string(r)
	case 1:
		return string(r[:max(2, len(r)/2)])
	case 2:
		return kb.SwitchLayout(word)
	}
	return word
}

// Customers must learn nothing about hidden articles: not from hits, not from
// "did you mean", not from layout correction, not from facets, whatever
// spelling, filters or paging the query uses.
func TestCustomerLearnsNothingAboutHiddenArticles(t *testing.T) {
	ctx := context.Background()
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{})
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 120 {
		v, s := kb.Public, kb.Published
		body := publicWords[rng.IntN(len(publicWords))] + " " + publicWords[rng.IntN(len(publicWords))]
		if i%2 == 1 {
			v, s = []kb.Visibility{kb.Internal, kb.Public, kb.Internal}[i%3], []kb.Status{kb.Published, kb.Draft, kb.Archived}[rng.IntN(3)]
			if v == kb.Public && s == kb.Published {
				s = kb.Draft
			}
			body += " " + secretWords[rng.IntN(len(secretWords))]
		}
		lang := []language.Tag{language.Russian, language.English}[rng.IntN(2)]
		require.NoError(t, k.Create(ctx, &kb.Article{Slug: fmt.Sprintf("a-%d", i), Category: "c/" + fmt.Sprint(i%4), Tags: []string{fmt.Sprint(i % 3)},
			Visibility: v, Status: s, Translations: map[language.Tag]kb.Translation{lang: {Title: body, Body: body, Keywords: []string{body}}}}))
	}
	// revealed reports whether text holds a hidden word that typed does not.
	revealed := func(text, typed string) bool {
		text, typed = kb.Fold(text), kb.Fold(typed)
		for _, w := range secretWords {
			stem := kb.Stem(kb.Fold(w))
			if strings.Contains(text, stem) && !strings.Contains(typed, stem) {
				return true
			}
		}
		return false
	}
	queries := 600
	if testing.Short() {
		queries = 150
	}
	for range queries {
		words := []string{mangle(rng, secretWords[rng.IntN(len(secretWords))])}
		if rng.IntN(2) == 0 {
			words = append(words, mangle(rng, publicWords[rng.IntN(len(publicWords))]))
		}
		q := kb.Query{Text: strings.Join(words, " "), Audience: kb.Customer, Highlight: true, Facets: true, Limit: 1 + rng.IntN(20), Offset: rng.IntN(3)}
		if rng.IntN(2) == 0 {
			q.Statuses, q.Visibilities = []kb.Status{kb.Draft, kb.Archived}, []kb.Visibility{kb.Internal}
		}
		if rng.IntN(3) == 0 {
			q.Category = "c/" + fmt.Sprint(rng.IntN(4))
		}
		res, err := k.Search(ctx, q)
		require.NoError(t, err)
		for _, h := range res.Hits {
			require.Equal(t, kb.Public, h.Visibility, q.Text)
			require.Equal(t, kb.Published, h.Status, q.Text)
			require.False(t, revealed(h.Title+" "+h.Snippet.Text, ""), "hit shows a hidden word for %q", q.Text)
		}
		require.False(t, revealed(res.DidYouMean, q.Text), "did-you-mean %q reveals a hidden word for %q", res.DidYouMean, q.Text)
		require.False(t, revealed(res.Corrected, q.Text), "correction %q reveals a hidden word for %q", res.Corrected, q.Text)
		for tag := range res.Facets.Tags {
			require.NotEmpty(t, tag)
		}
		total := 0
		for _, n := range res.Facets.Categories {
			total += n
		}
		require.Equal(t, res.Total, total, "facets count only what the customer may see")
	}
}
