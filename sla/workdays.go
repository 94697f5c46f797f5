package sla

import "time"

// MaxWorkingDays is the largest Target.WorkingDays, and the largest n AddWorkingDays
// accepts.
const MaxWorkingDays = 366

// A working day is a date of the calendar's zone on which at least one open interval
// starts (a holiday or weekend date has none); an overnight interval belongs to the date
// it starts on. Its opening is the start of its first interval.

// AddWorkingDays returns the due instant of a target of n working days started at t: the
// instant at which as much open time has passed since t as lies between t and the same
// wall-clock time n working days later. It reports false when n is not in
// 1..MaxWorkingDays, or the calendar does not open again, or has no n working days in the
// following years.
//
// Precisely: counting starts at t, or at the next opening when the calendar is closed at
// t. The wall-clock time of that instant on its working day is kept (past 24:00 for the
// part of an overnight interval after midnight), and the due position is that wall-clock
// time on the nth following working day, but no later than the opening of the working
// day after it. The result is Add(t, Between(t, due position)): the earliest instant at
// which that open time is spent. So the due position is the result when it is open;
// when it falls in a lunch break, the result is the start of the break; after a short
// day's close, that close; before a late opening, the close of the day before. In a week
// of 09:00-18:00 days: created Monday 11:00, 2 working days are due Wednesday 11:00, and
// across the daylight-saving change of a weekend still 11:00 on the clock; created Friday
// 20:00, 1 working day runs from Monday 09:00 and is due Monday 18:00 (as much open time
// as up to Tuesday 09:00); with a holiday on Tuesday, Monday 11:00 plus 1 working day is
// due Wednesday 11:00.
func (c *Calendar) AddWorkingDays(t time.Time, n int) (time.Time, bool) {
	budget, ok := c.workingDaysBudget(t, n)
	if !ok {
		return time.Time{}, false
	}
	return c.Add(t, budget), true
}

// workingDaysBudget returns the open time between t and the due position of n working
// days (see AddWorkingDays).
func (c *Calendar) workingDaysBudget(t time.Time, n int) (time.Duration, bool) {
	if n < 1 || n > MaxWorkingDays || !c.built() {
		return 0, false
	}
	s, ok := c.NextOpen(t)
	if !ok {
		return 0, false
	}
	k, ok := c.workingDayOf(s)
	if !ok {
		return 0, false
	}
	local := s.In(c.loc)
	y, m, d := local.Date()
	wall := time.Duration(daysFromCivil(y, m, d)-k)*24*time.Hour +
		time.Duration(local.Hour())*time.Hour + time.Duration(local.Minute())*time.Minute +
		time.Duration(local.Second())*time.Second + time.Duration(local.Nanosecond())
	limit := k + int64(n+1)*400
	for range n {
		if k, ok = c.nextWorkingDay(k, limit); !ok {
			return 0, false
		}
	}
	y, m, d = civilFromDays(k)
	due := pastGap(time.Date(y, m, d, 0, 0, 0, int(wall), c.loc), k, wall, c.loc)
	if next, ok := c.nextWorkingDay(k, limit+400); ok && c.opening(next).Before(due) {
		due = c.opening(next)
	}
	return c.Between(t, due), true
}

// pastGap returns due, the instant time.Date gave for wall time wall after the start of
// day k (days since 1970-01-01), moved to the same distance past a clock change that skipped
// that wall time: time.Date may resolve a skipped time to before the change, which would
// make the deadline an hour early.
func pastGap(due time.Time, k int64, wall time.Duration, loc *time.Location) time.Time {
	local := due.In(loc)
	y, m, d := local.Date()
	got := time.Duration(daysFromCivil(y, m, d)-k)*24*time.Hour +
		time.Duration(local.Hour())*time.Hour + time.Duration(local.Minute())*time.Minute +
		time.Duration(local.Second())*time.Second + time.Duration(local.Nanosecond())
	if got < wall && wall-got <= 4*time.Hour {
		return due.Add(wall - got)
	}
	return due
}

// workingDayOf returns the working day (days since 1970-01-01) whose open time holds the
// open instant s: the latest working day opening at or before s.
func (c *Calendar) workingDayOf(s time.Time) (int64, bool) {
	y, m, d := s.In(c.loc).Date()
	day := daysFromCivil(y, m, d)
	for k := day; k >= day-2; k-- {
		if len(c.plan(k).spans) > 0 && !c.opening(k).After(s) {
			return k, true
		}
	}
	return 0, false
}

// nextWorkingDay returns the first working day after day k; false when none comes before
// limit.
func (c *Calendar) nextWorkingDay(k, limit int64) (int64, bool) {
	for k++; k < limit; k++ {
		if len(c.plan(k).spans) > 0 {
			return k, true
		}
	}
	return 0, false
}

// opening returns the start of the first open interval of working day k.
func (c *Calendar) opening(k int64) time.Time {
	y, m, d := civilFromDays(k)
	return time.Date(y, m, d, 0, 0, 0, int(c.plan(k).spans[0].s), c.loc)
}
