package sla_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

var newYork = mustLoad("America/New_York")

func newCal(t testing.TB, cfg sla.CalendarConfig) *sla.Calendar {
	t.Helper()
	cal, err := sla.NewCalendar(cfg)
	require.NoError(t, err)
	return cal
}

func ny(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, newYork)
}

func TestWorkdayStartIsWallClockNotMidnightPlusDuration(t *testing.T) {
	// rickar/cal computes the start of a workday as midnight plus 9h: on 2026-03-08 in New
	// York that is 10:00 EDT, an hour late.
	cal := newCal(t, sla.CalendarConfig{Location: newYork, Week: sla.EveryDay(sla.Hours(9, 0, 17, 0))})
	midnight := ny(2026, 3, 8, 0, 0)
	open, ok := cal.NextOpen(midnight)
	require.True(t, ok)
	assert.True(t, open.Equal(ny(2026, 3, 8, 9, 0)), "opens %s", open)
	assert.False(t, open.Equal(midnight.Add(9*time.Hour)))
	closeAt, ok := cal.NextClose(open)
	require.True(t, ok)
	assert.True(t, closeAt.Equal(ny(2026, 3, 8, 17, 0)))
	assert.Equal(t, 8*time.Hour, cal.Between(midnight, ny(2026, 3, 9, 0, 0)))
	// Same on the autumn day.
	assert.Equal(t, 8*time.Hour, cal.Between(ny(2026, 11, 1, 0, 0), ny(2026, 11, 2, 0, 0)))
}

func TestFullDayHasNoClosedMinuteAtMidnight(t *testing.T) {
	// A day configured as 00:00-23:59 is closed from 23:59 to 24:00; ours ends at 24:00.
	cal := newCal(t, sla.CalendarConfig{Location: newYork, Week: sla.Weekdays(sla.Hours(0, 0, 24, 0))})
	late := ny(2026, 3, 3, 23, 59).Add(30 * time.Second)
	assert.True(t, cal.IsOpen(late))
	assert.Equal(t, 2*time.Minute, cal.Between(ny(2026, 3, 3, 23, 59), ny(2026, 3, 4, 0, 1)))
	// Monday-Friday are one open stretch: it closes at Saturday 00:00.
	closeAt, ok := cal.NextClose(ny(2026, 3, 2, 12, 0))
	require.True(t, ok)
	assert.True(t, closeAt.Equal(ny(2026, 3, 7, 0, 0)), "closes %s", closeAt)
}

func TestSpringForwardGap(t *testing.T) {
	// New York, 2026-03-08: the clock jumps from 02:00 EST to 03:00 EDT.
	cal := newCal(t, sla.CalendarConfig{Location: newYork, Week: sla.EveryDay(sla.Hours(2, 30, 5, 0))})
	open, _ := cal.NextOpen(ny(2026, 3, 8, 0, 0))
	// 02:30 does not exist: the interval opens at the jump, 07:00 UTC, and holds 2h.
	assert.True(t, open.Equal(time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC)), "opens %s", open)
	assert.Equal(t, 2*time.Hour, cal.Between(ny(2026, 3, 8, 0, 0), ny(2026, 3, 9, 0, 0)))
	day := newCal(t, sla.CalendarConfig{Location: newYork})
	assert.Equal(t, 23*time.Hour, day.Between(ny(2026, 3, 8, 0, 0), ny(2026, 3, 9, 0, 0)))
}

