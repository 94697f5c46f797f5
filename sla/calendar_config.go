package sla

import (
	"fmt"
	"time"
)

// TimeOfDay is a wall-clock time of day in minutes after midnight: 0 is 00:00 and 1440 is
// 24:00, which is allowed only as the end of an interval.
type TimeOfDay int

// At returns the TimeOfDay hour:minute. Out-of-range values are reported by NewCalendar.
func At(hour, minute int) TimeOfDay { return TimeOfDay(hour*60 + minute) }

// String formats the clock as "15:04".
func (c TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// Interval is a span of wall-clock time during which a calendar is open. Start is
// inclusive and End exclusive. When End is before Start the interval runs overnight into
// the next calendar day (22:00-06:00) and belongs to the day it starts on. End may be 24:00. An interval with End equal to Start is
// invalid; a 24-hour day is 00:00-24:00.
type Interval struct {
	// Start is the first minute of the interval, 00:00-23:59.
	Start TimeOfDay
	// End is the minute the interval closes, 00:01-24:00; before Start for an overnight
	// interval.
	End TimeOfDay
}

// Hours returns the Interval fromHour:fromMinute - toHour:toMinute.
func Hours(fromHour, fromMinute, toHour, toMinute int) Interval {
	return Interval{Start: At(fromHour, fromMinute), End: At(toHour, toMinute)}
}

// String formats the interval as "09:00-18:00".
func (iv Interval) String() string { return iv.Start.String() + "-" + iv.End.String() }

// Week holds the open intervals of each weekday, indexed by time.Weekday (Sunday is 0).
type Week [7][]Interval

// Weekdays returns a Week open Monday to Friday during the given intervals.
func Weekdays(intervals ...Interval) Week {
	var w Week
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = intervals
	}
	return w
}

// EveryDay returns a Week open every day of the week during the given intervals.
func EveryDay(intervals ...Interval) Week {
	var w Week
	for d := range w {
		w[d] = intervals
	}
	return w
}

// Date is a calendar date. A Year of 0 means every year (an annual date).
type Date struct {
	// Year is the year, 1800-2250; 0 means every year.
	Year int
	// Month is the month, January to December.
	Month time.Month
	// Day is the day of the month, from 1.
	Day int
}

// Day returns the Date year-month-day.
func Day(year int, month time.Month, day int) Date { return Date{Year: year, Month: month, Day: day} }

// Annual returns the Date month-day of every year.
func Annual(month time.Month, day int) Date { return Date{Month: month, Day: day} }

// String formats the date as "2026-01-02", or "--01-02" for an annual date.
func (d Date) String() string {
	if d.Year == 0 {
		return fmt.Sprintf("--%02d-%02d", int(d.Month), d.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Holiday closes the calendar on a date, or shortens it.
type Holiday struct {
	// Name is free text, for people.
	Name string
	// Date is the holiday; Year 0 repeats it every year (February 29 then applies in leap
	// years only).
	Date Date
	// Hours, when not empty, makes the date a short day open only during these intervals.
	// Empty (the default) closes the whole day.
	Hours []Interval
}

// WorkingDay makes a date open that would otherwise be closed or have other hours, such as
// a Saturday worked in place of a moved holiday.
type WorkingDay struct {
	// Name is free text, for people.
	Name string
	// Date must have a year.
	Date Date
	// Hours are the open intervals of that date. Empty (the default) uses Monday's hours
	// (00:00-24:00 under the default Week); NewCalendar rejects a working day left with none.
	Hours []Interval
}

// CalendarConfig describes a business calendar. The zero value is a calendar open around
// the clock in UTC.
type CalendarConfig struct {
	// Location is the calendar's time zone. When nil, Zone is used.
	Location *time.Location
	// Zone is an IANA zone name ("Europe/Moscow") loaded with time.LoadLocation when
	// Location is nil. Empty means UTC. "Local", which would make the hours depend on the
	// machine the process runs on, is refused (set Location to time.Local to mean it), and
	// so is a Zone set beside a Location of another name.
	Zone string
	// Week holds the open intervals of each weekday. A Week with no interval at all (the
	// default) means open 24 hours every day.
	Week Week
	// Holidays close or shorten dates. A dated entry beats an annual one on the same date.
	Holidays []Holiday
	// WorkingDays override the hours of dated days.
	WorkingDays []WorkingDay
}
