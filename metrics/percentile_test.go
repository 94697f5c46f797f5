package metrics_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// sortedSeconds returns the durations as sorted float64 nanoseconds, for percentileCont.
func sortedNanos(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = float64(d)
	}
	slices.Sort(out)
	return out
}

// frtReport returns the Stats of a report of one ticket per first response time in frts.
func frtReport(t *testing.T, cfg metrics.ReportConfig, frts []time.Duration) *metrics.Report {
	t.Helper()
	r := newReport(t, cfg)
	for _, d := range frts {
		require.NoError(t, r.Add(metrics.Record{Created: mar(2, 9, 0), FirstReply: mar(2, 9, 0).Add(d)}))
	}
	return r
}

// A single 45-minute first response printed as 45m24.973s: the median of a small group
// came from the sketch.
func TestSmallGroupMedianIsExact(t *testing.T) {
	s := frtReport(t, metrics.ReportConfig{}, []time.Duration{45 * time.Minute}).Total().Duration(metrics.FRT)
	assert.Equal(t, 45*time.Minute, s.P50)
	assert.Equal(t, 45*time.Minute, s.P95)
	assert.True(t, s.Exact)
}

// Up to ExactLimit tickets, percentiles equal PostgreSQL's percentile_cont over the sorted
// values, computed here by brute force; one ticket more and they come from the sketch,
// within its accuracy of the same definition.
func TestPercentilesMatchBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 6))
	qs := []float64{0, 0.1, 0.25, 0.5, 0.9, 0.95, 0.99, 1}
	for _, n := range []int{1, 2, 3, 7, 64, metrics.ExactLimit, metrics.ExactLimit + 1, 1000} {
		frts := make([]time.Duration, n)
		for i := range frts {
			frts[i] = time.Duration(rng.Int64N(int64(48 * time.Hour)))
		}
		sorted := sortedNanos(frts)
		stats := frtReport(t, metrics.ReportConfig{}, frts).Total()
		sum := stats.Duration(metrics.FRT)
		exact := n <= metrics.ExactLimit
		assert.Equal(t, exact, sum.Exact, "n=%d", n)
		tolerance := func(want float64) float64 {
			if exact {
				return 1 // nanosecond rounding
			}
			return metrics.DefaultAccuracy*want + float64(time.Millisecond)/2 // Summary rounds to the ms
		}
		for q, got := range map[float64]time.Duration{0.5: sum.P50, 0.9: sum.P90, 0.95: sum.P95} {
			want := percentileCont(sorted, q)
			assert.InDelta(t, want, float64(got), tolerance(want), "n=%d q=%v", n, q)
		}
		for _, q := range qs {
			got, ok := stats.Quantile(metrics.FRT, q)
			require.True(t, ok)
			want := percentileCont(sorted, q)
			tol := 1.0
			if !exact {
				tol = metrics.DefaultAccuracy*want*(1+1e-9) + 1
			}
			assert.InDelta(t, want, float64(got), tol, "Quantile n=%d q=%v", n, q)
		}
	}
}

// Two exact groups merge into an exact one while their counts fit ExactLimit, and into the
// sketch one pass builds when they do not.
func TestMergedPercentilesStayExactWhileTheyFit(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, sizes := range [][2]int{{60, 60}, {metrics.ExactLimit / 2, metrics.ExactLimit / 2}, {100, 100}, {1, metrics.ExactLimit}} {
		var all []time.Duration
		parts := [2]*metrics.Report{}
		for i, n := range sizes {
			frts := make([]time.Duration, n)
			for j := range frts {
				frts[j] = time.Duration(rng.Int64N(int64(8 * time.Hour)))
			}
			all = append(all, frts...)
			parts[i] = frtReport(t, metrics.ReportConfig{}, frts)
		}
		require.NoError(t, parts[0].Merge(parts[1]))
		merged := parts[0].Total().Duration(metrics.FRT)
		whole := frtReport(t, metrics.ReportConfig{}, all).Total().Duration(metrics.FRT)
		assert.Equal(t, whole, merged, "sizes %v", sizes)
		assert.Equal(t, len(all) <= metrics.ExactLimit, merged.Exact, "sizes %v", sizes)
		if merged.Exact {
			assert.InDelta(t, percentileCont(sortedNanos(all), 0.9), float64(merged.P90), 1)
		}
	}
}

