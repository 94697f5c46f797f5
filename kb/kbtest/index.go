package kbtest

import (
	"context"
	"fmt"
	"math/rand/v2"
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

// TestIndex runs the kb.Index contract against indexes made by newIndex,
// one fresh, empty index per subtest. It checks what every index owes its
// callers: visibility never leaks to customers, filters hold, writes are
// searchable at once, bad queries are typed errors, and concurrent use is
// safe. Ranking quality is not part of the contract.
func TestIndex(t *testing.T, newIndex func(t *testing.T) kb.Index) {
	ctx := context.Background()
	t.Run("UpsertIsSearchableAtOnce", func(t *testing.T) {
		ix := newIndex(t)
		a := article("first", kb.Public, kb.Published, language.English, "Zebra crossing guide", "zebras cross here")
		require.NoError(t, ix.Upsert(ctx, a))
		assert.Equal(t, []uuid.UUID{a.ID}, ids(t, ix, kb.Query{Text: "zebra", Audience: kb.Customer}))
	})
	t.Run("UpdateReplacesTheOldText", func(t *testing.T) {
		ix := newIndex(t)
		a := article("update", kb.Public, kb.Published, language.English, "Walrus habits", "walrus")
		require.NoError(t, ix.Upsert(ctx, a))
		a.Translations[language.English] = kb.Translation{Title: "Penguin habits", Body: "penguin"}
		require.NoError(t, ix.Upsert(ctx, a))
		assert.Empty(t, ids(t, ix, kb.Query{Text: "walrus", Audience: kb.Agent}))
		assert.Equal(t, []uuid.UUID{a.ID}, ids(t, ix, kb.Query{Text: "penguin", Audience: kb.Agent}))
	})
	t.Run("UpdateToInternalHidesAtOnce", func(t *testing.T) {
		ix := newIndex(t)
		a := article("hide", kb.Public, kb.Published, language.English, "Falcon setup", "falcon")
		require.NoError(t, ix.Upsert(ctx, a))
		a.Visibility = kb.Internal
		require.NoError(t, ix.Upsert(ctx, a))
		assert.Empty(t, ids(t, ix, kb.Query{Text: "falcon", Audience: kb.Customer}))
		assert.Equal(t, []uuid.UUID{a.ID}, ids(t, ix, kb.Query{Text: "falcon", Audience: kb.Agent}))
	})
	t.Run("DeleteIsSearchableAtOnce", func(t *testing.T) {
		ix := newIndex(t)
		a := article("delete", kb.Public, kb.Published, language.English, "Otter care", "otter")
		require.NoError(t, ix.Upsert(ctx, a))
		require.NoError(t, ix.Delete(ctx, a.ID))
		assert.Empty(t, ids(t, ix, kb.Query{Text: "otter", Audience: kb.Agent}))
		require.NoError(t, ix.Delete(ctx, a.ID), "deleting a missing article is not an error")
	})
	t.Run("CustomerSeesOnlyPublishedPublic", func(t *testing.T) {
		ix := newIndex(t)
		want := allKinds(t, ix, "heron")
		for _, q := range []kb.Query{
			{Text: "heron", Audience: kb.Customer},
			{Text: "heron", Audience: kb.Customer, Statuses: []kb.Status{kb.Draft, kb.Archived, kb.Published}},
			{Text: "heron", Audience: kb.Customer, Visibilities: []kb.Visibility{kb.Internal}},
		} {
			assert.Equal(t, []uuid.UUID{want[kindKey{kb.Public, kb.Published}]}, ids(t, ix, q), "%+v", q)
		}
	})
	t.Run("AgentSeesInternalAndOtherStatusesOnRequest", func(t *testing.T) {
		ix := newIndex(t)
		want := allKinds(t, ix, "heron")
		got := ids(t, ix, kb.Query{Text: "heron", Audience: kb.Agent})
		assert.ElementsMatch(t, []uuid.UUID{want[kindKey{kb.Public, kb.Published}], want[kindKey{kb.Internal, kb.Published}]}, got)
		got = ids(t, ix, kb.Query{Text: "heron", Audience: kb.Agent, Statuses: []kb.Status{kb.Draft}, Visibilities: []kb.Visibility{kb.Internal}})
		assert.Equal(t, []uuid.UUID{want[kindKey{kb.Internal, kb.Draft}]}, got)
	})
	t.Run("CustomerCountsIgnoreHiddenArticles", func(t *testing.T) {
		ix := newIndex(t)
		allKinds(t, ix, "heron")
		res, err := ix.Search(ctx, kb.Query{Text: "heron", Audience: kb.Customer, Facets: true})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Total, "Total")
		for name, counts := range map[string]map[string]int{
			"Categories": res.Facets.Categories, "Tags": res.Facets.Tags, "Languages": res.Facets.Languages,
		} {
			for value, n := range counts {
				assert.LessOrEqual(t, n, 1, "facet %s %q counts hidden articles", name, value)
			}
		}
		hidden := article("kingfisher", kb.Internal, kb.Draft, language.English, "Kingfisher plan", "kingfisher")
		hidden.Category, hidden.Tags = "secret", []string{"secret"}
		require.NoError(t, ix.Upsert(ctx, hidden))
		for _, text := range []string{"kingfishr", "kingfisher"} {
			res, err = ix.Search(ctx, kb.Query{Text: text, Audience: kb.Customer, Facets: true})
			require.NoError(t, err)
			assert.Zero(t, res.Total, "Total for %q", text)
			assert.NotContains(t, res.DidYouMean, "kingfisher", "did you mean for %q", text)
			assert.Zero(t, res.Facets.Categories["secret"]+res.Facets.Tags["secret"], "facets for %q", text)
		}
	})
	t.Run("RandomQueriesNeverLeak", func(t *testing.T) {
		randomNeverLeaks(t, newIndex(t))
	})
	t.Run("FiltersHold", func(t *testing.T) {
		ix := newIndex(t)
		en := article("filter-en", kb.Public, kb.Published, language.English, "Lynx tracking", "lynx")
		en.Category, en.Tags = "wildlife/cats", []string{"cats", "tracking"}
		ru := article("filter-ru", kb.Public, kb.Published, language.Russian, "Рысь lynx", "рысь lynx")
		ru.Category, ru.Tags = "wildlife", []string{"cats"}
		require.NoError(t, ix.Upsert(ctx, en))
		require.NoError(t, ix.Upsert(ctx, ru))
		q := kb.Query{Text: "lynx", Audience: kb.Customer}
		assert.ElementsMatch(t, []uuid.UUID{en.ID, ru.ID}, ids(t, ix, q))
		q.Language = language.MustParse("ru-RU")
		assert.Equal(t, []uuid.UUID{ru.ID}, ids(t, ix, q))
		q.Language = language.Und
		q.Category = "wildlife/cats"
		assert.Equal(t, []uuid.UUID{en.ID}, ids(t, ix, q))
		q.Category = "wildlife"
		assert.ElementsMatch(t, []uuid.UUID{en.ID, ru.ID}, ids(t, ix, q))
		q.Category, q.Tags = "", []string{"cats", "tracking"}
		assert.Equal(t, []uuid.UUID{en.ID}, ids(t, ix, q))
	})
	t.Run("PagesAreSlicesOfOneRanking", func(t *testing.T) {
		ix := newIndex(t)
		for i := range 23 {
			a := article(fmt.Sprintf("page-%02d", i), kb.Public, kb.Published, language.English, "Badger "+strings.Repeat("badger ", i%5), "badger burrow")
			require.NoError(t, ix.Upsert(ctx, a))
		}
		all := ids(t, ix, kb.Query{Text: "badger", Audience: kb.Customer, Limit: 100})
		require.Len(t, all, 23)
		var paged []uuid.UUID
		for off := 0; off < 23; off += 5 {
			res, err := ix.Search(ctx, kb.Query{Text: "badger", Audience: kb.Customer, Offset: off, Limit: 5})
			require.NoError(t, err)
			assert.Equal(t, 23, res.Total)
			for _, h := range res.Hits {
				paged = append(paged, h.ArticleID)
			}
		}
		assert.Equal(t, all, paged)
	})
	t.Run("BlankQueryGivesEmptyResults", func(t *testing.T) {
		ix := newIndex(t)
		require.NoError(t, ix.Upsert(ctx, article("blank", kb.Public, kb.Published, language.English, "Anything", "anything")))
		for _, text := range []string{"", "   ", "\t\n"} {
			res, err := ix.Search(ctx, kb.Query{Text: text, Audience: kb.Customer})
			require.NoError(t, err)
			assert.Empty(t, res.Hits)
			assert.Zero(t, res.Total)
		}
	})
	t.Run("BadQueriesReturnErrInvalid", func(t *testing.T) {
		ix := newIndex(t)
		for _, q := range []kb.Query{
			{Text: "x"},
			{Text: "x", Audience: kb.Audience(9)},
			{Text: strings.Repeat("long ", 300), Audience: kb.Customer, MaxRunes: 100},
			{Text: "x", Audience: kb.Agent, Limit: -1},
			{Text: "x", Audience: kb.Agent, Offset: -1},
			{Text: "x", Audience: kb.Agent, Statuses: []kb.Status{0}},
		} {
			_, err := ix.Search(ctx, q)
			assert.ErrorIs(t, err, kb.ErrInvalid, "%+v", q)
		}
	})
	t.Run("InvalidArticleReturnsErrInvalid", func(t *testing.T) {
		ix := newIndex(t)
		a := article("no-translation", kb.Public, kb.Published, language.English, "x", "x")
		a.Translations = nil
		assert.ErrorIs(t, ix.Upsert(ctx, a), kb.ErrInvalid)
	})
	t.Run("InvalidUTF8QueryIsSanitized", func(t *testing.T) {
		ix := newIndex(t)
		a := article("utf8", kb.Public, kb.Published, language.English, "Moose facts", "moose")
		require.NoError(t, ix.Upsert(ctx, a))
		assert.Equal(t, []uuid.UUID{a.ID}, ids(t, ix, kb.Query{Text: "moose\xff\xfe", Audience: kb.Customer}))
	})
	t.Run("LearnerKeepsNotesAndInternalTicketsFromCustomers", func(t *testing.T) {
		ix := newIndex(t)
		l, ok := ix.(kb.Learner)
		if !ok {
			t.Skip("the index does not learn")
		}
		learnerKeepsSecrets(t, ix, l)
	})
	t.Run("ForgetterLeavesWhatTheOtherTicketsTaught", func(t *testing.T) {
		ix := newIndex(t)
		if _, ok := ix.(kb.Forgetter); !ok {
			t.Skip("the index does not forget")
		}
		forgetterLeavesTheRest(t, ix, newIndex(t))
	})
	t.Run("ConcurrentSearchDuringUpdates", func(t *testing.T) {
		concurrentSearch(t, newIndex(t))
	})
}

