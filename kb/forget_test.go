package kb_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// surnames are words only one ticket writes: what an erased person leaves.
var surnames = []string{"Вишневецкая", "Збруева", "Горчаковский", "Переплётчиков", "Мухоловкина", "Чистопрудов"}

// forgetWorld is learnWorld with a LearnConfig of the test's choosing.
func forgetWorld(t *testing.T, now time.Time, cfg kb.LearnConfig) (*kb.KB, []*kb.Article) {
	k, arts, _ := forgetWorldIndex(t, now, cfg)
	return k, arts
}

// forgetWorldIndex is forgetWorld that also returns the KB's index.
func forgetWorldIndex(t *testing.T, now time.Time, cfg kb.LearnConfig) (*kb.KB, []*kb.Article, *kb.MemoryIndex) {
	t.Helper()
	ix, err := kb.NewMemoryIndex(kb.IndexConfig{Learning: cfg})
	require.NoError(t, err)
	k, err := kb.New(nil, kb.Config{Now: func() time.Time { return now }, Index: ix})
	require.NoError(t, err)
	var arts []*kb.Article
	for i, title := range []string{"Нет интернета после отключения электричества", "Смена пароля беспроводной сети",
		"Стиральная машина не сливает воду", "Сессия абонента в биллинге"} {
		vis := kb.Public
		if i == 3 {
			vis = kb.Internal
		}
		a := &kb.Article{Slug: fmt.Sprintf("a%d", i), Visibility: vis, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: {Title: title, Body: "Проверьте роутер и кабель."}}}
		require.NoError(t, k.Create(context.Background(), a))
		arts = append(arts, a)
	}
	return k, arts, ix
}

// sameSearches requires that every query finds the same on both KBs, for
// customers and agents alike, and that both suggest the same synonyms.
func sameSearches(t *testing.T, got, want *kb.KB, queries []string, msg string) {
	t.Helper()
	ctx := context.Background()
	for _, q := range queries {
		for _, aud := range []kb.Audience{kb.Customer, kb.Agent} {
			query := kb.Query{Text: q, Audience: aud, Highlight: true, Facets: true, Relevance: true}
			g, err := got.Search(ctx, query)
			require.NoError(t, err)
			w, err := want.Search(ctx, query)
			require.NoError(t, err)
			require.Equal(t, ranked(w.Hits), ranked(g.Hits), "%s: query %q", msg, q)
			require.Equal(t, w.Total, g.Total, "%s: query %q", msg, q)
			require.Equal(t, w.DidYouMean, g.DidYouMean, "%s: query %q", msg, q)
			require.Equal(t, w.Corrected, g.Corrected, "%s: query %q", msg, q)
			gs, err := got.SuggestForTicket(ctx, q, "", language.Und, aud)
			require.NoError(t, err)
			ws, err := want.SuggestForTicket(ctx, q, "", language.Und, aud)
			require.NoError(t, err)
			require.Equal(t, ranked(ws), ranked(gs), "%s: ticket %q", msg, q)
		}
	}
	require.Equal(t, synonymsOf(t, want), synonymsOf(t, got), msg)
}

// ranked lists hits as "score relevance slug", ordered by score and then
// slug: which of two equally scored articles an index lists first depends
// on the order it indexed them in, not on what it learned.
func ranked(hits []kb.Hit) []string {
	hits = slices.Clone(hits)
	slices.SortFunc(hits, func(a, b kb.Hit) int { return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.Slug, b.Slug)) })
	out := make([]string, 0, len(hits))
	for _, h := range hits {
		out = append(out, fmt.Sprintf("%v %v %s", h.Score, h.Relevance, h.Slug))
	}
	return out
}

// synonymsOf returns k's synonym suggestions, with each article named by
// its slug, sorted.
func synonymsOf(t *testing.T, k *kb.KB) []string {
	t.Helper()
	ss, err := k.SuggestSynonyms(context.Background(), 0)
	require.NoError(t, err)
	var out []string
	for _, s := range ss {
		slug := ""
		if s.ArticleID != uuid.Nil {
			a, err := k.Get(context.Background(), s.ArticleID)
			require.NoError(t, err)
			slug = a.Slug
		}
		out = append(out, fmt.Sprintf("%v %s %d %s", s.Words, s.Source, s.Evidence, slug))
	}
	slices.Sort(out)
	return out
}

