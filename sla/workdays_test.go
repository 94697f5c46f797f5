package sla_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

// moscowOffice has a lunch break, a holiday (Monday 2026-03-09) and a short day (Friday
// 2026-03-06, closing at 16:00).
func moscowOffice(t *testing.T) *sla.Calendar {
	t.Helper()
	cal, err := sla.NewCalendar(sla.CalendarConfig{
		Zone: "Europe/Moscow",
		Week: sla.Weekdays(sla.Hours(9, 0, 13, 0), sla.Hours(14, 0, 18, 0)),
		Holidays: []sla.Holiday{
			{Name: "Women's Day (moved)", Date: sla.Day(2026, time.March, 9)},
			{Name: "eve", Date: sla.Day(2026, time.March, 6), Hours: []sla.Interval{sla.Hours(9, 0, 16, 0)}},
		},
	})
	require.NoError(t, err)
	return cal
}

// berlinLong is open 01:00-23:00 every day, across the spring change of 2026-03-29.
func berlinLong(t *testing.T) *sla.Calendar {
	t.Helper()
	cal, err := sla.NewCalendar(sla.CalendarConfig{Zone: "Europe/Berlin", Week: sla.EveryDay(sla.Hours(1, 0, 23, 0))})
	require.NoError(t, err)
	return cal
}

// minuteOracle answers working-day questions by walking whole minutes with IsOpen only.
type minuteOracle struct {
	cal  *sla.Calendar
	days map[time.Time][]time.Time // local midnight -> open minutes of that date
}

func (o *minuteOracle) openMinutes(day time.Time) []time.Time {
	if m, ok := o.days[day]; ok {
		return m
	}
	var out []time.Time
	end := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, day.Location())
	for m := day; m.Before(end); m = m.Add(time.Minute) {
		if o.cal.IsOpen(m) {
			out = append(out, m)
		}
	}
	o.days[day] = out
	return out
}

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// due returns the open time the target allows from t, and the instant it is spent.
func (o *minuteOracle) due(t time.Time, n int) (time.Duration, time.Time) {
	loc := o.cal.Location()
	t = t.In(loc)
	s := t
	for !o.cal.IsOpen(s) {
		s = s.Add(time.Minute)
	}
	day := midnight(s)
	for k := 0; k < n; {
		day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
		if len(o.openMinutes(day)) > 0 {
			k++
		}
	}
	pos := time.Date(day.Year(), day.Month(), day.Day(), s.Hour(), s.Minute(), 0, 0, loc)
	// Count the open minutes in [s, pos) and find where the last one ends.
	var count int
	var last time.Time
	for d := midnight(s); !d.After(day); d = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc) {
		for _, m := range o.openMinutes(d) {
			if !m.Before(s) && m.Before(pos) {
				count++
				last = m.Add(time.Minute)
			}
		}
	}
	return time.Duration(count) * time.Minute, last
}

func TestWorkingDaysAgreeWithMinuteWalk(t *testing.T) {
	for _, tc := range []struct {
		name string
		cal  *sla.Calendar
		from time.Time
	}{
		{"holiday, short day and lunch", moscowOffice(t), time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
		{"spring daylight-saving change", berlinLong(t), time.Date(2026, 3, 25, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := &minuteOracle{cal: tc.cal, days: map[time.Time][]time.Time{}}
			n := 0
			for at := tc.from; at.Before(tc.from.AddDate(0, 0, 10)); at = at.Add(97 * time.Minute) {
				for days := 1; days <= 3; days++ {
					budget, want := o.due(at, days)
					got, ok := tc.cal.AddWorkingDays(at, days)
					require.True(t, ok)
					require.Equal(t, want, got.In(tc.cal.Location()), "%s + %d working days", at.In(tc.cal.Location()), days)
					assert.Equal(t, budget, tc.cal.Between(at, got))
					n++
				}
			}
			require.Greater(t, n, 300)
		})
	}
}

func TestWorkingDaysExamples(t *testing.T) {
	office, berlin := moscowOffice(t), berlinLong(t)
	msk, ber := office.Location(), berlin.Location()
	for _, tc := range []struct {
		name string
		cal  *sla.Calendar
		at   time.Time
		n    int
		want time.Time
	}{
		{"same time two days later", office, time.Date(2026, 3, 2, 11, 0, 0, 0, msk), 2, time.Date(2026, 3, 4, 11, 0, 0, 0, msk)},
		{"over the weekend and the holiday", office, time.Date(2026, 3, 5, 11, 0, 0, 0, msk), 2, time.Date(2026, 3, 10, 11, 0, 0, 0, msk)},
		{"clamped to the short day's close", office, time.Date(2026, 3, 5, 17, 0, 0, 0, msk), 1, time.Date(2026, 3, 6, 16, 0, 0, 0, msk)},
		{"after hours counts from the next opening", office, time.Date(2026, 3, 3, 20, 0, 0, 0, msk), 1, time.Date(2026, 3, 4, 18, 0, 0, 0, msk)},
		{"in the lunch break counts from 14:00, spent when lunch begins", office, time.Date(2026, 3, 3, 13, 30, 0, 0, msk), 1, time.Date(2026, 3, 4, 13, 0, 0, 0, msk)},
		{"wall clock kept across the change", berlin, time.Date(2026, 3, 28, 12, 0, 0, 0, ber), 1, time.Date(2026, 3, 29, 12, 0, 0, 0, ber)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.cal.AddWorkingDays(tc.at, tc.n)
			require.True(t, ok)
			assert.Equal(t, tc.want, got.In(tc.want.Location()))
		})
	}
	_, ok := office.AddWorkingDays(time.Now(), 0)
	assert.False(t, ok)
	_, ok = (&sla.Calendar{}).AddWorkingDays(time.Now(), 1)
	assert.False(t, ok)
}