func TestAutumnRepeatedHourCountsAsRealTime(t *testing.T) {
	// New York, 2026-11-01: 02:00 EDT goes back to 01:00 EST; 01:00-02:00 happens twice.
	day := newCal(t, sla.CalendarConfig{Location: newYork, Week: sla.EveryDay(sla.Hours(0, 0, 24, 0))})
	assert.Equal(t, 25*time.Hour, day.Between(ny(2026, 11, 1, 0, 0), ny(2026, 11, 2, 0, 0)))
	across := newCal(t, sla.CalendarConfig{Location: newYork, Week: sla.EveryDay(sla.Hours(1, 30, 3, 0))})
	assert.Equal(t, 150*time.Minute, across.Between(ny(2026, 11, 1, 0, 0), ny(2026, 11, 2, 0, 0)))
	// A boundary inside the repeated hour is its first occurrence (EDT).
	until := newCal(t, sla.CalendarConfig{Location: newYork, Week: sla.EveryDay(sla.Hours(0, 0, 1, 30))})
	closeAt, ok := until.NextClose(ny(2026, 11, 1, 0, 0))
	require.True(t, ok)
	assert.True(t, closeAt.Equal(time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)), "closes %s", closeAt.UTC())
	assert.Equal(t, 90*time.Minute, until.Between(ny(2026, 11, 1, 0, 0), ny(2026, 11, 2, 0, 0)))
}

func TestLordHoweHalfHourShift(t *testing.T) {
	lh := mustLoad("Australia/Lord_Howe")
	cal := newCal(t, sla.CalendarConfig{Location: lh})
	// 2026-10-04 02:00 becomes 02:30; 2026-04-05 02:00 goes back to 01:30.
	assert.Equal(t, 23*time.Hour+30*time.Minute, cal.Between(time.Date(2026, 10, 4, 0, 0, 0, 0, lh), time.Date(2026, 10, 5, 0, 0, 0, 0, lh)))
	assert.Equal(t, 24*time.Hour+30*time.Minute, cal.Between(time.Date(2026, 4, 5, 0, 0, 0, 0, lh), time.Date(2026, 4, 6, 0, 0, 0, 0, lh)))
}

func TestOvernightShiftBelongsToItsStartDay(t *testing.T) {
	cfg := sla.CalendarConfig{Location: moscow}
	cfg.Week[time.Friday] = []sla.Interval{sla.Hours(22, 0, 6, 0)}
	cal := newCal(t, cfg)
	// Friday 2026-03-06 22:00 to Saturday 06:00.
	assert.Equal(t, 8*time.Hour, cal.Between(msk(6, 0, 0), msk(8, 0, 0)))
	assert.True(t, cal.IsOpen(msk(7, 5, 59)))
	assert.False(t, cal.IsOpen(msk(7, 6, 0)))
	// A holiday on Friday closes the whole shift, Saturday morning included.
	cfg.Holidays = []sla.Holiday{{Date: sla.Day(2026, 3, 6)}}
	cal = newCal(t, cfg)
	assert.False(t, cal.IsOpen(msk(7, 1, 0)))
	assert.Equal(t, time.Duration(0), cal.Between(msk(6, 0, 0), msk(8, 0, 0)))
}

func TestLunchBreakHolidaysShortDaysAndWorkingSaturday(t *testing.T) {
	cal := newCal(t, sla.CalendarConfig{
		Location: moscow,
		Week:     sla.Weekdays(sla.Hours(9, 0, 13, 0), sla.Hours(14, 0, 18, 0)),
		Holidays: []sla.Holiday{
			{Name: "Women's Day (moved)", Date: sla.Day(2026, 3, 9)},
			{Name: "Short day", Date: sla.Day(2026, 3, 6), Hours: []sla.Interval{sla.Hours(9, 0, 13, 0), sla.Hours(14, 0, 17, 0)}},
			{Name: "Every March 10", Date: sla.Annual(time.March, 10)},
		},
		WorkingDays: []sla.WorkingDay{{Date: sla.Day(2026, 3, 7)}}, // Saturday with Monday's hours
	})
	assert.False(t, cal.IsOpen(msk(2, 13, 30)), "lunch")
	assert.Equal(t, 8*time.Hour, cal.Between(msk(2, 0, 0), msk(3, 0, 0)))
	assert.Equal(t, 7*time.Hour, cal.Between(msk(6, 0, 0), msk(7, 0, 0)), "short day")
	assert.Equal(t, 8*time.Hour, cal.Between(msk(7, 0, 0), msk(8, 0, 0)), "working Saturday")
	assert.Equal(t, time.Duration(0), cal.Between(msk(9, 0, 0), msk(11, 0, 0)), "holiday and annual holiday")
	// Week of 2026-03-02: Mon-Thu 32h, short Friday 7h, Saturday 8h.
	assert.Equal(t, 47*time.Hour, cal.Between(msk(2, 0, 0), msk(9, 0, 0)))
	assert.Equal(t, -47*time.Hour, cal.Between(msk(9, 0, 0), msk(2, 0, 0)), "negative when b < a")
	// 3h from Friday 15:00: 2h on Friday, 1h on Saturday.
	assert.True(t, cal.Add(msk(6, 15, 0), 3*time.Hour).Equal(msk(7, 10, 0)))
	// Backwards: 1h before Thursday 09:30 is Wednesday 17:30 (the latest such instant).
	assert.True(t, cal.Sub(msk(12, 9, 30), time.Hour).Equal(msk(11, 17, 30)), "%s", cal.Sub(msk(12, 9, 30), time.Hour))
}

