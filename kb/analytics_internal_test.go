package kb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Property: for random searches and clicks, MemoryAnalytics never keeps more
// than its maximum of queries, click-only queries never take more than a
// quarter, and while there are at most max distinct zero-result queries
// every one of them is kept with its exact count.
func TestMemoryAnalyticsStayBoundedAndKeepZeroResults(t *testing.T) {
	ctx := context.Background()
	seeds := uint64(20)
	if testing.Short() {
		seeds = 4
	}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(seed, 7))
		limit := 1 + rng.IntN(30)
		m := NewMemoryAnalytics(limit)
		zeros := map[string]int{}
		for range 400 {
			q := fmt.Sprintf("q%d", rng.IntN(3*limit))
			switch rng.IntN(3) {
			case 0:
				require.NoError(t, m.RecordClick(ctx, ClickEvent{Query: q}))
			case 1:
				require.NoError(t, m.RecordSearch(ctx, SearchEvent{Query: q, Results: 1}))
			default:
				if len(zeros) < limit || zeros[q] > 0 {
					zeros[q]++
					require.NoError(t, m.RecordSearch(ctx, SearchEvent{Query: q}))
				}
			}
			require.LessOrEqual(t, len(m.queries), limit)
			require.LessOrEqual(t, len(m.clickOnly), max(1, limit/4))
			for key, g := range m.queries {
				_, clickOnly := m.clickOnly[key]
				_, found := m.found[key]
				require.Equal(t, g.Searches == 0, clickOnly, key)
				require.Equal(t, g.ZeroResults == 0, found, key)
			}
		}
		for q, n := range zeros {
			require.NotNil(t, m.queries[q], "seed %d: zero-result query %s dropped", seed, q)
			require.Equal(t, n, m.queries[q].ZeroResults, "seed %d: %s", seed, q)
		}
	}
}

// Cutting a query's fields before folding groups queries as folding the
// whole query and collapsing its white space does, for queries within the
// key limit.
func FuzzNormalizeQueryGroupsLikeFoldingTheWholeQuery(f *testing.F) {
	for _, s := range []string{"  Доставка\tв  Казахстан ", "a\xffb", "¨ x", "Ｗｉ－Ｆｉ\u3000ＡＢ", "\uFFFD x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		want := strings.Join(strings.Fields(Fold(strings.ToValidUTF8(q, " "))), " ")
		if len(want) > MaxAnalyticsQueryBytes {
			return
		}
		require.Equal(t, want, normalizeQuery(q))
	})
}

// Property: normalizeQuery, whose shortcuts skip the work for text that is
// already single-spaced, gives what folding and collapsing every run of
// white space gives, for random text of spaces, letters, marks that
// folding turns into a space and invalid bytes.
func TestNormalizeQueryCollapsesWhiteSpace(t *testing.T) {
	parts := []string{" ", "  ", "\t", "\u00a0", "\u3000", "¨", "a", "Б", "ё", "Word", "\xff", "x y", "ﬁ"}
	rng := rand.New(rand.NewPCG(3, 9))
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		q := b.String()
		want := strings.Join(strings.Fields(Fold(strings.Join(strings.Fields(strings.ToValidUTF8(q, " ")), " "))), " ")
		require.Equal(t, want, normalizeQuery(q), "%q", q)
	}
}
