package sla_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

// A clock that has counted time before and then runs for longer than a Duration holds
// saturates: it stays breached with a positive Elapsed rather than wrapping to a negative
// count that looks like time left, with the calendar and around the clock alike.
func TestElapsedSaturatesOverCenturies(t *testing.T) {
	cal, err := sla.NewCalendar(sla.CalendarConfig{})
	require.NoError(t, err)
	day := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	timeline := []sla.Event{
		{At: day, Kind: sla.EventCreated},
		{At: day.Add(24 * time.Hour), Kind: sla.EventSolved, Author: sla.AuthorAgent},
		{At: day.Add(48 * time.Hour), Kind: sla.EventReopened, Author: sla.AuthorCustomer},
	}
	for _, business := range []bool{false, true} {
		target := &sla.Target{Within: 100 * time.Hour, BusinessHours: business, Warnings: []sla.Warning{{Percent: 50}}}
		ps, err := sla.NewPolicies(sla.Policy{Name: "p", Calendar: cal, Targets: map[string]sla.Targets{"": {Resolution: target}}})
		require.NoError(t, err)
		for _, now := range []time.Time{day.AddDate(300, 0, 0), day.AddDate(100_000, 0, 0)} {
			r, err := sla.Evaluate(ps, timeline, now)
			require.NoError(t, err)
			c := r.Clocks[sla.Resolution]
			require.Equal(t, sla.Breached, c.Outcome, "business hours %v, now %v", business, now)
			require.Positive(t, c.Elapsed)
			require.Negative(t, c.Remaining)
			require.Len(t, c.Warnings, 1)
		}
	}
}
