package sla

import (
	"fmt"
	"slices"
	"time"
)

// Calendar is a business calendar: the instants at which a support team is open, in one
// time zone. Build it with NewCalendar. A Calendar is immutable and safe for concurrent use.
//
// # Wall clock and real time
//
// Open intervals are wall-clock times of a calendar day; each boundary is the first instant
// at which the zone's wall clock shows that time or later. Open time is real elapsed time:
//
//   - An interval that starts (or ends) in a spring-forward gap, such as 02:30 on the night
//     the clock jumps from 02:00 to 03:00, starts (or ends) at the jump. A 00:00-24:00 day
//     then holds 23 hours.
//   - A boundary inside the repeated hour of an autumn night is taken at its first
//     occurrence, and an interval open across the repeat counts it: a 00:00-24:00 day holds
//     25 hours, 01:30-03:00 on the night the clock goes from 02:00 back to 01:00 holds 2.5.
//
// Instants are supported from year 1800 to 2250; earlier or later ones are clamped to
// those bounds.
//
// NewCalendar reads the zone's offset changes once (up to a millisecond for a zone with
// daylight saving); build calendars once and share them.
//
// A Calendar not built by NewCalendar (the zero Calendar, or a nil *Calendar) answers as
// the zero CalendarConfig does, open around the clock in UTC, and never panics; NewPolicies
// rejects it, since a policy's calendar that was never built is a mistake.
type Calendar struct {
	loc    *time.Location
	always bool // open around the clock: the 24/7 fast path

	week      [7]dayPlan
	weekTotal int64

	annualIndex [13][32]int32 // 1-based index into annual; 0 means none
	annualByDoy [2][366]int32 // the same by [leap year][day of year]
	annual      []annualPlan

	specDays  []int64   // days (since 1970-01-01) with a dated entry, ascending
	specPlans []dayPlan // their plans
	specDev   []int64   // prefix sums of (dated plan total - plan it replaces); len+1

	zone zoneTable
}

// span is an open interval in nanoseconds after the start of the day it belongs to; e may
// exceed a day for an overnight interval.
type span struct{ s, e int64 }

type dayPlan struct {
	spans []span
	total int64
}

type annualPlan struct {
	month time.Month
	day   int
	plan  dayPlan
}

const (
	minuteNs = int64(time.Minute)
	dayNs    = int64(24 * time.Hour)
)

// NewCalendar validates cfg and builds its Calendar. Errors wrap ErrInvalid and are
// *ValidationError values: an unknown zone ("Local" included), a Zone that contradicts
// Location, an interval out of range, reversed (End equal to
// Start) or overlapping another (also across midnight, through an overnight interval), an
// impossible date, a working day without a year, or two dated entries on one date.
func NewCalendar(cfg CalendarConfig) (*Calendar, error) {
	loc, err := calendarLocation(cfg)
	if err != nil {
		return nil, err
	}
	c := &Calendar{loc: loc}
	if err := c.buildWeek(cfg.Week); err != nil {
		return nil, err
	}
	if err := c.buildAnnual(cfg.Holidays); err != nil {
		return nil, err
	}
	if err := c.buildDated(cfg); err != nil {
		return nil, err
	}
	if err := c.checkSpills(); err != nil {
		return nil, err
	}
	c.always = c.weekTotal == 7*dayNs && len(c.annual) == 0 && len(c.specDays) == 0
	c.zone = newZoneTable(loc)
	return c, nil
}

// Location returns the calendar's time zone: UTC for a Calendar not built by NewCalendar.
func (c *Calendar) Location() *time.Location {
	if !c.built() {
		return time.UTC
	}
	return c.loc
}

// built reports whether c was built by NewCalendar.
func (c *Calendar) built() bool { return c != nil && c.loc != nil }

// aroundTheClock reports whether c is open at every instant: a 24/7 calendar, or one not
// built by NewCalendar.
func (c *Calendar) aroundTheClock() bool { return !c.built() || c.always }

