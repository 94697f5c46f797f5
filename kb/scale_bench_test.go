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
// law over the StackFAQ vocabulary, plus two rare words per article, so the
// vocabulary grows with the collection as it does in real ones. With
// wordlike set the rare words are made up by a letter model of the StackFAQ
// vocabulary, so they share the prefixes and endings of real English words;
// otherwise they are random letters, which spread evenly over the trie. It
// returns the index, the common words and the rare ones.
func syntheticIndex(b testing.TB, n int, wordlike bool) (ix *kb.MemoryIndex, vocab, rares []string) {
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
	model := newLetterModel(vocab)
	letters := "abcdefghijklmnopqrstuvwxyz"
	rare := func() string {
		var w string
		if wordlike {
			w = model.word(rng, 6, 11)
		} else {
			r := make([]byte, 6+rng.IntN(6))
			for i := range r {
				r[i] = letters[rng.IntN(len(letters))]
			}
			w = string(r)
		}
		rares = append(rares, w)
		return w
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

// letterModel draws made-up words letter by letter, each letter from the
// letters that follow the previous two in a vocabulary ('^' pads the start,
// '$' ends a word).
type letterModel map[string][]byte

func newLetterModel(vocab []string) letterModel {
	m := letterModel{}
	for _, w := range vocab {
		w = "^^" + w + "$"
		for i := 2; i < len(w); i++ {
			m[w[i-2:i]] = append(m[w[i-2:i]], w[i])
		}
	}
	return m
}

// word draws words until one has between lo and hi letters.
func (m letterModel) word(rng *rand.Rand, lo, hi int) string {
	for {
		w := []byte("^^")
		for len(w) < hi+3 {
			next := m[string(w[len(w)-2:])]
			c := next[rng.IntN(len(next))]
			if c == '$' {
				break
			}
			w = append(w, c)
		}
		if n := len(w) - 2; n >= lo && n <= hi {
			return string(w[2:])
		}
	}
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
// two collection sizes. In "rare" the word is one of the random made-up
// words, found in one or two articles, so the time is mostly the bounded walk
// of the vocabulary trie that finds the spelling; "wordlike" is the same
// with made-up words that look like English ones, as a real vocabulary's
// rare words do; in "common" it is a Zipf-drawn word, so the time is mostly
// scoring its long posting lists.
func BenchmarkTypoSearch(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		for _, wordlike := range []bool{false, true} {
			ix, vocab, rares := syntheticIndex(b, n, wordlike)
			kinds := []string{"rare", "common"}
			if wordlike {
				kinds = []string{"wordlike"}
			}
			for _, kind := range kinds {
				words := rares
				if kind == "common" {
					words = vocab
				}
				b.Run(fmt.Sprintf("articles=%d/%s", n, kind), func(b *testing.B) {
					benchmarkTypos(b, ix, words)
				})
			}
		}
	}
}

// benchmarkTypos runs customer searches for misspellings of 500 of the
// words that are at least 5 letters long, round-robin.
func benchmarkTypos(b *testing.B, ix *kb.MemoryIndex, words []string) {
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
}

// BenchmarkUpsert measures replacing one article in an index of 10,000.
func BenchmarkUpsert(b *testing.B) {
	ix, _, _ := syntheticIndex(b, 10_000, false)
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
