package kb

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// SearchEvent is one search as the analytics see it.
type SearchEvent struct {
	Query    string
	Language language.Tag
	Audience Audience
	// Results is the number of matching articles.
	Results int
	At      time.Time
}

// ClickEvent is a searcher opening a result.
type ClickEvent struct {
	Query     string
	ArticleID uuid.UUID
	At        time.Time
}

// Gap is a query the knowledge base serves badly: searches that found
// nothing, or found articles nobody opened.
type Gap struct {
	Query       string
	Searches    int
	ZeroResults int
	Clicks      int
}

// Analytics records searches and clicks and reports content gaps.
// Implementations must be safe for concurrent use.
type Analytics interface {
	// RecordSearch counts one search.
	RecordSearch(ctx context.Context, e SearchEvent) error
	// RecordClick counts one opened result.
	RecordClick(ctx context.Context, e ClickEvent) error
	// ContentGaps returns up to limit gaps, worst first: most zero-result
	// searches, then most searches without a click.
	ContentGaps(ctx context.Context, limit int) ([]Gap, error)
}

// DefaultMaxAnalyticsQueries bounds the distinct queries MemoryAnalytics keeps.
const DefaultMaxAnalyticsQueries = 10000

// MemoryAnalytics is the in-memory Analytics. Queries are grouped by their
// folded, space-collapsed text. Once it holds its maximum of distinct queries,
// new queries are not counted (known ones still are). It is safe for
// concurrent use.
type MemoryAnalytics struct {
	mu      sync.Mutex
	max     int
	queries map[string]*Gap
}

// NewMemoryAnalytics returns empty analytics that keep at most maxQueries
// distinct queries (DefaultMaxAnalyticsQueries when maxQueries <= 0).
func NewMemoryAnalytics(maxQueries int) *MemoryAnalytics {
	if maxQueries <= 0 {
		maxQueries = DefaultMaxAnalyticsQueries
	}
	return &MemoryAnalytics{max: maxQueries, queries: make(map[string]*Gap)}
}

// normalizeQuery folds q and collapses its white space, the key that groups
// searches.
func normalizeQuery(q string) string {
	f := Fold(strings.ToValidUTF8(q, " "))
	if collapsed(f) {
		return f
	}
	return strings.Join(strings.Fields(f), " ")
}

// collapsed reports whether s has no white space but single inner spaces.
func collapsed(s string) bool {
	prev := ' '
	for _, r := range s {
		if unicode.IsSpace(r) && (r != ' ' || prev == ' ') {
			return false
		}
		prev = r
	}
	return prev != ' ' || s == ""
}

func (m *MemoryAnalytics) entry(q string) *Gap {
	key := normalizeQuery(q)
	if key == "" {
		return nil
	}
	g := m.queries[key]
	if g == nil && len(m.queries) < m.max {
		g = &Gap{Query: key}
		m.queries[key] = g
	}
	return g
}

// RecordSearch implements Analytics.
func (m *MemoryAnalytics) RecordSearch(ctx context.Context, e SearchEvent) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if g := m.entry(e.Query); g != nil {
		g.Searches++
		if e.Results == 0 {
			g.ZeroResults++
		}
	}
	return nil
}

// RecordClick implements Analytics.
func (m *MemoryAnalytics) RecordClick(ctx context.Context, e ClickEvent) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if g := m.entry(e.Query); g != nil {
		g.Clicks++
	}
	return nil
}

// ContentGaps implements Analytics. Queries with a click and no zero-result
// search are not gaps.
func (m *MemoryAnalytics) ContentGaps(ctx context.Context, limit int) ([]Gap, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	var gaps []Gap
	for _, g := range m.queries {
		if g.ZeroResults > 0 || g.Clicks == 0 {
			gaps = append(gaps, *g)
		}
	}
	m.mu.Unlock()
	slices.SortFunc(gaps, func(a, b Gap) int {
		return cmp.Or(cmp.Compare(b.ZeroResults, a.ZeroResults),
			cmp.Compare(b.Searches-b.Clicks, a.Searches-a.Clicks),
			strings.Compare(a.Query, b.Query))
	})
	if limit > 0 && len(gaps) > limit {
		gaps = gaps[:limit]
	}
	return gaps, nil
}
