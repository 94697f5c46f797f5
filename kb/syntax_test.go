package kb_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// Regression: "forticlient ошибка -14" was read as "exclude 14", which
// dropped the one article that answers it.
func TestMinusBeforeANumberIsContent(t *testing.T) {
	k, err := kb.New(nil, kb.Config{})
	require.NoError(t, err)
	for slug, tr := range map[string]kb.Translation{
		"forticlient-14":      {Title: "FortiClient: ошибка -14 при подключении", Body: "Код -14 значит, что сервер не ответил. Проверьте адрес шлюза."},
		"forticlient-install": {Title: "Установка FortiClient", Body: "Скачайте установщик и следуйте шагам мастера. Ошибка установки решается перезагрузкой."},
	} {
		require.NoError(t, k.Create(context.Background(), &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: tr}}))
	}
	for _, q := range []string{"forticlient ошибка -14", "ошибка -14", "-14"} {
		res, err := k.Search(context.Background(), kb.Query{Text: q, Audience: kb.Customer})
		require.NoError(t, err)
		require.NotEmpty(t, res.Hits, q)
		assert.Equal(t, "forticlient-14", res.Hits[0].Slug, q)
	}
	res, err := k.Search(context.Background(), kb.Query{Text: "forticlient -установка", Audience: kb.Customer})
	require.NoError(t, err)
	require.Len(t, res.Hits, 1, "a minus before a word still excludes in a search box")
	res, err = k.Search(context.Background(), kb.Query{Text: "forticlient -установка", Audience: kb.Customer, Literal: true})
	require.NoError(t, err)
	assert.Len(t, res.Hits, 2, "a literal query has no operators")
}

// A ticket is text for a person: a minus in it never excludes.
func TestSuggestForTicketReadsTextLiterally(t *testing.T) {
	b := setup(t)
	hits, err := b.kb.SuggestForTicket(context.Background(), "сброс пароля -сброс", "", language.Russian, kb.Customer)
	require.NoError(t, err)
	require.NotEmpty(t, hits)
	assert.Equal(t, "password-reset", hits[0].Slug)
}

// Snowball keeps "ошибок" apart from "ошибка" and a verb apart from its
// noun; the root layer joins them, below the word itself.
func TestWordFamiliesFindEachOther(t *testing.T) {
	k, err := kb.New(nil, kb.Config{})
	require.NoError(t, err)
	for slug, tr := range map[string]kb.Translation{
		"delivery": {Title: "Сроки доставки", Body: "Курьер привозит заказ за три дня."},
		"errors":   {Title: "Коды ошибок приложения", Body: "Список кодов и что они значат."},
		"vpn":      {Title: "Подключение к VPN", Body: "Установите клиент и войдите."},
	} {
		require.NoError(t, k.Create(context.Background(), &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: tr}}))
	}
	for q, want := range map[string]string{"когда доставят": "delivery", "ошибка": "errors", "не могу подключиться": "vpn"} {
		res, err := k.Search(context.Background(), kb.Query{Text: q + " ", Audience: kb.Customer})
		require.NoError(t, err)
		require.NotEmpty(t, res.Hits, q)
		assert.Equal(t, want, res.Hits[0].Slug, q)
	}
}
