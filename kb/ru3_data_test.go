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

// The third Russian collection (testdata/ru3) is checked here for the
// properties its README documents. Nothing here searches: the collection
// must stay valid whatever the index does.

func loadRU3(t *testing.T) (map[string]ru2Article, []ru2Article, []ru2Query) {
	t.Helper()
	var arts []ru2Article
	var qs []ru2Query
	kbdata.Decode(t, "testdata/ru3/articles.json", &arts)
	kbdata.Decode(t, "testdata/ru3/queries.json", &qs)
	byID := make(map[string]ru2Article, len(arts))
	for _, a := range arts {
		byID[a.ID] = a
	}
	return byID, arts, qs
}

// ru3READMERow is one row of the kind table in testdata/ru3/README.md:
// | `kind` | count | tune | heldout | ... |
var ru3READMERow = regexp.MustCompile("(?m)^\\| `([a-z_]+)` +\\| +(\\d+) \\| +(\\d+) \\| +(\\d+) \\|")

// ru3READMEKinds reads the kind table of the README: kind → {count, tune, heldout}.
func ru3READMEKinds(t *testing.T) map[string][3]int {
	t.Helper()
	raw, err := os.ReadFile("testdata/ru3/README.md")
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

var ru3ArticleID = regexp.MustCompile(`^ru3-\d\d$`)

func TestRU3ArticlesAreValidKBArticles(t *testing.T) {
	_, arts, _ := loadRU3(t)
	require.Len(t, arts, 38)
	ids, slugs := map[string]bool{}, map[string]bool{}
	internal := 0
	for _, a := range arts {
		assert.Regexp(t, ru3ArticleID, a.ID)
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
	assert.Equal(t, 4, internal, "internal articles")
}

func TestRU3QueriesFollowTheREADME(t *testing.T) {
	byID, _, qs := loadRU3(t)
	table := ru3READMEKinds(t)
	ids, texts := map[string]bool{}, map[string]string{}
	got := map[string][3]int{}
	judged := map[string]bool{}
	for _, q := range qs {
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
	for id := range byID {
		assert.True(t, judged[id], "%s is relevant to no query", id)
	}
	assert.GreaterOrEqual(t, got["paraphrase"][0], 60, "fewer than 60 paraphrases")
}

// TestRU3QueryForms checks the mechanical kinds against the text of their
// relevant articles, as the README describes them.
func TestRU3QueryForms(t *testing.T) {
	byID, _, qs := loadRU3(t)
	for _, q := range qs {
		words := map[string]bool{}
		for _, r := range q.Relevant {
			for _, w := range ru2Words(ru2Text(byID[r])) {
				words[w] = true
			}
		}
		toks := ru2Words(q.Query)
		switch q.Kind {
		case "prefix":
			last := toks[len(toks)-1]
			assert.False(t, words[last], "%s: %q is a whole word of the article", q.ID, last)
			assert.True(t, ru2AnyWord(words, func(w string) bool { return strings.HasPrefix(w, last) }),
				"%s: %q starts no word of the article", q.ID, last)
		case "typo":
			assert.True(t, ru2AnyToken(toks, func(tok string) bool {
				return !words[tok] && ru2AnyWord(words, func(w string) bool { return ru2OneEdit(tok, w) })
			}), "%s: no word is one edit from an article word", q.ID)
		case "layout":
			assert.True(t, ru2AnyToken(strings.Fields(q.Query), func(tok string) bool {
				sw := ru2Words(ru2SwapLayout(tok))
				return !words[strings.ToLower(tok)] && len(sw) > 0 && ru2AnyToken(sw, func(s string) bool { return words[s] })
			}), "%s: no token reads as an article word on the other layout", q.ID)
		case "synonym", "inflection":
			assert.True(t, ru2AnyToken(toks, func(tok string) bool { return !words[tok] }),
				"%s: every word occurs verbatim in the article", q.ID)
		}
	}
}
