package kb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// bundle is a KB with a few known articles.
type bundle struct {
	kb                                    *kb.KB
	password, vpn, draft, refund, outlook *kb.Article
}

func setup(t *testing.T) bundle {
	t.Helper()
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{
		Now:         func() time.Time { return time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC) },
		IndexConfig: kb.IndexConfig{Synonyms: [][]string{{"пароль", "password"}, {"вход", "логин", "авторизация"}, {"двухфакторная аутентификация", "2fa"}}},
	})
	require.NoError(t, err)
	b := bundle{kb: k}
	add := func(slug string, v kb.Visibility, s kb.Status, cat string, tr map[language.Tag]kb.Translation) *kb.Article {
		a := &kb.Article{Slug: slug, Category: cat, Tags: []string{strings.Split(cat, "/")[0]}, Visibility: v, Status: s, Translations: tr}
		require.NoError(t, k.Create(context.Background(), a))
		return a
	}
	b.password = add("password-reset", kb.Public, kb.Published, "account/password", map[language.Tag]kb.Translation{
		language.Russian: {Title: "Как восстановить забытый пароль", Body: "Откройте страницу входа и нажмите «Забыли пароль?». Мы отправим ссылку для сброса пароля на почту.", Keywords: []string{"сброс пароля"}},
		language.English: {Title: "How to reset a forgotten password", Body: "Open the sign-in page and click Forgot password. We e-mail you a reset link."},
	})
	b.vpn = add("office-vpn", kb.Internal, kb.Published, "it/vpn", map[language.Tag]kb.Translation{
		language.Russian: {Title: "Подключение к корпоративному VPN", Body: "Установите клиент, войдите с доменной учётной записью. Ошибка 809 означает, что порт закрыт."},
	})
	b.draft = add("new-pricing", kb.Public, kb.Draft, "billing/plans", map[language.Tag]kb.Translation{
		language.Russian: {Title: "Новые тарифы и пароль", Body: "Черновик: тарифы меняются с апреля."},
	})
	b.refund = add("refund", kb.Public, kb.Published, "orders/returns", map[language.Tag]kb.Translation{
		language.Russian: {Title: "Возврат денег за заказ", Body: "Деньги вернутся на карту в течение 10 рабочих дней после отмены заказа."},
	})
	b.outlook = add("outlook-setup", kb.Public, kb.Published, "it/mail", map[language.Tag]kb.Translation{
		language.Russian: {Title: "Настройка почты в Outlook", Body: "Откройте Outlook, добавьте учётную запись, укажите сервер mail.example.com. Двухфакторная аутентификация включается в профиле."},
	})
	return b
}

func (b bundle) slugs(t *testing.T, q kb.Query) []string {
	t.Helper()
	res, err := b.kb.Search(context.Background(), q)
	require.NoError(t, err)
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Slug)
	}
	return out
}

func (b bundle) first(t *testing.T, text string) string {
	t.Helper()
	got := b.slugs(t, kb.Query{Text: text, Audience: kb.Agent})
	if len(got) == 0 {
		return ""
	}
	return got[0]
}

func TestSearchFindsWhatPeopleType(t *testing.T) {
	b := setup(t)
	tests := []struct {
		name, query, want string
	}{
		{"inflection", "восстановлением паролей", "password-reset"},
		{"ё written as е", "учетной записью vpn", "office-vpn"},
		{"typo of one edit", "возрват денег", "refund"},
		{"transposition counts as one edit", "паорль забыл", "password-reset"},
		{"two edits in a long word", "корпоротивнаму vpn", "office-vpn"},
		{"half typed last word", "настройка outl", "outlook-setup"},
		{"wrong layout, Russian typed on QWERTY", "djpdhfn ltytu", "refund"},
		{"wrong layout, English typed on ЙЦУКЕН", "настройка щгедщщл", "outlook-setup"},
		{"synonym", "логин не работает password", "password-reset"},
		{"multi-word synonym", "как включить 2fa", "outlook-setup"},
		{"error code", "ошибка 809", "office-vpn"},
		{"host name", "mail.example.com", "outlook-setup"},
		{"mixed languages", "forgot пароль", "password-reset"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, b.first(t, tc.query))
		})
	}
}

