package sla_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

func icsEvent(start string, extra ...string) string {
	return "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:" + start + "\r\n" + strings.Join(extra, "") + "END:VEVENT\r\n"
}

func TestParseICSTwoDayYearlyHolidayFromFebruary28(t *testing.T) {
	// Regression: an endless yearly two-day holiday from 2024-02-28 became "every
	// February 28 and 29", leaving March 1 open in the years without a February 29.
	hs, err := sla.ParseICS(strings.NewReader(icsEvent("20240228", "DURATION:P2D\r\n", "RRULE:FREQ=YEARLY\r\n")))
	require.NoError(t, err)
	cal, err := sla.NewCalendar(sla.CalendarConfig{Holidays: hs})
	require.NoError(t, err)
	closed := func(y int, m time.Month, d int) bool { return !cal.IsOpen(time.Date(y, m, d, 12, 0, 0, 0, time.UTC)) }
	for _, y := range []int{2025, 2026, 2027, 2029, 2100, 2249} {
		assert.True(t, closed(y, time.February, 28), "%d-02-28", y)
		assert.True(t, closed(y, time.March, 1), "%d-03-01", y)
		assert.False(t, closed(y, time.March, 2), "%d-03-02", y)
	}
	for _, y := range []int{2024, 2028, 2096, 2248} {
		assert.True(t, closed(y, time.February, 28), "%d-02-28", y)
		assert.True(t, closed(y, time.February, 29), "%d-02-29", y)
		assert.False(t, closed(y, time.March, 1), "%d-03-01", y)
	}
}

