package kb_test

import (
	"context"
	"fmt"
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

// Agents find drafts and archived articles when they ask for those statuses,
// with or without other filters, and customers never do.
func TestAgentsFindEveryStatusTheyAskFor(t *testing.T) {
	ix := indexOf(t)
	for _, st := range []kb.Status{kb.Draft, kb.Published, kb.Archived} {
		for _, v := range []kb.Visibility{kb.Public, kb.Internal} {
			a := article(fmt.Sprintf("%v-%v", v, st), v, st, language.English, "Boar facts", "boar")
			a.Category = "wild"
			require.NoError(t, ix.Upsert(context.Background(), a))
		}
	}
	for _, st := range []kb.Status{kb.Draft, kb.Published, kb.Archived} {
		for _, category := range []string{"", "wild"} {
			q := kb.Query{Text: "boar", Audience: kb.Agent, Statuses: []kb.Status{st}, Category: category}
			res, err := ix.Search(context.Background(), q)
			require.NoError(t, err)
			got := []string{}
			for _, h := range res.Hits {
				got = append(got, h.Slug)
			}
			slices.Sort(got)
			assert.Equal(t, []string{fmt.Sprintf("internal-%v", st), fmt.Sprintf("public-%v", st)}, got, "%v in %q", st, category)
			q.Audience = kb.Customer
			res, err = ix.Search(context.Background(), q)
			require.NoError(t, err)
			for _, h := range res.Hits {
				assert.Equal(t, "public-published", h.Slug)
			}
		}
	}
}