func TestTypoToleranceFollowsWordLength(t *testing.T) {
	b := setup(t)
	// "карта" has 5 runes: one edit is allowed, two are not.
	assert.Equal(t, "refund", b.first(t, "каргу"))
	assert.Empty(t, b.first(t, "кбргу"))
	// Four runes or fewer: no edits at all.
	assert.Empty(t, b.first(t, "крту "))
}

func TestLayoutCorrectionIsReported(t *testing.T) {
	b := setup(t)
	res, err := b.kb.Search(context.Background(), kb.Query{Text: "djpdhfn ltytu", Audience: kb.Customer})
	require.NoError(t, err)
	assert.Equal(t, "возврат денег", res.Corrected)
	res, err = b.kb.Search(context.Background(), kb.Query{Text: "возврат денег", Audience: kb.Customer})
	require.NoError(t, err)
	assert.Empty(t, res.Corrected, "a query that finds things is not switched")
}

func TestExcludedWordDropsArticles(t *testing.T) {
	b := setup(t)
	assert.Contains(t, b.slugs(t, kb.Query{Text: "пароль", Audience: kb.Customer}), "password-reset")
	assert.NotContains(t, b.slugs(t, kb.Query{Text: "пароль -сброс", Audience: kb.Customer}), "password-reset")
}

func TestCustomerNeverSeesInternalOrDraft(t *testing.T) {
	b := setup(t)
	for _, q := range []string{"vpn", "тарифы", "пароль", "корпоративный", "809"} {
		for _, slug := range b.slugs(t, kb.Query{Text: q, Audience: kb.Customer, Statuses: []kb.Status{kb.Draft}, Visibilities: []kb.Visibility{kb.Internal}}) {
			assert.NotContains(t, []string{"office-vpn", "new-pricing"}, slug, q)
		}
	}
	assert.Equal(t, []string{"office-vpn"}, b.slugs(t, kb.Query{Text: "vpn", Audience: kb.Agent}))
	assert.Equal(t, []string{"new-pricing"}, b.slugs(t, kb.Query{Text: "тарифы", Audience: kb.Agent, Statuses: []kb.Status{kb.Draft}}))
}

func TestDidYouMeanOnlyWhenNothingMatches(t *testing.T) {
	b := setup(t)
	res, err := b.kb.Search(context.Background(), kb.Query{Text: "зкаказ", Audience: kb.Customer})
	require.NoError(t, err)
	if res.Total == 0 {
		assert.Equal(t, "заказ", res.DidYouMean)
	}
	// Two edits (a swap and an extra letter) are beyond the typo allowance of
	// a word of seven runes, but within did-you-mean's.
	res, err = b.kb.Search(context.Background(), kb.Query{Text: "сслыкуу", Audience: kb.Customer})
	require.NoError(t, err)
	assert.Zero(t, res.Total)
	assert.Equal(t, "ссылку", res.DidYouMean, "the nearest word the index holds")
	res, err = b.kb.Search(context.Background(), kb.Query{Text: "доменнная", Audience: kb.Customer})
	require.NoError(t, err)
	assert.Zero(t, res.Total)
	assert.Empty(t, res.DidYouMean, "words of internal articles are never suggested to customers")
}

