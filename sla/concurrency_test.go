package sla_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

func TestCalendarAndPoliciesAreSafeForConcurrentUse(t *testing.T) {
	ps := benchPolicies(t)
	events := hundredEvents()
	now := events[len(events)-1].At.Add(time.Hour)
	want, err := sla.Evaluate(ps, events, now)
	require.NoError(t, err)
	cal := newCal(t, sla.CalendarConfig{Location: newYork, Week: sla.Weekdays(sla.Hours(9, 0, 17, 0))})
	a := ny(2026, 3, 2, 10, 0)
	wantBetween := cal.Between(a, a.AddDate(1, 0, 0))
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				got, err := sla.Evaluate(ps, events, now)
				if assert.NoError(t, err) {
					assert.Equal(t, want.Clocks, got.Clocks)
				}
				assert.Equal(t, wantBetween, cal.Between(a, a.AddDate(1, 0, 0)))
			}
		}()
	}
	wg.Wait()
}

func TestExplainNamesSegmentsAndReasons(t *testing.T) {
	s := setup(t, map[string]sla.Targets{"": {Resolution: business(8 * time.Hour)}})
	r := evaluate(t, s, []sla.Event{
		created(msk(2, 9, 0), "normal"),
		{At: msk(2, 10, 0), Kind: sla.EventStatus, Status: sla.CategoryOnHold},
		{At: msk(2, 11, 0), Kind: sla.EventStatus, Status: sla.CategoryOpen},
	}, msk(2, 12, 0))
	var trace []sla.Segment
	for _, s := range r.Trace() {
		if s.Metric == sla.Resolution {
			trace = append(trace, s)
		}
	}
	require.Len(t, trace, 3)
	assert.Equal(t, sla.Segment{Metric: sla.Resolution, From: msk(2, 10, 0), To: msk(2, 11, 0), Why: "status on-hold", Policy: "Standard", Priority: "normal"}, trace[1])
	assert.True(t, trace[2].Running)
	assert.Equal(t, time.Hour, trace[2].Counted)
	text := r.Explain()
	assert.Contains(t, text, "resolution: running, 2h0m0s of 8h0m0s business hours")
	assert.Contains(t, text, "paused   0s       status on-hold")
	assert.Contains(t, text, "first response: untracked")
}
