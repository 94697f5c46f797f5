package kb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// Regression: a highlighted hit's snippet was sought in the whole body, so a
// search whose hits had bodies of a few MiB took a second. The snippet is
// now sought in the start of the body only, and the search costs about the
// same as without highlights.
func TestHighlightedSearchOfLongBodiesIsBounded(t *testing.T) {
	ctx := context.Background()
	k, err := kb.New(nil, kb.Config{})
	require.NoError(t, err)
	body := strings.Repeat("Роутер мигает после грозы. ", 1<<20/48)
	for i := range 8 {
		a := &kb.Article{Slug: fmt.Sprint("long-", i), Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: {Title: fmt.Sprint("Роутер ", i), Body: body}}}
		require.NoError(t, k.Create(ctx, a))
	}
	fastest := func(highlight bool) time.Duration {
		best := time.Hour
		for range 3 {
			start := time.Now()
			res, err := k.Search(ctx, kb.Query{Text: "роутер гроза", Audience: kb.Customer, Highlight: highlight})
			best = min(best, time.Since(start))
			require.NoError(t, err)
			require.Len(t, res.Hits, 8)
			if highlight {
				sn := res.Hits[0].Snippet
				require.NotEmpty(t, sn.Highlights)
				assert.True(t, strings.HasSuffix(sn.Text, "…"), "the snippet says the body goes on: %q", sn.Text)
			}
		}
		return best
	}
	plain, highlighted := fastest(false), fastest(true)
	assert.Less(t, highlighted, 2*plain+50*time.Millisecond, "without highlights %v", plain)
}
