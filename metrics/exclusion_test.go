package metrics_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// A Report used to leave invalid records out with nothing but a count: which tickets, and
// why, was lost. Exclusions now names them.
func TestReportExposesExcludedRecords(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{})
	bad := []metrics.Record{
		{TicketID: "no-created"},
		{TicketID: "solved-after-close", Created: mar(2, 9, 0), FirstSolved: mar(2, 10, 0), Solved: mar(2, 12, 0), Closed: mar(2, 11, 0)},
		{TicketID: "csat", Created: mar(2, 9, 0), CSAT: 6},
	}
	require.NoError(t, r.Add(reopenedTicket()))
	for _, rec := range bad[:2] {
		assert.ErrorIs(t, r.Add(rec), metrics.ErrInvalid)
	}
	assert.Equal(t, 1, r.AddAll(slices.Values(bad[2:])))

	x := r.Exclusions()
	assert.Equal(t, 3, x.Count)
	assert.Equal(t, r.Excluded(), x.Count)
	assert.Equal(t, map[string]int{"Created": 1, "Solved": 1, "CSAT": 1}, x.ByReason)
	require.Len(t, x.Sample, 3)
	for i, e := range x.Sample {
		assert.Equal(t, bad[i].TicketID, e.TicketID)
		assert.ErrorIs(t, e.Err, metrics.ErrInvalid)
		assert.Equal(t, bad[i].Validate(), e.Err)
	}
	assert.Equal(t, 1, r.Total().Tickets, "left out records are not counted")

	// the copy is the caller's
	x.ByReason["CSAT"] = 99
	x.Sample[0].TicketID = "changed"
	assert.Equal(t, 1, r.Exclusions().ByReason["CSAT"])
	assert.Equal(t, "no-created", r.Exclusions().Sample[0].TicketID)

	// a merge adds the other report's exclusions after r's own; the sample stays bounded
	o := newReport(t, metrics.ReportConfig{})
	for i := range metrics.ExclusionSampleSize + 10 {
		_ = o.Add(metrics.Record{TicketID: fmt.Sprint("o", i), Created: mar(2, 9, 0), CES: 8})
	}
	assert.Len(t, o.Exclusions().Sample, metrics.ExclusionSampleSize)
	require.NoError(t, r.Merge(o))
	x = r.Exclusions()
	assert.Equal(t, 3+metrics.ExclusionSampleSize+10, x.Count)
	assert.Equal(t, metrics.ExclusionSampleSize+10, x.ByReason["CES"])
	require.Len(t, x.Sample, metrics.ExclusionSampleSize)
	assert.Equal(t, "no-created", x.Sample[0].TicketID)
	assert.Equal(t, "o0", x.Sample[3].TicketID)
	assert.Equal(t, metrics.Exclusions{}, newReport(t, metrics.ReportConfig{}).Exclusions())
}

// Property: with any MaxGroups, a report keeps the groups first opened by valid records, at
// most MaxGroups of them, each counting exactly its records; every other record is left
// out and named. The oracle replays the records with a plain map.
func TestReportBoundsGroups(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 3))
		maxGroups := 1 + rng.IntN(12)
		r := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByAgent, metrics.ByPeriod},
			Period: metrics.Day, MaxGroups: maxGroups})
		type key struct {
			agent string
			day   int
		}
		want := map[key]int{}
		var left, invalid, n int
		for rec := range randomRecords(seed, 300) {
			rec.Assignee = fmt.Sprint("agent", rng.IntN(6))
			// one owner per record: the oracle counts groups by the current assignee
			rec.OwnerAtFirstReply, rec.OwnerAtFirstSolve = metrics.Owner{}, metrics.Owner{}
			n++
			err := r.Add(rec)
			k := key{rec.Assignee, rec.Created.YearDay()}
			switch _, seen := want[k]; {
			case rec.Validate() != nil:
				invalid++
				require.ErrorIs(t, err, metrics.ErrInvalid)
			case !seen && len(want) == maxGroups:
				left++
				require.ErrorIs(t, err, metrics.ErrLimit)
			default:
				require.NoError(t, err)
				want[k]++
			}
		}
		groups := r.Groups()
		require.Len(t, groups, len(want), "seed %d", seed)
		assert.LessOrEqual(t, len(groups), maxGroups)
		for _, g := range groups {
			assert.Equal(t, want[key{g.Key.Agent, g.Key.Period.YearDay()}], g.Stats.Tickets, "group %v", g.Key)
		}
		x := r.Exclusions()
		assert.Equal(t, left, x.ByReason["MaxGroups"])
		assert.Equal(t, left+invalid, x.Count)
		assert.Equal(t, n, r.Total().Tickets+x.Count, "every record is counted or left out")
	}
}

// MaxGroups used not to exist: a report's groups (the product of its dimensions' values) and
// their sketches grew without bound. NewReport now checks the product of groups, sketches
// and buckets.
func TestNewReportBoundsTotalSketchMemory(t *testing.T) {
	for _, cfg := range []metrics.ReportConfig{
		{MaxGroups: -1},
		{Accuracy: metrics.MinAccuracy, MaxGroups: metrics.DefaultMaxGroups},
		{Accuracy: metrics.MinAccuracy, Calendar: officeHours{}, MaxGroups: 500},
		{MaxGroups: metrics.MaxReportBuckets},
	} {
		_, err := metrics.NewReport(cfg)
		assert.ErrorIs(t, err, metrics.ErrInvalid, "%+v", cfg)
	}
	for _, cfg := range []metrics.ReportConfig{
		{}, {Calendar: officeHours{}},
		{Accuracy: metrics.MinAccuracy}, {Accuracy: metrics.MinAccuracy, Calendar: officeHours{}},
		{Accuracy: metrics.MinAccuracy, Calendar: officeHours{}, MaxGroups: 400},
		{Durations: []metrics.DurationKPI{metrics.FRT}, MaxGroups: 50_000},
	} {
		_, err := metrics.NewReport(cfg)
		assert.NoError(t, err, "%+v", cfg)
	}
}

