package metrics_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// clockRecords are three tickets whose business-hours figures (officeHours: weekdays
// 09:00–17:00) differ from their wall-clock ones, with the business figures worked out by
// hand:
//
//	created Fri 6 16:30, answered Mon 9 09:15, solved Mon 9 11:00: FRT 30m+15m = 45m, resolution 30m+2h = 2h30m
//	created Mon 2 08:00, answered Mon 2 09:30, solved Mon 2 17:30: FRT 30m, resolution 8h
//	created Tue 3 12:00, answered Tue 3 12:20, solved Wed 4 10:00: FRT 20m, resolution 5h+1h = 6h
func clockRecords() []metrics.Record {
	rec := func(created, reply, solved time.Time) metrics.Record {
		return metrics.Record{Created: created, FirstReply: reply, FirstSolved: solved, Solved: solved, AgentReplies: 1}
	}
	return []metrics.Record{
		rec(mar(6, 16, 30), mar(9, 9, 15), mar(9, 11, 0)),
		rec(mar(2, 8, 0), mar(2, 9, 30), mar(2, 17, 30)),
		rec(mar(3, 12, 0), mar(3, 12, 20), mar(4, 10, 0)),
	}
}

// The scorecard measured wall-clock time even when the report had a calendar: it printed an
// average first response of 14h57m beside a business-hours median of 45m. It now measures by
// the report's clock and says which one.
func TestScorecardMeasuresByTheReportsClock(t *testing.T) {
	const frtByHand = (45*time.Minute + 30*time.Minute + 20*time.Minute) / 3 // 31m40s
	const resolutionByHand = (2*time.Hour + 30*time.Minute + 8*time.Hour + 6*time.Hour) / 3

	withCal := newReport(t, metrics.ReportConfig{Calendar: officeHours{}})
	require.Zero(t, withCal.AddAll(func(yield func(metrics.Record) bool) {
		for _, r := range clockRecords() {
			yield(r)
		}
	}))
	total := withCal.Total()
	business, ok := total.BusinessDuration(metrics.FRT)
	require.True(t, ok)
	assert.Equal(t, metrics.ClockBusiness, business.Clock)
	assert.Equal(t, frtByHand, business.Mean)
	assert.Equal(t, metrics.ClockWall, total.Duration(metrics.FRT).Clock)

	sc := scorecard(t, total, metrics.Targets{})
	frt, res := sc.Lines[0], sc.Lines[3]
	assert.Equal(t, metrics.KPIAverageFirstResponse, frt.KPI)
	assert.Equal(t, metrics.ClockBusiness, frt.Clock)
	assert.Equal(t, "31m40s", frt.Value)
	assert.Equal(t, metrics.KPIAverageResolution, res.KPI)
	assert.Equal(t, metrics.ClockBusiness, res.Clock)
	assert.Equal(t, resolutionByHand.Round(time.Second).String(), res.Value)
	assert.Empty(t, sc.Lines[1].Clock, "a rate has no clock")
	assert.Contains(t, sc.String(), "business hours")

	// asked for wall-clock time, it gives the wall-clock mean and says so
	wall := scorecard(t, total, metrics.Targets{Clock: metrics.ClockWall}).Lines[0]
	assert.Equal(t, metrics.ClockWall, wall.Clock)
	assert.Equal(t, total.Duration(metrics.FRT).Mean.Round(time.Second).String(), wall.Value)
	assert.NotEqual(t, frt.Value, wall.Value)

	// without a calendar the default is wall-clock time; business hours cannot be measured
	plain := newReport(t, metrics.ReportConfig{})
	for _, r := range clockRecords() {
		require.NoError(t, plain.Add(r))
	}
	assert.Equal(t, metrics.ClockWall, scorecard(t, plain.Total(), metrics.Targets{}).Lines[0].Clock)
	for _, c := range []metrics.Clock{metrics.ClockBusiness, "sidereal"} {
		l := scorecard(t, plain.Total(), metrics.Targets{Clock: c}).Lines[0]
		assert.False(t, l.HasData, "clock %q", c)
		assert.False(t, l.Pass, "clock %q", c)
	}
}