// article builds an article with one translation.
func article(slug string, v kb.Visibility, s kb.Status, lang language.Tag, title, body string) *kb.Article {
	return &kb.Article{
		ID: uuid.Must(uuid.NewV7()), Slug: slug, Visibility: v, Status: s,
		Translations: map[language.Tag]kb.Translation{lang: {Title: title, Body: body}},
	}
}

type kindKey struct {
	v kb.Visibility
	s kb.Status
}

// allKinds indexes one article per visibility and status, all containing word.
func allKinds(t *testing.T, ix kb.Index, word string) map[kindKey]uuid.UUID {
	t.Helper()
	out := map[kindKey]uuid.UUID{}
	for _, v := range []kb.Visibility{kb.Public, kb.Internal} {
		for _, s := range []kb.Status{kb.Draft, kb.Published, kb.Archived} {
			a := article(fmt.Sprintf("%s-%v-%v", word, v, s), v, s, language.English, "About the "+word, word+" notes")
			require.NoError(t, ix.Upsert(context.Background(), a))
			out[kindKey{v, s}] = a.ID
		}
	}
	return out
}

// ids returns the hit IDs of a search that must succeed.
func ids(t *testing.T, ix kb.Index, q kb.Query) []uuid.UUID {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	require.NoError(t, err)
	var out []uuid.UUID
	for _, h := range res.Hits {
		out = append(out, h.ArticleID)
	}
	return out
}

