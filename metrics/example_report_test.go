package metrics_test

import (
	"fmt"
	"iter"
	"time"

	"github.com/supportkit/supportkit/metrics"
)

// tickets yields a small month of tickets: three by email, two by chat.
func tickets() iter.Seq[metrics.Record] {
	day := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC) }
	recs := []metrics.Record{
		{Channel: "email", Created: day(2, 9, 0), FirstReply: day(2, 9, 40), FirstSolved: day(2, 15, 0), Solved: day(2, 15, 0), AgentReplies: 1, CSAT: 5},
		{Channel: "email", Created: day(3, 10, 0), FirstReply: day(3, 11, 0), FirstSolved: day(4, 10, 0), Solved: day(4, 10, 0), AgentReplies: 3, CSAT: 2},
		{Channel: "email", Created: day(4, 16, 0), FirstReply: day(4, 16, 20)},
		{Channel: "chat", Created: day(2, 9, 5), FirstReply: day(2, 9, 6), FirstSolved: day(2, 9, 20), Solved: day(2, 9, 20), AgentReplies: 1, CSAT: 4},
		{Channel: "chat", Created: day(5, 14, 0), FirstReply: day(5, 14, 2), FirstSolved: day(5, 14, 30), Solved: day(5, 14, 30), AgentReplies: 1, CSAT: 5},
	}
	return func(yield func(metrics.Record) bool) {
		for _, r := range recs {
			if !yield(r) {
				return
			}
		}
	}
}

// A report groups tickets by channel in one pass and gives each group's KPIs. Small groups
// have exact percentiles (linear interpolation, as SQL's percentile_cont): the median of a
// 1-minute and a 2-minute first response is 1m30s.
func ExampleReport() {
	report, err := metrics.NewReport(metrics.ReportConfig{
		GroupBy: []metrics.Dimension{metrics.ByChannel},
	})
	if err != nil {
		panic(err)
	}
	report.AddAll(tickets())

	for _, g := range report.Groups() {
		frt := g.Stats.Duration(metrics.FRT)
		csat, _ := g.Stats.CSAT()
		resolved, _ := g.Stats.ResolutionRate()
		fmt.Printf("%s: %d tickets, FRT mean %v median %v, resolved %.0f%%, CSAT %.0f%%\n",
			g.Key, g.Stats.Tickets, frt.Mean, frt.P50, 100*resolved, 100*csat)
	}
	// Output:
	// channel=chat: 2 tickets, FRT mean 1m30s median 1m30s, resolved 100%, CSAT 100%
	// channel=email: 3 tickets, FRT mean 40m0s median 40m0s, resolved 67%, CSAT 50%
}
