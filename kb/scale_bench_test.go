package kb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/uuid"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// syntheticIndex builds an index of n articles whose words follow a Zipf
// law over the StackFAQ vocabulary, plus two rare made-up words per article,
// so the vocabulary grows with the collection as it does in real ones. It
// returns the index, the common words and the rare ones.
func syntheticIndex(b testing.TB, n int) (ix *kb.MemoryIndex, vocab, rares []string) {
	b.Helper()
	seen := map[string]bool{}
	for _, th := range loadStackFAQ(b) {
		for _, w := range strings.Fields(strings.ToLower(th.Question + " " + strings.Join(th.Answers, " "))) {
			w = strings.Trim(w, ".,;:!?()\"'")
			if len(w) >= 3 && !seen[w] && strings.IndexFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) < 0 {
				seen[w] = true
				vocab = append(vocab, w)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	zipf := rand.NewZipf(rand.New(rand.NewPCG(2, uint64(n))), 1.1, 2, uint64(len(vocab)-1))
	ix, err := kb.NewMemoryIndex(kb.IndexConfig{})
	if err != nil {
		b.Fatal(err)
	}
	letters := "abcdefghijklmnopqrstuvwxyz"
	rare := func() string {
		r := make([]byte, 6+rng.IntN(6))
		for i := range r {
			r[i] = letters[rng.IntN(len(letters))]
		}
		rares = append(rares, string(r))
		return string(r)
	}
	words := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = vocab[zipf.Uint64()]
		}
		return strings.Join(ws, " ")
	}
	for i := range n {
		a := &kb.Article{ID: uuid.New(), Slug: fmt.Sprintf("a-%d", i), Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.English: {Title: words(6), Body: words(40) + " " + rare() + " " + rare()}}}
		if err := ix.Upsert(context.Background(), a); err != nil {
			b.Fatal(err)
		}
	}
	return ix, vocab, rares
}

// typo changes a word by the edits its length allows: one for 5-8 letters,
// two for 9 or more (a transposition and a substitution).
func typo(rng *rand.Rand, w string) string {
	r := []byte(w)
	i := 1 + rng.IntN(len(r)-2)
	r[i], r[i+1] = r[i+1], r[i]
	if len(r) >= 9 {
		j := rng.IntN(len(r))
		r[j] = "aeiou"[rng.IntN(5)]
	}
	return string(r)
}

// BenchmarkTypoSearch measures a customer search for one misspelled word at
// two collection sizes. In "rare" the word is one of the made-up words, found
// in one or two articles, so the time is mostly the bounded walk of the
// vocabulary trie that finds the spelling; in "common" it is a Zipf-drawn
// word, so the time is mostly scoring its long posting lists.
func BenchmarkTypoSearch(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		ix, vocab, rares := syntheticIndex(b, n)
		for _, kind := range []string{"rare", "common"} {
			b.Run(fmt.Sprintf("articles=%d/%s", n, kind), func(b *testing.B) {
				words := vocab
				if kind == "rare" {
					words = rares
				}
				rng := rand.New(rand.NewPCG(3, 4))
				var queries []string
				for len(queries) < 500 {
					if w := words[rng.IntN(len(words))]; len(w) >= 5 {
						queries = append(queries, typo(rng, w)+" ")
					}
				}
				ctx := context.Background()
				b.ReportAllocs()
				b.ResetTimer()
				for i := range b.N {
					if _, err := ix.Search(ctx, kb.Query{Text: queries[i%len(queries)], Audience: kb.Customer}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkUpsert measures replacing one article in an index of 10,000.
func BenchmarkUpsert(b *testing.B) {
	ix, _, _ := syntheticIndex(b, 10_000)
	a := &kb.Article{ID: uuid.New(), Slug: "upsert", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.Russian: {Title: "Как восстановить пароль", Body: "Нажмите «Забыли пароль?» на странице входа и следуйте инструкции из письма."}}}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := ix.Upsert(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}