// TestParseICSEndlessYearlyEventsMatchBruteForce compares the holidays ParseICS gives for
// an endless yearly event with the days its occurrences cover, listed one by one.
func TestParseICSEndlessYearlyEventsMatchBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(91, 92))
	runs := 300
	if testing.Short() {
		runs = 60
	}
	for i := range runs {
		start := time.Date(2020+r.IntN(10), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		start = start.AddDate(0, 0, r.IntN(31))
		if r.IntN(4) == 0 { // the interesting corner
			start = time.Date(2020+r.IntN(10), time.February, 26+r.IntN(4), 0, 0, 0, 0, time.UTC)
			if start.Month() != time.February {
				start = time.Date(2024, time.February, 29, 0, 0, 0, 0, time.UTC)
			}
		}
		days := 1 + r.IntN(5)
		if r.IntN(15) == 0 {
			days = 1 + r.IntN(366)
		}
		src := icsEvent(start.Format("20060102"), fmt.Sprintf("DURATION:P%dD\r\n", days), "RRULE:FREQ=YEARLY\r\n")
		hs, err := sla.ParseICS(strings.NewReader(src))
		require.NoError(t, err, src)
		// Brute force: a day is a holiday when an occurrence, starting in a year that has the
		// start's month and day, covers it.
		dayNo := func(t time.Time) int64 { return t.Unix() / 86400 }
		covered := map[int64]bool{}
		for y := start.Year(); y <= start.Year()+30; y++ {
			first := time.Date(y, start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
			if first.Day() != start.Day() {
				continue // no such date this year
			}
			for d := range days {
				covered[dayNo(first)+int64(d)] = true
			}
		}
		dated, annual := map[int64]bool{}, map[[2]int]bool{}
		for _, h := range hs {
			if h.Date.Year == 0 {
				annual[[2]int{int(h.Date.Month), h.Date.Day}] = true
			} else {
				dated[dayNo(time.Date(h.Date.Year, h.Date.Month, h.Date.Day, 0, 0, 0, 0, time.UTC))] = true
			}
		}
		// The days of the first occurrence, by month and day: the annual form, which is right
		// when every later year covers exactly those of its dates.
		firstDays := map[[2]int]bool{}
		for d := range days {
			day := start.AddDate(0, 0, d)
			firstDays[[2]int{int(day.Month()), day.Day()}] = true
		}
		moves := false
		// Annual holidays apply in every year, the years before DTSTART's included, so
		// compare from the year after the start.
		for day := time.Date(start.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() <= start.Year()+25; day = day.AddDate(0, 0, 1) {
			want := covered[dayNo(day)]
			moves = moves || want != firstDays[[2]int{int(day.Month()), day.Day()}]
			got := dated[dayNo(day)] || annual[[2]int{int(day.Month()), day.Day()}]
			if want != got {
				require.Equal(t, want, got, "run %d: %s for %d days from %s", i, day.Format("2006-01-02"), days, start.Format("2006-01-02"))
			}
		}
		// Annual when the days do not move with the years, listed year by year when they do.
		if moves {
			require.Empty(t, annual, "run %d: %d days from %s move with leap years", i, days, start.Format("2006-01-02"))
		} else {
			require.Empty(t, dated, "run %d: %d days from %s fall on the same dates every year", i, days, start.Format("2006-01-02"))
			require.Equal(t, firstDays, annual, "run %d", i)
		}
	}
}

// bounded runs f and fails when it takes more than d or allocates more than mib MiB.
func bounded(t *testing.T, d time.Duration, mib uint64, f func()) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	began := time.Now()
	f()
	took := time.Since(began)
	runtime.ReadMemStats(&after)
	alloc := (after.TotalAlloc - before.TotalAlloc) >> 20
	assert.Less(t, took, d, "took %s", took)
	assert.Less(t, alloc, mib, "allocated %d MiB", alloc)
}

func TestParseICSHostileFeedsAreBounded(t *testing.T) {
	// Regression: each event could expand to ~183,000 dates (a 366-day DURATION times
	// COUNT 500) and names of shared dates were joined over and over: a 9 KB feed took 5 s
	// and 71 MiB.
	t.Run("LongEventsRepeated", func(t *testing.T) {
		var b strings.Builder
		for i := range 80 {
			b.WriteString(icsEvent("19000101", "DURATION:P366D\r\n", "RRULE:FREQ=YEARLY;COUNT=500\r\n", fmt.Sprintf("SUMMARY:Holiday number %d\r\n", i)))
		}
		bounded(t, time.Second, 32, func() {
			_, err := sla.ParseICS(strings.NewReader(b.String()))
			require.ErrorIs(t, err, sla.ErrTooLarge)
			require.ErrorIs(t, err, sla.ErrInvalid)
			var le *sla.LimitError
			require.True(t, errors.As(err, &le))
			assert.Equal(t, 1, le.Line)
			assert.Equal(t, sla.MaxICSDates, le.Limit)
		})
	})
	t.Run("ManyShortEventsAddUp", func(t *testing.T) {
		var b strings.Builder
		for range 300 {
			b.WriteString(icsEvent("20000101", "DURATION:P366D\r\n")) // 300 x 366 dates
		}
		bounded(t, time.Second, 64, func() {
			_, err := sla.ParseICS(strings.NewReader(b.String()))
			require.ErrorIs(t, err, sla.ErrTooLarge)
		})
	})
	t.Run("ManyNamesOnOneDate", func(t *testing.T) {
		var b strings.Builder
		for i := range 5000 {
			b.WriteString(icsEvent("20260101", "DURATION:P10D\r\n", fmt.Sprintf("SUMMARY:%s %d\r\n", strings.Repeat("long name ", 20), i)))
		}
		bounded(t, time.Second, 64, func() {
			hs, err := sla.ParseICS(strings.NewReader(b.String()))
			require.NoError(t, err)
			require.Len(t, hs, 10)
			assert.Len(t, strings.Split(hs[0].Name, " / "), 8, "the first eight names")
		})
	})
	t.Run("EndlesslyFoldedLine", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("BEGIN:VEVENT\r\nSUMMARY:x")
		for range 300_000 {
			b.WriteString("\r\n abcdefgh")
		}
		b.WriteString("\r\nDTSTART;VALUE=DATE:20260101\r\nEND:VEVENT\r\n")
		bounded(t, time.Second, 64, func() {
			_, err := sla.ParseICS(strings.NewReader(b.String()))
			require.ErrorIs(t, err, sla.ErrTooLarge)
		})
	})
	t.Run("WithinTheBoundsIsAccepted", func(t *testing.T) {
		// Endless yearly events across the end of February, listed through 2250.
		var b strings.Builder
		for i := range 20 {
			b.WriteString(icsEvent(fmt.Sprintf("202402%02d", 10+i), "DURATION:P20D\r\n", "RRULE:FREQ=YEARLY\r\n"))
		}
		hs, err := sla.ParseICS(strings.NewReader(b.String()))
		require.NoError(t, err)
		_, err = sla.NewCalendar(sla.CalendarConfig{Holidays: hs})
		require.NoError(t, err)
	})
}

