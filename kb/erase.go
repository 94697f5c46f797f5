package kb

import (
	"cmp"
	"context"
	"slices"
	"strings"
)

// AnalyticsEraser is the optional ability of an Analytics to find and rewrite the queries it
// has recorded, for erasing a person's data from what they (or anyone) typed: KB.Queries and
// KB.RewriteQueries find it by type assertion. MemoryAnalytics has it. Implementations must
// be safe for concurrent use.
type AnalyticsEraser interface {
	// Queries returns the recorded queries (folded text and counts) for which match reports
	// true, ordered by query text.
	Queries(ctx context.Context, match func(query string) bool) ([]Gap, error)
	// RewriteQueries replaces every recorded query q for which rewrite(q) differs with the
	// folded, space-collapsed rewrite(q), keeping its counts: queries that become one text
	// add their searches, zero-result searches and clicks together, so totals stay the
	// same. A query rewritten to blank text is dropped with its counts. It returns how many
	// queries were rewritten.
	RewriteQueries(ctx context.Context, rewrite func(query string) string) (int, error)
}

var _ AnalyticsEraser = (*MemoryAnalytics)(nil)

// Queries implements AnalyticsEraser.
func (m *MemoryAnalytics) Queries(ctx context.Context, match func(query string) bool) ([]Gap, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	var out []Gap
	for q, g := range m.queries {
		if match(q) {
			out = append(out, *g)
		}
	}
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b Gap) int { return strings.Compare(a.Query, b.Query) })
	return out, nil
}

// RewriteQueries implements AnalyticsEraser.
func (m *MemoryAnalytics) RewriteQueries(ctx context.Context, rewrite func(query string) string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var moved []*Gap
	for q, g := range m.queries {
		if r := rewrite(q); r != q {
			moved = append(moved, &Gap{Query: normalizeQuery(r), Searches: g.Searches, ZeroResults: g.ZeroResults, Clicks: g.Clicks})
			delete(m.queries, q)
			delete(m.clickOnly, q)
			delete(m.found, q)
		}
	}
	slices.SortFunc(moved, func(a, b *Gap) int { return cmp.Compare(a.Query, b.Query) })
	for _, g := range moved {
		if g.Query == "" {
			continue
		}
		to := m.queries[g.Query]
		if to == nil {
			to = &Gap{Query: g.Query}
			m.queries[g.Query] = to
		}
		to.Searches += g.Searches
		to.ZeroResults += g.ZeroResults
		to.Clicks += g.Clicks
		m.classify(to)
	}
	return len(moved), nil
}

// Queries returns the recorded search queries for which match reports true (see
// AnalyticsEraser.Queries), for exporting what a person typed. It returns ErrInvalid when
// the KB's Analytics cannot list queries.
func (k *KB) Queries(ctx context.Context, match func(query string) bool) ([]Gap, error) {
	a, err := k.analyticsEraser()
	if err != nil {
		return nil, err
	}
	return a.Queries(ctx, match)
}

// RewriteQueries rewrites the recorded search queries (see AnalyticsEraser.RewriteQueries),
// for erasing a person's data from them while the counts stay. It returns ErrInvalid when
// the KB's Analytics cannot rewrite queries.
func (k *KB) RewriteQueries(ctx context.Context, rewrite func(query string) string) (int, error) {
	a, err := k.analyticsEraser()
	if err != nil {
		return 0, err
	}
	return a.RewriteQueries(ctx, rewrite)
}

func (k *KB) analyticsEraser() (AnalyticsEraser, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	a, ok := k.analytics.(AnalyticsEraser)
	if !ok {
		return nil, invalid("Config.Analytics", "cannot list or rewrite queries (not a kb.AnalyticsEraser)")
	}
	return a, nil
}
