package metrics_test

import (
	"bytes"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// The zero Builder and Report used to panic on first use (nil map, nil Location, a sketch
// of accuracy 0). Every exported type's zero value now works or returns an error.
func TestZeroValuesDoNotPanic(t *testing.T) {
	var b metrics.Builder
	require.NoError(t, b.Add(metrics.Event{TicketID: "T", At: mar(2, 9, 0), Kind: metrics.EventCreated}))
	require.NoError(t, b.Add(metrics.Event{TicketID: "T", At: mar(2, 10, 0), Kind: metrics.EventSolved}))
	assert.Equal(t, 1, b.Len())
	assert.False(t, (&metrics.Builder{}).Delete("T"))
	assert.Empty(t, slices.Collect((&metrics.Builder{}).Records()))

	// a zero Report behaves as NewReport with a zero config
	var zero metrics.Report
	made := newReport(t, metrics.ReportConfig{})
	for _, r := range []*metrics.Report{&zero, made} {
		r.AddAll(slices.Values(fixture()))
	}
	assert.Equal(t, figures(made.Total()), figures(zero.Total()))
	assert.Equal(t, made.Exclusions(), zero.Exclusions())
	assert.Len(t, zero.Groups(), 1)
	_, ok := zero.Stats(metrics.Key{})
	assert.True(t, ok)
	require.NoError(t, made.Merge(&zero))
	assert.Equal(t, 10, made.Total().Tickets)
	var empty, other metrics.Report
	require.NoError(t, empty.Merge(&other))
	assert.Zero(t, empty.Excluded())
	assert.Empty(t, (&metrics.Report{}).Groups())

	// a zero Sketch has no accuracy: adding to it is an error, reading it is empty
	var s metrics.Sketch
	assert.ErrorIs(t, s.Add(1), metrics.ErrInvalid)
	_, ok = s.Quantile(0.5)
	assert.False(t, ok)
	assert.Zero(t, s.Count())
	require.NoError(t, s.Merge(&metrics.Sketch{}))
	real, _ := metrics.NewSketch(0.01)
	require.NoError(t, real.Add(2))
	assert.ErrorIs(t, s.Merge(real), metrics.ErrInvalid)
	assert.Zero(t, s.Clone().Count())

	// zero Stats, Scorecard, NPS, Queue, AgentTime, Customers, Exclusions
	var st metrics.Stats
	assert.Equal(t, metrics.Summary{Clock: metrics.ClockWall}, st.Duration(metrics.FRT))
	_, ok = st.BusinessDuration(metrics.FRT)
	assert.False(t, ok)
	_, ok = st.Quantile(metrics.AgentWork, 0.5)
	assert.False(t, ok)
	_, ok = st.AHT()
	assert.False(t, ok)
	_, ok = st.SLAAttainment("x")
	assert.False(t, ok)
	assert.Empty(t, st.SLAMetrics())
	sc := scorecard(t, &st, metrics.Targets{})
	assert.False(t, sc.Passed())
	var out bytes.Buffer
	_, err := metrics.Scorecard{}.WriteTo(&out)
	require.NoError(t, err)
	assert.True(t, metrics.Scorecard{}.Passed(), "no lines, nothing fails")
	_, ok = metrics.NPS{}.Score()
	assert.False(t, ok)
	_, err = metrics.Queue{}.Evaluate(1, 0)
	assert.ErrorIs(t, err, metrics.ErrInvalid)
	_, err = metrics.AgentsFor(metrics.Queue{}, metrics.Target{})
	assert.ErrorIs(t, err, metrics.ErrInvalid)
	_, err = metrics.Occupancy(metrics.AgentTime{})
	assert.ErrorIs(t, err, metrics.ErrInvalid)
	_, err = metrics.Churn(metrics.Customers{})
	assert.ErrorIs(t, err, metrics.ErrInvalid)
	_, err = metrics.PlanWeek([metrics.HoursPerWeek]float64{}, metrics.WeekConfig{})
	assert.ErrorIs(t, err, metrics.ErrInvalid)
	var rec metrics.Record
	assert.ErrorIs(t, rec.Validate(), metrics.ErrInvalid)
	assert.Equal(t, "all", metrics.Key{}.String())
}

// A NaN rate target used to drop its line from the scorecard, so a card with a broken
// target could pass. An impossible target now keeps its line, which never passes.
func TestScorecardKeepsImpossibleTargets(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{})
	r.AddAll(slices.Values(fixture()))
	good := scorecard(t, r.Total(), metrics.Targets{MinFCR: 0.1, MinCSAT: 0.1, MaxMeanFRT: time.Hour, MaxMeanResolution: 48 * time.Hour})
	require.True(t, good.Passed(), "%v", good)
	for _, tg := range []metrics.Targets{
		{MinFCR: math.NaN(), MinCSAT: 0.1, MaxMeanFRT: time.Hour, MaxMeanResolution: 48 * time.Hour},
		{MinFCR: 0.1, MinCSAT: math.NaN(), MaxMeanFRT: time.Hour, MaxMeanResolution: 48 * time.Hour},
		{MinFCR: math.Inf(1), MinCSAT: 0.1, MaxMeanFRT: time.Hour, MaxMeanResolution: 48 * time.Hour},
		{MinFCR: 0.1, MinCSAT: 1.5, MaxMeanFRT: time.Hour, MaxMeanResolution: 48 * time.Hour},
		{MinFCR: 0.1, MinCSAT: 0.1, MaxMeanFRT: time.Hour, MaxMeanResolution: 48 * time.Hour,
			MinSLA: map[metrics.SLAMetric]float64{metrics.SLAFirstResponse: math.NaN()}},
	} {
		sc := scorecard(t, r.Total(), tg)
		assert.False(t, sc.Passed(), "%+v", tg)
		assert.GreaterOrEqual(t, len(sc.Lines), len(good.Lines), "no line dropped")
	}
}

// Handle-time segments each within the Duration range used to add up past it and wrap
// negative; the sum now saturates.
func TestAgentWorkTimeSaturatesInsteadOfWrapping(t *testing.T) {
	start := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
	mid := start.Add(200 * 365 * 24 * time.Hour)
	end := mid.Add(200 * 365 * 24 * time.Hour)
	r := metrics.Record{Created: start, Handle: []metrics.Interval{{Start: start, End: mid}, {Start: mid, End: end}},
		Pending: []metrics.Interval{{Start: start, End: mid}, {Start: mid, End: end}}, FirstSolved: end, Solved: end}
	require.NoError(t, r.Validate())
	d, ok := metrics.AgentWorkTime(&r, nil)
	require.True(t, ok)
	assert.Equal(t, time.Duration(math.MaxInt64), d)
	w, ok := metrics.RequesterWaitTime(&r, nil)
	require.True(t, ok)
	assert.GreaterOrEqual(t, w, time.Duration(0))
	rep := newReport(t, metrics.ReportConfig{})
	require.NoError(t, rep.Add(r))
	aht, _ := rep.Total().AHT()
	assert.Equal(t, time.Duration(math.MaxInt64), aht)
}
