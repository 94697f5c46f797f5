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

// Regression: did-you-mean respelled short real words into nonsense ("get
// my money back" became "net sony lock").
func TestDidYouMeanLeavesShortAndRealWords(t *testing.T) {
	k, err := kb.New(nil, kb.Config{IndexConfig: kb.IndexConfig{Lexicon: []string{"Refund"}}})
	require.NoError(t, err)
	for slug, title := range map[string]string{"net": "Net settings", "sony": "Sony TV pairing", "lock": "Lock screen", "refill": "Refill cartridges", "orders": "Orders list"} {
		require.NoError(t, k.Create(context.Background(), &kb.Article{Slug: slug, Category: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.English: {Title: title}}}))
	}
	for q, want := range map[string]string{
		"get my money back": "",
		"refund":            "", // a lexicon word is no typo of "refill"
		"ordeeers":          "orders",
	} {
		res, err := k.Search(context.Background(), kb.Query{Text: q, Audience: kb.Customer})
		require.NoError(t, err)
		assert.Zero(t, res.Total, q)
		assert.Equal(t, want, res.DidYouMean, q)
	}
	res, err := k.Search(context.Background(), kb.Query{Text: "ordeeers", Audience: kb.Customer, Category: "net"})
	require.NoError(t, err)
	assert.Empty(t, res.DidYouMean, "a respelling that finds nothing either is not offered")
}

// A real word is no typo: with a lexicon, a word the articles lack is not
// rewritten into one they hold.
func TestLexiconWordsAreNotCorrected(t *testing.T) {
	for _, lexicon := range [][]string{nil, {"clones"}} {
		k, err := kb.New(nil, kb.Config{IndexConfig: kb.IndexConfig{Lexicon: lexicon}})
		require.NoError(t, err)
		require.NoError(t, k.Create(context.Background(), &kb.Article{Slug: "close", Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.English: {Title: "The app closes at start", Body: "Reinstall it."}}}))
		res, err := k.Search(context.Background(), kb.Query{Text: "app opes ", Audience: kb.Customer})
		require.NoError(t, err)
		require.Len(t, res.Hits, 1)
		res, err = k.Search(context.Background(), kb.Query{Text: "clones ", Audience: kb.Customer})
		require.NoError(t, err)
		assert.Equal(t, lexicon == nil, res.Total > 0, "lexicon %v", lexicon)
	}
}

// Regression: an English query against Russian-only articles found
// nothing; now it finds them and says they are in another language.
func TestQueryFallsBackToOtherLanguages(t *testing.T) {
	k, err := kb.New(nil, kb.Config{IndexConfig: kb.IndexConfig{Synonyms: [][]string{{"ошибка", "error"}}}})
	require.NoError(t, err)
	require.NoError(t, k.Create(context.Background(), &kb.Article{Slug: "update-error", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.Russian: {Title: "Ошибка 0x80070005 при обновлении Windows", Body: "Запустите обновление от имени администратора."}}}))
	res, err := k.Search(context.Background(), kb.Query{Text: "windows update error", Audience: kb.Customer, Language: language.English})
	require.NoError(t, err)
	require.Len(t, res.Hits, 1)
	assert.True(t, res.OtherLanguages)
	assert.Equal(t, language.Russian, res.Hits[0].Language)
	hits, err := k.SuggestForTicket(context.Background(), "Error 0x80070005", "cannot install the update", language.English, kb.Customer)
	require.NoError(t, err)
	require.Len(t, hits, 1, "a ticket in English is offered the Russian article")
	res, err = k.Search(context.Background(), kb.Query{Text: "обновление windows", Audience: kb.Customer, Language: language.Russian})
	require.NoError(t, err)
	assert.False(t, res.OtherLanguages, "hits in the query's language are no fallback")
}

// One generic word in a title must not beat an article that answers the
// whole request in its body.
func TestCoveringMoreOfTheQueryWins(t *testing.T) {
	k, err := kb.New(nil, kb.Config{})
	require.NoError(t, err)
	for slug, tr := range map[string]kb.Translation{
		"payment":       {Title: "Оплата", Body: "Принимаем карты, СБП и счета для компаний."},
		"double-charge": {Title: "Деньги списались дважды", Body: "Если после оплаты с карты дважды списали деньги, второй платёж банк вернёт сам за три дня."},
	} {
		require.NoError(t, k.Create(context.Background(), &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: tr}}))
	}
	res, err := k.Search(context.Background(), kb.Query{Text: "оплата второе списание банк ", Audience: kb.Customer})
	require.NoError(t, err)
	require.NotEmpty(t, res.Hits)
	assert.Equal(t, "double-charge", res.Hits[0].Slug)
}

// Hit.Relevance is there when asked for, and compares across queries: the
// whole request scores more than a part of it.
func TestRelevanceWhenAsked(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	res, err := b.kb.Search(ctx, kb.Query{Text: "возврат денег", Audience: kb.Customer})
	require.NoError(t, err)
	require.NotEmpty(t, res.Hits)
	assert.Zero(t, res.Hits[0].Relevance, "not asked for")
	whole, err := b.kb.Search(ctx, kb.Query{Text: "возврат денег", Audience: kb.Customer, Relevance: true})
	require.NoError(t, err)
	part, err := b.kb.Search(ctx, kb.Query{Text: "возврат денег за поездку в космос", Audience: kb.Customer, Relevance: true})
	require.NoError(t, err)
	require.NotEmpty(t, whole.Hits)
	require.NotEmpty(t, part.Hits)
	assert.InDelta(t, 1, whole.Hits[0].Relevance, 1e-9)
	assert.Less(t, part.Hits[0].Relevance, whole.Hits[0].Relevance)
}

// A colloquial form no article holds finds the word it reshapes by the
// start they share.
func TestColloquialFormsFindTheirWord(t *testing.T) {
	k, err := kb.New(nil, kb.Config{})
	require.NoError(t, err)
	for slug, title := range map[string]string{"dishwasher": "Посудомоечная машина не сливает", "mobile": "Мобильный интернет не работает"} {
		require.NoError(t, k.Create(context.Background(), &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: {Title: title}}}))
	}
	for q, want := range map[string]string{"посудомойка ": "dishwasher", "мобильник ": "mobile"} {
		res, err := k.Search(context.Background(), kb.Query{Text: q, Audience: kb.Customer})
		require.NoError(t, err)
		require.NotEmpty(t, res.Hits, q)
		assert.Equal(t, want, res.Hits[0].Slug, q)
	}
}
