package metrics_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

func TestScorecardDefaultsAgainstFixture(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{})
	r.AddAll(slices.Values(fixture()))
	sc := scorecard(t, r.Total(), metrics.Targets{MinSLA: map[metrics.SLAMetric]float64{metrics.SLAFirstResponse: 0.5}})
	// mean FRT 181m/5 = 36m12s; FCR (single reply) R1, R3, R5 of the 4 solved = 75%;
	// CSAT 5 and 4 of the answers 5, 3, 4, 1 = 50%; mean full resolution
	// (2h + 24h + 30m + 10h)/4 = 9h7m30s; SLA first_reply R1, R3 of 4 = 50%.
	got := sc.String()
	lines := strings.Split(strings.TrimSpace(got), "\n")
	require.Len(t, lines, 6)
	assert.Equal(t, []string{"KPI", "CLOCK", "VALUE", "TARGET", "RESULT"}, strings.Fields(lines[0]))
	rows := [][]string{
		{"average first response", "36m12s", "<= 15m0s", "FAIL"},
		{"first contact resolution (single reply)", "75.0%", ">= 85.0%", "FAIL"},
		{"CSAT (4-5 of 5)", "50.0%", ">= 90.0%", "FAIL"},
		{"average resolution", "9h7m30s", "<= 24h0m0s", "PASS"},
		{"SLA first_response", "50.0%", ">= 50.0%", "PASS"},
	}
	for i, row := range rows {
		l := sc.Lines[i]
		assert.Equal(t, row, []string{l.Label, l.Value, l.Target, map[bool]string{true: "PASS", false: "FAIL"}[l.Pass]})
		assert.Contains(t, lines[i+1], row[0])
	}
	assert.False(t, sc.Passed())
	// the columns line up: every row has its value at the same offset as the header's VALUE
	col := strings.Index(lines[0], "VALUE")
	for i, row := range rows {
		assert.Equal(t, col, strings.Index(lines[i+1], row[1]), "row %d", i)
	}
	assert.Equal(t, got, sc.String(), "deterministic")
}

func TestScorecardOverridesAndNoData(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{})
	// one unsolved ticket answered in 20 minutes, no CSAT
	require.NoError(t, r.Add(metrics.Record{Created: mar(2, 9, 0), FirstReply: mar(2, 9, 20), AgentReplies: 1}))
	sc := scorecard(t, r.Total(), metrics.Targets{MaxMeanFRT: 30 * time.Minute, MaxMeanResolution: -1})
	require.Len(t, sc.Lines, 3) // resolution line dropped
	assert.True(t, sc.Lines[0].Pass)
	assert.Equal(t, "20m0s", sc.Lines[0].Value)
	assert.False(t, sc.Lines[1].HasData, "no solved tickets: FCR has no data")
	assert.Equal(t, "n/a", sc.Lines[1].Value)
	assert.Contains(t, sc.String(), "NO DATA")
	assert.False(t, sc.Passed(), "missing data does not pass")
}

func TestScorecardOfNilStats(t *testing.T) {
	sc := scorecard(t, nil, metrics.Targets{})
	require.Len(t, sc.Lines, 4)
	for _, l := range sc.Lines {
		assert.False(t, l.HasData)
	}
}

// TestScorecardLinesCarryTheirNumbers guards the numeric fields of a ScoreLine: a host can
// print a line its own way from Mean/MaxMean (durations) and Rate/MinRate (shares) without
// parsing Value and Target, and a line without data has a zero Mean or Rate.
func TestScorecardLinesCarryTheirNumbers(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{})
	r.AddAll(slices.Values(fixture()))
	sc := scorecard(t, r.Total(), metrics.Targets{MinSLA: map[metrics.SLAMetric]float64{metrics.SLAFirstResponse: 0.5}})
	require.Len(t, sc.Lines, 5)
	// the figures of TestScorecardDefaultsAgainstFixture
	frt, fcr, csat, res, slaLine := sc.Lines[0], sc.Lines[1], sc.Lines[2], sc.Lines[3], sc.Lines[4]
	assert.Equal(t, 36*time.Minute+12*time.Second, frt.Mean)
	assert.Equal(t, 15*time.Minute, frt.MaxMean)
	assert.Equal(t, 9*time.Hour+7*time.Minute+30*time.Second, res.Mean)
	assert.Equal(t, 24*time.Hour, res.MaxMean)
	assert.InDelta(t, 0.75, fcr.Rate, 1e-12)
	assert.InDelta(t, 0.85, fcr.MinRate, 1e-12)
	assert.InDelta(t, 0.5, csat.Rate, 1e-12)
	assert.InDelta(t, 0.9, csat.MinRate, 1e-12)
	assert.InDelta(t, 0.5, slaLine.Rate, 1e-12)
	assert.InDelta(t, 0.5, slaLine.MinRate, 1e-12)
	for _, l := range []metrics.ScoreLine{frt, res} {
		assert.Zero(t, l.Rate, l.Label)
		assert.Zero(t, l.MinRate, l.Label)
	}
	for _, l := range []metrics.ScoreLine{fcr, csat, slaLine} {
		assert.Zero(t, l.Mean, l.Label)
		assert.Zero(t, l.MaxMean, l.Label)
	}

	empty := scorecard(t, nil, metrics.Targets{})
	assert.Zero(t, empty.Lines[0].Mean)
	assert.Equal(t, 15*time.Minute, empty.Lines[0].MaxMean, "the target is known without data")
	assert.Zero(t, empty.Lines[1].Rate)
	assert.InDelta(t, 0.85, empty.Lines[1].MinRate, 1e-12)
}

// A target named "First Response" instead of first_response once gave a line that matched no
// outcome and so never passed, with nothing to say why: the name is refused when the
// scorecard is built.
func TestScorecardRefusesMalformedSLATargetNames(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{})
	for _, name := range []metrics.SLAMetric{"First Response", "first-response", "", "FIRST_RESPONSE"} {
		tg := metrics.Targets{MinSLA: map[metrics.SLAMetric]float64{metrics.SLAResolution: 0.5, name: 0.5}}
		sc, err := metrics.NewScorecard(r.Total(), tg)
		require.ErrorIs(t, err, metrics.ErrInvalid, "%q", name)
		var ve *metrics.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "MinSLA", ve.Field)
		assert.Contains(t, ve.Reason, string(name))
		assert.Empty(t, sc.Lines, "no half-built scorecard")
	}
	sc, err := metrics.NewScorecard(r.Total(), metrics.Targets{MinSLA: map[metrics.SLAMetric]float64{"vip_callback": 0.5}})
	require.NoError(t, err, "a host's own well-formed metric name is fine")
	assert.Equal(t, metrics.SLAMetric("vip_callback"), sc.Lines[len(sc.Lines)-1].SLAMetric)
}
