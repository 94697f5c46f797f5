package sla_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

func TestManyDistinctPrioritiesKeepTheirNamesInLinearTime(t *testing.T) {
	// Regression: the trace looked policy names and priorities up by scanning every name
	// seen so far (quadratic in the distinct priorities of a timeline) and indexed them
	// with 16 bits, so from the 65,536th name on the trace named the wrong priority.
	ps, err := sla.NewPolicies(sla.Policy{Name: "p", Targets: map[string]sla.Targets{"": {Resolution: &sla.Target{Within: time.Hour}}}})
	require.NoError(t, err)
	c := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const n = 70_000
	timeline := []sla.Event{{At: c, Kind: sla.EventCreated, Attributes: sla.Attributes{Priority: "first"}}}
	for i := range n {
		timeline = append(timeline, sla.Event{At: c.Add(time.Duration(i+1) * time.Second), Kind: sla.EventAttributes, Attributes: sla.Attributes{Priority: "p" + strconv.Itoa(i)}})
	}
	began := time.Now()
	r, err := sla.Evaluate(ps, timeline, c.Add((n+10)*time.Second))
	require.NoError(t, err)
	assert.Less(t, time.Since(began), 3*time.Second)
	var trace []sla.Segment
	for _, s := range r.Trace() {
		if s.Metric == sla.Resolution {
			trace = append(trace, s)
		}
	}
	require.Equal(t, n+1, len(trace))
	assert.Equal(t, "first", trace[0].Priority)
	for _, i := range []int{1, 9, 65_535, 65_536, n} {
		assert.Equal(t, "p"+strconv.Itoa(i-1), trace[i].Priority, "segment %d", i)
		assert.Equal(t, "p", trace[i].Policy)
	}
}

func TestRecurringPrioritiesKeepTheirNames(t *testing.T) {
	// Priorities that come back after many others keep their own names in the trace.
	ps, err := sla.NewPolicies(sla.Policy{Name: "p", Targets: map[string]sla.Targets{"": {Resolution: &sla.Target{Within: time.Hour}}}})
	require.NoError(t, err)
	c := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	timeline := []sla.Event{{At: c, Kind: sla.EventCreated, Attributes: sla.Attributes{Priority: "p0"}}}
	var want []string
	for i := range 60 {
		prio := "p" + strconv.Itoa(i*7%20)
		want = append(want, prio)
		timeline = append(timeline, sla.Event{At: c.Add(time.Duration(i+1) * time.Minute), Kind: sla.EventAttributes, Attributes: sla.Attributes{Priority: prio}})
	}
	r, err := sla.Evaluate(ps, timeline, c.Add(2*time.Hour))
	require.NoError(t, err)
	var got []string
	for _, s := range r.Trace() {
		if s.Metric == sla.Resolution {
			got = append(got, s.Priority)
		}
	}
	assert.Equal(t, want, got, "the first change keeps p0: one segment")
}
