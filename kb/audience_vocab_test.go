package kb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

func article(slug string, v kb.Visibility, s kb.Status, lang language.Tag, title, body string) *kb.Article {
	return &kb.Article{ID: uuid.New(), Slug: slug, Visibility: v, Status: s,
		Translations: map[language.Tag]kb.Translation{lang: {Title: title, Body: body}}}
}

func indexOf(t *testing.T, arts ...*kb.Article) *kb.MemoryIndex {
	t.Helper()
	ix, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)
	for _, a := range arts {
		require.NoError(t, ix.Upsert(context.Background(), a))
	}
	return ix
}

func customerSearch(t *testing.T, ix *kb.MemoryIndex, text string) *kb.Results {
	t.Helper()
	res, err := ix.Search(context.Background(), kb.Query{Text: text, Audience: kb.Customer})
	require.NoError(t, err)
	return res
}

// A word form that only a hidden article holds must not reach customers
// through typo correction, completion or "did you mean", while the article
// exists, after it is deleted and after it is unpublished; agents still get
// it while the article is live.
func TestTypoPrefixAndDidYouMeanIgnoreWordsOfHiddenArticles(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name                  string
		lang                  language.Tag
		pubTitle, hiddenTitle string
		typo, prefix, word    string
	}{
		{"english", language.English, "Reorganize your dashboard", "Q3 reorganization plan",
			"reorganizatoin ", "reorganizati", "reorganization"},
		{"russian", language.Russian, "Увольнение сотрудника", "Список увольнений марта",
			"увольнениий ", "увольнени", "увольнений"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pub := article("pub", kb.Public, kb.Published, c.lang, c.pubTitle, "text")
			hidden := article("hidden", kb.Internal, kb.Published, c.lang, c.hiddenTitle, "text")
			ix := indexOf(t, pub, hidden)
			agent, err := ix.Search(ctx, kb.Query{Text: c.typo, Audience: kb.Agent})
			require.NoError(t, err)
			require.NotEmpty(t, agent.Hits, "agents correct typos through internal articles")

			visibleOnly := indexOf(t, pub)
			check := func(when string) {
				for _, text := range []string{c.typo, c.prefix} {
					assert.Equal(t, customerSearch(t, visibleOnly, text), customerSearch(t, ix, text), "%q %s", text, when)
				}
				res, err := ix.Search(ctx, kb.Query{Text: c.typo, Audience: kb.Customer, Category: "none"})
				require.NoError(t, err)
				assert.NotContains(t, res.DidYouMean, c.word, "did you mean %s", when)
			}
			check("while the internal article exists")
			hidden.Visibility, hidden.Status = kb.Public, kb.Draft
			require.NoError(t, ix.Upsert(ctx, hidden))
			check("while it is a public draft")
			hidden.Status = kb.Published
			require.NoError(t, ix.Upsert(ctx, hidden))
			require.NotEqual(t, customerSearch(t, visibleOnly, c.prefix), customerSearch(t, ix, c.prefix),
				"a published word completes prefixes")
			require.NoError(t, ix.Delete(ctx, hidden.ID))
			check("after it is deleted")
			agent, err = ix.Search(ctx, kb.Query{Text: c.typo, Audience: kb.Agent, Category: "none"})
			require.NoError(t, err)
			assert.NotContains(t, agent.DidYouMean, c.word, "agents do not see deleted words")
		})
	}
}

// oracleWords are families of forms that share stems, so hidden articles
// hold forms that visible ones do not.
var oracleWords = []string{
	"password", "passwords", "reorganize", "reorganization", "reorganizing", "delivery",
	"deliveries", "refund", "refunded", "refunding", "invoice", "invoices", "invoicing",
	"acquisition", "payroll", "пароль", "пароля", "паролей", "увольнение", "увольнения",
	"увольнений", "доставка", "доставки", "доставкой", "возврат", "возврата", "зарплата",
	"зарплатная", "зарплаты",
}

type oracleArticle struct {
	a   *kb.Article
	seq int // when it was last upserted
}

