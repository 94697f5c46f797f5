package sla_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

// Scenarios run in Europe/Moscow (no DST since 2014) on a 09:00-18:00 Monday-Friday
// calendar, so expectations can be computed by hand. 2026-03-02 is a Monday.

var moscow = mustLoad("Europe/Moscow")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func msk(day, hour, minute int) time.Time { return time.Date(2026, 3, day, hour, minute, 0, 0, moscow) }

type scenario struct {
	cal      *sla.Calendar
	policies *sla.Policies
}

func setup(t *testing.T, targets map[string]sla.Targets) scenario {
	t.Helper()
	cal, err := sla.NewCalendar(sla.CalendarConfig{Location: moscow, Week: sla.Weekdays(sla.Hours(9, 0, 18, 0))})
	require.NoError(t, err)
	ps, err := sla.NewPolicies(sla.Policy{Name: "Standard", Calendar: cal, Targets: targets})
	require.NoError(t, err)
	return scenario{cal: cal, policies: ps}
}

func business(d time.Duration, warnings ...sla.Warning) *sla.Target {
	return &sla.Target{Within: d, BusinessHours: true, Warnings: warnings}
}

func created(at time.Time, priority string) sla.Event {
	return sla.Event{At: at, Kind: sla.EventCreated, Author: sla.AuthorCustomer, Attributes: sla.Attributes{Priority: priority}}
}

func reply(at time.Time, who sla.Author, status sla.Category) sla.Event {
	return sla.Event{At: at, Kind: sla.EventReply, Author: who, Status: status}
}

func evaluate(t *testing.T, s scenario, timeline []sla.Event, now time.Time) *sla.Result {
	t.Helper()
	r, err := sla.Evaluate(s.policies, timeline, now)
	require.NoError(t, err)
	again, err := sla.Evaluate(s.policies, timeline, now)
	require.NoError(t, err)
	require.Equal(t, r, again, "same input, same output")
	return r
}

func TestPendingPausesResolution(t *testing.T) {
	s := setup(t, map[string]sla.Targets{"normal": {
		FirstResponse: business(time.Hour),
		NextResponse:  business(2 * time.Hour),
		Resolution:    business(8 * time.Hour),
	}})
	timeline := []sla.Event{
		created(msk(2, 10, 0), "normal"),
		reply(msk(2, 10, 30), sla.AuthorAgent, sla.CategoryPending),
		reply(msk(2, 14, 0), sla.AuthorCustomer, sla.CategoryOpen),
		reply(msk(2, 15, 0), sla.AuthorAgent, ""),
		{At: msk(3, 11, 0), Kind: sla.EventSolved, Author: sla.AuthorAgent},
	}
	r := evaluate(t, s, timeline, msk(4, 12, 0))
	// First response: 10:00 -> 10:30, 30 minutes of a 1-hour target.
	fr := r.Clock(sla.FirstResponse)
	assert.Equal(t, sla.Met, fr.Outcome)
	assert.Equal(t, 30*time.Minute, fr.Elapsed)
	assert.True(t, fr.Stop.Equal(msk(2, 10, 30)))
	// Next response: the customer's 14:00 reply waits until 15:00: 1 hour of 2.
	nr := r.Clock(sla.NextResponse)
	assert.Equal(t, sla.Met, nr.Outcome)
	assert.Equal(t, time.Hour, nr.Elapsed)
	assert.Equal(t, 1, nr.Cycles)
	// Resolution: 10:00-10:30 (30m) running, 10:30-14:00 paused (pending), 14:00-18:00
	// (4h), Tuesday 09:00-11:00 (2h): 6h30m of 8h, met.
	res := r.Clock(sla.Resolution)
	assert.Equal(t, sla.Met, res.Outcome)
	assert.Equal(t, 6*time.Hour+30*time.Minute, res.Elapsed)
	assert.Equal(t, 90*time.Minute, res.Remaining)
	assert.True(t, res.Deadline.IsZero(), "no deadline once stopped")
	// Periodic update has no target in this policy: it runs untracked.
	assert.Equal(t, time.Duration(0), r.Clock(sla.PeriodicUpdate).Target)
	_, wake := r.NextWake()
	assert.False(t, wake, "nothing left to wake for")
	assert.Contains(t, r.Explain(), "status pending")
}

