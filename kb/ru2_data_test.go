package kb_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/internal/kbdata"
	"github.com/supportkit/supportkit/kb"
)

// The second Russian collection (testdata/ru2) is checked here for the
// properties its README documents. Nothing here searches: the collection
// must stay valid whatever the index does.

type (
	ru2Article = kbdata.Article
	ru2Query   = kbdata.Query
)

// ru2KindCounts is the table in testdata/ru2/README.md.
var ru2KindCounts = map[string]int{
	"paraphrase": 64,
	"synonym":    16,
	"inflection": 16,
	"typo":       16,
	"layout":     14,
	"prefix":     14,
	"mixed":      14,
	"keyword":    12,
	"english":    10,
	"no_answer":  8,
}

func decodeRU2(t *testing.T, name string, v any) {
	t.Helper()
	kbdata.Decode(t, "testdata/ru2/"+name, v)
}

func loadRU2(t *testing.T) (map[string]ru2Article, []ru2Article, []ru2Query) {
	t.Helper()
	var arts []ru2Article
	var qs []ru2Query
	decodeRU2(t, "articles.json", &arts)
	decodeRU2(t, "queries.json", &qs)
	byID := make(map[string]ru2Article, len(arts))
	for _, a := range arts {
		byID[a.ID] = a
	}
	return byID, arts, qs
}

var ru2ArticleID = regexp.MustCompile(`^ru2-\d\d$`)

func TestRU2ArticlesAreValidKBArticles(t *testing.T) {
	_, arts, _ := loadRU2(t)
	require.GreaterOrEqual(t, len(arts), 40)
	require.LessOrEqual(t, len(arts), 50)
	ids, slugs := map[string]bool{}, map[string]bool{}
	internal := 0
	for _, a := range arts {
		assert.Regexp(t, ru2ArticleID, a.ID)
		assert.False(t, ids[a.ID], "duplicate id %s", a.ID)
		assert.False(t, slugs[a.Slug], "duplicate slug %s", a.Slug)
		ids[a.ID], slugs[a.Slug] = true, true
		assert.NotEmpty(t, a.Category, a.ID)
		assert.NotEmpty(t, a.Tags, a.ID)
		assert.NotEmpty(t, a.Keywords, a.ID)
		n := len(strings.Fields(a.Body))
		assert.True(t, n >= 100 && n <= 150, "%s body has %d words", a.ID, n)
		assert.Contains(t, a.Body, "\n1. ", "%s has no numbered steps", a.ID)

		vis := map[string]kb.Visibility{kb.Public.String(): kb.Public, kb.Internal.String(): kb.Internal}[a.Visibility]
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
	assert.Positive(t, internal, "no internal articles")
	assert.Less(t, internal, len(arts)/2, "most articles must be public")
}

func TestRU2QueriesFollowTheREADME(t *testing.T) {
	byID, _, qs := loadRU2(t)
	require.GreaterOrEqual(t, len(qs), 160)
	ids, texts := map[string]bool{}, map[string]string{}
	kinds := map[string]int{}
	halves := map[string]int{}
	for _, q := range qs {
		assert.False(t, ids[q.ID], "duplicate id %s", q.ID)
		ids[q.ID] = true
		norm := strings.Join(strings.Fields(strings.ToLower(q.Query)), " ")
		if prev, ok := texts[norm]; ok {
			t.Errorf("%s repeats the query of %s: %q", q.ID, prev, q.Query)
		}
		texts[norm] = q.ID
		assert.Equal(t, norm, q.Query, "%s is not lowercase single-spaced", q.ID)

		want, known := ru2KindCounts[q.Kind]
		if !assert.True(t, known, "%s has unknown kind %q", q.ID, q.Kind) || want == 0 {
			continue
		}
		// The half rule: alternate within each kind in file order, tune first.
		wantHalf := "tune"
		if kinds[q.Kind]%2 == 1 {
			wantHalf = "heldout"
		}
		kinds[q.Kind]++
		halves[q.Half]++
		assert.Equal(t, wantHalf, q.Half, q.ID)

		if q.Kind == "no_answer" {
			assert.Empty(t, q.Relevant, "%s is a no_answer query with relevant articles", q.ID)
		} else {
			assert.NotEmpty(t, q.Relevant, "%s has no relevant article", q.ID)
		}
		seen := map[string]bool{}
		for _, r := range q.Relevant {
			_, ok := byID[r]
			assert.True(t, ok, "%s: unknown relevant id %s", q.ID, r)
			assert.False(t, seen[r], "%s lists %s twice", q.ID, r)
			seen[r] = true
		}
	}
	assert.Equal(t, ru2KindCounts, kinds)
	assert.Equal(t, len(qs)/2, halves["tune"])
	assert.Equal(t, len(qs)/2, halves["heldout"])
	assert.GreaterOrEqual(t, 3*kinds["paraphrase"], len(qs), "fewer than a third are paraphrases")
}

// TestRU2QueryForms checks the mechanical kinds against the text of their
// relevant articles, as the README describes them.
func TestRU2QueryForms(t *testing.T) {
	byID, _, qs := loadRU2(t)
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

func ru2Text(a ru2Article) string {
	return strings.Join(append(append([]string{a.Title, a.Body, a.Slug, a.Category}, a.Tags...), a.Keywords...), " ")
}

// ru2Words lowercases s, folds ё to е and splits it into runs of letters and
// digits.
func ru2Words(s string) []string {
	s = strings.ReplaceAll(strings.ToLower(s), "ё", "е")
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func ru2AnyToken(toks []string, ok func(string) bool) bool {
	for _, t := range toks {
		if ok(t) {
			return true
		}
	}
	return false
}

func ru2AnyWord(words map[string]bool, ok func(string) bool) bool {
	for w := range words {
		if ok(w) {
			return true
		}
	}
	return false
}

// ru2OneEdit reports whether a and b differ by exactly one insertion,
// deletion, substitution or swap of adjacent letters.
func ru2OneEdit(a, b string) bool {
	x, y := []rune(a), []rune(b)
	if len(x) > len(y) {
		x, y = y, x
	}
	i := 0
	for i < len(x) && x[i] == y[i] {
		i++
	}
	switch {
	case len(y)-len(x) == 1:
		return string(x[i:]) == string(y[i+1:])
	case len(y) != len(x) || i == len(x):
		return false
	case string(x[i+1:]) == string(y[i+1:]):
		return true
	}
	return i+1 < len(x) && x[i] == y[i+1] && x[i+1] == y[i] && string(x[i+2:]) == string(y[i+2:])
}

// The same keys on the QWERTY and ЙЦУКЕН layouts.
const (
	ru2KeysEN = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
	ru2KeysRU = "йцукенгшщзхъфывапролджэячсмитьбюё"
)

// ru2SwapLayout retypes s on the other keyboard layout, key for key.
func ru2SwapLayout(s string) string {
	en, ru := []rune(ru2KeysEN), []rune(ru2KeysRU)
	swap := make(map[rune]rune, 2*len(en))
	for i := range en {
		swap[en[i]], swap[ru[i]] = ru[i], en[i]
	}
	return strings.Map(func(r rune) rune {
		if o, ok := swap[unicode.ToLower(r)]; ok {
			return o
		}
		return r
	}, s)
}
