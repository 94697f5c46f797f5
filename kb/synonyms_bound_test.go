package kb_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

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