func TestResolutionContinuesAfterReopen(t *testing.T) {
	s := setup(t, map[string]sla.Targets{"": {Resolution: business(4 * time.Hour)}})
	timeline := []sla.Event{
		created(msk(2, 9, 0), "normal"),
		{At: msk(2, 12, 0), Kind: sla.EventSolved},
		{At: msk(3, 9, 0), Kind: sla.EventReopened, Author: sla.AuthorCustomer},
	}
	// Monday 09:00-12:00 counts 3h; the reopen on Tuesday 09:00 continues with 1h left,
	// so the clock breaches at 10:00; at 10:30 it has 4h30m, 30m over.
	r := evaluate(t, s, timeline, msk(3, 10, 30))
	res := r.Clock(sla.Resolution)
	assert.Equal(t, sla.Breached, res.Outcome)
	assert.True(t, res.BreachedAt.Equal(msk(3, 10, 0)), "breached at %s", res.BreachedAt)
	assert.Equal(t, 4*time.Hour+30*time.Minute, res.Elapsed)
	assert.Equal(t, -30*time.Minute, res.Remaining)
	assert.True(t, res.Stop.IsZero())
	// Evaluated before the reopen, the same clock was met.
	r = evaluate(t, s, timeline, msk(2, 20, 0))
	assert.Equal(t, sla.Met, r.Clock(sla.Resolution).Outcome)
}

func TestPriorityChangeKeepsSpentBudget(t *testing.T) {
	s := setup(t, map[string]sla.Targets{
		"normal": {Resolution: business(8 * time.Hour)},
		"high":   {Resolution: business(4 * time.Hour)},
	})
	timeline := []sla.Event{
		created(msk(2, 9, 0), "normal"),
		{At: msk(2, 11, 0), Kind: sla.EventAttributes, Author: sla.AuthorAgent, Attributes: sla.Attributes{Priority: "high"}},
	}
	// 2h spent under "normal"; "high" allows 4h, so 2h remain from 11:00: deadline 13:00.
	r := evaluate(t, s, timeline, msk(2, 12, 0))
	res := r.Clock(sla.Resolution)
	assert.Equal(t, "high", res.Priority)
	assert.Equal(t, 4*time.Hour, res.Target)
	assert.Equal(t, 3*time.Hour, res.Elapsed)
	assert.True(t, res.Deadline.Equal(msk(2, 13, 0)), "deadline %s", res.Deadline)
	wake, ok := r.NextWake()
	assert.True(t, ok)
	assert.True(t, wake.Equal(msk(2, 13, 0).Add(1)), "the first instant past the deadline: %s", wake)
}

func TestPriorityChangeWhilePendingKeepsPause(t *testing.T) {
	// The pause must survive a change of SLA (the GLPI bug loses it).
	s := setup(t, map[string]sla.Targets{
		"normal": {Resolution: business(8 * time.Hour)},
		"high":   {Resolution: business(4 * time.Hour)},
	})
	timeline := []sla.Event{
		created(msk(2, 9, 0), "normal"),
		{At: msk(2, 10, 0), Kind: sla.EventStatus, Author: sla.AuthorAgent, Status: sla.CategoryPending},
		{At: msk(2, 12, 0), Kind: sla.EventAttributes, Author: sla.AuthorAgent, Attributes: sla.Attributes{Priority: "high"}},
	}
	// 1h counted before pending; still paused at 13:00 under the new target.
	r := evaluate(t, s, timeline, msk(2, 13, 0))
	res := r.Clock(sla.Resolution)
	assert.True(t, res.Paused)
	assert.Equal(t, time.Hour, res.Elapsed)
	assert.True(t, res.Deadline.IsZero(), "no deadline while paused")
	// Reopened to open at 14:00: 3h left of the high target -> 17:00.
	timeline = append(timeline, sla.Event{At: msk(2, 14, 0), Kind: sla.EventStatus, Author: sla.AuthorCustomer, Status: sla.CategoryOpen})
	r = evaluate(t, s, timeline, msk(2, 15, 0))
	res = r.Clock(sla.Resolution)
	assert.False(t, res.Paused)
	assert.Equal(t, 2*time.Hour, res.Elapsed)
	assert.True(t, res.Deadline.Equal(msk(2, 17, 0)), "deadline %s", res.Deadline)
}

