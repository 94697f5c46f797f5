package metrics_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// rows returns the table's rows split into cells (two or more spaces apart).
func rows(t *testing.T, r *metrics.Report) [][]string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, r.WriteTable(&b))
	var out [][]string
	for line := range strings.Lines(b.String()) {
		var cells []string
		for _, c := range strings.Split(strings.TrimSpace(line), "  ") {
			if c = strings.TrimSpace(c); c != "" {
				cells = append(cells, c)
			}
		}
		out = append(out, cells)
	}
	return out
}

// A report with a Calendar prints business-hours durations, the figures of
// Stats.BusinessDuration, and one column per SLA metric; "-" marks a figure without data.
func TestWriteTableUsesTheCalendarAndMarksMissingData(t *testing.T) {
	r, err := metrics.NewReport(metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}, Calendar: officeHours{}})
	require.NoError(t, err)
	// Friday 16:30, answered Monday 09:30: 1h of office hours, 65h of wall clock.
	fri := time.Date(2026, 3, 6, 16, 30, 0, 0, time.UTC)
	mon := time.Date(2026, 3, 9, 9, 30, 0, 0, time.UTC)
	require.NoError(t, r.Add(metrics.Record{Group: "l1", Created: fri, FirstReply: mon, FirstSolved: mon, Solved: mon,
		SLA: []metrics.SLAResult{{Metric: metrics.SLAFirstResponse, Met: false}}, CSAT: 5}))
	require.NoError(t, r.Add(metrics.Record{Group: "l2", Created: mon}))

	got := rows(t, r)
	require.Len(t, got, 4, "header, two groups, total")
	assert.Equal(t, []string{"group", "tickets", "solved", "first response p50/p90", "resolution p50/p90", "SLA first_response", "CSAT"}, got[0])
	assert.Equal(t, []string{"l1", "1", "1", "1:00 / 1:00", "1:00 / 1:00", "0%", "100%"}, got[1])
	assert.Equal(t, []string{"l2", "1", "0", "-", "-", "-", "-"}, got[2])
	assert.Equal(t, []string{"total", "2", "1", "1:00 / 1:00", "1:00 / 1:00", "0%", "100%"}, got[3])
}

// A report without dimensions prints its one group as "all", and an empty one a row of no data.
func TestWriteTableOfAnUngroupedReport(t *testing.T) {
	var r metrics.Report
	got := rows(t, &r)
	require.Len(t, got, 2)
	assert.Equal(t, []string{"all", "0", "0", "-", "-", "-"}, got[1])

	require.NoError(t, r.Add(metrics.Record{Created: time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC),
		FirstReply: time.Date(2026, 3, 9, 10, 5, 0, 0, time.UTC)}))
	got = rows(t, &r)
	require.Len(t, got, 2, "one group, no separate total")
	assert.Equal(t, []string{"all", "1", "0", "1:05 / 1:05", "-", "-"}, got[1])
}

type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWriteTableReturnsTheWriteError(t *testing.T) {
	var r metrics.Report
	assert.ErrorIs(t, r.WriteTable(failingWriter{}), errDiskFull)
}

// Percentiles of a group past ExactLimit are estimates, and the table marks them "~";
// exact ones print bare.
func TestWriteTableMarksEstimates(t *testing.T) {
	r, err := metrics.NewReport(metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}})
	require.NoError(t, err)
	at := time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)
	for i := range metrics.ExactLimit + 1 {
		reply := at.Add(time.Duration(i+1) * time.Minute)
		require.NoError(t, r.Add(metrics.Record{Group: "big", Created: at, FirstReply: reply}))
	}
	require.NoError(t, r.Add(metrics.Record{Group: "small", Created: at, FirstReply: at.Add(time.Hour)}))
	got := rows(t, r)
	require.Len(t, got, 4)
	assert.Equal(t, "big", got[1][0])
	assert.True(t, strings.HasPrefix(got[1][3], "~"), "big group's first response is an estimate: %q", got[1][3])
	assert.Contains(t, got[1][3], "/ ~")
	assert.Equal(t, "1:00 / 1:00", got[2][3], "a small group's are exact")
}