func TestParseICSUnfoldedLineLimitIsOneMiB(t *testing.T) {
	// A content line may unfold to 1 MiB exactly; one byte more is over the limit.
	feed := func(size int) string {
		var b strings.Builder
		b.WriteString("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\n")
		head := "SUMMARY:"
		b.WriteString(head)
		left := size - len(head)
		for left > 0 {
			n := min(left, 70)
			b.WriteString(strings.Repeat("x", n))
			left -= n
			if left > 0 {
				b.WriteString("\r\n ")
			}
		}
		b.WriteString("\r\nEND:VEVENT\r\n")
		return b.String()
	}
	hs, err := sla.ParseICS(strings.NewReader(feed(1 << 20)))
	require.NoError(t, err)
	require.Len(t, hs, 1)
	assert.Len(t, hs[0].Name, 1<<20-len("SUMMARY:"))

	_, err = sla.ParseICS(strings.NewReader(feed(1<<20 + 1)))
	var le *sla.LimitError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 3, le.Line)
}

func TestParseICSFieldBoundsAreInclusive(t *testing.T) {
	ok := []string{
		icsEvent("18000101", "RRULE:FREQ=YEARLY;COUNT=500\r\n"),
		icsEvent("20260101", "RRULE:FREQ=YEARLY;INTERVAL=100;COUNT=2\r\n"),
		icsEvent("20261231", "RRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31\r\n"),
		icsEvent("20260101", "DTEND;VALUE=DATE:20270102\r\n"), // 366 days
		icsEvent("20260101", "DTEND;VALUE=DATE:20260102\r\n"), // 1 day
		icsEvent("20260101", "RRULE:FREQ=YEARLY;INTERVAL=1;COUNT=2;BYMONTH=1;BYMONTHDAY=1\r\n"),
	}
	for _, src := range ok {
		_, err := sla.ParseICS(strings.NewReader(src))
		require.NoError(t, err, src)
	}
	bad := []string{
		icsEvent("18000101", "RRULE:FREQ=YEARLY;COUNT=501\r\n"),
		icsEvent("20260101", "RRULE:FREQ=YEARLY;INTERVAL=101;COUNT=2\r\n"),
		icsEvent("20261231", "RRULE:FREQ=YEARLY;BYMONTH=13\r\n"),
		icsEvent("20261231", "RRULE:FREQ=YEARLY;BYMONTHDAY=32\r\n"),
		icsEvent("20260101", "DTEND;VALUE=DATE:20270103\r\n"), // 367 days
	}
	for _, src := range bad {
		_, err := sla.ParseICS(strings.NewReader(src))
		var pe *sla.ParseError
		require.ErrorAs(t, err, &pe, src)
	}
	// UNTIL includes an occurrence on its own date.
	assert.Equal(t, []string{"2026-07-04", "2027-07-04", "2028-07-04"}, icsDates(t, icsEvent("20260704", "RRULE:FREQ=YEARLY;UNTIL=20280704\r\n")))
	// A counted rule runs through 2250, the calendar's last year.
	assert.Equal(t, []string{"2249-07-01", "2250-07-01"}, icsDates(t, icsEvent("22490701", "RRULE:FREQ=YEARLY;COUNT=5\r\n")))
}

func TestParseICSDateBoundIsInclusive(t *testing.T) {
	feed := func(oneMore bool) string {
		var b strings.Builder
		for range sla.MaxICSDates / 100 {
			b.WriteString(icsEvent("20000101", "DURATION:P100D\r\n"))
		}
		if oneMore {
			b.WriteString(icsEvent("20000101"))
		}
		return b.String()
	}
	_, err := sla.ParseICS(strings.NewReader(feed(false)))
	require.NoError(t, err, "exactly MaxICSDates dates")
	_, err = sla.ParseICS(strings.NewReader(feed(true)))
	require.ErrorIs(t, err, sla.ErrTooLarge)
}

func TestParseICSEndlessYearlyEventsStayAnnualWhenTheirDaysDoNotMove(t *testing.T) {
	for _, tc := range []struct {
		start    string
		days     int
		annually bool
	}{
		{"20260704", 1, true},
		{"20261231", 2, true},  // across the New Year
		{"20260131", 1, true},  // the last day of a month
		{"20250227", 2, true},  // February 27-28 in every year
		{"20240229", 1, true},  // leap years only, as an annual February 29
		{"20240301", 7, true},  // after February
		{"20240228", 2, false}, // February 29 or March 1
		{"20240229", 2, false}, // March 1 only after a February 29
		{"20241120", 120, false},
	} {
		hs, err := sla.ParseICS(strings.NewReader(icsEvent(tc.start, fmt.Sprintf("DURATION:P%dD\r\n", tc.days), "RRULE:FREQ=YEARLY\r\n")))
		require.NoError(t, err)
		if tc.annually {
			require.Len(t, hs, tc.days, tc.start)
		}
		for _, h := range hs {
			require.Equal(t, tc.annually, h.Date.Year == 0, "%s for %d days: %s", tc.start, tc.days, h.Date)
		}
	}
}
