package sla_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

// On a round-the-clock New York calendar, a start between 02:00 and 02:59 on the eve of
// the spring clock change plus one working day came out at 01:xx EST, 23 hours later: the
// wall time does not exist on the due day and time.Date resolved it before the gap. One
// working day is then a full day of open time, ending after the gap.
func TestWorkingDayEndingInAClockGapIsNotEarly(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	c, err := sla.NewCalendar(sla.CalendarConfig{Location: ny})
	require.NoError(t, err)
	for _, minute := range []int{0, 1, 30, 59} {
		start := time.Date(2026, 3, 7, 2, minute, 0, 0, ny)
		got, ok := c.AddWorkingDays(start, 1)
		require.True(t, ok)
		assert.Equal(t, 24*time.Hour, got.Sub(start), "start %s, due %s", start, got)
		assert.Equal(t, 3, got.In(ny).Hour(), "due after the gap")
	}
	// Outside the gap the wall time is kept.
	start := time.Date(2026, 3, 7, 1, 30, 0, 0, ny)
	got, ok := c.AddWorkingDays(start, 1)
	require.True(t, ok)
	assert.Equal(t, time.Date(2026, 3, 8, 1, 30, 0, 0, ny), got)
}