// Business-hours percentiles follow the same rule as wall-clock ones.
func TestBusinessQuantileIsExactForSmallGroups(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{Calendar: officeHours{}})
	var business []float64
	for _, rec := range clockRecords() {
		require.NoError(t, r.Add(rec))
		d, _ := metrics.FirstResponseTime(&rec, officeHours{})
		business = append(business, float64(d))
	}
	slices.Sort(business)
	got, ok := r.Total().BusinessQuantile(metrics.FRT, 0.9)
	require.True(t, ok)
	assert.InDelta(t, percentileCont(business, 0.9), float64(got), 1)
	_, ok = newReport(t, metrics.ReportConfig{}).Total().BusinessQuantile(metrics.FRT, 0.5)
	assert.False(t, ok, "no calendar")
}

// A group used to make a sketch for every duration KPI and clock at once; a group of a few
// tickets now holds their values and no sketch, so many small groups take far less memory.
func TestSmallGroupsHoldNoSketch(t *testing.T) {
	const groups = 2000
	var r *metrics.Report
	live := liveBytes(func() {
		r, _ = metrics.NewReport(metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByAgent}, Calendar: officeHours{}})
		for i := range groups {
			rec := clockRecords()[i%3]
			rec.Assignee = "agent" + time.Duration(i).String()
			if err := r.Add(rec); err != nil {
				t.Fatal(err)
			}
		}
	})
	require.Equal(t, groups, len(r.Groups()))
	// a group's counters and hour-of-week table take about 2.5 KiB; ten eager sketches took
	// about 6 KiB more
	t.Logf("%d bytes per group", live/groups)
	assert.Less(t, live/groups, int64(4<<10), "bytes per group")
}

// percentileDisc is PostgreSQL's percentile_disc over sorted values, written out plainly: the
// first value whose position in the ordering, as a share of the values, reaches q.
func percentileDisc(sorted []float64, q float64) float64 {
	for i, v := range sorted {
		if float64(i+1)/float64(len(sorted)) >= q {
			return v
		}
	}
	return sorted[len(sorted)-1]
}

// DiscreteQuantile is the nearest rank, percentile_disc: one of the values while the group
// is exact, within the accuracy of that value past ExactLimit, on both clocks.
func TestDiscreteQuantileMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 1))
	for _, n := range []int{1, 2, 3, 4, 10, 64, metrics.ExactLimit, metrics.ExactLimit + 1, 1000} {
		frts := make([]time.Duration, n)
		for i := range frts {
			frts[i] = time.Duration(rng.Int64N(int64(48 * time.Hour))).Round(time.Minute)
		}
		sorted := sortedNanos(frts)
		stats := frtReport(t, metrics.ReportConfig{Calendar: metrics.WallClock{}}, frts).Total()
		for _, q := range []float64{0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1} {
			want := percentileDisc(sorted, q)
			tol := 0.0
			if n > metrics.ExactLimit {
				tol = metrics.DefaultAccuracy * want * (1 + 1e-9)
			}
			got, ok := stats.DiscreteQuantile(metrics.FRT, q)
			require.True(t, ok)
			assert.InDelta(t, want, float64(got), tol+1, "n=%d q=%v", n, q)
			if n <= metrics.ExactLimit {
				assert.Contains(t, frts, got, "n=%d q=%v: one of the values", n, q)
			}
			got, ok = stats.BusinessDiscreteQuantile(metrics.FRT, q)
			require.True(t, ok)
			assert.InDelta(t, want, float64(got), tol+1, "business n=%d q=%v", n, q)
		}
		_, ok := stats.DiscreteQuantile(metrics.FRT, 1.5)
		assert.False(t, ok)
	}
	// an even count: the interpolated median is the mean of the middle values, the nearest
	// rank the lower one
	s := frtReport(t, metrics.ReportConfig{}, []time.Duration{time.Minute, 3 * time.Minute}).Total()
	p50, _ := s.Quantile(metrics.FRT, 0.5)
	d50, _ := s.DiscreteQuantile(metrics.FRT, 0.5)
	assert.Equal(t, 2*time.Minute, p50)
	assert.Equal(t, time.Minute, d50)
}