func TestNextResponseCycles(t *testing.T) {
	s := setup(t, map[string]sla.Targets{"": {FirstResponse: business(time.Hour), NextResponse: business(time.Hour)}})
	timeline := []sla.Event{
		created(msk(2, 9, 0), "normal"),
		reply(msk(2, 9, 10), sla.AuthorAgent, sla.CategoryOpen),
		reply(msk(2, 10, 0), sla.AuthorCustomer, ""),  // cycle 1 starts
		reply(msk(2, 10, 30), sla.AuthorAgent, ""),    // cycle 1 met after 30m
		reply(msk(2, 11, 0), sla.AuthorCustomer, ""),  // cycle 2 starts
		reply(msk(2, 11, 45), sla.AuthorCustomer, ""), // still waiting: does not restart
	}
	// Cycle 2 from 11:00 breaches at 12:00; at 12:30 it has counted 1h30m.
	r := evaluate(t, s, timeline, msk(2, 12, 30))
	nr := r.Clock(sla.NextResponse)
	assert.Equal(t, 2, nr.Cycles)
	assert.Equal(t, 1, nr.BreachedCycles)
	assert.Equal(t, sla.Breached, nr.Outcome)
	assert.True(t, nr.Start.Equal(msk(2, 11, 0)))
	assert.True(t, nr.BreachedAt.Equal(msk(2, 12, 0)))
	assert.Equal(t, 90*time.Minute, nr.Elapsed)
}

func TestBotAndSystemRepliesDoNotCount(t *testing.T) {
	s := setup(t, map[string]sla.Targets{"": {FirstResponse: &sla.Target{Within: 15 * time.Minute}}})
	timeline := []sla.Event{
		created(msk(2, 9, 0), "normal"),
		reply(msk(2, 9, 1), sla.AuthorBot, ""),
		reply(msk(2, 9, 2), sla.AuthorSystem, ""),
		{At: msk(2, 9, 5), Kind: sla.EventReply, Author: sla.AuthorAgent, Internal: true},
		reply(msk(2, 9, 20), sla.AuthorAgent, ""),
	}
	// Only the public agent reply at 09:20 counts: 20 minutes of 15, breached at 09:15.
	r := evaluate(t, s, timeline, msk(2, 10, 0))
	fr := r.Clock(sla.FirstResponse)
	assert.Equal(t, sla.Breached, fr.Outcome)
	assert.True(t, fr.Stop.Equal(msk(2, 9, 20)))
	assert.True(t, fr.BreachedAt.Equal(msk(2, 9, 15)))
	assert.Equal(t, 20*time.Minute, fr.Elapsed)
}

