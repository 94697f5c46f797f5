package kb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// totals adds up the counts of every recorded query.
func totals(t *testing.T, a kb.AnalyticsEraser) (searches, zero, clicks int) {
	t.Helper()
	all, err := a.Queries(context.Background(), func(string) bool { return true })
	require.NoError(t, err)
	for _, g := range all {
		searches, zero, clicks = searches+g.Searches, zero+g.ZeroResults, clicks+g.Clicks
	}
	return searches, zero, clicks
}

// TestRewritingQueriesKeepsTheCounts checks that erasing a person's data from recorded
// queries leaves no query holding it, merges the queries that become one, and keeps every
// total.
func TestRewritingQueriesKeepsTheCounts(t *testing.T) {
	ctx := context.Background()
	a := kb.NewMemoryAnalytics(0)
	for _, s := range []kb.SearchEvent{
		{Query: "reset password for ann.lee@example.com", Results: 0},
		{Query: "Reset password for ANN.LEE@example.com", Results: 0},
		{Query: "reset password for bob@example.com", Results: 2},
		{Query: "Ann Lee VPN", Results: 1},
		{Query: "vpn", Results: 3},
		{Query: "ann.lee@example.com", Results: 0},
	} {
		require.NoError(t, a.RecordSearch(ctx, s))
	}
	require.NoError(t, a.RecordClick(ctx, kb.ClickEvent{Query: "Ann Lee VPN", ArticleID: uuid.New()}))
	require.NoError(t, a.RecordClick(ctx, kb.ClickEvent{Query: "printer", ArticleID: uuid.New()}))
	s0, z0, c0 := totals(t, a)
	hers := func(q string) bool {
		return strings.Contains(q, "ann.lee@example.com") || strings.Contains(q, "ann lee")
	}
	found, err := a.Queries(ctx, hers)
	require.NoError(t, err)
	assert.Len(t, found, 3, "the two spellings of one query are one")
	erase := func(q string) string {
		q = strings.ReplaceAll(q, "ann.lee@example.com", "[erased]")
		return strings.ReplaceAll(q, "ann lee", "[erased]")
	}
	n, err := a.RewriteQueries(ctx, erase)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	left, err := a.Queries(ctx, hers)
	require.NoError(t, err)
	assert.Empty(t, left)
	s1, z1, c1 := totals(t, a)
	assert.Equal(t, [3]int{s0, z0, c0}, [3]int{s1, z1, c1}, "searches, zero-result searches and clicks")
	gaps, err := a.ContentGaps(ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, "reset password for [erased]", gaps[0].Query)
	assert.Equal(t, 2, gaps[0].ZeroResults)
	n, err = a.RewriteQueries(ctx, func(q string) string {
		if q == "printer" {
			return " "
		}
		return q
	})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, _, c2 := totals(t, a)
	assert.Equal(t, c1-1, c2, "a query rewritten to blank goes with its counts")
}

// noRewrite is an Analytics without the AnalyticsEraser ability.
type noRewrite struct{ kb.Analytics }

// TestKBRewritesQueriesThroughItsAnalytics checks KB.Queries and KB.RewriteQueries over the
// default analytics, and ErrInvalid for analytics that cannot.
func TestKBRewritesQueriesThroughItsAnalytics(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	_, err := b.kb.Search(ctx, kb.Query{Text: "пароль ann.lee@example.com", Audience: kb.Customer})
	require.NoError(t, err)
	n, err := b.kb.RewriteQueries(ctx, func(q string) string { return strings.ReplaceAll(q, "ann.lee@example.com", "[erased]") })
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	got, err := b.kb.Queries(ctx, func(q string) bool { return strings.Contains(q, "[erased]") })
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, 1, got[0].Searches)
	plain, err := kb.New(nil, kb.Config{Analytics: noRewrite{kb.NewMemoryAnalytics(0)}})
	require.NoError(t, err)
	_, err = plain.RewriteQueries(ctx, strings.ToUpper)
	assert.ErrorIs(t, err, kb.ErrInvalid)
	_, err = plain.Queries(ctx, func(string) bool { return true })
	assert.ErrorIs(t, err, kb.ErrInvalid)
}

