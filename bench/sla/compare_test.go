package slabench

import (
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

var moscow = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		panic(err)
	}
	return loc
}()

// holidays are annual dates: the Russian New Year holidays and public holidays.
var holidays = []struct {
	month time.Month
	day   int
	name  string
}{
	{time.January, 1, "New Year"}, {time.January, 2, "New Year"}, {time.January, 3, "New Year"},
	{time.January, 4, "New Year"}, {time.January, 5, "New Year"}, {time.January, 6, "New Year"},
	{time.January, 7, "Christmas"}, {time.January, 8, "New Year"},
	{time.February, 23, "Defender of the Fatherland Day"}, {time.March, 8, "Women's Day"},
	{time.May, 1, "Spring and Labour Day"}, {time.May, 9, "Victory Day"},
	{time.June, 12, "Russia Day"}, {time.November, 4, "Unity Day"},
}

func newSLA(tb testing.TB) *sla.Calendar {
	cfg := sla.CalendarConfig{Location: moscow, Week: sla.Weekdays(sla.Hours(9, 0, 18, 0))}
	for _, h := range holidays {
		cfg.Holidays = append(cfg.Holidays, sla.Holiday{Name: h.name, Date: sla.Annual(h.month, h.day)})
	}
	c, err := sla.NewCalendar(cfg)
	require.NoError(tb, err)
	return c
}

// newRickar builds the rickar/cal calendar as its documentation recommends for holidays
// that do not change once defined: Cacheable on, set after the holidays are added.
func newRickar() *cal.BusinessCalendar {
	c := newRickarUncached()
	c.Cacheable = true
	return c
}

// newRickarUncached is the same calendar with rickar/cal's default, Cacheable off; the
// tests check that both settings give the same answers.
func newRickarUncached() *cal.BusinessCalendar {
	c := cal.NewBusinessCalendar()
	c.SetWorkHours(9*time.Hour, 18*time.Hour)
	for _, h := range holidays {
		c.AddHoliday(&cal.Holiday{Name: h.name, Type: cal.ObservancePublic, Month: h.month, Day: h.day, Func: cal.CalcDayOfMonth})
	}
	return c
}

var start = time.Date(2026, 1, 12, 10, 17, 0, 0, moscow) // a Monday

var spans = []struct {
	name string
	end  time.Time
}{
	{"1day", start.AddDate(0, 0, 1)},
	{"1month", start.AddDate(0, 1, 0)},
	{"1year", start.AddDate(1, 0, 0)},
}

const add = 40 * time.Hour

// TestSameAnswersAsRickarCal checks that both calendars agree on the benchmarked
// questions and on a spread of other starts and spans.
func TestSameAnswersAsRickarCal(t *testing.T) {
	for name, r := range map[string]*cal.BusinessCalendar{"cacheable": newRickar(), "uncached": newRickarUncached()} {
		t.Run(name, func(t *testing.T) { sameAnswers(t, newSLA(t), r) })
	}
}

func sameAnswers(t *testing.T, s *sla.Calendar, r *cal.BusinessCalendar) {
	for _, sp := range spans {
		require.Equal(t, r.WorkHoursInRange(start, sp.end), s.Between(start, sp.end), sp.name)
	}
	require.True(t, r.AddWorkHours(start, add).Equal(s.Add(start, add)))
	for i := range 200 {
		a := start.Add(time.Duration(i) * 7 * time.Hour)
		b := a.Add(time.Duration(i*i) * 13 * time.Minute)
		require.Equal(t, r.WorkHoursInRange(a, b), s.Between(a, b), "Between(%s, %s)", a, b)
		d := time.Duration(1+i%60) * time.Hour
		require.True(t, r.AddWorkHours(a, d).Equal(s.Add(a, d)), "Add(%s, %s): rickar %s, sla %s", a, d, r.AddWorkHours(a, d), s.Add(a, d))
	}
}

func BenchmarkBetween(b *testing.B) {
	s, r := newSLA(b), newRickar()
	for _, sp := range spans {
		require.Equal(b, r.WorkHoursInRange(start, sp.end), s.Between(start, sp.end), sp.name)
		b.Run(sp.name+"/sla", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				s.Between(start, sp.end)
			}
		})
		b.Run(sp.name+"/rickar", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				r.WorkHoursInRange(start, sp.end)
			}
		})
	}
}

func BenchmarkAdd40h(b *testing.B) {
	s, r := newSLA(b), newRickar()
	require.True(b, r.AddWorkHours(start, add).Equal(s.Add(start, add)))
	b.Run("sla", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			s.Add(start, add)
		}
	})
	b.Run("rickar", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			r.AddWorkHours(start, add)
		}
	})
}

// TestRickarWorkdayStartIsOffOnDSTDay shows the pitfall the comparison avoids by using
// Europe/Moscow: rickar/cal builds the workday start as midnight plus a duration, which is
// an hour late on the day New York moves its clocks forward; sla builds it on the wall clock.
func TestRickarWorkdayStartIsOffOnDSTDay(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	r := cal.NewBusinessCalendar()
	r.SetWorkday(time.Sunday, true)
	r.SetWorkHours(9*time.Hour, 18*time.Hour)
	s, err := sla.NewCalendar(sla.CalendarConfig{Location: ny, Week: sla.EveryDay(sla.Hours(9, 0, 18, 0))})
	require.NoError(t, err)
	sunday := time.Date(2026, 3, 8, 0, 0, 0, 0, ny)
	opens, ok := s.NextOpen(sunday)
	require.True(t, ok)
	require.True(t, opens.Equal(time.Date(2026, 3, 8, 9, 0, 0, 0, ny)))
	require.True(t, r.WorkdayStart(sunday).Equal(time.Date(2026, 3, 8, 10, 0, 0, 0, ny)), "rickar/cal: %s", r.WorkdayStart(sunday))
}
