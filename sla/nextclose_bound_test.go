package sla_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

// The end of the supported range is not a closing: a calendar open across it has no close
// that NextClose can name, so it reports false rather than an instant at which IsOpen holds.
func TestNextCloseAtTheEndOfTheSupportedRange(t *testing.T) {
	day := []sla.Interval{sla.Hours(0, 0, 24, 0)}
	c, err := sla.NewCalendar(sla.CalendarConfig{Week: sla.Week{nil, day, day, day, day, day, day}}) // closed on Sundays
	require.NoError(t, err)
	end := time.Date(2250, 1, 1, 0, 0, 0, 0, time.UTC) // a Tuesday
	for _, t0 := range []time.Time{end.Add(-time.Minute), end.Add(-20 * time.Hour), end.Add(-time.Nanosecond)} {
		got, ok := c.NextClose(t0) // Monday 2249-12-31: open up to the end of the range
		require.False(t, ok, "NextClose(%v) = %v, at which the calendar is open: %v", t0, got, c.IsOpen(got))
	}
	got, ok := c.NextClose(end.Add(-5 * 24 * time.Hour)) // Thursday
	require.True(t, ok)
	require.Equal(t, time.Date(2249, 12, 30, 0, 0, 0, 0, time.UTC), got, "Sunday closes")
}