func TestOpenIteratorJoinsTouchingSpans(t *testing.T) {
	cfg := sla.CalendarConfig{Location: moscow, Week: sla.Weekdays(sla.Hours(9, 0, 13, 0), sla.Hours(13, 0, 18, 0))}
	cfg.Week[time.Monday] = []sla.Interval{sla.Hours(0, 0, 24, 0)}
	cfg.Week[time.Sunday] = []sla.Interval{sla.Hours(20, 0, 24, 0)}
	cal := newCal(t, cfg)
	var got []sla.Span
	for s := range cal.Open(msk(1, 0, 0), msk(3, 12, 0)) {
		got = append(got, s)
	}
	require.Len(t, got, 2)
	assert.True(t, got[0].Start.Equal(msk(1, 20, 0)) && got[0].End.Equal(msk(3, 0, 0)), "%v", got[0])
	assert.True(t, got[1].Start.Equal(msk(3, 9, 0)) && got[1].End.Equal(msk(3, 12, 0)), "%v", got[1])
	// Stopping early is honoured.
	n := 0
	for range cal.Open(msk(1, 0, 0), msk(31, 0, 0)) {
		n++
		break
	}
	assert.Equal(t, 1, n)
}

// TestCalendarZoneMayRestateLocation checks that a Zone naming the Location's own zone is
// accepted, and that the machine's zone stays available through Location.
func TestCalendarZoneMayRestateLocation(t *testing.T) {
	msk, err := time.LoadLocation("Europe/Moscow")
	require.NoError(t, err)
	cal := newCal(t, sla.CalendarConfig{Location: msk, Zone: "Europe/Moscow"})
	assert.Equal(t, msk, cal.Location())
	assert.Equal(t, time.Local, newCal(t, sla.CalendarConfig{Location: time.Local}).Location())
}

func TestAlwaysOpenCalendar(t *testing.T) {
	cal := newCal(t, sla.CalendarConfig{})
	a := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, 48*time.Hour, cal.Between(a, a.Add(48*time.Hour)))
	assert.True(t, cal.Add(a, time.Hour).Equal(a.Add(time.Hour)))
	_, ok := cal.NextClose(a)
	assert.False(t, ok)
}