func TestBreachExactlyAtDeadline(t *testing.T) {
	s := setup(t, map[string]sla.Targets{"": {FirstResponse: business(time.Hour)}})
	// Created Friday 2026-03-06 17:30: 30m on Friday, 30m on Monday: deadline Monday 09:30.
	start := created(time.Date(2026, 3, 6, 17, 30, 0, 0, moscow), "normal")
	deadline := msk(9, 9, 30)

	t.Run("ReplyAtDeadlineIsMet", func(t *testing.T) {
		r := evaluate(t, s, []sla.Event{start, reply(deadline, sla.AuthorAgent, "")}, msk(9, 12, 0))
		assert.Equal(t, sla.Met, r.Clock(sla.FirstResponse).Outcome)
		assert.Equal(t, time.Hour, r.Clock(sla.FirstResponse).Elapsed)
	})
	t.Run("ReplyOneNanosecondLateIsBreached", func(t *testing.T) {
		r := evaluate(t, s, []sla.Event{start, reply(deadline.Add(1), sla.AuthorAgent, "")}, msk(9, 12, 0))
		fr := r.Clock(sla.FirstResponse)
		assert.Equal(t, sla.Breached, fr.Outcome)
		assert.True(t, fr.BreachedAt.Equal(deadline))
	})
	t.Run("NowAtDeadlineIsNotYetBreached", func(t *testing.T) {
		// Regression: evaluated at the deadline instant with no event there, the clock was
		// reported breached, although a reply or a pause stamped with that instant meets it.
		r := evaluate(t, s, []sla.Event{start}, deadline)
		fr := r.Clock(sla.FirstResponse)
		assert.Equal(t, sla.Running, fr.Outcome)
		assert.True(t, fr.BreachedAt.IsZero())
		assert.Equal(t, time.Duration(0), fr.Remaining)
		assert.True(t, fr.Deadline.Equal(deadline))
		wake, ok := r.NextWake()
		require.True(t, ok)
		assert.True(t, wake.Equal(deadline.Add(1)), "next wake %s", wake)
	})
	t.Run("NowOneNanosecondPastDeadlineIsBreached", func(t *testing.T) {
		r := evaluate(t, s, []sla.Event{start}, deadline.Add(1))
		fr := r.Clock(sla.FirstResponse)
		assert.Equal(t, sla.Breached, fr.Outcome)
		assert.True(t, fr.BreachedAt.Equal(deadline))
		assert.Equal(t, time.Duration(-1), fr.Remaining)
		_, ok := r.NextWake()
		assert.False(t, ok, "nothing left to wake for")
	})
	t.Run("NowJustBeforeDeadlineIsRunning", func(t *testing.T) {
		r := evaluate(t, s, []sla.Event{start}, deadline.Add(-1))
		fr := r.Clock(sla.FirstResponse)
		assert.Equal(t, sla.Running, fr.Outcome)
		assert.True(t, fr.Deadline.Equal(deadline))
		wake, _ := r.NextWake()
		assert.True(t, wake.Equal(deadline.Add(1)))
	})
	t.Run("SchedulerWakingAtNextWakeSeesTheBreach", func(t *testing.T) {
		r := evaluate(t, s, []sla.Event{start}, msk(9, 9, 0))
		wake, ok := r.NextWake()
		require.True(t, ok)
		r = evaluate(t, s, []sla.Event{start}, wake)
		assert.Equal(t, sla.Breached, r.Clock(sla.FirstResponse).Outcome)
		assert.True(t, r.Clock(sla.FirstResponse).BreachedAt.Equal(deadline))
	})
	t.Run("EvaluationAtTheInstantAgreesWithAnEventThere", func(t *testing.T) {
		// An internal note at the deadline changes nothing: the clock is breached only
		// once it runs on, exactly as without the note.
		note := sla.Event{At: deadline, Kind: sla.EventReply, Author: sla.AuthorAgent, Internal: true}
		r := evaluate(t, s, []sla.Event{start, note}, deadline)
		assert.Equal(t, sla.Running, r.Clock(sla.FirstResponse).Outcome)
		r = evaluate(t, s, []sla.Event{start, note}, deadline.Add(time.Minute))
		assert.Equal(t, sla.Breached, r.Clock(sla.FirstResponse).Outcome)
		assert.True(t, r.Clock(sla.FirstResponse).BreachedAt.Equal(deadline))
	})
	t.Run("PauseAtDeadlineIsNotABreach", func(t *testing.T) {
		// Regression: a resolution clock that went pending exactly at its deadline was
		// reported breached although it never ran past its budget. Created Friday 17:30,
		// 1h budget: deadline Monday 09:30; pending then, solved at 12:00.
		s := setup(t, map[string]sla.Targets{"": {Resolution: business(time.Hour)}})
		pending := sla.Event{At: deadline, Kind: sla.EventStatus, Author: sla.AuthorAgent, Status: sla.CategoryPending}
		solved := sla.Event{At: msk(9, 12, 0), Kind: sla.EventSolved, Author: sla.AuthorAgent}
		r := evaluate(t, s, []sla.Event{start, pending, solved}, msk(9, 13, 0))
		res := r.Clock(sla.Resolution)
		assert.Equal(t, sla.Met, res.Outcome)
		assert.True(t, res.BreachedAt.IsZero())
		assert.Equal(t, time.Hour, res.Elapsed)

		// Running again for any time at all breaches it, at the instant it resumes.
		open := sla.Event{At: msk(9, 11, 0), Kind: sla.EventStatus, Author: sla.AuthorCustomer, Status: sla.CategoryOpen}
		r = evaluate(t, s, []sla.Event{start, pending, open}, msk(9, 11, 5))
		res = r.Clock(sla.Resolution)
		assert.Equal(t, sla.Breached, res.Outcome)
		assert.True(t, res.BreachedAt.Equal(msk(9, 11, 0)))
	})
	t.Run("ReplyInClosedHoursAfterDeadlineIsBreached", func(t *testing.T) {
		// Created Friday 17:00, deadline Friday 18:00; a Saturday reply adds no business
		// time (elapsed stays 1h) but comes after the deadline.
		r := evaluate(t, s, []sla.Event{
			created(time.Date(2026, 3, 6, 17, 0, 0, 0, moscow), "normal"),
			reply(msk(7, 10, 0), sla.AuthorAgent, ""),
		}, msk(9, 12, 0))
		fr := r.Clock(sla.FirstResponse)
		assert.Equal(t, sla.Breached, fr.Outcome)
		assert.True(t, fr.BreachedAt.Equal(time.Date(2026, 3, 6, 18, 0, 0, 0, moscow)))
		assert.Equal(t, time.Hour, fr.Elapsed)
	})
}

