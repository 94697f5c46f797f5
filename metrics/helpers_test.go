package metrics_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// scorecard returns NewScorecard(s, tg), which must succeed.
func scorecard(t testing.TB, s *metrics.Stats, tg metrics.Targets) metrics.Scorecard {
	t.Helper()
	sc, err := metrics.NewScorecard(s, tg)
	require.NoError(t, err)
	return sc
}

// officeHours is a test Calendar: Monday to Friday, 09:00–17:00 UTC. It walks day by day,
// a different method from the package's wall-clock arithmetic.
type officeHours struct{}

func (officeHours) Between(a, b time.Time) time.Duration {
	var d time.Duration
	a, b = a.UTC(), b.UTC()
	for day := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC); day.Before(b); day = day.AddDate(0, 0, 1) {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		open := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, time.UTC)
		shut := time.Date(day.Year(), day.Month(), day.Day(), 17, 0, 0, 0, time.UTC)
		lo, hi := maxTime(open, a), minTime(shut, b)
		if hi.After(lo) {
			d += hi.Sub(lo)
		}
	}
	return d
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// mar returns 2026-03-day hh:mm UTC; 2026-03-02 is a Monday.
func mar(day, hh, mm int) time.Time { return time.Date(2026, 3, day, hh, mm, 0, 0, time.UTC) }

// percentileCont is PostgreSQL's percentile_cont over sorted values, written out plainly:
// the value at fractional position q·(n−1), interpolated linearly between its neighbours.
func percentileCont(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	below := math.Floor(pos)
	i := int(below)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (pos-below)*(sorted[i+1]-sorted[i])
}
