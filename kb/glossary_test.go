package kb_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

func glossaryKB(t *testing.T) *kb.KB {
	t.Helper()
	k, err := kb.New(nil, kb.Config{})
	require.NoError(t, err)
	for slug, tr := range map[string]struct {
		lang language.Tag
		kb.Translation
	}{
		"reset-password": {language.Russian, kb.Translation{Title: "Как сбросить пароль", Body: "Откройте страницу входа и нажмите «Забыли пароль». Письмо придет на почту."}},
		"refund":         {language.Russian, kb.Translation{Title: "Возврат денег за заказ", Body: "Деньги вернутся на карту в течение десяти дней."}},
		"delivery-time":  {language.English, kb.Translation{Title: "Delivery times", Body: "The courier brings the order within three days."}},
		"promo-terms":    {language.Russian, kb.Translation{Title: "Условия акции", Body: "Промокод действует на первый заказ. Код вводят в поле password нельзя."}},
	} {
		require.NoError(t, k.Create(context.Background(), &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{tr.lang: tr.Translation}}))
	}
	return k
}

// Regression: an English query against articles written only in Russian
// found nothing, and a Russian one against English articles likewise; the
// support glossary now translates the query's words, and the results say so.
func TestQueryWordsAreTranslatedAcrossLanguages(t *testing.T) {
	k := glossaryKB(t)
	for q, want := range map[string]string{
		"forgot my password": "reset-password",
		"refund for order":   "refund",
		"сроки доставки":     "delivery-time",
	} {
		res, err := k.Search(context.Background(), kb.Query{Text: q, Audience: kb.Customer})
		require.NoError(t, err)
		require.NotEmpty(t, res.Hits, q)
		assert.Equal(t, want, res.Hits[0].Slug, q)
		assert.True(t, res.Translated, q)
	}
}

// A word matched as written is no translation, and a Russian word's
// translation does not match a loanword inside a Russian article: the
// glossary bridges languages of articles, not scripts within one.
func TestTranslationOnlyAcrossArticleLanguages(t *testing.T) {
	k := glossaryKB(t)
	res, err := k.Search(context.Background(), kb.Query{Text: "сбросить пароль", Audience: kb.Customer})
	require.NoError(t, err)
	require.NotEmpty(t, res.Hits)
	assert.Equal(t, "reset-password", res.Hits[0].Slug)
	assert.False(t, res.Translated)
	res, err = k.Search(context.Background(), kb.Query{Text: "пароль", Audience: kb.Customer})
	require.NoError(t, err)
	for _, h := range res.Hits {
		assert.NotEqual(t, "promo-terms", h.Slug, "the Latin word in a Russian article is not a translation")
	}
	res, err = k.Search(context.Background(), kb.Query{Text: "password", Audience: kb.Customer})
	require.NoError(t, err)
	require.Len(t, res.Hits, 2, "the word as written and its translation")
	assert.Equal(t, "reset-password", res.Hits[0].Slug)
	assert.True(t, res.Translated)
}

// Regression: a loanword typed in Cyrillic ("блютуз") did not find the
// article that writes it in Latin letters ("Bluetooth"), nor the other way
// round; both spellings now find each other in an article of any language,
// as the same word, not a translation.
func TestLoanwordSpellingsFindEachOther(t *testing.T) {
	k, err := kb.New(nil, kb.Config{})
	require.NoError(t, err)
	for slug, tr := range map[string]kb.Translation{
		"bluetooth-headset": {Title: "Наушники не подключаются по Bluetooth", Body: "Удалите пару в настройках и подключите наушники заново."},
		"speaker-volume":    {Title: "Тихий звук колонки", Body: "Проверьте громкость в приложении, через смарт приставку звук тише."},
	} {
		require.NoError(t, k.Create(context.Background(), &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: tr}}))
	}
	for q, want := range map[string]string{"блютуз наушники": "bluetooth-headset", "smart приставка": "speaker-volume"} {
		res, err := k.Search(context.Background(), kb.Query{Text: q, Audience: kb.Customer})
		require.NoError(t, err)
		require.NotEmpty(t, res.Hits, q)
		assert.Equal(t, want, res.Hits[0].Slug, q)
		assert.False(t, res.Translated, "%s: a loanword's other spelling is no translation", q)
	}
	res, err := k.Search(context.Background(), kb.Query{Text: "блютуз", Audience: kb.Customer})
	require.NoError(t, err)
	require.Len(t, res.Hits, 1, "the Cyrillic spelling alone finds the Latin one")
}