func TestWarningsAndNextWake(t *testing.T) {
	s := setup(t, map[string]sla.Targets{"": {
		FirstResponse: business(time.Hour, sla.Warning{Percent: 50}, sla.Warning{Before: 10 * time.Minute}),
	}})
	timeline := []sla.Event{created(msk(2, 9, 0), "normal")}
	// 50% of 1h is reached at 09:30, 10 minutes before the 10:00 deadline at 09:50.
	r := evaluate(t, s, timeline, msk(2, 9, 40))
	fr := r.Clock(sla.FirstResponse)
	require.Len(t, fr.Warnings, 1)
	assert.Equal(t, 0, fr.Warnings[0].Index)
	assert.True(t, fr.Warnings[0].At.Equal(msk(2, 9, 30)))
	wake, ok := r.NextWake()
	require.True(t, ok)
	assert.True(t, wake.Equal(msk(2, 9, 50).Add(1)), "next wake %s", wake)

	// At the warning point itself the warning is still pending, like a deadline.
	r = evaluate(t, s, timeline, msk(2, 9, 50))
	require.Len(t, r.Clock(sla.FirstResponse).Warnings, 1)
	r = evaluate(t, s, timeline, wake)
	require.Len(t, r.Clock(sla.FirstResponse).Warnings, 2)
	assert.True(t, r.Clock(sla.FirstResponse).Warnings[1].At.Equal(msk(2, 9, 50)))

	r = evaluate(t, s, timeline, msk(2, 9, 55))
	require.Len(t, r.Clock(sla.FirstResponse).Warnings, 2)
	wake, _ = r.NextWake()
	assert.True(t, wake.Equal(msk(2, 10, 0).Add(1)))
}

func TestPeriodicUpdateRestartsOnEachAgentReply(t *testing.T) {
	s := setup(t, map[string]sla.Targets{"": {PeriodicUpdate: business(2 * time.Hour)}})
	timeline := []sla.Event{
		created(msk(2, 9, 0), "normal"),
		reply(msk(2, 10, 0), sla.AuthorAgent, sla.CategoryOpen),    // cycle 1
		reply(msk(2, 11, 0), sla.AuthorAgent, sla.CategoryPending), // cycle 1 met, cycle 2 paused
		reply(msk(2, 15, 0), sla.AuthorCustomer, sla.CategoryOpen), // cycle 2 runs again
	}
	// Cycle 2 counts nothing while pending (11:00-15:00) and 1h from 15:00 to 16:00.
	r := evaluate(t, s, timeline, msk(2, 16, 0))
	pu := r.Clock(sla.PeriodicUpdate)
	assert.Equal(t, 2, pu.Cycles)
	assert.Equal(t, sla.Running, pu.Outcome)
	assert.Equal(t, time.Hour, pu.Elapsed)
	assert.True(t, pu.Deadline.Equal(msk(2, 17, 0)))
}

func TestPolicyConditionsFirstMatchWins(t *testing.T) {
	cal, err := sla.NewCalendar(sla.CalendarConfig{Location: moscow, Week: sla.Weekdays(sla.Hours(9, 0, 18, 0))})
	require.NoError(t, err)
	ps, err := sla.NewPolicies(
		sla.Policy{Name: "VIP", When: sla.Condition{Segments: []string{"enterprise"}, Tags: []string{"vip"}},
			Targets: map[string]sla.Targets{"": {FirstResponse: &sla.Target{Within: 15 * time.Minute}}}},
		sla.Policy{Name: "Phone", When: sla.Condition{Match: func(a sla.Attributes) bool { return a.Channel == "phone" }},
			Targets: map[string]sla.Targets{"": {FirstResponse: &sla.Target{Within: 30 * time.Minute}}}},
		sla.Policy{Name: "Default", Calendar: cal, Targets: map[string]sla.Targets{"": {FirstResponse: business(4 * time.Hour)}}},
	)
	require.NoError(t, err)
	for _, tc := range []struct {
		attrs sla.Attributes
		want  string
	}{
		{sla.Attributes{Segment: "enterprise", Tags: []string{"x", "vip"}, Channel: "phone"}, "VIP"},
		{sla.Attributes{Segment: "enterprise", Channel: "phone"}, "Phone"},
		{sla.Attributes{Segment: "smb", Channel: "email"}, "Default"},
	} {
		r, err := sla.Evaluate(ps, []sla.Event{{At: msk(2, 9, 0), Kind: sla.EventCreated, Attributes: tc.attrs}}, msk(2, 9, 5))
		require.NoError(t, err)
		assert.Equal(t, tc.want, r.Clock(sla.FirstResponse).Policy)
	}
}