// Rewriting the queries rewrites what customers' clicks taught too: a KB whose visitors'
// queries were rewritten ranks, reports and suggests exactly as one whose visitors typed
// the rewritten queries from the start, and no suggestion holds the erased name.
func TestRewritingQueriesRewritesClickFeedback(t *testing.T) {
	ctx := context.Background()
	erase := func(q string) string { return strings.ReplaceAll(strings.ToLower(q), "збруева", "[erased]") }
	// No query is rewritten into another typed one, so each rewritten query's clicks are
	// exactly the oracle's (merging is TestRewrittenQueriesMergeTheirClicks).
	pool := []string{"роутер збруева", "роутер мигает", "роутер греется", "Збруева  греется", "мигает"}
	for seed := range 6 {
		rng := rand.New(rand.NewPCG(uint64(seed), 3))
		full, fullArts := clickWorld(t)
		oracle, oracleArts := clickWorld(t)
		for range 60 {
			session := fmt.Sprintf("s%d", rng.IntN(5))
			q := pool[rng.IntN(len(pool))]
			clicks := rng.IntN(3)
			var shown []string
			for i, text := range []string{q, erase(q)} {
				k, arts := full, fullArts
				if i == 1 {
					k, arts = oracle, oracleArts
				}
				res, err := k.Search(ctx, kb.Query{Text: text, Audience: kb.Customer, Session: session})
				require.NoError(t, err)
				if i == 0 {
					shown = slugsOf(res.Hits)
				} else {
					require.Equal(t, shown, slugsOf(res.Hits), "the oracle is shown what the KB was")
				}
				for pos, h := range res.Hits {
					if pos < clicks {
						a, err := k.Get(ctx, h.ArticleID)
						require.NoError(t, err)
						require.NoError(t, k.RecordResultClick(ctx, kb.ResultClick{Query: text, ArticleID: arts[a.Slug].ID, Position: pos + 1, Session: session}))
					}
				}
			}
		}
		_, err := full.RewriteQueries(ctx, erase)
		require.NoError(t, err)
		for _, q := range pool {
			g, err := full.Search(ctx, kb.Query{Text: erase(q), Audience: kb.Customer})
			require.NoError(t, err)
			w, err := oracle.Search(ctx, kb.Query{Text: erase(q), Audience: kb.Customer})
			require.NoError(t, err)
			require.Equal(t, slugsOf(w.Hits), slugsOf(g.Hits), "seed %d query %q", seed, q)
			for i := range g.Hits {
				require.InDelta(t, w.Hits[i].Score, g.Hits[i].Score, 1e-9, "seed %d query %q", seed, q)
			}
		}
		got, want := synonymsOf(t, full), synonymsOf(t, oracle)
		require.Equal(t, want, got, "seed %d", seed)
		for _, s := range got {
			require.NotContains(t, s, "збруева", "seed %d", seed)
		}
		require.Equal(t, feedbackBySlug(t, oracle), feedbackBySlug(t, full), "seed %d", seed)
	}
}

// clickWorld is feedbackWorld with its articles made in a fixed order, so that two of them
// rank their ties alike.
func clickWorld(t *testing.T) (*kb.KB, map[string]*kb.Article) {
	t.Helper()
	k, err := kb.New(nil, kb.Config{})
	require.NoError(t, err)
	arts := map[string]*kb.Article{}
	for _, slug := range []string{"first", "second", "third"} {
		a := &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published, Translations: map[language.Tag]kb.Translation{
			language.Russian: {Title: "Роутер " + map[string]string{"first": "мигает", "second": "греется", "third": "не включается"}[slug], Body: "Перезагрузите его."}}}
		require.NoError(t, k.Create(context.Background(), a))
		arts[slug] = a
	}
	return k, arts
}

// feedbackBySlug is k's feedback report with each article named by its slug.
func feedbackBySlug(t *testing.T, k *kb.KB) string {
	t.Helper()
	r, err := k.Feedback(context.Background())
	require.NoError(t, err)
	out := fmt.Sprintf("searches %d sessions %d deflections %d tickets %d", r.Searches, r.Sessions, r.Deflections, r.Tickets)
	var arts []string
	for _, a := range r.Articles {
		art, err := k.Get(context.Background(), a.ArticleID)
		require.NoError(t, err)
		arts = append(arts, fmt.Sprintf("%s %d %d %d %d", art.Slug, a.Impressions, a.Clicks, a.Deflections, a.TicketsAfter))
	}
	slices.Sort(arts)
	return out + fmt.Sprint(arts)
}

// A query rewritten to blank text no longer ranks anything: its clicks are forgotten.
func TestQueryRewrittenToBlankForgetsItsClicks(t *testing.T) {
	ctx := context.Background()
	k, _, arts := feedbackWorld(t)
	q := kb.Query{Text: "роутер збруева", Audience: kb.Customer}
	before := searchSlugs(t, k, q)
	require.Len(t, before, 3)
	last := before[2]
	for range 10 {
		searchSlugs(t, k, q)
		require.NoError(t, k.RecordResultClick(ctx, kb.ResultClick{Query: q.Text, ArticleID: arts[last].ID, Position: 3}))
	}
	require.Equal(t, last, searchSlugs(t, k, q)[0], "clicks raised it")
	_, err := k.RewriteQueries(ctx, func(s string) string {
		if strings.Contains(s, "збруева") {
			return ""
		}
		return s
	})
	require.NoError(t, err)
	assert.Equal(t, before, searchSlugs(t, k, q), "the erased query's clicks rank nothing")
}

// Two queries rewritten into one add their impressions and clicks: the merged query ranks
// as if its searchers had typed it all along.
func TestRewrittenQueriesMergeTheirClicks(t *testing.T) {
	ctx := context.Background()
	full, fullArts := clickWorld(t)
	oracle, oracleArts := clickWorld(t)
	play := func(k *kb.KB, arts map[string]*kb.Article, a, b string) {
		for _, q := range []string{a, b} {
			searchSlugs(t, k, kb.Query{Text: q, Audience: kb.Customer})
		}
		for _, q := range []string{a, b} {
			require.NoError(t, k.RecordResultClick(ctx, kb.ResultClick{Query: q, ArticleID: arts["third"].ID, Position: 3}))
		}
	}
	play(full, fullArts, "роутер збруева", "роутер [erased]")
	play(oracle, oracleArts, "роутер [erased]", "роутер [erased]")
	_, err := full.RewriteQueries(ctx, func(q string) string { return strings.ReplaceAll(q, "збруева", "[erased]") })
	require.NoError(t, err)
	q := kb.Query{Text: "роутер [erased]", Audience: kb.Customer}
	g, err := full.Search(ctx, q)
	require.NoError(t, err)
	w, err := oracle.Search(ctx, q)
	require.NoError(t, err)
	require.Equal(t, ranked(w.Hits), ranked(g.Hits))
	assert.Equal(t, "third", g.Hits[0].Slug, "two clicks at the last place raised it")
	assert.Equal(t, feedbackBySlug(t, oracle), feedbackBySlug(t, full))
}