// Property: whatever was upserted, unpublished or deleted before, a customer
// search gives exactly what it gives on an index built only from the
// articles customers may see now.
func TestCustomerResultsEqualIndexOfVisibleArticlesOnly(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(11, 12))
	rounds := 4
	if testing.Short() {
		rounds = 1
	}
	for round := range rounds {
		ix := indexOf(t)
		secret := map[string]bool{}
		for _, i := range rng.Perm(len(oracleWords))[:10] {
			secret[oracleWords[i]] = true
		}
		live := map[uuid.UUID]*oracleArticle{}
		var ids []uuid.UUID
		for seq := range 300 {
			if len(ids) > 0 && rng.IntN(5) == 0 {
				i := rng.IntN(len(ids))
				require.NoError(t, ix.Delete(ctx, ids[i]))
				delete(live, ids[i])
				ids = slices.Delete(ids, i, i+1)
				continue
			}
			oa := &oracleArticle{a: randomArticle(rng, seq, secret), seq: seq}
			if len(ids) > 0 && rng.IntN(2) == 0 {
				oa.a.ID = ids[rng.IntN(len(ids))]
			} else {
				ids = append(ids, oa.a.ID)
			}
			live[oa.a.ID] = oa
			require.NoError(t, ix.Upsert(ctx, oa.a))
		}
		var visible []*oracleArticle
		words := map[string]bool{}
		for _, oa := range live {
			if oa.a.Visibility == kb.Public && oa.a.Status == kb.Published {
				visible = append(visible, oa)
				for _, tr := range oa.a.Translations {
					for _, w := range strings.Fields(tr.Title + " " + tr.Body) {
						words[w] = true
					}
				}
			}
		}
		slices.SortFunc(visible, func(a, b *oracleArticle) int { return a.seq - b.seq })
		oracle := indexOf(t)
		for _, oa := range visible {
			require.NoError(t, oracle.Upsert(ctx, oa.a))
		}
		var hidden []string
		for _, w := range oracleWords {
			if !words[w] {
				hidden = append(hidden, w)
			}
		}
		require.NotEmpty(t, hidden, "round %d", round)
		for range 150 {
			text := mangle(rng, hidden[rng.IntN(len(hidden))])
			if rng.IntN(3) == 0 {
				text += " " + mangle(rng, oracleWords[rng.IntN(len(oracleWords))])
			}
			if rng.IntN(2) == 0 {
				text += " "
			}
			q := kb.Query{Text: text, Audience: kb.Customer, Highlight: true, Facets: true, Limit: 20}
			got, err := ix.Search(ctx, q)
			require.NoError(t, err)
			want, err := oracle.Search(ctx, q)
			require.NoError(t, err)
			require.Equal(t, want, got, "round %d query %q", round, text)
		}
	}
}

// randomArticle returns an article of random words, visibility, status and
// language; only hidden articles use the secret words.
func randomArticle(rng *rand.Rand, seq int, secret map[string]bool) *kb.Article {
	v := []kb.Visibility{kb.Public, kb.Internal}[rng.IntN(2)]
	s := []kb.Status{kb.Draft, kb.Published, kb.Archived}[rng.IntN(3)]
	if rng.IntN(3) == 0 {
		v, s = kb.Public, kb.Published
	}
	words := func(n int) string {
		ws := make([]string, 0, n)
		for len(ws) < n {
			w := oracleWords[rng.IntN(len(oracleWords))]
			if !secret[w] || v != kb.Public || s != kb.Published {
				ws = append(ws, w)
			}
		}
		return strings.Join(ws, " ")
	}
	lang := []language.Tag{language.English, language.Russian}[rng.IntN(2)]
	a := article(fmt.Sprintf("a-%d", seq), v, s, lang, words(1+rng.IntN(3)), words(2+rng.IntN(12)))
	a.Category = fmt.Sprintf("c%d", rng.IntN(3))
	return a
}

// Adding an internal draft, however long, changes neither the order nor the
// scores of customer hits: average field lengths count only what customers
// may see.
func TestHiddenDraftChangesNoCustomerScore(t *testing.T) {
	ctx := context.Background()
	ix := indexOf(t,
		article("short", kb.Public, kb.Published, language.English, "Setup guide", "the printer is ready now"),
		article("long", kb.Public, kb.Published, language.English, "Office notes",
			"printer printer "+strings.Repeat("lorem ipsum dolor sit amet ", 12)))
	before := customerSearch(t, ix, "printer")
	require.Len(t, before.Hits, 2)
	require.NoError(t, ix.Upsert(ctx, article("draft", kb.Internal, kb.Draft, language.English, "Salary review",
		strings.Repeat("confidential figures ", 2000))))
	assert.Equal(t, before, customerSearch(t, ix, "printer"))
}