func TestTicketCreatedSolvedStopsClocksMet(t *testing.T) {
	s := setup(t, map[string]sla.Targets{"": {FirstResponse: business(time.Hour), Resolution: business(4 * time.Hour)}})
	// A phone call logged after the fact: the ticket is created solved (or closed) on
	// Monday 10:00. Both clocks stop at creation under their targets, with nothing spent;
	// two days later nothing has breached and nothing is due.
	for _, status := range []sla.Category{sla.CategorySolved, sla.CategoryClosed} {
		ev := created(msk(2, 10, 0), "normal")
		ev.Status = status
		r := evaluate(t, s, []sla.Event{ev}, msk(4, 12, 0))
		for _, m := range []sla.Metric{sla.FirstResponse, sla.Resolution} {
			c := r.Clock(m)
			assert.Equal(t, sla.Met, c.Outcome, "%s %s", status, m)
			assert.Equal(t, time.Duration(0), c.Elapsed, "%s %s", status, m)
			assert.True(t, c.Stop.Equal(msk(2, 10, 0)), "%s %s stopped %s", status, m, c.Stop)
			assert.True(t, c.BreachedAt.IsZero(), "%s %s", status, m)
			assert.Equal(t, "Standard", c.Policy, "the target it stopped under")
		}
		_, wake := r.NextWake()
		assert.False(t, wake, status)
	}
	// Created solved, reopened Tuesday 09:00: resolution continues from zero spent, 4h left.
	timeline := []sla.Event{created(msk(2, 10, 0), "normal"), {At: msk(3, 9, 0), Kind: sla.EventReopened, Author: sla.AuthorCustomer}}
	timeline[0].Status = sla.CategorySolved
	res := evaluate(t, s, timeline, msk(3, 10, 0)).Clock(sla.Resolution)
	assert.Equal(t, sla.Running, res.Outcome)
	assert.Equal(t, time.Hour, res.Elapsed)
	assert.True(t, res.Deadline.Equal(msk(3, 13, 0)), "deadline %s", res.Deadline)
}

func TestTicketCreatedPendingStartsPaused(t *testing.T) {
	s := setup(t, map[string]sla.Targets{"": {FirstResponse: business(time.Hour), Resolution: business(4 * time.Hour)}})
	ev := created(msk(2, 10, 0), "normal")
	ev.Status = sla.CategoryPending
	// Resolution pauses while pending; first response does not (its default PauseOn).
	r := evaluate(t, s, []sla.Event{ev}, msk(2, 10, 30))
	res, fr := r.Clock(sla.Resolution), r.Clock(sla.FirstResponse)
	assert.True(t, res.Paused)
	assert.Equal(t, time.Duration(0), res.Elapsed)
	assert.False(t, fr.Paused)
	assert.Equal(t, 30*time.Minute, fr.Elapsed)
}

func TestUntrackedTimeIsNotCounted(t *testing.T) {
	// Only "high" tickets have a policy. A ticket created "normal" at 09:00 has no promise
	// for two hours; raised to "high" at 11:00, its first response clock (started at
	// creation) takes the 1h target with nothing spent: at 11:30 30m are counted and the
	// deadline is 12:00, not a breach at 10:00.
	cal := newCal(t, sla.CalendarConfig{Location: moscow, Week: sla.Weekdays(sla.Hours(9, 0, 18, 0))})
	ps, err := sla.NewPolicies(sla.Policy{Name: "urgent", Calendar: cal, When: sla.Condition{Priorities: []string{"high"}},
		Targets: map[string]sla.Targets{"": {FirstResponse: business(time.Hour)}}})
	require.NoError(t, err)
	timeline := []sla.Event{
		created(msk(2, 9, 0), "normal"),
		{At: msk(2, 11, 0), Kind: sla.EventAttributes, Attributes: sla.Attributes{Priority: "high"}},
	}
	r, err := sla.Evaluate(ps, timeline, msk(2, 10, 0))
	require.NoError(t, err)
	fr := r.Clock(sla.FirstResponse)
	assert.False(t, fr.Tracked())
	assert.True(t, fr.Paused, "an untracked clock counts nothing")
	assert.Equal(t, time.Duration(0), fr.Elapsed)

	r, err = sla.Evaluate(ps, timeline, msk(2, 11, 30))
	require.NoError(t, err)
	fr = r.Clock(sla.FirstResponse)
	assert.True(t, fr.Tracked())
	assert.Equal(t, sla.Running, fr.Outcome)
	assert.True(t, fr.Start.Equal(msk(2, 9, 0)), "the clock still started at creation")
	assert.Equal(t, 30*time.Minute, fr.Elapsed)
	assert.True(t, fr.Deadline.Equal(msk(2, 12, 0)), "deadline %s", fr.Deadline)
	assert.Contains(t, r.Explain(), "no target")
}

