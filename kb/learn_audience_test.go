package kb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// learnPool is the words resolutions and queries are made of: words of
// public and internal articles, words no article has, and secrets that
// only internal notes hold.
var learnPool = strings.Fields(`пароль сброс вход роутер интернет пропал гроза свет вайфай
соседи кабель кот провод приставка каналы деньги счёт оплата долг баланс стиралка вода
слив фильтр кондей капает холодильник иней vpn outlook домен принтер
ошибка 651 691 мастер ремонт плита`)

// noteSecrets are the words only internal notes or internal articles'
// tickets use.
var noteSecrets = []string{"бирюза", "зелёныйкит", "тайнопись", "секретик"}

// learnWorld is a KB with a few public and internal articles.
func learnWorld(t *testing.T, now time.Time) (*kb.KB, []*kb.Article) {
	t.Helper()
	k, err := kb.New(nil, kb.Config{Now: func() time.Time { return now }, IndexConfig: kb.IndexConfig{Learning: kb.LearnConfig{MinTickets: 1}}})
	require.NoError(t, err)
	specs := []struct {
		vis         kb.Visibility
		title, body string
	}{
		{kb.Public, "Нет интернета после отключения электричества", "Перезагрузите роутер и проверьте блок питания."},
		{kb.Public, "Смена пароля беспроводной сети", "Откройте настройки роутера и задайте новый пароль."},
		{kb.Public, "Стиральная машина не сливает воду", "Очистите фильтр насоса и проверьте шланг."},
		{kb.Internal, "Сессия абонента в биллинге", "Проверьте сессию и порт, сбросьте сессию при зависании."},
		{kb.Internal, "Лимиты компенсаций", "Оператор возвращает до 500 рублей без согласования."},
	}
	var arts []*kb.Article
	for i, sp := range specs {
		a := &kb.Article{Slug: fmt.Sprintf("a%d", i), Visibility: sp.vis, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: {Title: sp.title, Body: sp.body}}}
		require.NoError(t, k.Create(context.Background(), a))
		arts = append(arts, a)
	}
	return k, arts
}

func randomWords(rng *rand.Rand, n int, pool []string) string {
	w := make([]string, n)
	for i := range w {
		w[i] = pool[rng.IntN(len(pool))]
	}
	return strings.Join(w, " ")
}

// Nothing learned from an internal note, or from the tickets of an internal
// article, ever reaches a customer: after any stream of resolutions, every
// customer search and suggestion is exactly what it is on a KB that learned
// only the public words of the public articles' tickets.
func TestLearningNeverLeaksToCustomers(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	seeds := 40
	if testing.Short() {
		seeds = 8
	}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		full, arts := learnWorld(t, now)
		clean, cleanArts := learnWorld(t, now)
		for i := range 30 {
			j := rng.IntN(len(arts))
			at := now.Add(time.Duration(i-30) * time.Hour)
			public := randomWords(rng, 1+rng.IntN(8), learnPool)
			if arts[j].Visibility == kb.Internal {
				public += " " + noteSecrets[rng.IntN(len(noteSecrets))]
			}
			note := randomWords(rng, 3, noteSecrets)
			require.NoError(t, full.Learn(ctx, kb.Resolution{ArticleID: arts[j].ID, Public: []string{public}, Notes: []string{note}, At: at}))
			r := kb.Resolution{ArticleID: cleanArts[j].ID, At: at}
			if arts[j].Visibility == kb.Public {
				r.Public = []string{public}
			}
			require.NoError(t, clean.Learn(ctx, r))
		}
		for range 25 {
			q := randomWords(rng, 1+rng.IntN(3), append(learnPool, noteSecrets...))
			got, err := full.Search(ctx, kb.Query{Text: q, Audience: kb.Customer, Highlight: true, Facets: true, Relevance: true})
			require.NoError(t, err)
			want, err := clean.Search(ctx, kb.Query{Text: q, Audience: kb.Customer, Highlight: true, Facets: true, Relevance: true})
			require.NoError(t, err)
			require.Equal(t, slugsOf(want.Hits), slugsOf(got.Hits), "seed %d query %q", seed, q)
			for i := range got.Hits {
				require.Equal(t, want.Hits[i].Score, got.Hits[i].Score, "seed %d query %q", seed, q)
				require.Equal(t, want.Hits[i].Relevance, got.Hits[i].Relevance, "seed %d query %q", seed, q)
				require.Equal(t, want.Hits[i].Snippet, got.Hits[i].Snippet)
			}
			require.Equal(t, want.Total, got.Total)
			require.Equal(t, want.DidYouMean, got.DidYouMean)
			require.Equal(t, want.Corrected, got.Corrected)
			require.Equal(t, want.Facets, got.Facets)
			desc := randomWords(rng, 4, learnPool)
			gs, err := full.SuggestForTicket(ctx, q, desc, language.Und, kb.Customer)
			require.NoError(t, err)
			ws, err := clean.SuggestForTicket(ctx, q, desc, language.Und, kb.Customer)
			require.NoError(t, err)
			require.Equal(t, slugsOf(ws), slugsOf(gs), "seed %d ticket %q", seed, q)
		}
		for _, secret := range noteSecrets {
			res, err := full.Search(ctx, kb.Query{Text: secret, Audience: kb.Customer})
			require.NoError(t, err)
			require.Zero(t, res.Total, "seed %d: %s", seed, secret)
		}
	}
}

func slugsOf(hits []kb.Hit) []string {
	out := make([]string, 0, len(hits))
	for _, h := range hits {
		out = append(out, h.Slug)
	}
	return out
}

// Learned words make an agent find an internal article by the customers'
// words of its tickets, and never make it a typo target or completion.
func TestLearnedWordsServeAgentsOfInternalArticles(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	k, arts := learnWorld(t, now)
	for range 2 {
		require.NoError(t, k.Learn(ctx, kb.Resolution{ArticleID: arts[3].ID, Public: []string{"интернет пропал тайнопись"}, Notes: []string{"бирюза"}}))
	}
	res, err := k.Search(ctx, kb.Query{Text: "тайнопись", Audience: kb.Agent})
	require.NoError(t, err)
	require.Equal(t, []string{"a3"}, slugsOf(res.Hits))
	for _, q := range []string{"бирюза", "тайн", "тайнопсиь"} {
		res, err = k.Search(ctx, kb.Query{Text: q, Audience: kb.Agent})
		require.NoError(t, err)
		require.Zero(t, res.Total, "%q: notes are never learned, learned words are never typo or prefix targets", q)
		require.Empty(t, res.DidYouMean, q)
	}
}
