package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCivilDaysMatchTimePackage(t *testing.T) {
	for d := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2251; d = d.AddDate(0, 0, 3) {
		z := d.Unix() / 86400
		require.Equal(t, z, daysFromCivil(d.Year(), d.Month(), d.Day()))
		y, m, day := civilFromDays(z)
		require.Equal(t, []int{d.Year(), int(d.Month()), d.Day()}, []int{y, int(m), day})
		require.Equal(t, d.Weekday(), weekday(z))
		yy, doy, ok := dayOfYear(z)
		require.True(t, ok)
		require.Equal(t, []int{d.Year(), d.YearDay() - 1}, []int{yy, doy})
	}
}

func TestZoneTableMatchesLocation(t *testing.T) {
	for _, name := range []string{"America/New_York", "Europe/Moscow", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"} {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		z := newZoneTable(loc)
		for ts := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); ts.Year() < 2100; ts = ts.Add(71*time.Hour + 17*time.Minute) {
			_, off := ts.In(loc).Zone()
			p := z.pieceAt(ts.UnixNano())
			if p.flat {
				continue // the repeated hour reads as the earlier offset's last instant
			}
			require.Equal(t, int64(off)*int64(time.Second), p.off, "%s at %s", name, ts)
		}
	}
}
