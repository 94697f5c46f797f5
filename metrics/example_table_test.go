package metrics_test

import (
	"os"

	"github.com/supportkit/supportkit/metrics"
)

// WriteTable prints a report for people in one call: a row per group, then the total.
// Without a Calendar the durations are on the wall clock.
func ExampleReport_WriteTable() {
	report, err := metrics.NewReport(metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByChannel}})
	if err != nil {
		panic(err)
	}
	report.AddAll(tickets())
	if err := report.WriteTable(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// channel  tickets  solved  first response p50/p90  resolution p50/p90  CSAT
	// chat     2        2       0:02 / 0:02             0:23 / 0:29         100%
	// email    3        2       0:40 / 0:56             15:00 / 22:12       50%
	// total    5        4       0:20 / 0:52             3:15 / 18:36        75%
}
