package kb_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// Regression: every member of a synonym set kept its own copy of the
// others, so a set of n words took memory (and time) in n², and a set of a
// few thousand words, such as a host's imported thesaurus, hundreds of MiB.
func TestSynonymSetMemoryGrowsWithItsSize(t *testing.T) {
	ctx := context.Background()
	ix, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)
	k, err := kb.New(nil, kb.Config{Index: ix})
	require.NoError(t, err)
	a := &kb.Article{Slug: "reset", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "Reset your password"}}}
	require.NoError(t, k.Create(ctx, a))
	set := []string{"password"}
	for i := range 2000 {
		set = append(set, fmt.Sprint("secret", i))
	}
	before := liveHeap()
	require.NoError(t, ix.SetSynonyms([][]string{set}))
	grown := liveHeap() - before
	runtime.KeepAlive(ix)
	assert.Less(t, grown, int64(8<<20), "a set of 2,001 words holds %d KiB", grown>>10)
	for _, q := range []string{"secret1999", "password"} {
		res, err := k.Search(ctx, kb.Query{Text: q + " ", Audience: kb.Customer})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Total, q)
	}
}

// Regression: every synonym of a query word that the index held was merged
// into the word's variants with a sort of them all, so a word of a large
// set cost time in the square of the set's size: a search for one word of a
// set of 8,000, all in the articles, took half a second.
func TestSearchForAWordOfALargeSynonymSetIsBounded(t *testing.T) {
	ctx := context.Background()
	ix, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)
	k, err := kb.New(nil, kb.Config{Index: ix})
	require.NoError(t, err)
	set := []string{"password"}
	for i := range 8000 {
		set = append(set, fmt.Sprint("secret", i))
	}
	a := &kb.Article{Slug: "reset", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "Reset your password", Body: strings.Join(set[1:], " ")}}}
	require.NoError(t, k.Create(ctx, a))
	require.NoError(t, ix.SetSynonyms([][]string{set}))
	fastest := func(text string) time.Duration {
		best := time.Hour
		for range 3 {
			start := time.Now()
			res, err := k.Search(ctx, kb.Query{Text: text, Audience: kb.Customer})
			best = min(best, time.Since(start))
			require.NoError(t, err)
			require.Equal(t, 1, res.Total)
		}
		return best
	}
	plain, synonyms := fastest("reset "), fastest("password ")
	assert.Less(t, synonyms, 2*plain+200*time.Millisecond, "without synonyms %v", plain)
}
