package kb_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// A category filter keeps the category and what lies below it, at a "/"
// boundary: "wild" is not a parent of "wildlife", and a trailing slash in
// the filter changes nothing.
func TestCategoryFilterStopsAtPathBoundaries(t *testing.T) {
	ix := indexOf(t)
	for _, cat := range []string{"wild", "wild/boar", "wild/boar/young", "wildlife", "wildlife/boar", "tame/wild"} {
		a := article(strings.ReplaceAll(cat, "/", "-"), kb.Public, kb.Published, language.English, "Boar facts", "boar")
		a.Category = cat
		require.NoError(t, ix.Upsert(context.Background(), a))
	}
	tests := map[string][]string{
		"wild":      {"wild", "wild/boar", "wild/boar/young"},
		"wild/":     {"wild", "wild/boar", "wild/boar/young"},
		"wild/boar": {"wild/boar", "wild/boar/young"},
		"wildlife":  {"wildlife", "wildlife/boar"},
		"wil":       {},
		"tame":      {"tame/wild"},
	}
	for filter, want := range tests {
		for _, aud := range []kb.Audience{kb.Customer, kb.Agent} {
			res, err := ix.Search(context.Background(), kb.Query{Text: "boar", Audience: aud, Category: filter, Limit: 100})
			require.NoError(t, err)
			got := []string{}
			for _, h := range res.Hits {
				got = append(got, h.Category)
			}
			slices.Sort(got)
			assert.Equal(t, want, got, "filter %q as %v", filter, aud)
		}
	}
}