// learned is one resolution of the stream.
type learned struct {
	article int
	ticket  uuid.UUID
	text    string
	at      time.Time
}

// learnedText is the words of a random resolution: a few of learnPool, and
// now and then a surname.
func learnedText(rng *rand.Rand) string {
	text := randomWords(rng, 1+rng.IntN(6), learnPool)
	if rng.IntN(4) == 0 {
		text += " " + surnames[rng.IntN(len(surnames))]
	}
	return text
}

// learn has k learn r, whose article is an index into arts.
func learn(t *testing.T, k *kb.KB, arts []*kb.Article, r learned) {
	t.Helper()
	require.NoError(t, k.Learn(context.Background(), kb.Resolution{ArticleID: arts[r.article].ID, TicketID: r.ticket,
		Language: language.Russian, Public: []string{r.text}, At: r.at}))
}

// A KB that forgot some tickets and learned others again with their
// redacted text (some moved to another article, some left with nothing to
// learn) searches exactly as a KB that learned, in the same order, only
// the remaining tickets, with their redacted text: the oracle. Small
// MaxWords and MinTickets 2 make the words kept depend on every ticket.
func TestForgettingLeavesWhatTheRestTaught(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	seeds := 30
	if testing.Short() {
		seeds = 6
	}
	cfg := kb.LearnConfig{MinTickets: 2, MaxWords: 8, HalfLife: 10 * 24 * time.Hour}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 11))
		full, arts := forgetWorld(t, now, cfg)
		var stream []learned
		for i := range 40 {
			r := learned{article: rng.IntN(len(arts)), ticket: uuid.New(), at: now.Add(time.Duration(i-40) * time.Hour),
				text: learnedText(rng)}
			// Some resolutions come out of time order, as from several desks.
			if rng.IntN(5) == 0 {
				r.at = r.at.Add(-5 * time.Hour)
			}
			stream = append(stream, r)
			learn(t, full, arts, r)
		}
		var forgotten []uuid.UUID
		for i := range stream {
			switch rng.IntN(6) {
			case 0:
				forgotten = append(forgotten, stream[i].ticket)
				stream[i].ticket = uuid.Nil
			case 1:
				stream[i].text = randomWords(rng, 1+rng.IntN(3), learnPool)
			case 2:
				stream[i].text = "[erased] 12"
			case 3:
				stream[i].article = rng.IntN(len(arts))
			default:
				continue
			}
			if stream[i].ticket != uuid.Nil {
				learn(t, full, arts, stream[i])
			}
		}
		require.NoError(t, full.Forget(ctx, append(forgotten, uuid.New(), uuid.Nil)...))
		oracle, oracleArts := forgetWorld(t, now, cfg)
		for _, r := range stream {
			if r.ticket != uuid.Nil {
				learn(t, oracle, oracleArts, r)
			}
		}
		queries := append(slices.Clone(surnames), "erased")
		for range 20 {
			queries = append(queries, randomWords(rng, 1+rng.IntN(3), learnPool))
		}
		sameSearches(t, full, oracle, queries, fmt.Sprintf("seed %d", seed))
	}
}

// A surname only the forgotten tickets wrote is found by no one, while the
// tickets it was learned from were found by it.
func TestForgottenWordsAreNotFound(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	k, arts := forgetWorld(t, now, kb.LearnConfig{})
	var tickets []uuid.UUID
	for range 3 {
		id := uuid.New()
		tickets = append(tickets, id)
		require.NoError(t, k.Learn(ctx, kb.Resolution{ArticleID: arts[0].ID, TicketID: id, Language: language.Russian,
			Public: []string{"Збруева: мигалка на коробке"}}))
	}
	found := func(q string) int {
		res, err := k.Search(ctx, kb.Query{Text: q, Audience: kb.Agent})
		require.NoError(t, err)
		return res.Total
	}
	require.Equal(t, 1, found("Збруева"))
	require.NoError(t, k.Learn(ctx, kb.Resolution{ArticleID: arts[0].ID, TicketID: tickets[0], Language: language.Russian,
		Public: []string{"[erased]: мигалка на коробке"}}))
	require.Equal(t, 1, found("Збруева"), "two tickets still teach it")
	require.NoError(t, k.Forget(ctx, tickets[1]))
	assert.Zero(t, found("Збруева"), "one ticket teaches nothing")
	assert.Equal(t, 1, found("мигалка"), "what the others wrote stays")
	require.NoError(t, k.Forget(ctx, tickets...))
	assert.Zero(t, found("мигалка"))
}