func TestWarningPointReachedWhilePausedIsPassedWhenTheClockRunsOn(t *testing.T) {
	// Resolution, 1h with a warning at 50%: created Monday 09:00, pending at 09:30 exactly
	// as the warning point is reached, open again at 11:00.
	s := setup(t, map[string]sla.Targets{"": {Resolution: business(time.Hour, sla.Warning{Percent: 50})}})
	pending := sla.Event{At: msk(2, 9, 30), Kind: sla.EventStatus, Author: sla.AuthorAgent, Status: sla.CategoryPending}
	open := sla.Event{At: msk(2, 11, 0), Kind: sla.EventStatus, Author: sla.AuthorCustomer, Status: sla.CategoryOpen}
	timeline := []sla.Event{created(msk(2, 9, 0), "normal"), pending, open}

	r := evaluate(t, s, timeline, msk(2, 10, 0))
	assert.Empty(t, r.Clock(sla.Resolution).Warnings, "paused at the point: not passed")
	r = evaluate(t, s, timeline, msk(2, 11, 0))
	assert.Empty(t, r.Clock(sla.Resolution).Warnings, "running again, but not yet past the point")
	wake, ok := r.NextWake()
	require.True(t, ok)
	assert.True(t, wake.Equal(msk(2, 11, 0).Add(1)), "next wake %s", wake)

	r = evaluate(t, s, timeline, msk(2, 11, 5))
	res := r.Clock(sla.Resolution)
	require.Len(t, res.Warnings, 1)
	assert.True(t, res.Warnings[0].At.Equal(msk(2, 11, 0)), "warned at %s", res.Warnings[0].At)

	solved := sla.Event{At: msk(2, 11, 0), Kind: sla.EventSolved, Author: sla.AuthorAgent}
	r = evaluate(t, s, append(timeline, solved), msk(2, 12, 0))
	assert.Empty(t, r.Clock(sla.Resolution).Warnings, "solved at the instant it would run on")
}

func TestClocksOnDifferentCalendarsCountTheirOwnTime(t *testing.T) {
	// First response counts business hours (09:00-18:00), resolution calendar time. Both
	// run from Monday 17:00 to Tuesday 10:00.
	s := setup(t, map[string]sla.Targets{"": {
		FirstResponse: business(8 * time.Hour),
		Resolution:    &sla.Target{Within: 48 * time.Hour},
	}})
	r := evaluate(t, s, []sla.Event{created(msk(2, 17, 0), "normal")}, msk(3, 10, 0))
	assert.Equal(t, 2*time.Hour, r.Clock(sla.FirstResponse).Elapsed)
	assert.Equal(t, 17*time.Hour, r.Clock(sla.Resolution).Elapsed)
}

func TestWarningPointAtClosingTimeIsReportedOvernight(t *testing.T) {
	// 1h first response with a warning at 50%, created Friday 17:30: the warning point is
	// 18:00, the instant the calendar closes. Seen on Saturday, it was passed at 18:00.
	s := setup(t, map[string]sla.Targets{"": {FirstResponse: business(time.Hour, sla.Warning{Percent: 50})}})
	r := evaluate(t, s, []sla.Event{created(time.Date(2026, 3, 6, 17, 30, 0, 0, moscow), "normal")}, msk(7, 10, 0))
	fr := r.Clock(sla.FirstResponse)
	require.Len(t, fr.Warnings, 1)
	assert.True(t, fr.Warnings[0].At.Equal(time.Date(2026, 3, 6, 18, 0, 0, 0, moscow)), "warned at %s", fr.Warnings[0].At)
	assert.Equal(t, sla.Running, fr.Outcome)
}

func TestPolicyChangeBySegmentRetargets(t *testing.T) {
	// The priority stays; the customer's segment moves the ticket to another policy.
	cal, err := sla.NewCalendar(sla.CalendarConfig{Location: moscow, Week: sla.Weekdays(sla.Hours(9, 0, 18, 0))})
	require.NoError(t, err)
	ps, err := sla.NewPolicies(
		sla.Policy{Name: "VIP", When: sla.Condition{Segments: []string{"enterprise"}}, Calendar: cal, Targets: map[string]sla.Targets{"": {FirstResponse: business(30 * time.Minute)}}},
		sla.Policy{Name: "Standard", Calendar: cal, Targets: map[string]sla.Targets{"": {FirstResponse: business(2 * time.Hour)}}},
	)
	require.NoError(t, err)
	moved := sla.Event{At: msk(2, 9, 10), Kind: sla.EventAttributes, Author: sla.AuthorAgent, Attributes: sla.Attributes{Priority: "normal", Segment: "enterprise"}}
	r, err := sla.Evaluate(ps, []sla.Event{created(msk(2, 9, 0), "normal"), moved}, msk(2, 9, 20))
	require.NoError(t, err)
	fr := r.Clock(sla.FirstResponse)
	assert.Equal(t, "VIP", fr.Policy)
	assert.Equal(t, 30*time.Minute, fr.Target)
	assert.True(t, fr.Deadline.Equal(msk(2, 9, 30)), "deadline %s", fr.Deadline)
}

