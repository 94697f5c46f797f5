package sla_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

// The oracle below knows nothing of the calendar's internals. It steps through real time
// minute by minute, reads the zone's wall clock at each minute, keeps the latest reading
// seen so far (the wall clock a person watching would say has been reached) and looks that
// reading up in the configuration directly.

var oracleZones = []string{
	"America/New_York", "Europe/London", "Europe/Moscow",
	"Asia/Kathmandu", "Australia/Lord_Howe", "UTC",
}

type wallSpan struct{ s, e int } // minutes after the start of the day; e may exceed 1440

func oracleSpans(ivs []sla.Interval) []wallSpan {
	var out []wallSpan
	for _, iv := range ivs {
		s, e := int(iv.Start), int(iv.End)
		if e < s {
			e += 1440
		}
		out = append(out, wallSpan{s, e})
	}
	return out
}

// oracleDay resolves the open intervals of a date straight from the configuration.
func oracleDay(cfg sla.CalendarConfig, y int, m time.Month, d int) []wallSpan {
	for _, w := range cfg.WorkingDays {
		if w.Date == sla.Day(y, m, d) {
			return oracleSpans(w.Hours)
		}
	}
	for _, h := range cfg.Holidays {
		if h.Date == sla.Day(y, m, d) {
			return oracleSpans(h.Hours)
		}
	}
	for _, h := range cfg.Holidays {
		if h.Date == sla.Annual(m, d) {
			return oracleSpans(h.Hours)
		}
	}
	empty := true
	for _, ivs := range cfg.Week {
		empty = empty && len(ivs) == 0
	}
	if empty {
		return []wallSpan{{0, 1440}}
	}
	wd := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Weekday()
	return oracleSpans(cfg.Week[wd])
}

type wallReading struct {
	y    int
	m    time.Month
	d    int
	mins int
}

func (r wallReading) less(o wallReading) bool {
	if r.y != o.y {
		return r.y < o.y
	}
	if r.m != o.m {
		return r.m < o.m
	}
	if r.d != o.d {
		return r.d < o.d
	}
	return r.mins < o.mins
}

func oracleOpenAt(cfg sla.CalendarConfig, r wallReading) bool {
	for _, sp := range oracleDay(cfg, r.y, r.m, r.d) {
		if sp.s <= r.mins && r.mins < sp.e {
			return true
		}
	}
	prev := time.Date(r.y, r.m, r.d-1, 12, 0, 0, 0, time.UTC)
	for _, sp := range oracleDay(cfg, prev.Year(), prev.Month(), prev.Day()) {
		if sp.s <= r.mins+1440 && r.mins+1440 < sp.e {
			return true
		}
	}
	return false
}

// oracleMinutes returns, for each real minute from start (n minutes), whether it is open.
func oracleMinutes(cfg sla.CalendarConfig, loc *time.Location, start time.Time, n int) []bool {
	open := make([]bool, n)
	var high wallReading
	for i := range n {
		w := start.Add(time.Duration(i) * time.Minute).In(loc)
		r := wallReading{w.Year(), w.Month(), w.Day(), w.Hour()*60 + w.Minute()}
		if i == 0 || high.less(r) {
			high = r
		}
		open[i] = oracleOpenAt(cfg, high)
	}
	return open
}

// randomDay picks up to three non-overlapping intervals on a 15-minute grid, sometimes a
// lunch break or a 24-hour day. In a night calendar days open after 06:00 and may end with
// an overnight shift that closes by 06:00 the next day.
func randomDay(r *rand.Rand, night bool) []sla.Interval {
	switch r.IntN(8) {
	case 0:
		return nil
	case 1:
		if !night {
			return []sla.Interval{sla.Hours(0, 0, 24, 0)}
		}
	case 2:
		return []sla.Interval{sla.Hours(9, 0, 13, 0), sla.Hours(14, 0, 18, 0)}
	}
	lo := 0
	if night {
		lo = 25
	}
	k := 1 + r.IntN(3)
	points := r.Perm(97 - lo)[:2*k]
	slices.Sort(points)
	var out []sla.Interval
	for i := 0; i < len(points); i += 2 {
		out = append(out, sla.Interval{Start: sla.TimeOfDay((lo + points[i]) * 15), End: sla.TimeOfDay((lo + points[i+1]) * 15)})
	}
	if night && r.IntN(2) == 0 {
		out[len(out)-1].End = sla.TimeOfDay(15 * (1 + r.IntN(24)))
	}
	return out
}