func calendarLocation(cfg CalendarConfig) (*time.Location, error) {
	switch {
	case cfg.Location != nil && cfg.Zone != "" && cfg.Zone != cfg.Location.String():
		return nil, invalid("Zone", fmt.Sprintf("%q contradicts Location %q: set one of them", cfg.Zone, cfg.Location))
	case cfg.Location != nil:
		return cfg.Location, nil
	case cfg.Zone == "":
		return time.UTC, nil
	case cfg.Zone == "Local":
		return nil, invalid("Zone", `"Local" is the zone of the machine the process runs on, not an IANA name: set Location to time.Local to mean it`)
	}
	loc, err := time.LoadLocation(cfg.Zone)
	if err != nil {
		return nil, invalid("Zone", fmt.Sprintf("unknown time zone %q", cfg.Zone))
	}
	return loc, nil
}

func (c *Calendar) buildWeek(w Week) error {
	for d, ivs := range w.effective() {
		p, err := newDayPlan(ivs, fmt.Sprintf("Week[%s]", time.Weekday(d)))
		if err != nil {
			return err
		}
		c.week[d] = p
		c.weekTotal += p.total
	}
	return nil
}

func (c *Calendar) buildAnnual(hs []Holiday) error {
	for i, h := range hs {
		if h.Date.Year != 0 {
			continue
		}
		field := fmt.Sprintf("Holidays[%d]", i)
		if err := checkDate(h.Date, field+".Date"); err != nil {
			return err
		}
		if c.annualIndex[h.Date.Month][h.Date.Day] != 0 {
			return invalid(field+".Date", "two annual holidays on "+h.Date.String())
		}
		p, err := newDayPlan(h.Hours, field+".Hours")
		if err != nil {
			return err
		}
		c.annual = append(c.annual, annualPlan{month: h.Date.Month, day: h.Date.Day, plan: p})
		c.annualIndex[h.Date.Month][h.Date.Day] = int32(len(c.annual))
		for leap, year := range [2]int{2001, 2000} {
			if h.Date.Day <= daysIn(year, h.Date.Month) {
				doy := daysFromCivil(year, h.Date.Month, h.Date.Day) - daysFromCivil(year, time.January, 1)
				c.annualByDoy[leap][doy] = int32(len(c.annual))
			}
		}
	}
	return nil
}

// effective returns the week a calendar opens on: w itself, or 24 hours every day when w
// has no interval at all.
func (w Week) effective() Week {
	for _, ivs := range w {
		if len(ivs) > 0 {
			return w
		}
	}
	return EveryDay(Hours(0, 0, 24, 0))
}

type datedEntry struct {
	day  int64
	plan dayPlan
}

func (c *Calendar) buildDated(cfg CalendarConfig) error {
	var entries []datedEntry
	seen := map[int64]string{}
	add := func(d Date, field string, ivs []Interval) error {
		if err := checkDate(d, field+".Date"); err != nil {
			return err
		}
		day := daysFromCivil(d.Year, d.Month, d.Day)
		if prev, ok := seen[day]; ok {
			return invalid(field+".Date", d.String()+" is already set by "+prev)
		}
		seen[day] = field
		p, err := newDayPlan(ivs, field+".Hours")
		if err != nil {
			return err
		}
		entries = append(entries, datedEntry{day: day, plan: p})
		return nil
	}
	for i, h := range cfg.Holidays {
		if h.Date.Year == 0 {
			continue
		}
		if err := add(h.Date, fmt.Sprintf("Holidays[%d]", i), h.Hours); err != nil {
			return err
		}
	}
	for i, w := range cfg.WorkingDays {
		field := fmt.Sprintf("WorkingDays[%d]", i)
		if w.Date.Year == 0 {
			return invalid(field+".Date", "a working day needs a year")
		}
		hours := w.Hours
		if len(hours) == 0 {
			hours = cfg.Week.effective()[time.Monday]
		}
		if err := add(w.Date, field, hours); err != nil {
			return err
		}
		if entries[len(entries)-1].plan.total == 0 {
			return invalid(field+".Hours", "a working day needs open hours")
		}
	}
	slices.SortFunc(entries, func(a, b datedEntry) int { return int(a.day - b.day) })
	c.specDev = make([]int64, 1, len(entries)+1)
	for _, e := range entries {
		base := c.basePlan(e.day)
		c.specDays = append(c.specDays, e.day)
		c.specPlans = append(c.specPlans, e.plan)
		c.specDev = append(c.specDev, c.specDev[len(c.specDev)-1]+e.plan.total-base.total)
	}
	return nil
}

