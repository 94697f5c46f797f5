package sla_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

// A working-day target on a calendar that never has a working day again got a budget of
// zero and was breached at creation, while a Within target on the same calendar kept
// running. A deadline the calendar can never reach is never breached.
func TestWorkingDaysOnACalendarThatNeverOpensIsNotBreached(t *testing.T) {
	var closed []sla.Holiday
	for day := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() == 2000; day = day.AddDate(0, 0, 1) {
		closed = append(closed, sla.Holiday{Name: "closed", Date: sla.Annual(day.Month(), day.Day())})
	}
	never, err := sla.NewCalendar(sla.CalendarConfig{Week: sla.Weekdays(sla.Hours(9, 0, 18, 0)), Holidays: closed})
	require.NoError(t, err)
	p, err := sla.NewPolicies(sla.Policy{Name: "p", Calendar: never,
		Targets: map[string]sla.Targets{"": {Resolution: &sla.Target{WorkingDays: 2}}}})
	require.NoError(t, err)
	created := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	timeline := []sla.Event{{At: created, Kind: sla.EventCreated, Attributes: sla.Attributes{Priority: "normal"}}}
	for _, now := range []time.Time{created.Add(time.Minute), created.AddDate(3, 0, 0)} {
		r, err := sla.Evaluate(p, timeline, now)
		require.NoError(t, err)
		c := r.Clock(sla.Resolution)
		assert.Equal(t, sla.Running, c.Outcome, "at %v", now)
		assert.True(t, c.BreachedAt.IsZero())
	}
}
