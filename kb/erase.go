package kb

import (
	"cmp"
	"context"
	"maps"
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
// It returns ErrInvalid for a nil match. A match that panics leaves the
// analytics as they were.
func (m *MemoryAnalytics) Queries(ctx context.Context, match func(query string) bool) ([]Gap, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if match == nil {
		return nil, invalid("match", "nil")
	}
	out := m.matching(match)
	slices.SortFunc(out, func(a, b Gap) int { return strings.Compare(a.Query, b.Query) })
	return out, nil
}

// matching returns the recorded queries for which match reports true.
func (m *MemoryAnalytics) matching(match func(query string) bool) []Gap {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Gap
	for q, g := range m.queries {
		if match(q) {
			out = append(out, *g)
		}
	}
	return out
}

// RewriteQueries implements AnalyticsEraser. It returns ErrInvalid for a nil
// rewrite. Every query is rewritten before any changes, so a rewrite that
// panics leaves the analytics as they were.
func (m *MemoryAnalytics) RewriteQueries(ctx context.Context, rewrite func(query string) string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if rewrite == nil {
		return 0, invalid("rewrite", "nil")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var from []string
	var moved []*Gap
	for q, g := range m.queries {
		if r := rewrite(q); r != q {
			from = append(from, q)
			moved = append(moved, &Gap{Query: normalizeQuery(r), Searches: g.Searches, ZeroResults: g.ZeroResults, Clicks: g.Clicks})
		}
	}
	for _, q := range from {
		delete(m.queries, q)
		delete(m.clickOnly, q)
		delete(m.found, q)
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
// AnalyticsEraser.Queries), for exporting what a person typed. It returns ErrInvalid for a
// nil match and when the KB's Analytics cannot list queries.
func (k *KB) Queries(ctx context.Context, match func(query string) bool) ([]Gap, error) {
	a, err := k.analyticsEraser()
	if err != nil {
		return nil, err
	}
	if match == nil {
		return nil, invalid("match", "nil")
	}
	return a.Queries(ctx, match)
}

// RewriteQueries rewrites the recorded search queries (see AnalyticsEraser.RewriteQueries),
// for erasing a person's data from them while the counts stay. The KB's own click feedback
// (FeedbackConfig) is rewritten the same way first: the queries clicks rank results for,
// the visits' latest queries and the reformulations SuggestSynonyms mines, so a rewritten
// query's clicks rank results for its new text and a query rewritten to blank text is
// forgotten; Feedback's totals stay (the host's session identifiers stay too). It returns how many of the analytics' queries were
// rewritten, ErrInvalid for a nil rewrite (changing nothing), and ErrInvalid, after
// rewriting the feedback, when the KB's Analytics cannot rewrite queries.
func (k *KB) RewriteQueries(ctx context.Context, rewrite func(query string) string) (int, error) {
	if err := k.ready(); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if rewrite == nil {
		return 0, invalid("rewrite", "nil")
	}
	k.feedback.rewrite(rewrite)
	a, err := k.analyticsEraser()
	if err != nil {
		return 0, err
	}
	return a.RewriteQueries(ctx, rewrite)
}

// rewrite replaces every query key q of the feedback for which rewrite(q) differs with the
// key of rewrite(q), merging what becomes one key; a key rewritten to blank text goes.
func (f *feedback) rewrite(rewrite func(query string) string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	to := func(q string) (string, bool) {
		if q == "" {
			return q, false
		}
		if r := rewrite(q); r != q {
			return feedbackKey(r), true
		}
		return q, false
	}
	f.rewriteQueries(to)
	for _, s := range f.sessions {
		s.lastQuery, _ = to(s.lastQuery)
		s.prevQuery, _ = to(s.prevQuery)
	}
	f.rewriteReforms(to)
}

// rewriteQueries moves the clicks and impressions of each rewritten query to its new key.
// Called under f.mu.
func (f *feedback) rewriteQueries(to func(string) (string, bool)) {
	moved := map[string]string{} // old key -> new key
	for key := range f.queries {
		if nk, ok := to(key); ok {
			moved[key] = nk
		}
	}
	for _, key := range slices.Sorted(maps.Keys(moved)) {
		q, nk := f.queries[key], moved[key]
		f.dropQuery(q)
		if nk == "" {
			continue
		}
		into := f.queries[nk]
		if into == nil {
			into = f.addQuery(nk)
		}
		into.merge(f, q)
	}
}

// merge adds q's counts to into's, a kept query's. Called under f.mu.
func (into *queryFeedback) merge(f *feedback, q *queryFeedback) {
	f.addClicks(into, q.clicks)
	for _, c := range q.counts {
		if t := into.count(f, c.id); t != nil {
			t.shown += c.shown
			t.examined += c.examined
			t.clicks += c.clicks
		}
	}
}

// rewriteReforms rewrites both queries of every reformulation, adding up pairs that become
// one and dropping those that become blank or the same query twice. Called under f.mu.
func (f *feedback) rewriteReforms(to func(string) (string, bool)) {
	moved := map[string]int{}
	for key, n := range f.reforms {
		before, after, _ := strings.Cut(key, "\x00")
		b, okB := to(before)
		a, okA := to(after)
		if !okB && !okA {
			continue
		}
		delete(f.reforms, key)
		if b != "" && a != "" && b != a {
			moved[b+"\x00"+a] += n
		}
	}
	for key, n := range moved {
		f.reforms[key] += n
	}
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
