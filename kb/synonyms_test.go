package kb_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

func synonymWorld(t *testing.T) (*kb.KB, *kb.MemoryIndex, *kb.Article, *kb.Article) {
	t.Helper()
	ix, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)
	k, err := kb.New(nil, kb.Config{Index: ix, Now: func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }})
	require.NoError(t, err)
	ac := &kb.Article{Slug: "ac-leak", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.Russian: {Title: "Конденсат из кондиционера", Body: "Почистите дренаж."}}}
	internal := &kb.Article{Slug: "refund-limits", Visibility: kb.Internal, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.Russian: {Title: "Лимиты компенсаций", Body: "До 500 рублей без согласования."}}}
	require.NoError(t, k.Create(context.Background(), ac))
	require.NoError(t, k.Create(context.Background(), internal))
	return k, ix, ac, internal
}

// Customers who find nothing with one word and then find the answer with
// another propose the pair; the host approves it before it applies.
func TestReformulationsProposeSynonyms(t *testing.T) {
	ctx := context.Background()
	k, ix, ac, _ := synonymWorld(t)
	session := func(id string) {
		res, err := k.Search(ctx, kb.Query{Text: "сплит журчит", Audience: kb.Customer, Session: id})
		require.NoError(t, err)
		require.Zero(t, res.Total)
		res, err = k.Search(ctx, kb.Query{Text: "кондиционер журчит", Audience: kb.Customer, Session: id})
		require.NoError(t, err)
		require.NotEmpty(t, res.Hits)
		require.NoError(t, k.RecordResultClick(ctx, kb.ResultClick{Query: "кондиционер журчит", ArticleID: ac.ID, Position: 1, Session: id}))
	}
	session("s1")
	got, err := k.SuggestSynonyms(ctx, 0)
	require.NoError(t, err)
	assert.Empty(t, got, "one session is no evidence")
	session("s2")
	got, err = k.SuggestSynonyms(ctx, 0)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, kb.SynonymSuggestion{Words: []string{"кондиционер", "сплит"}, Source: "reformulation", Evidence: 2}, got[0])

	res, err := k.Search(ctx, kb.Query{Text: "сплит", Audience: kb.Customer})
	require.NoError(t, err)
	assert.Zero(t, res.Total, "a suggestion is never applied unapproved")
	require.NoError(t, ix.SetSynonyms([][]string{got[0].Words}))
	res, err = k.Search(ctx, kb.Query{Text: "сплит", Audience: kb.Customer})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Total, "approved")
}

// Customers' words for the subject of a public article its text lacks are
// proposed with the article's rarest title word; internal articles'
// tickets propose nothing.
func TestTicketsProposeSynonyms(t *testing.T) {
	ctx := context.Background()
	k, _, ac, internal := synonymWorld(t)
	for range 2 {
		require.NoError(t, k.Learn(ctx, kb.Resolution{ArticleID: ac.ID, Language: language.Russian, Public: []string{"кондей течёт"}}))
		require.NoError(t, k.Learn(ctx, kb.Resolution{ArticleID: internal.ID, Language: language.Russian, Public: []string{"верните бабки"}}))
	}
	got, err := k.SuggestSynonyms(ctx, 0)
	require.NoError(t, err)
	var words [][]string
	for _, s := range got {
		assert.Equal(t, "ticket", s.Source)
		assert.Equal(t, ac.ID, s.ArticleID)
		assert.Equal(t, 2, s.Evidence)
		words = append(words, s.Words)
	}
	assert.ElementsMatch(t, [][]string{{"кондей", "конденсат"}, {"течет", "конденсат"}}, words)
}