// checkSpills rejects overnight intervals that run into an interval of the next day.
func (c *Calendar) checkSpills() error {
	for d := range 7 {
		if err := spillConflict(&c.week[d], &c.week[(d+1)%7]); err != nil {
			return invalid(fmt.Sprintf("Week[%s]", time.Weekday(d)), err.Error())
		}
	}
	for _, a := range c.annual {
		for d := range 7 {
			before, after := &c.week[(d+6)%7], &c.week[(d+1)%7]
			if spillConflict(before, &a.plan) != nil || spillConflict(&a.plan, after) != nil {
				return invalid("Holidays", fmt.Sprintf("annual holiday %s overlaps an overnight interval of a neighbouring weekday", Annual(a.month, a.day)))
			}
		}
		next := time.Date(2000, a.month, a.day+1, 0, 0, 0, 0, time.UTC)
		if k := c.annualIndex[next.Month()][next.Day()]; k != 0 {
			if spillConflict(&a.plan, &c.annual[k-1].plan) != nil {
				return invalid("Holidays", "overlapping overnight intervals on "+Annual(a.month, a.day).String())
			}
		}
	}
	for _, day := range c.specDays {
		if spillConflict(c.plan(day-1), c.plan(day)) != nil || spillConflict(c.plan(day), c.plan(day+1)) != nil {
			y, m, d := civilFromDays(day)
			return invalid("Holidays", "an overnight interval overlaps the next day around "+Day(y, m, d).String())
		}
	}
	return nil
}

func spillConflict(day, next *dayPlan) error {
	if len(day.spans) == 0 || len(next.spans) == 0 {
		return nil
	}
	last := day.spans[len(day.spans)-1]
	if last.e > dayNs && next.spans[0].s < last.e-dayNs {
		return fmt.Errorf("overnight interval ends after the next day opens")
	}
	return nil
}

func newDayPlan(ivs []Interval, field string) (dayPlan, error) {
	p := dayPlan{spans: make([]span, 0, len(ivs))}
	for i, iv := range ivs {
		f := fmt.Sprintf("%s[%d]", field, i)
		if iv.Start < 0 || iv.Start >= 1440 || iv.End <= 0 || iv.End > 1440 {
			return dayPlan{}, invalid(f, "time of day out of range: "+iv.String())
		}
		if iv.Start == iv.End {
			return dayPlan{}, invalid(f, "empty interval "+iv.String())
		}
		s, e := int64(iv.Start)*minuteNs, int64(iv.End)*minuteNs
		if e < s {
			e += dayNs
		}
		p.spans = append(p.spans, span{s, e})
	}
	slices.SortFunc(p.spans, func(a, b span) int { return int((a.s - b.s) / minuteNs) })
	for i, sp := range p.spans {
		if i > 0 && sp.s < p.spans[i-1].e {
			return dayPlan{}, invalid(field, "overlapping intervals")
		}
		p.total += sp.e - sp.s
	}
	return p, nil
}

func checkDate(d Date, field string) error {
	if d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return invalid(field, "impossible date "+d.String())
	}
	year := d.Year
	if year == 0 {
		year = 2000 // a leap year: February 29 is a valid annual date
	}
	if year < 1800 || year > 2250 {
		return invalid(field, "year out of range 1800-2250: "+d.String())
	}
	if d.Day > daysIn(year, d.Month) {
		return invalid(field, "impossible date "+d.String())
	}
	return nil
}

// plan returns the open intervals of a day: a dated entry, else an annual holiday, else the
// weekday.
func (c *Calendar) plan(day int64) *dayPlan {
	if n := len(c.specDays); n > 0 && day >= c.specDays[0] && day <= c.specDays[n-1] {
		if i, ok := slices.BinarySearch(c.specDays, day); ok {
			return &c.specPlans[i]
		}
	}
	return c.basePlan(day)
}

func (c *Calendar) basePlan(day int64) *dayPlan {
	if len(c.annual) > 0 {
		if k := c.annualOn(day); k != 0 {
			return &c.annual[k-1].plan
		}
	}
	return &c.week[weekday(day)]
}

// annualOn returns the 1-based index of the annual holiday on day, or 0.
func (c *Calendar) annualOn(day int64) int32 {
	if y, doy, ok := dayOfYear(day); ok {
		leap := 0
		if isLeap(y) {
			leap = 1
		}
		return c.annualByDoy[leap][doy]
	}
	_, m, d := civilFromDays(day)
	return c.annualIndex[m][d]
}
