package sla_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

func TestParseICSReadsAllDayEvents(t *testing.T) {
	f, err := os.Open("testdata/ru-holidays-2026.ics")
	require.NoError(t, err)
	defer f.Close()
	hs, err := sla.ParseICS(f)
	require.NoError(t, err)
	// 8 New Year days, 1+1+1, 3 Victory days, 1+1, and one annual date.
	require.Len(t, hs, 17)
	assert.Equal(t, sla.Holiday{Name: "New Year holidays", Date: sla.Day(2026, 1, 1)}, hs[0])
	assert.Equal(t, sla.Day(2026, 1, 8), hs[7].Date)
	assert.Equal(t, "Victory Day, with the moved Monday", hs[11].Name)
	assert.Equal(t, sla.Day(2026, 5, 11), hs[13].Date)
	assert.Equal(t, "Unity Day", hs[15].Name, "folded line")
	assert.Equal(t, sla.Annual(time.January, 7), hs[16].Date)

	cal, err := sla.NewCalendar(sla.CalendarConfig{Location: moscow, Week: sla.Weekdays(sla.Hours(9, 0, 18, 0)), Holidays: hs})
	require.NoError(t, err)
	// Friday 2026-01-09 is the first working day of the year.
	next, ok := cal.NextOpen(time.Date(2026, 1, 1, 0, 0, 0, 0, moscow))
	require.True(t, ok)
	assert.True(t, next.Equal(time.Date(2026, 1, 9, 9, 0, 0, 0, moscow)), "first open %s", next)
	// The annual Christmas closes 2027-01-07, a Thursday.
	assert.False(t, cal.IsOpen(time.Date(2027, 1, 7, 12, 0, 0, 0, moscow)))
}

func TestParseICSYearlyRules(t *testing.T) {
	src := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20240229\r\nRRULE:FREQ=YEARLY;COUNT=5\r\nSUMMARY:Leap\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260704\r\nRRULE:FREQ=YEARLY;INTERVAL=2;UNTIL=20310101T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	hs, err := sla.ParseICS(strings.NewReader(src))
	require.NoError(t, err)
	var dates []string
	for _, h := range hs {
		dates = append(dates, h.Date.String())
	}
	// COUNT=5 counts only the years that have a February 29 (RFC 5545 skips invalid
	// instances): 2024, 2028, 2032, 2036 and 2040.
	assert.Equal(t, []string{"2024-02-29", "2028-02-29", "2032-02-29", "2036-02-29", "2040-02-29", "2026-07-04", "2028-07-04", "2030-07-04"}, dates)
}

func TestParseICSLeapDayCountSkipsMissingYears(t *testing.T) {
	for _, tc := range []struct {
		rule string
		want []string
	}{
		{"FREQ=YEARLY;COUNT=3", []string{"2024-02-29", "2028-02-29", "2032-02-29"}},
		{"FREQ=YEARLY;COUNT=3;INTERVAL=4", []string{"2024-02-29", "2028-02-29", "2032-02-29"}},
		{"FREQ=YEARLY;INTERVAL=2;COUNT=2", []string{"2024-02-29", "2028-02-29"}},
		{"FREQ=YEARLY;UNTIL=20330101", []string{"2024-02-29", "2028-02-29", "2032-02-29"}},
	} {
		src := "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20240229\r\nRRULE:" + tc.rule + "\r\nEND:VEVENT\r\n"
		assert.Equal(t, tc.want, icsDates(t, src), tc.rule)
	}
	src := "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20920229\r\nRRULE:FREQ=YEARLY;INTERVAL=4;COUNT=3\r\nEND:VEVENT\r\n"
	assert.Equal(t, []string{"2092-02-29", "2096-02-29", "2104-02-29"}, icsDates(t, src), "2100 has no February 29")
}

func TestParseICSDurationGivesDays(t *testing.T) {
	for _, tc := range []struct {
		duration string
		want     []string
	}{
		{"P3D", []string{"2026-05-01", "2026-05-02", "2026-05-03"}},
		{"+P1D", []string{"2026-05-01"}},
		{"P1W", []string{"2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05", "2026-05-06", "2026-05-07"}},
	} {
		src := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260501\r\nDURATION:" + tc.duration + "\r\nSUMMARY:May\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
		assert.Equal(t, tc.want, icsDates(t, src), tc.duration)
	}
	// With a yearly rule, every year gets the whole span.
	src := "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261231\r\nDURATION:P2D\r\nRRULE:FREQ=YEARLY;COUNT=2\r\nEND:VEVENT\r\n"
	assert.Equal(t, []string{"2026-12-31", "2027-01-01", "2027-12-31", "2028-01-01"}, icsDates(t, src))
}

