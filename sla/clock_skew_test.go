package sla_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

// clamped returns a copy of timeline where every event stamped before its predecessor
// carries its predecessor's time: the documented reading of an out-of-order timeline.
func clamped(timeline []sla.Event) []sla.Event {
	out := append([]sla.Event(nil), timeline...)
	for i := 1; i < len(out); i++ {
		if out[i].At.Before(out[i-1].At) {
			out[i].At = out[i-1].At
		}
	}
	return out
}

func TestOutOfOrderEventIsTakenAtItsPredecessorsTime(t *testing.T) {
	// Regression: one event stamped earlier than the one before it (an NTP step, skew
	// between processes) made Evaluate reject the timeline, so the ticket's clocks failed
	// for good and the scheduler kept waking at a deadline in the past.
	s := setup(t, map[string]sla.Targets{"": {FirstResponse: business(time.Hour), Resolution: business(8 * time.Hour)}})
	skewed := []sla.Event{
		created(msk(2, 9, 0), "normal"),
		reply(msk(2, 9, 40), sla.AuthorCustomer, ""),
		reply(msk(2, 9, 20), sla.AuthorAgent, ""),   // stamped 20 minutes early: taken at 09:40
		reply(msk(2, 8, 0), sla.AuthorCustomer, ""), // before creation: taken at 09:40 too
		{At: msk(2, 11, 0), Kind: sla.EventSolved, Author: sla.AuthorAgent},
	}
	r := evaluate(t, s, skewed, msk(2, 12, 0))
	fr := r.Clock(sla.FirstResponse)
	assert.Equal(t, sla.Met, fr.Outcome)
	assert.True(t, fr.Stop.Equal(msk(2, 9, 40)), "stopped %s", fr.Stop)
	assert.Equal(t, 40*time.Minute, fr.Elapsed)
	assert.Equal(t, r, evaluate(t, s, clamped(skewed), msk(2, 12, 0)))

	// Still running: the result is evaluated and the next wake lies ahead.
	running := skewed[:1:1]
	running = append(running, reply(msk(2, 8, 30), sla.AuthorCustomer, ""))
	r = evaluate(t, s, running, msk(2, 9, 30))
	wake, ok := r.NextWake()
	require.True(t, ok)
	assert.True(t, wake.Equal(msk(2, 10, 0).Add(1)), "next wake %s", wake)
}

func TestOutOfOrderTimelinesAreEvaluatedAsClamped(t *testing.T) {
	r := rand.New(rand.NewPCG(61, 62))
	cal, err := sla.NewCalendar(sla.CalendarConfig{Location: moscow, Week: sla.Weekdays(sla.Hours(9, 0, 18, 0))})
	require.NoError(t, err)
	tg := func(m sla.Metric) *sla.Target {
		return &sla.Target{Within: time.Duration(30+m*60) * time.Minute, BusinessHours: m%2 == 0, Warnings: []sla.Warning{{Percent: 50}}}
	}
	ps, err := sla.NewPolicies(sla.Policy{Name: "P", Calendar: cal, Targets: map[string]sla.Targets{"": {
		FirstResponse: tg(sla.FirstResponse), NextResponse: tg(sla.NextResponse), PeriodicUpdate: tg(sla.PeriodicUpdate), Resolution: tg(sla.Resolution),
	}}})
	require.NoError(t, err)
	for i := range 500 {
		events := randomTimeline(r, msk(2, 8, 0).Add(time.Duration(r.IntN(5000))*time.Minute))
		for j := 1; j < len(events); j++ {
			if r.IntN(3) == 0 {
				events[j].At = events[j].At.Add(-time.Duration(r.IntN(2000)) * time.Minute) // stepped back
			}
		}
		now := events[len(events)-1].At.Add(time.Duration(r.IntN(3000)-500) * time.Minute)
		got, err := sla.Evaluate(ps, events, now)
		require.NoError(t, err, "run %d", i)
		want, err := sla.Evaluate(ps, clamped(events), now)
		require.NoError(t, err)
		require.Equal(t, want, got, "run %d", i)
		wake, ok := got.NextWake()
		if ok {
			require.True(t, wake.After(now), "run %d: next wake %s is not after now %s", i, wake, now)
		}
		for _, c := range got.Clocks {
			if c.Outcome == sla.Running && !c.Paused {
				require.True(t, ok, "run %d: %s runs but nothing is due", i, c.Metric)
				require.False(t, wake.After(c.Deadline.Add(1)), "run %d: %s deadline %s, next wake %s", i, c.Metric, c.Deadline, wake)
			}
		}
	}
}
