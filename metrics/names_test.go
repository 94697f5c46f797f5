package metrics_test

import (
	"encoding"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// Stats.SLAAttainment was keyed by "first response" while a doc example said "first_reply":
// the standard SLA metrics now have constants, spelled one way, and a display spelling of a
// name is rejected instead of counting the same clock under a second name.
func TestSLAMetricNamesHaveOneSpelling(t *testing.T) {
	assert.Equal(t, []string{"first_response", "next_response", "periodic_update", "resolution"},
		[]string{string(metrics.SLAFirstResponse), string(metrics.SLANextResponse),
			string(metrics.SLAPeriodicUpdate), string(metrics.SLAResolution)})
	rec := func(m metrics.SLAMetric) metrics.Record {
		return metrics.Record{Created: mar(2, 9, 0), SLA: []metrics.SLAResult{{Metric: m, Met: true}}}
	}
	for _, m := range []metrics.SLAMetric{metrics.SLAFirstResponse, metrics.SLAResolution, "callback_within_1h"} {
		r := rec(m)
		assert.NoError(t, r.Validate(), "%q", m)
	}
	b := metrics.NewBuilder()
	require.NoError(t, b.Add(metrics.Event{TicketID: "T", At: mar(2, 9, 0), Kind: metrics.EventCreated}))
	for _, m := range []metrics.SLAMetric{"", "first response", "First_Response", "1st_response", "résolution",
		metrics.SLAMetric(make([]byte, 65))} {
		r := rec(m)
		assert.ErrorIs(t, r.Validate(), metrics.ErrInvalid, "%q", m)
		assert.ErrorIs(t, b.Add(metrics.Event{TicketID: "T", At: mar(2, 9, 0), Kind: metrics.EventSLAMet, Field: string(m)}),
			metrics.ErrInvalid, "%q", m)
		if m == "" {
			continue // the zero name encodes, as every zero value does; Validate rejects it
		}
		var into metrics.SLAMetric = "kept"
		assert.ErrorIs(t, into.UnmarshalText([]byte(m)), metrics.ErrInvalid)
		assert.Equal(t, metrics.SLAMetric("kept"), into, "a rejected name changes nothing")
	}
	r, _ := b.Record("T")
	assert.Empty(t, r.SLA)
}

// textEnum is an enumeration with a text form.
type textEnum interface {
	encoding.TextMarshaler
	String() string
}

// Enumerations that are stored or displayed encode as their text form, round-trip through
// JSON, and reject values they do not know.
func TestEnumerationsEncodeAsText(t *testing.T) {
	cases := []struct {
		v       textEnum
		text    string
		fresh   func() encoding.TextUnmarshaler
		unknown textEnum
	}{
		{metrics.EventWorkStarted, "work_started", func() encoding.TextUnmarshaler { return new(metrics.EventKind) }, metrics.EventKind(0)},
		{metrics.EventCES, "ces", func() encoding.TextUnmarshaler { return new(metrics.EventKind) }, metrics.EventCES + 1},
		{metrics.ActorCustomer, "customer", func() encoding.TextUnmarshaler { return new(metrics.ActorKind) }, metrics.ActorKind(3)},
		{metrics.ByPeriod, "period", func() encoding.TextUnmarshaler { return new(metrics.Dimension) }, metrics.Dimension(0)},
		{metrics.Week, "week", func() encoding.TextUnmarshaler { return new(metrics.Period) }, metrics.Period(-1)},
		{metrics.FRT, "first_response", func() encoding.TextUnmarshaler { return new(metrics.DurationKPI) }, metrics.DurationKPI(9)},
		{metrics.FCRNeverReopened, "never_reopened", func() encoding.TextUnmarshaler { return new(metrics.FCRVariant) }, metrics.FCRVariant(3)},
		{metrics.AttributeFinalOwner, "final_owner", func() encoding.TextUnmarshaler { return new(metrics.Attribution) }, metrics.Attribution(2)},
		{metrics.ClockBusiness, "business_hours", func() encoding.TextUnmarshaler { return new(metrics.Clock) }, metrics.Clock("sidereal")},
		{metrics.KPIAverageFirstResponse, "average_first_response", func() encoding.TextUnmarshaler { return new(metrics.KPI) }, metrics.KPI("speed")},
		{metrics.SLANextResponse, "next_response", func() encoding.TextUnmarshaler { return new(metrics.SLAMetric) }, metrics.SLAMetric("Next Response")},
	}
	for _, c := range cases {
		b, err := c.v.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, c.text, string(b))
		js, err := json.Marshal(c.v)
		require.NoError(t, err)
		assert.JSONEq(t, `"`+c.text+`"`, string(js))

		dst := c.fresh()
		require.NoError(t, json.Unmarshal(js, dst))
		assert.Equal(t, c.text, dst.(textEnum).String())

		_, err = c.unknown.MarshalText()
		assert.ErrorIs(t, err, metrics.ErrInvalid, "marshal %v", c.unknown)
		before := dst.(textEnum).String()
		assert.ErrorIs(t, dst.UnmarshalText([]byte("No such value")), metrics.ErrInvalid, "%T", dst)
		assert.Equal(t, before, dst.(textEnum).String(), "a rejected word changes nothing")
	}
	// a record and an event carry their enumerations as text
	js, err := json.Marshal(metrics.Event{TicketID: "T", Kind: metrics.EventSLAMet, Actor: metrics.ActorAgent, Field: "resolution"})
	require.NoError(t, err)
	assert.Contains(t, string(js), `"Kind":"sla_met"`)
	assert.Contains(t, string(js), `"Actor":"agent"`)
	var e metrics.Event
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"Kind":"exploded"}`), &e), metrics.ErrInvalid)
	js, err = json.Marshal(metrics.Record{SLA: []metrics.SLAResult{{Metric: metrics.SLAFirstResponse}}})
	require.NoError(t, err)
	assert.Contains(t, string(js), `"Metric":"first_response"`)
}

// A scorecard is stored as JSON with its names in text: rate lines have no clock and most
// lines no SLA metric, and those empty names encode too.
func TestScorecardRoundTripsThroughJSON(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{Calendar: officeHours{}})
	for _, rec := range clockRecords() {
		require.NoError(t, r.Add(rec))
	}
	sc := scorecard(t, r.Total(), metrics.Targets{MinSLA: map[metrics.SLAMetric]float64{metrics.SLAResolution: 0.9}})
	js, err := json.Marshal(sc)
	require.NoError(t, err)
	assert.Contains(t, string(js), `"KPI":"average_first_response"`)
	assert.Contains(t, string(js), `"Clock":"business_hours"`)
	assert.Contains(t, string(js), `"SLAMetric":"resolution"`)
	var back metrics.Scorecard
	require.NoError(t, json.Unmarshal(js, &back))
	assert.Equal(t, sc, back)
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"Lines":[{"KPI":"speed"}]}`), &back), metrics.ErrInvalid)
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"Lines":[{"Clock":"sidereal"}]}`), &back), metrics.ErrInvalid)
}

func TestClockLabelsAreWordsForEveryClock(t *testing.T) {
	assert.Equal(t, "business hours", metrics.ClockBusiness.Label())
	assert.Equal(t, "wall clock", metrics.ClockWall.Label())
	assert.Equal(t, "-", metrics.Clock("").Label(), "a rate has no clock")
	assert.Equal(t, "-", metrics.Clock("sundial").Label())
}
