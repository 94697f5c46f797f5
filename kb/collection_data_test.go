package kb_test

import (
	"os"
	"regexp"
	"strconv"
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

// The Russian collections testdata/ru2, ru3 and ru4 share their records, the
// shape of their README's kind table and most of the rules their READMEs
// state. The shared rules are checked here; each collection's tests add the
// rules only its README states.

// loadCollection reads the articles and queries of testdata/name and indexes
// the articles by id.
func loadCollection(t *testing.T, name string) (map[string]ru2Article, []ru2Article, []ru2Query) {
	t.Helper()
	var arts []ru2Article
	var qs []ru2Query
	kbdata.Decode(t, "testdata/"+name+"/articles.json", &arts)
	kbdata.Decode(t, "testdata/"+name+"/queries.json", &qs)
	byID := make(map[string]ru2Article, len(arts))
	for _, a := range arts {
		byID[a.ID] = a
	}
	return byID, arts, qs
}

// readmeKindRow is one row of a collection README's kind table:
// | `kind` | count | tune | heldout | ... |
var readmeKindRow = regexp.MustCompile("(?m)^\\| `([a-z_]+)` +\\| +(\\d+) \\| +(\\d+) \\| +(\\d+) \\|")

// readmeKinds reads the kind table of testdata/name/README.md:
// kind → {count, tune, heldout}.
func readmeKinds(t *testing.T, name string) map[string][3]int {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name + "/README.md")
	require.NoError(t, err)
	rows := map[string][3]int{}
	for _, m := range readmeKindRow.FindAllStringSubmatch(string(raw), -1) {
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

// articleBounds are the limits a collection's README sets on each article.
type articleBounds struct {
	maxWords                 int // the most words in a body; the fewest is 100
	minKeywords, maxKeywords int
}

// checkArticles checks that the articles of collection name have ids
// name-NN, unique ids and slugs, a category, tags, keywords and a body within
// lim, numbered steps and a known visibility, and that each is a valid
// kb.Article. It returns how many are internal.
func checkArticles(t *testing.T, name string, arts []ru2Article, lim articleBounds) (internal int) {
	t.Helper()
	idForm := regexp.MustCompile(`^` + name + `-\d\d$`)
	ids, slugs := map[string]bool{}, map[string]bool{}
	for _, a := range arts {
		assert.Regexp(t, idForm, a.ID)
		assert.False(t, ids[a.ID], "duplicate id %s", a.ID)
		assert.False(t, slugs[a.Slug], "duplicate slug %s", a.Slug)
		ids[a.ID], slugs[a.Slug] = true, true
		assert.NotEmpty(t, a.Category, a.ID)
		assert.NotEmpty(t, a.Tags, a.ID)
		assert.True(t, len(a.Keywords) >= lim.minKeywords && len(a.Keywords) <= lim.maxKeywords,
			"%s has %d keywords", a.ID, len(a.Keywords))
		n := len(strings.Fields(a.Body))
		assert.True(t, n >= 100 && n <= lim.maxWords, "%s body has %d words", a.ID, n)
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
	return internal
}

// checkQueries checks the queries of collection name against its articles
// byID and its README kind table: ids qN-NNN, unique and lowercase
// single-spaced texts, known kinds, the half rule, one or two existing
// relevant articles except for no_answer queries, which have none, every
// article relevant to some query, and per-kind counts equal to the table.
// It returns those counts: kind → {count, tune, heldout}.
func checkQueries(t *testing.T, name string, byID map[string]ru2Article, qs []ru2Query, table map[string][3]int) map[string][3]int {
	t.Helper()
	idForm := regexp.MustCompile(`^q` + strings.TrimPrefix(name, "ru") + `-\d\d\d$`)
	ids, texts := map[string]bool{}, map[string]string{}
	got := map[string][3]int{}
	judged := map[string]bool{}
	for _, q := range qs {
		assert.Regexp(t, idForm, q.ID)
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
		got[q.Kind] = checkHalf(t, q, got[q.Kind])

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
	return got
}

// checkHalf checks the half rule for q, whose kind has counts row so far
// ({count, tune, heldout}): within each kind, in file order, queries
// alternate between tune and heldout, tune first. It returns row with q
// counted.
func checkHalf(t *testing.T, q ru2Query, row [3]int) [3]int {
	t.Helper()
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
	return row
}

// checkQueryForms checks the mechanical kinds against the text of their
// relevant articles, as the READMEs describe them.
func checkQueryForms(t *testing.T, byID map[string]ru2Article, qs []ru2Query) {
	t.Helper()
	for _, q := range qs {
		words := relevantWords(byID, q)
		toks := foldedWords(q.Query)
		switch q.Kind {
		case "prefix":
			last := toks[len(toks)-1]
			assert.False(t, words[last], "%s: %q is a whole word of the article", q.ID, last)
			assert.True(t, anyWord(words, func(w string) bool { return strings.HasPrefix(w, last) }),
				"%s: %q starts no word of the article", q.ID, last)
		case "typo":
			assert.True(t, anyToken(toks, func(tok string) bool {
				return !words[tok] && anyWord(words, func(w string) bool { return oneEdit(tok, w) })
			}), "%s: no word is one edit from an article word", q.ID)
		case "layout":
			assert.True(t, anyToken(strings.Fields(q.Query), func(tok string) bool {
				sw := foldedWords(swapLayout(tok))
				return !words[strings.ToLower(tok)] && len(sw) > 0 && anyToken(sw, func(s string) bool { return words[s] })
			}), "%s: no token reads as an article word on the other layout", q.ID)
		case "synonym", "inflection":
			checkAvoidsArticle(t, q, words)
		}
	}
}

// checkAvoidsArticle checks that q has a word that is not among words, the
// words of its relevant articles.
func checkAvoidsArticle(t *testing.T, q ru2Query, words map[string]bool) {
	t.Helper()
	assert.True(t, anyToken(foldedWords(q.Query), func(tok string) bool { return !words[tok] }),
		"%s: every word occurs verbatim in the article", q.ID)
}

// relevantWords returns the folded words of every text field of q's
// relevant articles.
func relevantWords(byID map[string]ru2Article, q ru2Query) map[string]bool {
	words := map[string]bool{}
	for _, r := range q.Relevant {
		a := byID[r]
		text := strings.Join(append(append([]string{a.Title, a.Body, a.Slug, a.Category}, a.Tags...), a.Keywords...), " ")
		for _, w := range foldedWords(text) {
			words[w] = true
		}
	}
	return words
}

// foldedWords lowercases s, folds ё to е and splits it into runs of letters
// and digits.
func foldedWords(s string) []string {
	s = strings.ReplaceAll(strings.ToLower(s), "ё", "е")
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func anyToken(toks []string, ok func(string) bool) bool {
	for _, t := range toks {
		if ok(t) {
			return true
		}
	}
	return false
}

func anyWord(words map[string]bool, ok func(string) bool) bool {
	for w := range words {
		if ok(w) {
			return true
		}
	}
	return false
}

// oneEdit reports whether a and b differ by exactly one insertion,
// deletion, substitution or swap of adjacent letters.
func oneEdit(a, b string) bool {
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
	layoutKeysEN = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
	layoutKeysRU = "йцукенгшщзхъфывапролджэячсмитьбюё"
)

// swapLayout retypes s on the other keyboard layout, key for key.
func swapLayout(s string) string {
	en, ru := []rune(layoutKeysEN), []rune(layoutKeysRU)
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