func icsDates(t *testing.T, src string) []string {
	t.Helper()
	hs, err := sla.ParseICS(strings.NewReader(src))
	require.NoError(t, err)
	var dates []string
	for _, h := range hs {
		dates = append(dates, h.Date.String())
	}
	return dates
}

func TestParseICSErrorsCarryTheLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		line int
	}{
		{"NoColon", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART 20260101\nEND:VEVENT\nEND:VCALENDAR\n", 3},
		{"TimedEvent", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101T090000Z\nEND:VEVENT\nEND:VCALENDAR\n", 3},
		{"ImpossibleDate", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260230\nEND:VEVENT\nEND:VCALENDAR\n", 3},
		{"MissingStart", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n", 2},
		{"EndBeforeStartAtTheDTENDLine", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nDTEND;VALUE=DATE:20260104\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n", 4},
		{"EndBeforeStartWrittenFirst", "BEGIN:VEVENT\nDTEND;VALUE=DATE:20260104\nDTSTART;VALUE=DATE:20260105\nEND:VEVENT\n", 2},
		{"DurationWithTime", "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nDURATION:PT12H\nEND:VEVENT\n", 3},
		{"DurationDaysAndTime", "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nDURATION:P1DT2H\nEND:VEVENT\n", 3},
		{"NegativeDuration", "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nDURATION:-P1D\nEND:VEVENT\n", 3},
		{"SignInsideDuration", "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nDURATION:P+1D\nEND:VEVENT\n", 3},
		{"NegativeInsideDuration", "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nDURATION:P-1D\nEND:VEVENT\n", 3},
		{"ZeroDuration", "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nDURATION:P0D\nEND:VEVENT\n", 3},
		{"DurationTooLong", "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nDURATION:P53W\nEND:VEVENT\n", 3},
		{"DurationWeeksAndDays", "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nDURATION:P1W2D\nEND:VEVENT\n", 3},
		{"DurationAndEnd", "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nDTEND;VALUE=DATE:20260106\nDURATION:P1D\nEND:VEVENT\n", 4},
		{"MonthlyRule", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nRRULE:FREQ=MONTHLY\nEND:VEVENT\nEND:VCALENDAR\n", 4},
		{"ByDayRule", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nRRULE:FREQ=YEARLY;BYDAY=1MO\nEND:VEVENT\nEND:VCALENDAR\n", 4},
		{"Exdate", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nEXDATE;VALUE=DATE:20270105\nEND:VEVENT\nEND:VCALENDAR\n", 4},
		{"UnbalancedEnd", "BEGIN:VCALENDAR\nEND:VEVENT\n", 2},
		{"MissingEnd", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\n", 3},
		{"LeadingContinuation", " folded\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sla.ParseICS(strings.NewReader(tc.src))
			require.ErrorIs(t, err, sla.ErrInvalid)
			var pe *sla.ParseError
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, tc.line, pe.Line, pe.Error())
		})
	}
}

func FuzzParseICS(f *testing.F) {
	seed, err := os.ReadFile("testdata/ru-holidays-2026.ics")
	require.NoError(f, err)
	f.Add(string(seed))
	f.Add("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20240229\nRRULE:FREQ=YEARLY;COUNT=3\nEND:VEVENT\nEND:VCALENDAR\n")
	f.Add("BEGIN:VEVENT\nDTSTART:99991231\nDTEND:00010101\nEND:VEVENT")
	f.Add("BEGIN:VCALENDAR\n X\nSUMMARY;X=\"a:b\":c\n")
	f.Add("BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260501\nDURATION:P3D\nEND:VEVENT\n")
	f.Fuzz(func(t *testing.T, src string) {
		hs, err := sla.ParseICS(strings.NewReader(src))
		if err != nil {
			require.ErrorIs(t, err, sla.ErrInvalid)
			return
		}
		// Whatever parses stays within the bound on work and makes a valid calendar.
		require.LessOrEqual(t, len(hs), sla.MaxICSDates)
		_, err = sla.NewCalendar(sla.CalendarConfig{Week: sla.Weekdays(sla.Hours(9, 0, 18, 0)), Holidays: hs})
		require.NoError(t, err)
	})
}

// Exports often restate the start date in the rule; that is the same yearly holiday.
func TestParseICSAcceptsByPartsThatRestateTheStart(t *testing.T) {
	src := "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25;COUNT=2\r\nEND:VEVENT\r\n"
	assert.Equal(t, []string{"2026-12-25", "2027-12-25"}, icsDates(t, src))

	other := "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=YEARLY;BYMONTH=1\r\nEND:VEVENT\r\n"
	_, err := sla.ParseICS(strings.NewReader(other))
	var pe *sla.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 3, pe.Line)
	assert.ErrorIs(t, err, sla.ErrInvalid)
}
