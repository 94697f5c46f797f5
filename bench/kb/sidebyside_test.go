package kb_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// outcome is one query's result: the rank of the first relevant hit in the
// top 10 (0 when there is none) and how long the search took.
type outcome struct {
	rank int
	took time.Duration
}

// figures summarize outcomes.
type figures struct {
	queries  int
	mrr10    float64
	hit3     float64
	p50, p95 time.Duration
}

// runQueries searches every query once, in order, after one untimed query
// that warms up the engine (PostgreSQL prepares the statement then).
func runQueries(t testing.TB, e engine, qs []judged) []outcome {
	t.Helper()
	_, err := e.search(qs[0].query, 10)
	require.NoError(t, err)
	out := make([]outcome, len(qs))
	for i, q := range qs {
		start := time.Now()
		hits, err := e.search(q.query, 10)
		out[i].took = time.Since(start)
		require.NoError(t, err, "query %q", q.query)
		for r, h := range hits {
			if slices.Contains(q.relevant, h) {
				out[i].rank = r + 1
				break
			}
		}
	}
	return out
}

func summarize(outs []outcome) figures {
	f := figures{queries: len(outs)}
	if len(outs) == 0 {
		return f
	}
	took := make([]time.Duration, len(outs))
	for i, o := range outs {
		took[i] = o.took
		if o.rank > 0 {
			f.mrr10 += 1 / float64(o.rank)
		}
		if o.rank > 0 && o.rank <= 3 {
			f.hit3++
		}
	}
	f.mrr10 /= float64(len(outs))
	f.hit3 /= float64(len(outs))
	slices.Sort(took)
	f.p50 = took[(len(took)-1)/2]
	f.p95 = took[(len(took)*95+99)/100-1]
	return f
}

// querySets names the sets a collection is reported on: all its queries
// and, when kinds are known, one set per kind, each as indices into the
// queries.
func querySets(qs []judged, kinds map[string]string) (names []string, sets map[string][]int) {
	sets = map[string][]int{}
	for i, q := range qs {
		sets["all"] = append(sets["all"], i)
		if k, ok := kinds[q.query]; ok {
			if _, seen := sets["kind "+k]; !seen {
				names = append(names, "kind "+k)
			}
			sets["kind "+k] = append(sets["kind "+k], i)
		}
	}
	return append([]string{"all"}, names...), sets
}

func pick(outs []outcome, at []int) []outcome {
	picked := make([]outcome, len(at))
	for i, j := range at {
		picked[i] = outs[j]
	}
	return picked
}

// TestRelevanceKBBlevePostgres runs every query of every collection through
// kb, Bleve and PostgreSQL and logs MRR@10, Hit@3 and per-query latency side
// by side, per collection and, for ru2, per query kind; run it with -v to
// see the table. It checks that PostgreSQL answered every query and found
// something, and that kb ranks at least as well over all of a collection's
// queries (by 0.1 or more when this was written); which engine wins on a
// kind or on latency is the table's to show.
func TestRelevanceKBBlevePostgres(t *testing.T) {
	kinds := ru2Kinds(t)
	var table []string
	for _, c := range collections(t) {
		names, sets := querySets(c.queries, kinds)
		results := map[string]map[string]figures{}
		for _, e := range engines {
			eng := e.build(t, c)
			outs := runQueries(t, eng, c.queries)
			require.NoError(t, eng.close())
			results[e.name] = map[string]figures{}
			for _, name := range names {
				results[e.name][name] = summarize(pick(outs, sets[name]))
			}
		}
		for _, pg := range []string{"postgres", "postgres-or"} {
			all := results[pg]["all"]
			require.Equal(t, len(c.queries), all.queries, "%s: %s over the full query set", c.name, pg)
			require.Positive(t, all.mrr10, "%s: %s found no relevant article at all", c.name, pg)
			require.GreaterOrEqual(t, results["kb"]["all"].mrr10, all.mrr10, "%s: kb must rank at least as well as %s", c.name, pg)
		}
		table = append(table, sideBySide(c.name, names, sets, results)...)
	}
	t.Log("\n" + strings.Join(table, "\n"))
}

// sideBySide formats one collection's rows: MRR@10 and Hit@3 per engine for
// each query set, then the latency of each engine over all queries.
func sideBySide(name string, names []string, sets map[string][]int, results map[string]map[string]figures) []string {
	head := fmt.Sprintf("%-12s %-17s %5s", "collection", "queries", "n")
	for _, e := range engines {
		head += fmt.Sprintf(" | %-11s MRR@10 Hit@3", e.name)
	}
	lines := []string{head}
	for _, set := range names {
		row := fmt.Sprintf("%-12s %-17s %5d", name, set, len(sets[set]))
		for _, e := range engines {
			f := results[e.name][set]
			row += fmt.Sprintf(" | %-11s %6.3f %5.3f", "", f.mrr10, f.hit3)
		}
		lines = append(lines, row)
	}
	row := fmt.Sprintf("%-12s %-17s %5d", name, "latency p50/p95", len(sets["all"]))
	for _, e := range engines {
		f := results[e.name]["all"]
		row += fmt.Sprintf(" | %-11s %12s", "", fmt.Sprintf("%s/%s", short(f.p50), short(f.p95)))
	}
	return append(lines, row, "")
}

// short prints a duration in microseconds.
func short(d time.Duration) string {
	return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond))
}
