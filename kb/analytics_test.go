package kb_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/kb"
)

// recordingAnalytics keeps every event it is given.
type recordingAnalytics struct {
	mu       sync.Mutex
	searches []kb.SearchEvent
	clicks   []kb.ClickEvent
}

func (r *recordingAnalytics) RecordSearch(_ context.Context, e kb.SearchEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.searches = append(r.searches, e)
	return nil
}

func (r *recordingAnalytics) RecordClick(_ context.Context, e kb.ClickEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.clicks = append(r.clicks, e)
	return nil
}

func (r *recordingAnalytics) ContentGaps(context.Context, int) ([]kb.Gap, error) { return nil, nil }

// RecordClick used to hand queries of any length to the analytics; it now
// takes what Search takes and refuses the rest the same way.
func TestRecordClickHoldsQueriesToSearchLimits(t *testing.T) {
	ctx := context.Background()
	rec := &recordingAnalytics{}
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{Analytics: rec, MaxQueryRunes: 20})
	require.NoError(t, err)
	id := uuid.New()
	long := strings.Repeat("я", 21)
	_, searchErr := k.Search(ctx, kb.Query{Text: long, Audience: kb.Customer})
	require.ErrorIs(t, searchErr, kb.ErrInvalid)
	require.ErrorIs(t, k.RecordClick(ctx, long, id), kb.ErrInvalid)
	require.ErrorIs(t, k.RecordClick(ctx, strings.Repeat("x", 1<<20), id), kb.ErrInvalid)
	require.NoError(t, k.RecordClick(ctx, " \t ", id))
	_, err = k.Search(ctx, kb.Query{Text: "  ok  ", Audience: kb.Customer, MaxRunes: 1 << 30})
	require.NoError(t, err)
	_, err = k.Search(ctx, kb.Query{Text: long, Audience: kb.Customer, MaxRunes: 1 << 30})
	require.ErrorIs(t, err, kb.ErrInvalid, "a query cannot raise the KB's limit")
	require.NoError(t, k.RecordClick(ctx, strings.Repeat(" ", 1<<16)+strings.Repeat("я", 20)+"\n", id))
	assert.Equal(t, []kb.ClickEvent{{Query: strings.Repeat("я", 20), ArticleID: id, At: rec.clicks[0].At}}, rec.clicks)
	require.Len(t, rec.searches, 1)
	assert.Equal(t, "ok", rec.searches[0].Query)
}

// 64 clicks with 1 MiB queries used to keep 63 MiB; the analytics now keep
// at most MaxAnalyticsQueryBytes of each query.
func TestAnalyticsKeepBoundedQueryText(t *testing.T) {
	ctx := context.Background()
	m := kb.NewMemoryAnalytics(0)
	tail := " " + strings.Repeat("ж", 1<<19)
	huge := func(i int) string { return fmt.Sprint(i) + tail }
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range 64 {
		require.NoError(t, m.RecordClick(ctx, kb.ClickEvent{Query: huge(i)}))
		require.NoError(t, m.RecordSearch(ctx, kb.SearchEvent{Query: huge(i + 64)}))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	assert.Less(t, int64(after.HeapAlloc)-int64(before.HeapAlloc), int64(2<<20), "bytes kept for 128 queries of 1 MiB")
	gaps, err := m.ContentGaps(ctx, 0)
	require.NoError(t, err)
	require.Len(t, gaps, 64)
	for _, g := range gaps {
		assert.LessOrEqual(t, len(g.Query), kb.MaxAnalyticsQueryBytes)
		assert.True(t, strings.HasSuffix(g.Query, "ж"), "cut at a rune boundary")
	}
	runtime.KeepAlive(m)
}

// Clicks on queries nobody searched, and searches that found something, used
// to fill every place so that zero-result searches were no longer counted.
func TestZeroResultSearchesAreNotCrowdedOut(t *testing.T) {
	ctx := context.Background()
	m := kb.NewMemoryAnalytics(100)
	for i := range 1000 {
		require.NoError(t, m.RecordClick(ctx, kb.ClickEvent{Query: fmt.Sprintf("clicked %d", i)}))
		require.NoError(t, m.RecordSearch(ctx, kb.SearchEvent{Query: fmt.Sprintf("found %d", i), Results: 3}))
	}
	for i := range 100 {
		for range 2 {
			require.NoError(t, m.RecordSearch(ctx, kb.SearchEvent{Query: fmt.Sprintf("missing %d", i)}))
		}
	}
	gaps, err := m.ContentGaps(ctx, 0)
	require.NoError(t, err)
	require.Len(t, gaps, 100)
	for _, g := range gaps {
		assert.True(t, strings.HasPrefix(g.Query, "missing "), g.Query)
		assert.Equal(t, 2, g.ZeroResults, g.Query)
	}
	require.NoError(t, m.RecordSearch(ctx, kb.SearchEvent{Query: "one more", Results: 0}))
	gaps, err = m.ContentGaps(ctx, 0)
	require.NoError(t, err)
	assert.Len(t, gaps, 100, "once every place holds a zero-result query, new ones wait")
}

// A query key is cut to MaxAnalyticsQueryBytes at a rune boundary: a query
// of exactly that many bytes is kept whole, one byte more is cut, and a rune
// that straddles the limit is left out whole.
func TestAnalyticsCutQueriesAtTheByteLimit(t *testing.T) {
	ctx := context.Background()
	n := kb.MaxAnalyticsQueryBytes
	tests := []struct{ query, key string }{
		{strings.Repeat("a", n), strings.Repeat("a", n)},
		{strings.Repeat("b", n+1), strings.Repeat("b", n)},
		{"c" + strings.Repeat("ж", n/2), "c" + strings.Repeat("ж", n/2-1)},
		{strings.Repeat("d", n-1) + " e", strings.Repeat("d", n-1)},
	}
	for _, tc := range tests {
		m := kb.NewMemoryAnalytics(0)
		require.NoError(t, m.RecordSearch(ctx, kb.SearchEvent{Query: tc.query}))
		gaps, err := m.ContentGaps(ctx, 0)
		require.NoError(t, err)
		require.Len(t, gaps, 1)
		assert.Equal(t, tc.key, gaps[0].Query, "%d bytes", len(tc.query))
	}
}

// Among gaps with as many zero-result searches, the one with more searches
// that nobody followed by a click comes first, and each gap reports its
// clicks.
func TestContentGapsRankBySearchesWithoutClicks(t *testing.T) {
	ctx := context.Background()
	m := kb.NewMemoryAnalytics(0)
	record := func(q string, searches, clicks int) {
		require.NoError(t, m.RecordSearch(ctx, kb.SearchEvent{Query: q}))
		for range searches - 1 {
			require.NoError(t, m.RecordSearch(ctx, kb.SearchEvent{Query: q, Results: 2}))
		}
		for range clicks {
			require.NoError(t, m.RecordClick(ctx, kb.ClickEvent{Query: q}))
		}
	}
	record("often opened", 5, 3)
	record("never opened", 3, 0)
	gaps, err := m.ContentGaps(ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, []kb.Gap{
		{Query: "never opened", Searches: 3, ZeroResults: 1},
		{Query: "often opened", Searches: 5, ZeroResults: 1, Clicks: 3},
	}, gaps)
}