func TestFacetsCountAllMatches(t *testing.T) {
	b := setup(t)
	res, err := b.kb.Search(context.Background(), kb.Query{Text: "откройте", Audience: kb.Agent, Facets: true, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Total)
	assert.Len(t, res.Hits, 1)
	assert.Equal(t, map[string]int{"account/password": 1, "it/mail": 1}, res.Facets.Categories)
	assert.Equal(t, map[string]int{"account": 1, "it": 1}, res.Facets.Tags)
	assert.Equal(t, map[string]int{"ru": 2}, res.Facets.Languages)
}

func TestSnippetHighlightsAreCyrillicRuneOffsets(t *testing.T) {
	b := setup(t)
	res, err := b.kb.Search(context.Background(), kb.Query{Text: "сброса пароля", Audience: kb.Customer, Language: language.Russian, Highlight: true})
	require.NoError(t, err)
	require.NotEmpty(t, res.Hits)
	h := res.Hits[0]
	require.Equal(t, "password-reset", h.Slug)
	mark := func(text string, spans []kb.Span) []string {
		r := []rune(text)
		var out []string
		for _, s := range spans {
			out = append(out, string(r[s.Start:s.End]))
		}
		return out
	}
	assert.Equal(t, []string{"пароль"}, mark(h.Title, h.TitleHighlights))
	assert.Equal(t, []string{"пароль", "сброса", "пароля"}, mark(h.Snippet.Text, h.Snippet.Highlights))
}

func TestLongSnippetIsCutAroundTheMatch(t *testing.T) {
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{})
	require.NoError(t, err)
	body := strings.Repeat("Вступительный текст без нужного слова. ", 30) + "Здесь объясняется трансгрессия подробно. " + strings.Repeat("Хвост. ", 30)
	require.NoError(t, k.Create(context.Background(), &kb.Article{Slug: "long", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.Russian: {Title: "Длинная статья", Body: body}}}))
	res, err := k.Search(context.Background(), kb.Query{Text: "трансгрессия", Audience: kb.Customer, Highlight: true})
	require.NoError(t, err)
	require.Len(t, res.Hits, 1)
	sn := res.Hits[0].Snippet
	assert.True(t, strings.HasPrefix(sn.Text, "…") && strings.HasSuffix(sn.Text, "…"), sn.Text)
	require.Len(t, sn.Highlights, 1)
	assert.Equal(t, "трансгрессия", string([]rune(sn.Text)[sn.Highlights[0].Start:sn.Highlights[0].End]))
}

func TestBadInputGivesTypedErrors(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	t.Run("blank query", func(t *testing.T) {
		res, err := b.kb.Search(ctx, kb.Query{Text: " \t ", Audience: kb.Customer})
		require.NoError(t, err)
		assert.Empty(t, res.Hits)
	})
	t.Run("query over the limit", func(t *testing.T) {
		_, err := b.kb.Search(ctx, kb.Query{Text: strings.Repeat("пароль ", 200), Audience: kb.Customer})
		assert.ErrorIs(t, err, kb.ErrInvalid)
		var ve *kb.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "Text", ve.Field)
	})
	t.Run("missing audience", func(t *testing.T) {
		_, err := b.kb.Search(ctx, kb.Query{Text: "пароль"})
		assert.ErrorIs(t, err, kb.ErrInvalid)
	})
	t.Run("invalid UTF-8 is sanitized", func(t *testing.T) {
		assert.Equal(t, []string{"password-reset"}, b.slugs(t, kb.Query{Text: "\xffвосстановить\xfe пароль", Audience: kb.Customer, Limit: 1}))
		a := &kb.Article{Slug: "bad-utf8", Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.English: {Title: "Broken \xff title", Body: "gibberish\xfe"}}}
		require.NoError(t, b.kb.Create(ctx, a))
		got, err := b.kb.Get(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, "Broken \uFFFD title", got.Translations[language.English].Title)
	})
	t.Run("article without translation", func(t *testing.T) {
		err := b.kb.Create(ctx, &kb.Article{Slug: "empty", Visibility: kb.Public, Status: kb.Published})
		assert.ErrorIs(t, err, kb.ErrInvalid)
	})
	t.Run("article with bad enums", func(t *testing.T) {
		a := &kb.Article{Slug: "enum", Translations: map[language.Tag]kb.Translation{language.English: {Title: "x"}}}
		assert.ErrorIs(t, b.kb.Create(ctx, a), kb.ErrInvalid)
	})
	t.Run("duplicate slug", func(t *testing.T) {
		a := &kb.Article{Slug: "refund", Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.English: {Title: "Refund"}}}
		assert.ErrorIs(t, b.kb.Create(ctx, a), kb.ErrDuplicate)
		assert.Equal(t, []string{"refund"}, b.slugs(t, kb.Query{Text: "возврат", Audience: kb.Customer}), "a failed create is not indexed")
	})
	t.Run("vote for a missing article", func(t *testing.T) {
		assert.ErrorIs(t, b.kb.Vote(ctx, uuid.Must(uuid.NewV7()), kb.Customer, true), kb.ErrNotFound)
	})
	t.Run("stale update", func(t *testing.T) {
		stale := b.refund.Clone()
		fresh := b.refund.Clone()
		require.NoError(t, b.kb.Update(ctx, fresh))
		assert.ErrorIs(t, b.kb.Update(ctx, stale), kb.ErrConflict)
	})
	t.Run("nil article", func(t *testing.T) {
		assert.ErrorIs(t, b.kb.Create(ctx, nil), kb.ErrInvalid)
		assert.ErrorIs(t, b.kb.Update(ctx, nil), kb.ErrInvalid)
	})
	t.Run("query limit too small", func(t *testing.T) {
		_, err := kb.New(kb.NewMemoryStore(), kb.Config{MaxQueryRunes: 3})
		assert.ErrorIs(t, err, kb.ErrInvalid)
	})
	t.Run("negative ranking", func(t *testing.T) {
		_, err := kb.NewMemoryIndex(kb.IndexConfig{Ranking: kb.Ranking{K1: -1}})
		assert.ErrorIs(t, err, kb.ErrInvalid)
	})
}

