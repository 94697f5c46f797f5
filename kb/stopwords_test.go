package kb_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// Regression: "хочу", "могу", "который" and the like counted as topic
// words, so a request that says what it wants in them matched every
// article that happens to use them and lost part of its relevance on the
// article that answers it.
func TestWordsOfWantingAreStopWords(t *testing.T) {
	k, err := kb.New(nil, kb.Config{})
	require.NoError(t, err)
	for slug, tr := range map[string]kb.Translation{
		"return-goods": {Title: "Хочу вернуть товар, который не подошел", Body: "Могу ли я вернуть товар? Да, в течение 14 дней."},
		"change-plan":  {Title: "Смена тарифа", Body: "Чтобы сменить тариф, откройте личный кабинет."},
	} {
		require.NoError(t, k.Create(context.Background(), &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: tr}}))
	}
	res, err := k.Search(context.Background(), kb.Query{Text: "хочу сменить тариф который могу", Audience: kb.Customer, Relevance: true})
	require.NoError(t, err)
	require.Len(t, res.Hits, 1, "only the article about the plan")
	assert.Equal(t, "change-plan", res.Hits[0].Slug)
	assert.InDelta(t, 1, res.Hits[0].Relevance, 1e-9)
}