// TestEvaluateRefusesTheZeroNow checks that evaluating at the zero time, an instant a host
// forgot to set, is an error: taken at its word it reports every clock not started, and a
// breached ticket looks like one no promise applies to.
func TestEvaluateRefusesTheZeroNow(t *testing.T) {
	ps, err := sla.NewPolicies(sla.Policy{Name: "P", Targets: map[string]sla.Targets{"": {FirstResponse: &sla.Target{Within: time.Hour}}}})
	require.NoError(t, err)
	created := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	timeline := []sla.Event{{At: created, Kind: sla.EventCreated}}
	_, err = sla.Evaluate(ps, timeline, time.Time{})
	require.ErrorIs(t, err, sla.ErrInvalid)
	var ve *sla.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "now", ve.Field)

	r, err := sla.Evaluate(ps, timeline, created.Add(-time.Minute))
	require.NoError(t, err, "an instant before the ticket is a real one")
	assert.Equal(t, sla.NotStarted, r.Clocks[sla.FirstResponse].Outcome)
}

// A ClockResult once held Start and Stop in the zones of the events, a Deadline in the
// zone of the evaluation instant and a BreachedAt in whichever zone the clock last ran
// from: formatted side by side they disagreed on the hour. Every time of a Result but Now
// is now in the zone of the first event, as the Trace's are.
func TestClockTimesAreInTheFirstEventsZone(t *testing.T) {
	berlin, tokyo, newYork := mustLoad("Europe/Berlin"), mustLoad("Asia/Tokyo"), mustLoad("America/New_York")
	office, err := sla.NewCalendar(sla.CalendarConfig{Location: berlin, Week: sla.Weekdays(sla.Hours(8, 0, 19, 0))})
	require.NoError(t, err)
	policies, err := sla.NewPolicies(sla.Policy{Name: "p", Calendar: office, Targets: map[string]sla.Targets{"": {
		FirstResponse: &sla.Target{Within: time.Hour, BusinessHours: true},
		NextResponse:  &sla.Target{Within: 30 * time.Minute},
		Resolution:    &sla.Target{Within: 8 * time.Hour, BusinessHours: true, Warnings: []sla.Warning{{Percent: 50}}},
	}}})
	require.NoError(t, err)
	created := time.Date(2026, 3, 2, 10, 0, 0, 0, moscow)
	timeline := []sla.Event{
		{At: created, Kind: sla.EventCreated, Author: sla.AuthorCustomer},
		{At: created.Add(40 * time.Minute).UTC(), Kind: sla.EventReply, Author: sla.AuthorAgent},
		{At: created.Add(2 * time.Hour).In(tokyo), Kind: sla.EventReply, Author: sla.AuthorCustomer},
	}
	now := created.Add(6 * time.Hour).In(newYork)

	check := func(name string, r *sla.Result) {
		t.Helper()
		times := map[string]time.Time{}
		for _, c := range r.Clocks {
			for field, at := range map[string]time.Time{"Start": c.Start, "Stop": c.Stop, "Deadline": c.Deadline, "BreachedAt": c.BreachedAt} {
				if !at.IsZero() {
					times[c.Metric.String()+"."+field] = at
				}
			}
			for _, w := range c.Warnings {
				times[c.Metric.String()+".Warning"] = w.At
			}
		}
		wake, ok := r.NextWake()
		require.True(t, ok, name)
		times["NextWake"] = wake
		for _, k := range []string{"first response.Start", "first response.Stop", "next response.Start",
			"next response.BreachedAt", "next response.Deadline", "resolution.Deadline", "resolution.Warning"} {
			assert.Contains(t, times, k, name)
		}
		for k, at := range times {
			assert.Same(t, moscow, at.Location(), "%s %s: %s", name, k, at)
		}
		assert.Equal(t, now, r.Now, "%s: Now as given", name)
	}

	r, err := sla.Evaluate(policies, timeline, now)
	require.NoError(t, err)
	check("Evaluate", r)
	assert.Equal(t, created.Add(40*time.Minute), r.Clocks[sla.FirstResponse].Stop)
	assert.Equal(t, created.Add(150*time.Minute), r.Clocks[sla.NextResponse].BreachedAt)

	tr, err := sla.NewTracker(policies)
	require.NoError(t, err)
	for _, e := range timeline {
		require.NoError(t, tr.Add(e))
	}
	tracked, err := tr.Evaluate(now)
	require.NoError(t, err)
	check("Tracker", tracked)
	assert.Equal(t, r.Clocks, tracked.Clocks)
}