// randomConfig draws a calendar with holidays, short days and a working day near around.
func randomConfig(t *testing.T, r *rand.Rand, zone string, around time.Time) (sla.CalendarConfig, *sla.Calendar) {
	night := r.IntN(3) == 0
	cfg := sla.CalendarConfig{Zone: zone}
	for d := range cfg.Week {
		cfg.Week[d] = randomDay(r, night)
	}
	used := map[sla.Date]bool{}
	for range r.IntN(4) {
		day := around.AddDate(0, 0, r.IntN(14)-7)
		h := sla.Holiday{Date: sla.Day(day.Year(), day.Month(), day.Day())}
		if r.IntN(2) == 0 {
			h.Date.Year = 0
		}
		if r.IntN(3) == 0 {
			h.Hours = randomDay(r, night)
		}
		if !used[h.Date] {
			used[h.Date] = true
			cfg.Holidays = append(cfg.Holidays, h)
		}
	}
	if r.IntN(3) == 0 {
		day := around.AddDate(0, 0, r.IntN(14)-7)
		date := sla.Day(day.Year(), day.Month(), day.Day())
		if !used[date] {
			cfg.WorkingDays = append(cfg.WorkingDays, sla.WorkingDay{Date: date, Hours: []sla.Interval{sla.Hours(10, 0, 15, 0)}})
		}
	}
	cal, err := sla.NewCalendar(cfg)
	require.NoError(t, err, "%+v", cfg)
	return cfg, cal
}

// transitionsNear returns the DST changes of loc in [from, to), or a fixed date when none.
func transitionsNear(loc *time.Location, year int) []time.Time {
	var out []time.Time
	t := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	end := t.AddDate(1, 0, 0)
	for {
		_, next := t.ZoneBounds()
		if next.IsZero() || !next.Before(end) {
			break
		}
		out = append(out, next)
		t = next
	}
	if len(out) == 0 {
		out = append(out, time.Date(year, 3, 29, 2, 0, 0, 0, loc))
	}
	return out
}

func TestCalendarMatchesMinuteOracle(t *testing.T) {
	calendars := 100
	if testing.Short() {
		calendars = 8
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, zone := range oracleZones {
		loc, err := time.LoadLocation(zone)
		require.NoError(t, err)
		t.Run(zone, func(t *testing.T) {
			for i := range calendars {
				year := 2001 + r.IntN(35)
				ts := transitionsNear(loc, year)
				around := ts[r.IntN(len(ts))]
				cfg, cal := randomConfig(t, r, zone, around)
				checkAgainstOracle(t, r, cfg, cal, loc, around, i)
			}
		})
	}
}

func checkAgainstOracle(t *testing.T, r *rand.Rand, cfg sla.CalendarConfig, cal *sla.Calendar, loc *time.Location, around time.Time, n int) {
	const window = 9 * 24 * 60
	start := around.Add(-4 * 24 * time.Hour).Truncate(time.Minute)
	open := oracleMinutes(cfg, loc, start, window)
	prefix := make([]int, window+1)
	for i, o := range open {
		prefix[i+1] = prefix[i]
		if o {
			prefix[i+1]++
		}
	}
	at := func(i int) time.Time { return start.Add(time.Duration(i) * time.Minute) }
	for range 40 {
		i, j := r.IntN(window+1), r.IntN(window+1)
		want := time.Duration(prefix[j]-prefix[i]) * time.Minute
		require.Equal(t, want, cal.Between(at(i), at(j)), "calendar %d %+v: Between(%s, %s)", n, cfg, at(i).In(loc), at(j).In(loc))
		k := r.IntN(window)
		require.Equal(t, open[k], cal.IsOpen(at(k).Add(30*time.Second)), "calendar %d %+v: IsOpen(%s)", n, cfg, at(k).In(loc))
		// NextOpen and NextClose: the first minute at or after k that is open (closed).
		for _, want := range []bool{true, false} {
			e := k
			for e < window && open[e] != want {
				e++
			}
			if e == window {
				continue
			}
			var got time.Time
			if want {
				got, _ = cal.NextOpen(at(k))
			} else {
				got, _ = cal.NextClose(at(k))
			}
			require.True(t, got.Equal(at(e)), "calendar %d %+v: next(open=%v) after %s = %s, want %s", n, cfg, want, at(k).In(loc), got.In(loc), at(e).In(loc))
		}
		// Add: the first minute boundary at which the prefix reaches the target.
		d := r.IntN(prefix[window] - prefix[i] + 1)
		if d > 0 {
			target := prefix[i] + d
			e := i
			for prefix[e] < target {
				e++
			}
			require.True(t, cal.Add(at(i), time.Duration(d)*time.Minute).Equal(at(e)), "calendar %d %+v: Add(%s, %dm) = %s, want %s", n, cfg, at(i).In(loc), d, cal.Add(at(i), time.Duration(d)*time.Minute).In(loc), at(e).In(loc))
		}
		// Backwards: the last minute boundary from which the prefix reaches j's.
		d = r.IntN(prefix[j] + 1)
		if d > 0 {
			target := prefix[j] - d
			s := j
			for prefix[s] > target {
				s--
			}
			for s+1 <= j && prefix[s+1] == target {
				s++
			}
			require.True(t, cal.Add(at(j), -time.Duration(d)*time.Minute).Equal(at(s)), "calendar %d %+v: Add(%s, -%dm) = %s, want %s", n, cfg, at(j).In(loc), d, cal.Add(at(j), -time.Duration(d)*time.Minute).In(loc), at(s).In(loc))
		}
	}
}