func TestUpdatesAndDeletesAreSearchableAtOnce(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	a := b.refund.Clone()
	a.Translations[language.Russian] = kb.Translation{Title: "Компенсация за задержку", Body: "Начисляем баллы."}
	require.NoError(t, b.kb.Update(ctx, a))
	assert.Empty(t, b.slugs(t, kb.Query{Text: "возврат", Audience: kb.Customer}))
	assert.Equal(t, []string{"refund"}, b.slugs(t, kb.Query{Text: "компенсация", Audience: kb.Customer}))
	require.NoError(t, b.kb.Delete(ctx, a.ID, a.Version))
	assert.Empty(t, b.slugs(t, kb.Query{Text: "компенсация", Audience: kb.Customer}))
	assert.ErrorIs(t, b.kb.Delete(ctx, a.ID, a.Version), kb.ErrNotFound)
}

func TestReadFallsBackByLanguage(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	tests := []struct {
		prefs []language.Tag
		want  language.Tag
	}{
		{[]language.Tag{language.MustParse("ru-RU")}, language.Russian},
		{[]language.Tag{language.German}, language.English},
		{[]language.Tag{language.MustParse("en-GB")}, language.English},
		{nil, language.English},
	}
	for _, tc := range tests {
		r, err := b.kb.Read(ctx, b.password.ID, kb.Customer, tc.prefs...)
		require.NoError(t, err)
		assert.Equal(t, tc.want, r.Language, "%v", tc.prefs)
	}
	only, err := b.kb.Read(ctx, b.vpn.ID, kb.Agent, language.English)
	require.NoError(t, err)
	assert.Equal(t, language.Russian, only.Language, "the only translation when nothing matches")
	_, err = b.kb.Read(ctx, b.vpn.ID, kb.Customer)
	assert.ErrorIs(t, err, kb.ErrNotFound, "internal articles do not exist for customers")
	got, err := b.kb.Get(ctx, b.password.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(4), got.Views)
}

func TestVotesAreCounted(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	require.NoError(t, b.kb.Vote(ctx, b.refund.ID, kb.Customer, true))
	require.NoError(t, b.kb.Vote(ctx, b.refund.ID, kb.Customer, true))
	require.NoError(t, b.kb.Vote(ctx, b.refund.ID, kb.Customer, false))
	got, err := b.kb.Get(ctx, b.refund.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(2), got.Helpful)
	assert.Equal(t, int64(1), got.NotHelpful)
}

func TestContentGapsRankZeroResultSearchesFirst(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	search := func(q string) {
		_, err := b.kb.Search(ctx, kb.Query{Text: q, Audience: kb.Customer})
		require.NoError(t, err)
	}
	for range 3 {
		search("Доставка в Казахстан")
	}
	search("доставка  в казахстан")
	search("возврат денег")
	search("возврат денег")
	require.NoError(t, b.kb.RecordClick(ctx, "возврат денег", b.refund.ID))
	search("пароль")
	gaps, err := b.kb.ContentGaps(ctx, 10)
	require.NoError(t, err)
	require.Len(t, gaps, 2)
	assert.Equal(t, kb.Gap{Query: "доставка в казахстан", Searches: 4, ZeroResults: 4}, gaps[0])
	assert.Equal(t, kb.Gap{Query: "пароль", Searches: 1}, gaps[1])
}

