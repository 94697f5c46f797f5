package metrics_test

import (
	"fmt"
	"time"

	"github.com/supportkit/supportkit/metrics"
)

// Percentiles by the two common definitions, and how to print them. A small group is exact:
// its interpolated median (percentile_cont, PERCENTILE in a spreadsheet) lies between the two
// middle first responses, its nearest-rank median (percentile_disc) is the lower one. A group
// past ExactLimit is summarised by a sketch within 1%, and FormatQuantile prints only the
// digits that accuracy guarantees.
func Example_quantiles() {
	created := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	frts := func(n int, step time.Duration) *metrics.Stats {
		r, _ := metrics.NewReport(metrics.ReportConfig{Durations: []metrics.DurationKPI{metrics.FRT}})
		for i := 1; i <= n; i++ {
			_ = r.Add(metrics.Record{Created: created, FirstReply: created.Add(time.Duration(i) * step)})
		}
		return r.Total()
	}

	small := frts(4, 10*time.Minute) // 10m, 20m, 30m, 40m
	cont, _ := small.Quantile(metrics.FRT, 0.5)
	disc, _ := small.DiscreteQuantile(metrics.FRT, 0.5)
	sum := small.Duration(metrics.FRT)
	fmt.Println("small group: interpolated", cont, "nearest rank", disc, "exact", sum.Exact)
	fmt.Println("printed:", metrics.FormatQuantile(sum.P90, sum.Accuracy))

	large := frts(1000, 7*time.Minute).Duration(metrics.FRT) // 7m ... 7000m: exact P90 105h0m42s
	fmt.Println("large group: exact", large.Exact, "accuracy", large.Accuracy)
	fmt.Println("printed:", metrics.FormatQuantile(large.P90, large.Accuracy))
	// Output:
	// small group: interpolated 25m0s nearest rank 20m0s exact true
	// printed: 37m0s
	// large group: exact false accuracy 0.01
	// printed: ~105h
}