var words = []string{"printer", "принтер", "password", "пароль", "invoice", "счет", "refund", "возврат", "delivery", "доставка"}

// randomArticle returns an article with random visibility, status, languages
// and words, and reports whether a customer may see it.
func randomArticle(rng *rand.Rand, i int) *kb.Article {
	a := &kb.Article{
		ID:         uuid.Must(uuid.NewV7()),
		Slug:       fmt.Sprintf("random-%d", i),
		Category:   []string{"a", "a/b", "c"}[rng.IntN(3)],
		Tags:       []string{[]string{"x", "y", "z"}[rng.IntN(3)]},
		Visibility: kb.Visibility(1 + rng.IntN(2)),
		Status:     kb.Status(1 + rng.IntN(3)),
	}
	a.Translations = map[language.Tag]kb.Translation{}
	for _, lang := range []language.Tag{language.English, language.Russian} {
		if len(a.Translations) == 0 || rng.IntN(2) == 0 {
			var body []string
			for range 1 + rng.IntN(6) {
				body = append(body, words[rng.IntN(len(words))])
			}
			a.Translations[lang] = kb.Translation{Title: words[rng.IntN(len(words))], Body: strings.Join(body, " ")}
		}
	}
	return a
}

// randomNeverLeaks indexes random articles, changes some of them, and checks
// that random customer queries with random filters only ever return
// published public articles, and agent queries only the statuses and
// visibilities they asked for.
func randomNeverLeaks(t *testing.T, ix kb.Index) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	byID := map[uuid.UUID]*kb.Article{}
	for i := range 200 {
		a := randomArticle(rng, i)
		require.NoError(t, ix.Upsert(ctx, a))
		byID[a.ID] = a
	}
	for id, a := range byID {
		switch rng.IntN(4) {
		case 0:
			a.Visibility, a.Status = kb.Visibility(1+rng.IntN(2)), kb.Status(1+rng.IntN(3))
			require.NoError(t, ix.Upsert(ctx, a))
		case 1:
			require.NoError(t, ix.Delete(ctx, id))
			delete(byID, id)
		}
	}
	for range 400 {
		q := kb.Query{Text: words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))], Audience: kb.Audience(1 + rng.IntN(2)), Limit: 100}
		if rng.IntN(2) == 0 {
			q.Statuses = []kb.Status{kb.Status(1 + rng.IntN(3))}
		}
		if rng.IntN(2) == 0 {
			q.Visibilities = []kb.Visibility{kb.Visibility(1 + rng.IntN(2))}
		}
		q.Facets = true
		res, err := ix.Search(ctx, q)
		require.NoError(t, err)
		require.Len(t, res.Hits, min(res.Total, q.Limit), "Total counts only what the query may see: %+v", q)
		langs := 0
		for _, n := range res.Facets.Languages {
			langs += n
		}
		require.Equal(t, res.Total, langs, "language facets count only what the query may see: %+v", q)
		for _, h := range res.Hits {
			a, ok := byID[h.ArticleID]
			require.True(t, ok, "deleted article %v returned", h.ArticleID)
			if q.Audience == kb.Customer {
				require.Equal(t, kb.Public, a.Visibility, "customer got a non-public article for %+v", q)
				require.Equal(t, kb.Published, a.Status, "customer got an unpublished article for %+v", q)
				continue
			}
			statuses := q.Statuses
			if len(statuses) == 0 {
				statuses = []kb.Status{kb.Published}
			}
			require.Contains(t, statuses, a.Status)
			if len(q.Visibilities) > 0 {
				require.Contains(t, q.Visibilities, a.Visibility)
			}
		}
	}
}