// Forget on an index that cannot forget does nothing, and a zero KB
// returns ErrInvalid.
func TestForgetNeedsAForgetter(t *testing.T) {
	ctx := context.Background()
	var zero kb.KB
	assert.ErrorIs(t, zero.Forget(ctx, uuid.New()), kb.ErrInvalid)
	_, err := (&kb.MemoryIndex{}).Forget(ctx, uuid.New())
	assert.ErrorIs(t, err, kb.ErrInvalid)
	_, ok := (&kb.MemoryIndex{}).LearnedArticle(uuid.New())
	assert.False(t, ok)
	ix, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)
	k, err := kb.New(nil, kb.Config{Index: plainIndex{ix}})
	require.NoError(t, err)
	assert.NoError(t, k.Forget(ctx, uuid.New()))
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = ix.Forget(cancelled, uuid.New())
	assert.ErrorIs(t, err, context.Canceled)
}

// plainIndex is an Index that neither learns nor forgets.
type plainIndex struct{ kb.Index }

// BenchmarkRelearnRedacted measures learning one ticket again, redacted, on an
// article that has learned from 10,000 tickets: the article's words are
// rebuilt from its resolutions.
func BenchmarkRelearnRedacted(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(1, 2))
	k, a, tickets := learnedArticle(b, now, 10000, func() string { return randomWords(rng, 12, learnPool) })
	b.ResetTimer()
	for i := range b.N {
		require.NoError(b, k.Learn(ctx, kb.Resolution{ArticleID: a.ID, TicketID: tickets[i%len(tickets)], Language: language.Russian,
			Public: []string{fmt.Sprint("[erased] ", i)}, At: now.Add(time.Duration(i%len(tickets)-len(tickets)) * time.Minute)}))
	}
}

// Learning, re-learning, forgetting, rewriting queries and searching may
// run at once.
func TestForgettingIsSafeForConcurrentUse(t *testing.T) {
	ctx := context.Background()
	k, arts := forgetWorld(t, time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), kb.LearnConfig{MinTickets: 1})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 30 {
				id := uuid.New()
				a := arts[(w+i)%len(arts)]
				assert.NoError(t, k.Learn(ctx, kb.Resolution{ArticleID: a.ID, TicketID: id, Public: []string{"роутер мигает после грозы Збруева"}}))
				assert.NoError(t, k.Learn(ctx, kb.Resolution{ArticleID: arts[i%len(arts)].ID, TicketID: id, Public: []string{"роутер мигает [erased]"}}))
				_, err := k.Search(ctx, kb.Query{Text: "роутер збруева", Audience: kb.Customer, Session: fmt.Sprint("s", w)})
				assert.NoError(t, err)
				// Customers open public articles only (the first three).
				opened := arts[(w+i)%3]
				assert.NoError(t, k.RecordResultClick(ctx, kb.ResultClick{Query: "роутер збруева", ArticleID: opened.ID, Position: 1, Session: fmt.Sprint("s", w)}))
				_, err = k.RewriteQueries(ctx, func(q string) string { return strings.ReplaceAll(q, "збруева", "[erased]") })
				assert.NoError(t, err)
				if i%3 == 0 {
					assert.NoError(t, k.Forget(ctx, id))
				}
			}
		})
	}
	wg.Wait()
	res, err := k.Search(ctx, kb.Query{Text: "збруева", Audience: kb.Agent})
	require.NoError(t, err)
	assert.Zero(t, res.Total)
}
