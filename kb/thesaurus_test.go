package kb_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// everydayWorld indexes a formal article and one that uses a customer's
// word, under cfg.
func everydayWorld(t *testing.T, cfg kb.IndexConfig) *kb.MemoryIndex {
	t.Helper()
	ix, err := kb.NewMemoryIndex(cfg)
	require.NoError(t, err)
	for slug, tr := range map[string]kb.Translation{
		"slow-speed": {Title: "Низкая скорость интернета", Body: "Измерьте скорость по кабелю и перезагрузите маршрутизатор."},
		"forum-post": {Title: "Интернет тормозит", Body: "Отзыв абонента о работе сети по вечерам."},
		"sim-card":   {Title: "Замена SIM-карты", Body: "Возьмите паспорт в салон связи."},
	} {
		require.NoError(t, ix.Upsert(context.Background(), &kb.Article{ID: uuid.New(), Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: tr}}))
	}
	return ix
}

func everydaySlugs(t *testing.T, ix *kb.MemoryIndex, q string) []string {
	t.Helper()
	res, err := ix.Search(context.Background(), kb.Query{Text: q, Audience: kb.Customer})
	require.NoError(t, err)
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Slug)
	}
	return out
}

// A customer's everyday word finds the article that says it formally.
func TestEverydayWordsFindTheFormalArticle(t *testing.T) {
	ix := everydayWorld(t, kb.IndexConfig{})
	assert.Equal(t, []string{"slow-speed"}, everydaySlugs(t, ix, "медленный"))
	assert.Equal(t, []string{"sim-card"}, everydaySlugs(t, ix, "поменять симку"))
}

// The article that holds the customer's own word in the same field still
// comes first.
func TestEverydayWordsRankBelowTheWordItself(t *testing.T) {
	ix := everydayWorld(t, kb.IndexConfig{})
	got := everydaySlugs(t, ix, "тормозит")
	require.Len(t, got, 2)
	assert.Equal(t, "forum-post", got[0])
	assert.Equal(t, "slow-speed", got[1])
}

// The thesaurus reads one way: a formal query does not reach slang.
func TestFormalQueriesDoNotReachEverydayWords(t *testing.T) {
	ix := everydayWorld(t, kb.IndexConfig{})
	assert.Equal(t, []string{"slow-speed"}, everydaySlugs(t, ix, "низкая скорость"))
}

// NoThesaurus turns it off, and a host analyzer never takes it.
func TestNoThesaurus(t *testing.T) {
	ix := everydayWorld(t, kb.IndexConfig{NoThesaurus: true})
	assert.Empty(t, everydaySlugs(t, ix, "медленный"))
	ix = everydayWorld(t, kb.IndexConfig{Analyzer: func(language.Tag) kb.Analyzer { return kb.NewAnalyzer(language.Russian) }})
	assert.Empty(t, everydaySlugs(t, ix, "медленный"))
}

// The weight is a ranking knob like the others: negative is refused.
func TestEverydayWeightIsValidated(t *testing.T) {
	_, err := kb.NewMemoryIndex(kb.IndexConfig{Ranking: kb.Ranking{EverydayWeight: -1}})
	require.ErrorIs(t, err, kb.ErrInvalid)
}

// A word of the thesaurus is a real word: the articles lacking it, it is
// not respelled into one of theirs one edit away ("плита" into "плата").
func TestWordsOfTheThesaurusAreNeverRespelled(t *testing.T) {
	ix, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)
	require.NoError(t, ix.Upsert(context.Background(), &kb.Article{ID: uuid.New(), Slug: "fee", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.Russian: {Title: "Плата за выезд мастера", Body: "Выезд оплачивают после работы."}}}))
	assert.Empty(t, everydaySlugs(t, ix, "плита"))
	assert.Equal(t, []string{"fee"}, everydaySlugs(t, ix, "плата"))
}