func TestSuggestForTicket(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	hits, err := b.kb.SuggestForTicket(ctx, "Не могу войти, забыл пароль", "Здравствуйте! Пытаюсь войти в личный кабинет, пароль не подходит.", language.Und, kb.Customer)
	require.NoError(t, err)
	require.NotEmpty(t, hits)
	assert.Equal(t, "password-reset", hits[0].Slug)
	assert.Equal(t, language.Russian, hits[0].Language)
	hits, err = b.kb.SuggestForTicket(ctx, "VPN не подключается", "ошибка 809", language.Und, kb.Customer)
	require.NoError(t, err)
	for _, h := range hits {
		assert.NotEqual(t, "office-vpn", h.Slug)
	}
	hits, err = b.kb.SuggestForTicket(ctx, "VPN не подключается", "ошибка 809", language.Und, kb.Agent)
	require.NoError(t, err)
	require.NotEmpty(t, hits)
	assert.Equal(t, "office-vpn", hits[0].Slug)
	hits, err = b.kb.SuggestForTicket(ctx, "", "  ", language.Und, kb.Agent)
	require.NoError(t, err)
	assert.Empty(t, hits)
	_, err = b.kb.SuggestForTicket(ctx, strings.Repeat("очень длинная тема ", 200), strings.Repeat("описание ", 500), language.Und, kb.Agent)
	require.NoError(t, err, "long tickets are cut, not refused")
	small, err := kb.New(kb.NewMemoryStore(), kb.Config{MaxQueryRunes: 16})
	require.NoError(t, err)
	_, err = small.SuggestForTicket(ctx, strings.Repeat("тема ", 20), "описание", language.Und, kb.Agent)
	require.NoError(t, err, "a long subject is cut to the smallest limit")
	_, err = b.kb.SuggestForTicket(ctx, "x", "y", language.Und, 0)
	assert.ErrorIs(t, err, kb.ErrInvalid, "the audience is required")
}

func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"", " ", "пароль", "-", "--x", "-пароль сброс", "ghbdtn", "\xff\xfe", "a\u0301", "0x8007 1.2.", "сброс пар", strings.Repeat("ы", 50)} {
		f.Add(s)
	}
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{MaxQueryRunes: 200})
	require.NoError(f, err)
	require.NoError(f, k.Create(context.Background(), &kb.Article{Slug: "x", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.Russian: {Title: "Сброс пароля", Body: "Откройте страницу входа, ошибка 0x80070005."}}}))
	f.Fuzz(func(t *testing.T, q string) {
		for _, aud := range []kb.Audience{kb.Customer, kb.Agent} {
			res, err := k.Search(context.Background(), kb.Query{Text: q, Audience: aud, Highlight: true, Facets: true})
			if err != nil {
				require.ErrorIs(t, err, kb.ErrInvalid)
				continue
			}
			for _, h := range res.Hits {
				n := len([]rune(h.Snippet.Text))
				for _, s := range h.Snippet.Highlights {
					require.True(t, 0 <= s.Start && s.Start < s.End && s.End <= n)
				}
			}
		}
	})
}

func TestReindexRebuildsFromTheStore(t *testing.T) {
	ctx := context.Background()
	store := kb.NewMemoryStore()
	first, err := kb.New(store, kb.Config{})
	require.NoError(t, err)
	require.NoError(t, first.Create(ctx, &kb.Article{Slug: "kept", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "Kept in the store"}}}))
	second, err := kb.New(store, kb.Config{})
	require.NoError(t, err)
	res, err := second.Search(ctx, kb.Query{Text: "kept", Audience: kb.Customer})
	require.NoError(t, err)
	assert.Zero(t, res.Total)
	require.NoError(t, second.Reindex(ctx))
	res, err = second.Search(ctx, kb.Query{Text: "kept", Audience: kb.Customer})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Total)
}