func TestCalendarRejectsBadConfig(t *testing.T) {
	nine := sla.Weekdays(sla.Hours(9, 0, 18, 0))
	overnight := nine
	overnight[time.Monday] = []sla.Interval{sla.Hours(20, 0, 10, 0)}
	for _, tc := range []struct {
		name  string
		cfg   sla.CalendarConfig
		field string
	}{
		{"UnknownZone", sla.CalendarConfig{Zone: "Mars/Olympus_Mons"}, "Zone"},
		// "Local" would open the desk at the hours of whatever zone the server is set to.
		{"MachineZoneByName", sla.CalendarConfig{Zone: "Local"}, "Zone"},
		// A Zone that Location silently overrode.
		{"ZoneContradictsLocation", sla.CalendarConfig{Location: time.UTC, Zone: "Europe/Moscow"}, "Zone"},
		{"OverlappingIntervals", sla.CalendarConfig{Week: sla.Weekdays(sla.Hours(9, 0, 13, 0), sla.Hours(12, 0, 18, 0))}, "Week[Monday]"},
		{"ReversedEmptyInterval", sla.CalendarConfig{Week: sla.Weekdays(sla.Hours(9, 0, 9, 0))}, "Week[Monday][0]"},
		{"HourOutOfRange", sla.CalendarConfig{Week: sla.Weekdays(sla.Hours(9, 0, 25, 0))}, "Week[Monday][0]"},
		{"StartAt24", sla.CalendarConfig{Week: sla.Weekdays(sla.Hours(24, 0, 1, 0))}, "Week[Monday][0]"},
		{"OvernightRunsIntoNextDay", sla.CalendarConfig{Week: overnight}, "Week[Monday]"},
		{"ImpossibleHoliday", sla.CalendarConfig{Week: nine, Holidays: []sla.Holiday{{Date: sla.Day(2026, 2, 30)}}}, "Holidays[0].Date"},
		{"February29InCommonYear", sla.CalendarConfig{Week: nine, Holidays: []sla.Holiday{{Date: sla.Day(2027, 2, 29)}}}, "Holidays[0].Date"},
		{"Month13", sla.CalendarConfig{Week: nine, Holidays: []sla.Holiday{{Date: sla.Annual(13, 1)}}}, "Holidays[0].Date"},
		{"DuplicateDate", sla.CalendarConfig{Week: nine, Holidays: []sla.Holiday{{Date: sla.Day(2026, 1, 1)}, {Date: sla.Day(2026, 1, 1)}}}, "Holidays[1].Date"},
		{"WorkingDayWithoutYear", sla.CalendarConfig{Week: nine, WorkingDays: []sla.WorkingDay{{Date: sla.Annual(3, 7)}}}, "WorkingDays[0].Date"},
		{"HolidayAndWorkingDaySameDate", sla.CalendarConfig{Week: nine, Holidays: []sla.Holiday{{Date: sla.Day(2026, 3, 7)}}, WorkingDays: []sla.WorkingDay{{Date: sla.Day(2026, 3, 7)}}}, "WorkingDays[0].Date"},
		{"BadShortDay", sla.CalendarConfig{Week: nine, Holidays: []sla.Holiday{{Date: sla.Day(2026, 3, 6), Hours: []sla.Interval{sla.Hours(-1, 0, 9, 0)}}}}, "Holidays[0].Hours[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cal, err := sla.NewCalendar(tc.cfg)
			require.ErrorIs(t, err, sla.ErrInvalid)
			assert.Nil(t, cal)
			var ve *sla.ValidationError
			require.True(t, errors.As(err, &ve))
			assert.Equal(t, tc.field, ve.Field, ve.Error())
		})
	}
}

// TestAddBetweenProperties checks, over random calendars and instants spread over decades,
// that Between(t, Add(t, d)) == d, that Add is monotonic, that Between is additive, and
// that Between over long spans (jumping whole weeks) equals the sum of the spans the Open
// iterator lists day by day.
func TestAddBetweenProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	for _, zone := range oracleZones {
		loc := mustLoad(zone)
		t.Run(zone, func(t *testing.T) {
			for range 40 {
				base := time.Date(1990+r.IntN(60), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1e9), loc)
				_, cal := randomConfig(t, r, zone, base)
				for range 20 {
					a := base.Add(time.Duration(r.Int64N(int64(400 * 24 * time.Hour))))
					d := time.Duration(r.Int64N(int64(300 * time.Hour)))
					u := cal.Add(a, d)
					require.Equal(t, d, cal.Between(a, u), "Between(%s, Add(%s, %s) = %s)", a, a, d, u)
					require.Equal(t, -d, cal.Between(u, a))
					back := cal.Add(u, -d)
					require.Equal(t, d, cal.Between(back, u))
					require.False(t, back.Before(a), "Add(Add(a, d), -d) is the latest such instant, so >= a")
					d2 := d + time.Duration(r.Int64N(int64(10*time.Hour)))
					require.False(t, cal.Add(a, d2).Before(u), "Add monotonic in d")
					a2 := a.Add(time.Duration(r.Int64N(int64(50 * time.Hour))))
					require.False(t, cal.Add(a2, d).Before(u), "Add monotonic in t")
					m := a.Add(time.Duration(r.Int64N(int64(2000 * time.Hour))))
					require.Equal(t, cal.Between(a, u), cal.Between(a, m)+cal.Between(m, u))
				}
				a := base
				b := a.AddDate(1+r.IntN(3), 0, r.IntN(200))
				var sum time.Duration
				for s := range cal.Open(a, b) {
					sum += s.Duration()
				}
				require.Equal(t, sum, cal.Between(a, b), "long span %s .. %s", a, b)
			}
		})
	}
}