// concurrentSearch searches while other goroutines upsert, flip visibility
// and delete, and checks customers never see a non-public article: run it
// under the race detector.
func concurrentSearch(t *testing.T, ix kb.Index) {
	ctx := context.Background()
	var mu sync.RWMutex
	secret := map[uuid.UUID]bool{} // IDs that were ever internal
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 99))
			for i := range 150 {
				a := randomArticle(rng, w*1000+i)
				if a.Visibility == kb.Internal || a.Status != kb.Published {
					mu.Lock()
					secret[a.ID] = true
					mu.Unlock()
				}
				if !assert.NoError(t, ix.Upsert(ctx, a)) {
					return
				}
				if i%3 == 0 {
					assert.NoError(t, ix.Delete(ctx, a.ID))
				}
			}
		}()
	}
	for r := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 150 {
				res, err := ix.Search(ctx, kb.Query{Text: words[(i+r)%len(words)], Audience: kb.Customer, Limit: 100})
				if !assert.NoError(t, err) {
					return
				}
				mu.RLock()
				for _, h := range res.Hits {
					assert.False(t, secret[h.ArticleID], "customer saw a hidden article")
					assert.True(t, h.Visibility == kb.Public && h.Status == kb.Published)
				}
				mu.RUnlock()
			}
		}()
	}
	wg.Wait()
}