// A group's SLA metric names are record data: without a bound a caller could grow a group
// without limit; and a record listing a metric twice counted its ticket twice.
func TestReportBoundsSLAMetrics(t *testing.T) {
	slaN := func(from, n int) []metrics.SLAResult {
		var out []metrics.SLAResult
		for i := from; i < from+n; i++ {
			out = append(out, metrics.SLAResult{Metric: metrics.SLAMetric(fmt.Sprint("m", i)), Met: true})
		}
		return out
	}
	rec := func(sla []metrics.SLAResult) metrics.Record {
		return metrics.Record{TicketID: "T", Created: mar(2, 9, 0), SLA: sla}
	}
	tooMany := rec(slaN(0, metrics.MaxSLAMetrics+1))
	assert.ErrorIs(t, tooMany.Validate(), metrics.ErrInvalid)
	twice := rec([]metrics.SLAResult{{Metric: "a", Met: true}, {Metric: "a", Met: false}})
	assert.ErrorIs(t, twice.Validate(), metrics.ErrInvalid)

	r := newReport(t, metrics.ReportConfig{})
	require.NoError(t, r.Add(rec(slaN(0, metrics.MaxSLAMetrics-1))))
	require.NoError(t, r.Add(rec(slaN(0, metrics.MaxSLAMetrics))), "one new name fits")
	assert.ErrorIs(t, r.Add(rec(slaN(1, metrics.MaxSLAMetrics))), metrics.ErrLimit)
	require.NoError(t, r.Add(rec(slaN(0, 3))), "known names always fit")
	assert.Len(t, r.Total().SLAMetrics(), metrics.MaxSLAMetrics)
	assert.Equal(t, 1, r.Exclusions().ByReason["MaxSLAMetrics"])

	// merging cannot pass the bound either, and a refused merge changes nothing
	o := newReport(t, metrics.ReportConfig{})
	require.NoError(t, o.Add(rec(slaN(100, 1))))
	before := figures(r.Total())
	assert.ErrorIs(t, r.Merge(o), metrics.ErrLimit)
	assert.Equal(t, before, figures(r.Total()))

	b := metrics.NewBuilder()
	require.NoError(t, b.Add(metrics.Event{TicketID: "T", At: mar(2, 9, 0), Kind: metrics.EventCreated}))
	for _, s := range slaN(0, metrics.MaxSLAMetrics) {
		require.NoError(t, b.Add(metrics.Event{TicketID: "T", At: mar(2, 10, 0), Kind: metrics.EventSLAMet, Field: string(s.Metric)}))
	}
	assert.ErrorIs(t, b.Add(metrics.Event{TicketID: "T", At: mar(2, 10, 0), Kind: metrics.EventSLAMet, Field: "one_more"}), metrics.ErrInvalid)
	require.NoError(t, b.Add(metrics.Event{TicketID: "T", At: mar(2, 10, 0), Kind: metrics.EventSLABreached, Field: "m0"}))
}

// Merging used to have no bound on the groups it adds; it now refuses, unchanged, a merge
// past MaxGroups.
func TestMergeBoundsGroups(t *testing.T) {
	cfg := func(max int) metrics.ReportConfig {
		return metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}, MaxGroups: max}
	}
	r, o := newReport(t, cfg(3)), newReport(t, cfg(10))
	for _, g := range []string{"a", "b"} {
		require.NoError(t, r.Add(metrics.Record{Group: g, Created: mar(2, 9, 0)}))
	}
	for _, g := range []string{"b", "c", "d"} {
		require.NoError(t, o.Add(metrics.Record{Group: g, Created: mar(2, 9, 0)}))
	}
	assert.ErrorIs(t, r.Merge(o), metrics.ErrLimit)
	assert.Len(t, r.Groups(), 2)
	assert.Equal(t, 2, r.Total().Tickets)
	require.NoError(t, o.Merge(r))
	assert.Equal(t, 5, o.Total().Tickets)

	// a merge that reaches the bound exactly fits
	exact := newReport(t, cfg(3))
	require.NoError(t, exact.Add(metrics.Record{Group: "c", Created: mar(2, 9, 0)}))
	require.NoError(t, r.Merge(exact))
	assert.Len(t, r.Groups(), 3)
}

// A merge that brings a group's SLA metric names to MaxSLAMetrics exactly fits; one more
// does not.
func TestMergeBoundsSLAMetricsExactly(t *testing.T) {
	rec := func(from, n int) metrics.Record {
		r := metrics.Record{Created: mar(2, 9, 0)}
		for i := from; i < from+n; i++ {
			r.SLA = append(r.SLA, metrics.SLAResult{Metric: metrics.SLAMetric(fmt.Sprint("m", i)), Met: true})
		}
		return r
	}
	r, o := newReport(t, metrics.ReportConfig{}), newReport(t, metrics.ReportConfig{})
	require.NoError(t, r.Add(rec(0, metrics.MaxSLAMetrics-1)))
	require.NoError(t, o.Add(rec(metrics.MaxSLAMetrics-1, 1)))
	require.NoError(t, r.Merge(o))
	assert.Len(t, r.Total().SLAMetrics(), metrics.MaxSLAMetrics)
	more := newReport(t, metrics.ReportConfig{})
	require.NoError(t, more.Add(rec(metrics.MaxSLAMetrics, 1)))
	assert.ErrorIs(t, r.Merge(more), metrics.ErrLimit)
}
