package kb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