// learnerKeepsSecrets checks that what an index learns from resolved
// tickets finds the article, that notes are never learned, and that what
// an internal article learned never reaches a customer.
func learnerKeepsSecrets(t *testing.T, ix kb.Index, l kb.Learner) {
	ctx := context.Background()
	pub := article("learn-public", kb.Public, kb.Published, language.English, "Router lights", "Restart the router.")
	internal := article("learn-internal", kb.Internal, kb.Published, language.English, "Line diagnostics", "Check the port.")
	for _, a := range []*kb.Article{pub, internal} {
		require.NoError(t, ix.Upsert(ctx, a))
	}
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for i := range 5 {
		require.NoError(t, l.Learn(ctx, kb.Resolution{ArticleID: pub.ID, Language: language.English,
			Public: []string{"thunderstorm killed my internet"}, Notes: []string{"quokkanote"}, At: at.Add(time.Duration(i) * time.Minute)}))
		require.NoError(t, l.Learn(ctx, kb.Resolution{ArticleID: internal.ID, Language: language.English,
			Public: []string{"wombatword stopped working"}, At: at.Add(time.Duration(i) * time.Minute)}))
	}
	for _, a := range []*kb.Article{pub, internal} {
		require.NoError(t, ix.Upsert(ctx, a))
	}
	assert.Equal(t, []uuid.UUID{pub.ID}, ids(t, ix, kb.Query{Text: "thunderstorm", Audience: kb.Customer}), "learned public words find the article")
	assert.Equal(t, []uuid.UUID{internal.ID}, ids(t, ix, kb.Query{Text: "wombatword", Audience: kb.Agent}), "agents find internal articles by learned words")
	for _, q := range []string{"quokkanote", "wombatword"} {
		for _, aud := range []kb.Audience{kb.Customer, kb.Agent} {
			if q == "wombatword" && aud == kb.Agent {
				continue
			}
			res, err := ix.Search(ctx, kb.Query{Text: q, Audience: aud, Facets: true})
			require.NoError(t, err)
			assert.Zero(t, res.Total, "%s as %s", q, aud)
			assert.Empty(t, res.DidYouMean, "%s as %s", q, aud)
			assert.Empty(t, res.Facets.Languages, "%s as %s", q, aud)
		}
	}
}

