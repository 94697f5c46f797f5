package kb

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// SearchEvent is one search as the analytics see it.
type SearchEvent struct {
	// Query is the text searched, trimmed and within the KB's
	// MaxQueryRunes.
	Query string
	// Language is the query's language filter (language.Und for none).
	Language language.Tag
	// Audience is who searched.
	Audience Audience
	// Results is the number of matching articles.
	Results int
	// At is when the search ran, by the KB's clock.
	At time.Time
}

// ClickEvent is a searcher opening a result.
type ClickEvent struct {
	// Query is the text whose results were opened, trimmed and within the
	// KB's MaxQueryRunes.
	Query string
	// ArticleID is the article opened.
	ArticleID uuid.UUID
	// At is when it was opened, by the KB's clock.
	At time.Time
}

// Gap is a query the knowledge base serves badly: searches that found
// nothing, or found articles nobody opened.
type Gap struct {
	// Query is the folded, space-collapsed query text.
	Query string
	// Searches counts the searches for it.
	Searches int
	// ZeroResults counts those of its searches that found nothing.
	ZeroResults int
	// Clicks counts the results opened from it.
	Clicks int
}

// Analytics records searches and clicks and reports content gaps.
// Implementations must be safe for concurrent use. An Analytics serves the
// KBs of one tenant (Config.Tenant): it reports every search and click it
// was given, so KBs of different tenants must each have their own.
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

// MaxAnalyticsQueryBytes is the longest query key MemoryAnalytics keeps: a
// longer folded query is cut, at a rune boundary, to its first
// MaxAnalyticsQueryBytes bytes, so queries that share that start are
// counted together.
const MaxAnalyticsQueryBytes = 1024

// MemoryAnalytics is the in-memory Analytics. Queries are grouped by their
// folded, space-collapsed text, cut to MaxAnalyticsQueryBytes.
//
// It keeps at most its maximum of distinct queries, so its memory stays
// below about maxQueries x 1.3 KiB (13 MiB at the default), whatever the
// callers send. Clicks on queries it does not know take at most a quarter of
// the places. When it is full, a new query's searches still count when there
// is a place to free: a zero-result search takes the place of a query that
// had only clicks, or else of one whose searches all found something; any
// other search takes the place of a click-only query; a click on a new
// query is not counted. So clicks and successful searches never crowd out
// the zero-result searches that ContentGaps reports first. The zero value
// is empty analytics with the default maximum. It is safe for concurrent
// use. Like every Analytics, it serves KBs of one tenant: the first KB made
// over it binds it to the KB's tenant, and a KB of another tenant cannot be
// made over it.
type MemoryAnalytics struct {
	mu sync.Mutex
	// tenant is the tenant of the KB the analytics serve, once bound.
	tenant  string
	bound   bool
	max     int
	queries map[string]*Gap
	// clickOnly holds the queries that have clicks and no searches, and
	// found those that have no zero-result search: the places a new query
	// may take.
	clickOnly, found map[string]struct{}
}

// NewMemoryAnalytics returns empty analytics that keep at most maxQueries
// distinct queries (DefaultMaxAnalyticsQueries when maxQueries <= 0).
func NewMemoryAnalytics(maxQueries int) *MemoryAnalytics {
	if maxQueries <= 0 {
		maxQueries = DefaultMaxAnalyticsQueries
	}
	return &MemoryAnalytics{max: maxQueries, queries: make(map[string]*Gap),
		clickOnly: make(map[string]struct{}), found: make(map[string]struct{})}
}

// bind makes the analytics one tenant's; it returns ErrInvalid when they are
// another tenant's already.
func (m *MemoryAnalytics) bind(tenant string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.bound && m.tenant != tenant {
		return invalid("Tenant", "the analytics are another tenant's")
	}
	m.tenant, m.bound = tenant, true
	return nil
}

// normalizeQuery folds q, collapses its white space and cuts it to
// MaxAnalyticsQueryBytes, the key that groups searches.
func normalizeQuery(q string) string {
	// Folding can bring white space of its own (NFKC of "¨" starts with a
	// space), so the folded text is collapsed again.
	f := Fold(headFields(q, 4*MaxAnalyticsQueryBytes))
	if strings.Contains(f, "  ") || strings.HasPrefix(f, " ") || strings.HasSuffix(f, " ") {
		f = strings.Join(strings.Fields(f), " ")
	}
	if len(f) <= MaxAnalyticsQueryBytes {
		return f
	}
	cut := MaxAnalyticsQueryBytes
	for cut > 0 && !utf8.RuneStart(f[cut]) {
		cut--
	}
	return strings.Clone(strings.TrimRight(f[:cut], " "))
}

// headFields returns the first white-space separated fields of s joined by
// single spaces, invalid UTF-8 counting as a space, stopping once that holds
// n bytes, so that folding a huge query costs no more than folding its
// start.
func headFields(s string, n int) string {
	if len(s) <= n && singleSpaced(s) {
		return s
	}
	var b strings.Builder
	space := true
	for len(s) > 0 && b.Len() < n {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch {
		case isSpace(r) || r == utf8.RuneError && size == 1:
			space = true
		case space:
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			fallthrough
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// singleSpaced reports whether s is valid UTF-8 made of fields that single
// ASCII spaces separate, with none at either end: what headFields makes.
func singleSpaced(s string) bool {
	prevSpace := true
	for _, r := range s {
		space := isSpace(r)
		if r == utf8.RuneError || space && (r != ' ' || prevSpace) {
			return false
		}
		prevSpace = space
	}
	return !prevSpace
}

// entry returns the counts of query q, making a place for a new query when
// the rules of MemoryAnalytics allow it, or nil.
func (m *MemoryAnalytics) entry(q string, click, zero bool) *Gap {
	key := normalizeQuery(q)
	if key == "" {
		return nil
	}
	if m.queries == nil {
		fresh := NewMemoryAnalytics(m.max)
		m.max, m.queries, m.clickOnly, m.found = fresh.max, fresh.queries, fresh.clickOnly, fresh.found
	}
	if g := m.queries[key]; g != nil {
		return g
	}
	switch {
	case click && (len(m.queries) >= m.max || len(m.clickOnly) >= max(1, m.max/4)):
		return nil
	case len(m.queries) < m.max:
	case m.evict(m.clickOnly):
	case !zero || !m.evict(m.found):
		return nil
	}
	g := &Gap{Query: key}
	m.queries[key] = g
	return g
}

// evict drops one query of set, and reports whether there was one.
func (m *MemoryAnalytics) evict(set map[string]struct{}) bool {
	for key := range set {
		delete(m.queries, key)
		delete(m.clickOnly, key)
		delete(m.found, key)
		return true
	}
	return false
}

// classify files the query of g by what it may be evicted for.
func (m *MemoryAnalytics) classify(g *Gap) {
	if g.Searches == 0 {
		m.clickOnly[g.Query] = struct{}{}
	} else {
		delete(m.clickOnly, g.Query)
	}
	if g.ZeroResults == 0 {
		m.found[g.Query] = struct{}{}
	} else {
		delete(m.found, g.Query)
	}
}

// RecordSearch implements Analytics.
func (m *MemoryAnalytics) RecordSearch(ctx context.Context, e SearchEvent) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if g := m.entry(e.Query, false, e.Results == 0); g != nil {
		g.Searches++
		if e.Results == 0 {
			g.ZeroResults++
		}
		m.classify(g)
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
	if g := m.entry(e.Query, true, false); g != nil {
		g.Clicks++
		m.classify(g)
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