// FuzzNewCalendar builds calendars from arbitrary bytes: they are either rejected with
// ErrInvalid or behave (Between(t, Add(t, d)) == d) without panicking.
func FuzzNewCalendar(f *testing.F) {
	f.Add([]byte{9 * 4, 18 * 4, 0, 0, 1, 2, 3}, uint16(30), int64(3600))
	f.Add([]byte{22 * 4, 6 * 4, 0, 96, 13, 40, 50, 7, 7}, uint16(400), int64(7200))
	f.Add([]byte{0, 96, 0, 96, 0, 96}, uint16(0), int64(1))
	f.Fuzz(func(t *testing.T, data []byte, days uint16, secs int64) {
		cfg := sla.CalendarConfig{Zone: oracleZones[int(days)%len(oracleZones)]}
		for i := 0; i+1 < len(data) && i < 28; i += 2 {
			cfg.Week[(i/2)%7] = append(cfg.Week[(i/2)%7], sla.Interval{Start: sla.TimeOfDay(int(data[i]) * 15), End: sla.TimeOfDay(int(data[i+1]) * 15)})
		}
		for i := 28; i+2 < len(data); i += 3 {
			h := sla.Holiday{Date: sla.Date{Year: 2000 + int(data[i])%40, Month: time.Month(data[i+1] % 14), Day: int(data[i+2] % 33)}}
			if data[i]%5 == 0 {
				h.Date.Year = 0
			}
			cfg.Holidays = append(cfg.Holidays, h)
		}
		cal, err := sla.NewCalendar(cfg)
		if err != nil {
			require.ErrorIs(t, err, sla.ErrInvalid)
			return
		}
		a := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(days))
		d := time.Duration(secs%int64(1e6)) * time.Second
		if d < 0 {
			d = -d
		}
		u := cal.Add(a, d)
		if u.Year() < 2250 {
			require.Equal(t, d, cal.Between(a, u))
		}
		cal.IsOpen(a)
		cal.NextOpen(a)
		cal.NextClose(a)
	})
}

func TestBetweenSaturatesBeyond292Years(t *testing.T) {
	// Open around the clock except Christmas, in UTC: the open time of [a, b) is the real
	// time minus one day per Christmas, an oracle that needs no calendar code.
	cal := newCal(t, sla.CalendarConfig{Holidays: []sla.Holiday{{Date: sla.Annual(time.December, 25)}}})
	utc := func(y int) time.Time { return time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC) }
	// 290 years (more than the 250 measured at once) still fit in a Duration.
	want := utc(2090).Sub(utc(1800)) - 290*24*time.Hour
	assert.Equal(t, want, cal.Between(utc(1800), utc(2090)))
	assert.Equal(t, -want, cal.Between(utc(2090), utc(1800)))
	// 399 years hold about 398 years of open time: more than a Duration holds. It
	// saturates like time.Time.Sub instead of wrapping negative.
	assert.Equal(t, time.Duration(math.MaxInt64), cal.Between(utc(1850), utc(2249)))
	assert.Equal(t, time.Duration(math.MinInt64), cal.Between(utc(2249), utc(1850)))
	assert.Equal(t, time.Duration(math.MaxInt64), cal.Between(utc(1700), utc(2300)), "clamped to 1800-2250")
	always := newCal(t, sla.CalendarConfig{})
	assert.Equal(t, always.Between(utc(1850), utc(2249)), cal.Between(utc(1850), utc(2249)), "as the 24/7 fast path")

	// A long span in a zone with daylight saving is the sum of its years.
	office := newCal(t, sla.CalendarConfig{Location: newYork, Week: sla.Weekdays(sla.Hours(9, 0, 17, 0)),
		Holidays: []sla.Holiday{{Date: sla.Annual(time.July, 4)}}})
	var sum time.Duration
	for y := 1801; y < 2249; y++ {
		sum += office.Between(ny(y, 1, 1, 0, 0), ny(y+1, 1, 1, 0, 0))
	}
	assert.Equal(t, sum, office.Between(ny(1801, 1, 1, 0, 0), ny(2249, 1, 1, 0, 0)))
}