// forgetterLeavesTheRest checks that an index that forgot some tickets and
// learned others again, redacted, searches as oracle, which learned only
// the rest, in the same order: every word only the forgotten or redacted
// text held is gone.
func forgetterLeavesTheRest(t *testing.T, ix, oracle kb.Index) {
	ctx := context.Background()
	f := ix.(kb.Forgetter)
	l, ok := oracle.(kb.Learner)
	require.True(t, ok, "newIndex returns indexes of one kind")
	arts := []*kb.Article{
		article("forget-a", kb.Public, kb.Published, language.English, "Router lights", "Restart the router."),
		article("forget-b", kb.Public, kb.Published, language.English, "Printer jams", "Open the tray."),
	}
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	type res struct {
		article int
		ticket  uuid.UUID
		text    string
	}
	var stream []res
	for i := range 12 {
		r := res{article: i % 2, ticket: uuid.Must(uuid.NewV7()), text: "thunderstorm killed the modem"}
		switch i % 3 {
		case 0:
			r.text += " quagmirename"
		case 1:
			r.text += " okapiword"
		}
		stream = append(stream, r)
	}
	learn := func(l kb.Learner, r res, at time.Time) {
		require.NoError(t, l.Learn(ctx, kb.Resolution{ArticleID: arts[r.article].ID, TicketID: r.ticket,
			Language: language.English, Public: []string{r.text}, At: at}))
	}
	for _, x := range []kb.Index{ix, oracle} {
		for _, a := range arts {
			require.NoError(t, x.Upsert(ctx, a))
		}
	}
	for i, r := range stream {
		learn(f, r, at.Add(time.Duration(i)*time.Minute))
	}
	for _, a := range arts {
		require.NoError(t, ix.Upsert(ctx, a))
	}
	require.NotEmpty(t, ids(t, ix, kb.Query{Text: "quagmirename", Audience: kb.Agent}), "learned before forgetting")
	var forgotten []uuid.UUID
	for i := range stream {
		switch {
		case strings.Contains(stream[i].text, "quagmirename"):
			forgotten = append(forgotten, stream[i].ticket)
			stream[i].ticket = uuid.Nil
		case strings.Contains(stream[i].text, "okapiword"):
			stream[i].text = "thunderstorm killed the modem [erased]"
			learn(f, stream[i], at.Add(time.Duration(i)*time.Minute))
		}
	}
	changed, err := f.Forget(ctx, forgotten...)
	require.NoError(t, err)
	assert.ElementsMatch(t, []uuid.UUID{arts[0].ID, arts[1].ID}, changed, "Forget names the articles it changed")
	_, learned := f.LearnedArticle(forgotten[0])
	assert.False(t, learned, "a forgotten ticket is learned for no article")
	article, learned := f.LearnedArticle(stream[1].ticket)
	assert.True(t, learned)
	assert.Equal(t, arts[1].ID, article)
	for i, r := range stream {
		if r.ticket != uuid.Nil {
			learn(l, r, at.Add(time.Duration(i)*time.Minute))
		}
	}
	for _, x := range []kb.Index{ix, oracle} {
		for _, a := range arts {
			require.NoError(t, x.Upsert(ctx, a))
		}
	}
	for _, q := range []string{"quagmirename", "okapiword"} {
		assert.Empty(t, ids(t, ix, kb.Query{Text: q, Audience: kb.Agent}), q)
	}
	for _, q := range []string{"thunderstorm", "modem router", "killed", "erased"} {
		for _, aud := range []kb.Audience{kb.Customer, kb.Agent} {
			got, err := ix.Search(ctx, kb.Query{Text: q, Audience: aud})
			require.NoError(t, err)
			want, err := oracle.Search(ctx, kb.Query{Text: q, Audience: aud})
			require.NoError(t, err)
			// Equal scores may come in either order.
			scores := func(hits []kb.Hit) map[uuid.UUID]float64 {
				out := map[uuid.UUID]float64{}
				for _, h := range hits {
					out[h.ArticleID] = h.Score
				}
				return out
			}
			g, w := scores(got.Hits), scores(want.Hits)
			require.Len(t, g, len(w), q)
			for id, score := range w {
				assert.InDelta(t, score, g[id], 1e-9, q)
			}
		}
	}
}
