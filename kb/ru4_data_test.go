package kb_test

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/internal/kbdata"
	"github.com/supportkit/supportkit/kb"
)

// The fourth Russian collection (testdata/ru4) is checked here for the
// properties its README documents. Nothing here searches: the collection
// must stay valid whatever the index does.

func loadRU4(t *testing.T) (map[string]ru2Article, []ru2Article, []ru2Query) {
	t.Helper()
	var arts []ru2Article
	var qs []ru2Query
	kbdata.Decode(t, "testdata/ru4/articles.json", &arts)
	kbdata.Decode(t, "testdata/ru4/queries.json", &qs)
	byID := make(map[string]ru2Article, len(arts))
	for _, a := range arts {
		byID[a.ID] = a
	}
	return byID, arts, qs
}

// ru4READMEKinds reads the kind table of testdata/ru4/README.md, which has
// the same shape as the third collection's: kind → {count, tune, heldout}.
func ru4READMEKinds(t *testing.T) map[string][3]int {
	t.Helper()
	raw, err := os.ReadFile("testdata/ru4/README.md")
	require.NoError(t, err)
	rows := map[string][3]int{}
	for _, m := range ru3READMERow.FindAllStringSubmatch(string(raw), -1) {
		var row [3]int
		for i := range row {
			row[i], err = strconv.Atoi(m[i+2])
			require.NoError(t, err)
		}
		rows[m[1]] = row
	}
	require.NotEmpty(t, rows, "the README has no kind table")
	return rows
}

var ru4ArticleID = regexp.MustCompile(`^ru4-\d\d$`)

var ru4QueryID = regexp.MustCompile(`^q4-\d\d\d$`)

func TestRU4ArticlesAreValidKBArticles(t *testing.T) {
	_, arts, _ := loadRU4(t)
	require.Len(t, arts, 32)
	ids, slugs := map[string]bool{}, map[string]bool{}
	internal := 0
	for _, a := range arts {
		assert.Regexp(t, ru4ArticleID, a.ID)
		assert.False(t, ids[a.ID], "duplicate id %s", a.ID)
		assert.False(t, slugs[a.Slug], "duplicate slug %s", a.Slug)
		ids[a.ID], slugs[a.Slug] = true, true
		assert.NotEmpty(t, a.Category, a.ID)
		assert.NotEmpty(t, a.Tags, a.ID)
		assert.True(t, len(a.Keywords) >= 3 && len(a.Keywords) <= 6, "%s has %d keywords", a.ID, len(a.Keywords))
		n := len(strings.Fields(a.Body))
		assert.True(t, n >= 100 && n <= 140, "%s body has %d words", a.ID, n)
		assert.Contains(t, a.Body, "\n1. ", "%s has no numbered steps", a.ID)

		vis, ok := map[string]kb.Visibility{kb.Public.String(): kb.Public, kb.Internal.String(): kb.Internal}[a.Visibility]
		assert.True(t, ok, "%s has visibility %q", a.ID, a.Visibility)
		if vis == kb.Internal {
			internal++
		}
		art := &kb.Article{
			ID:         uuid.NewSHA1(uuid.NameSpaceURL, []byte(a.ID)),
			Slug:       a.Slug,
			Category:   a.Category,
			Tags:       a.Tags,
			Visibility: vis,
			Status:     kb.Published,
			Translations: map[language.Tag]kb.Translation{
				language.Russian: {Title: a.Title, Body: a.Body, Keywords: a.Keywords},
			},
		}
		assert.NoError(t, art.Validate(), a.ID)
	}
	assert.Equal(t, 2, internal, "internal articles")
}

func TestRU4QueriesFollowTheREADME(t *testing.T) {
	byID, _, qs := loadRU4(t)
	table := ru4READMEKinds(t)
	ids, texts := map[string]bool{}, map[string]string{}
	got := map[string][3]int{}
	judged := map[string]bool{}
	for _, q := range qs {
		assert.Regexp(t, ru4QueryID, q.ID)
		assert.False(t, ids[q.ID], "duplicate id %s", q.ID)
		ids[q.ID] = true
		norm := strings.Join(strings.Fields(strings.ToLower(q.Query)), " ")
		if prev, ok := texts[norm]; ok {
			t.Errorf("%s repeats the query of %s: %q", q.ID, prev, q.Query)
		}
		texts[norm] = q.ID
		assert.Equal(t, norm, q.Query, "%s is not lowercase single-spaced", q.ID)

		if _, known := table[q.Kind]; !assert.True(t, known, "%s has unknown kind %q", q.ID, q.Kind) {
			continue
		}
		// The half rule: alternate within each kind in file order, tune first.
		row := got[q.Kind]
		wantHalf := "tune"
		if row[0]%2 == 1 {
			wantHalf = "heldout"
		}
		assert.Equal(t, wantHalf, q.Half, q.ID)
		row[0]++
		if q.Half == "tune" {
			row[1]++
		} else {
			row[2]++
		}
		got[q.Kind] = row

		assert.Equal(t, q.Kind == "no_answer", len(q.Relevant) == 0,
			"%s: only no_answer queries have no relevant article", q.ID)
		assert.LessOrEqual(t, len(q.Relevant), 2, "%s has more than two relevant articles", q.ID)
		seen := map[string]bool{}
		for _, r := range q.Relevant {
			_, ok := byID[r]
			assert.True(t, ok, "%s: unknown relevant id %s", q.ID, r)
			assert.False(t, seen[r], "%s lists %s twice", q.ID, r)
			seen[r], judged[r] = true, true
		}
	}
	assert.Equal(t, table, got, "kind counts differ from the README table")
	for kind, row := range got {
		assert.Equal(t, row[1], row[2], "%s halves are unbalanced", kind)
	}
	for id := range byID {
		assert.True(t, judged[id], "%s is relevant to no query", id)
	}
	assert.GreaterOrEqual(t, got["paraphrase"][0], 80, "fewer than 80 paraphrases")
}

// TestRU4SynonymsAvoidTheArticle checks that each synonym query has a word
// that does not occur verbatim in its relevant article, as the README says.
func TestRU4SynonymsAvoidTheArticle(t *testing.T) {
	byID, _, qs := loadRU4(t)
	for _, q := range qs {
		if q.Kind != "synonym" {
			continue
		}
		words := map[string]bool{}
		for _, r := range q.Relevant {
			for _, w := range ru2Words(ru2Text(byID[r])) {
				words[w] = true
			}
		}
		assert.True(t, ru2AnyToken(ru2Words(q.Query), func(tok string) bool { return !words[tok] }),
			"%s: every word occurs verbatim in the article", q.ID)
	}
}