// A resolution target of 2 working days: the clock counts open time from creation against
// the open time up to the due position, so a pause moves the deadline by the open time it
// held, and a priority change keeps the time counted.
func TestWorkingDaysTargetInTheEngine(t *testing.T) {
	office := moscowOffice(t)
	msk := office.Location()
	ps, err := sla.NewPolicies(sla.Policy{Name: "Office", Calendar: office, Targets: map[string]sla.Targets{
		"high": {Resolution: &sla.Target{WorkingDays: 1, Warnings: []sla.Warning{{Percent: 50}, {Before: time.Hour}}}},
		"":     {Resolution: &sla.Target{WorkingDays: 2}},
	}})
	require.NoError(t, err)
	created := time.Date(2026, 3, 2, 11, 0, 0, 0, msk) // Monday
	timeline := []sla.Event{{At: created, Kind: sla.EventCreated, Attributes: sla.Attributes{Priority: "normal"}}}

	r, err := sla.Evaluate(ps, timeline, created)
	require.NoError(t, err)
	res := r.Clock(sla.Resolution)
	assert.Equal(t, time.Date(2026, 3, 4, 11, 0, 0, 0, msk), res.Deadline.In(msk))
	assert.Equal(t, 16*time.Hour, res.Target, "Monday 11-18 less lunch, Tuesday 8h, Wednesday 9-11")
	assert.True(t, res.BusinessHours)

	// Pending from Monday 15:00 to Tuesday 10:00: 3h + 1h of open time held.
	timeline = append(timeline,
		sla.Event{At: time.Date(2026, 3, 2, 15, 0, 0, 0, msk), Kind: sla.EventStatus, Status: sla.CategoryPending},
		sla.Event{At: time.Date(2026, 3, 3, 10, 0, 0, 0, msk), Kind: sla.EventStatus, Status: sla.CategoryOpen})
	r, err = sla.Evaluate(ps, timeline, time.Date(2026, 3, 3, 10, 0, 0, 0, msk))
	require.NoError(t, err)
	res = r.Clock(sla.Resolution)
	assert.Equal(t, time.Date(2026, 3, 4, 16, 0, 0, 0, msk), res.Deadline.In(msk), "11:00 plus 4h of open time, lunch skipped")

	// Raised to high on Tuesday 10:00: 1 working day from Monday 11:00 is 8h, of which
	// 3h were counted; the warning at 50% (4h) and 1h before the deadline follow.
	timeline = append(timeline, sla.Event{At: time.Date(2026, 3, 3, 10, 0, 0, 0, msk), Kind: sla.EventAttributes, Attributes: sla.Attributes{Priority: "high"}})
	r, err = sla.Evaluate(ps, timeline, time.Date(2026, 3, 3, 18, 0, 0, 0, msk))
	require.NoError(t, err)
	res = r.Clock(sla.Resolution)
	assert.Equal(t, 8*time.Hour, res.Target)
	assert.Equal(t, sla.Breached, res.Outcome)
	assert.Equal(t, time.Date(2026, 3, 3, 16, 0, 0, 0, msk), res.BreachedAt.In(msk), "5h left at 10:00, lunch skipped")
	require.Len(t, res.Warnings, 2)
	assert.Equal(t, time.Date(2026, 3, 3, 11, 0, 0, 0, msk), res.Warnings[0].At.In(msk))
	assert.Equal(t, time.Date(2026, 3, 3, 15, 0, 0, 0, msk), res.Warnings[1].At.In(msk))
}

func TestWorkingDaysTargetValidation(t *testing.T) {
	office := moscowOffice(t)
	for _, tc := range []struct {
		name   string
		cal    *sla.Calendar
		target sla.Target
		field  string
	}{
		{"both set", office, sla.Target{Within: time.Hour, WorkingDays: 1}, `Policies[0].Targets[""].resolution.WorkingDays`},
		{"negative", office, sla.Target{WorkingDays: -1}, `Policies[0].Targets[""].resolution.WorkingDays`},
		{"too many", office, sla.Target{WorkingDays: sla.MaxWorkingDays + 1}, `Policies[0].Targets[""].resolution.WorkingDays`},
		{"no calendar", nil, sla.Target{WorkingDays: 2}, `Policies[0].Targets[""].resolution`},
		{"negative warning", office, sla.Target{WorkingDays: 2, Warnings: []sla.Warning{{Before: -time.Hour}}}, `Policies[0].Targets[""].resolution.Warnings[0]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sla.NewPolicies(sla.Policy{Name: "p", Calendar: tc.cal, Targets: map[string]sla.Targets{"": {Resolution: &tc.target}}})
			requireField(t, err, tc.field)
		})
	}
}