func TestAddMinDurationDoesNotOverflow(t *testing.T) {
	// -math.MinInt64 does not fit in an int64: Add(t, MinInt64) must go back, not forward.
	office := newCal(t, sla.CalendarConfig{Location: newYork, Week: sla.Weekdays(sla.Hours(9, 0, 17, 0))})
	t0 := ny(2026, 1, 1, 0, 0)
	floor := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
	// 292 years of office hours reach back past 1800: both clamp there.
	assert.True(t, office.Add(t0, math.MinInt64).Equal(floor), "got %s", office.Add(t0, math.MinInt64))
	assert.True(t, office.Add(t0, math.MinInt64+1).Equal(floor))
	// Sub(t, MinInt64) goes forward: 292 years of office hours reach past 2250.
	ceiling := time.Date(2250, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.True(t, office.Sub(t0, math.MinInt64).Equal(ceiling), "got %s", office.Sub(t0, math.MinInt64))

	// Open but for Christmas from 2249 back, 292 years are reached after 1800: MinInt64 is
	// one nanosecond of open time further back than MinInt64+1.
	cal := newCal(t, sla.CalendarConfig{Location: newYork, Holidays: []sla.Holiday{{Date: sla.Annual(time.December, 25)}}})
	t1 := ny(2249, 6, 1, 12, 0)
	u, v := cal.Add(t1, math.MinInt64), cal.Add(t1, math.MinInt64+1)
	assert.True(t, v.After(floor), "not clamped: %s", v)
	assert.True(t, u.Before(v), "%s not before %s", u, v)
	assert.Equal(t, time.Nanosecond, cal.Between(u, v))
	// And forward from 1800, Sub(t, MinInt64) is one nanosecond past Add(t, MaxInt64).
	t2 := ny(1800, 6, 1, 12, 0)
	u, v = cal.Sub(t2, math.MinInt64), cal.Add(t2, math.MaxInt64)
	assert.True(t, v.Before(ceiling), "not clamped: %s", v)
	assert.True(t, u.After(v), "%s not after %s", u, v)
	assert.Equal(t, time.Nanosecond, cal.Between(v, u))
}

func TestWorkingDayWithoutHoursOnDefaultWeek(t *testing.T) {
	// The default Week is open 24 hours a day, so a working day without hours takes
	// Monday's 00:00-24:00: here it reopens an annual holiday for one year.
	cal := newCal(t, sla.CalendarConfig{
		Holidays:    []sla.Holiday{{Date: sla.Annual(time.December, 25)}},
		WorkingDays: []sla.WorkingDay{{Date: sla.Day(2026, time.December, 25)}},
	})
	day := func(y int) time.Time { return time.Date(y, time.December, 25, 0, 0, 0, 0, time.UTC) }
	assert.Equal(t, 24*time.Hour, cal.Between(day(2026), day(2026).AddDate(0, 0, 1)))
	assert.Equal(t, time.Duration(0), cal.Between(day(2027), day(2027).AddDate(0, 0, 1)))
	// A week whose Monday is closed still leaves such a working day without hours.
	_, err := sla.NewCalendar(sla.CalendarConfig{Week: sla.Week{time.Tuesday: {sla.Hours(9, 0, 17, 0)}},
		WorkingDays: []sla.WorkingDay{{Date: sla.Day(2026, time.May, 2)}}})
	require.ErrorIs(t, err, sla.ErrInvalid)
}
