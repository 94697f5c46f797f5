package metrics_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// mixedRecords returns n records over a few groups, channels and days, some escalated
// (owners at reply and solve), some invalid, some with many SLA metric names.
func mixedRecords(seed uint64, n int) []metrics.Record {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]metrics.Record, n)
	for i := range out {
		created := mar(1+rng.IntN(20), rng.IntN(24), rng.IntN(60))
		r := metrics.Record{
			TicketID: fmt.Sprint("t", i), Group: fmt.Sprint("g", rng.IntN(12)),
			Channel: []string{"email", "chat"}[rng.IntN(2)], Created: created, CSAT: rng.IntN(6),
		}
		if rng.IntN(10) > 0 {
			r.FirstReply = created.Add(time.Duration(rng.Int64N(int64(10 * time.Hour))))
			r.SLA = append(r.SLA, metrics.SLAResult{Metric: metrics.SLAFirstResponse, Met: rng.IntN(2) == 0})
		}
		if rng.IntN(4) > 0 {
			r.Solved = created.Add(time.Duration(rng.Int64N(int64(90 * time.Hour))))
			r.FirstSolved = r.Solved
		}
		switch rng.IntN(10) {
		case 0:
			r.OwnerAtFirstReply = metrics.Owner{Group: fmt.Sprint("g", rng.IntN(12)), Line: 1}
		case 1:
			r.OwnerAtSolve = metrics.Owner{Group: fmt.Sprint("g", rng.IntN(12)), Line: 2}
		case 2:
			r.CSAT = 9 // invalid
		case 3:
			for m := range rng.IntN(40) {
				r.SLA = append(r.SLA, metrics.SLAResult{Metric: metrics.SLAMetric(fmt.Sprint("m", rng.IntN(50), "_", m))})
			}
		}
		out[i] = r
	}
	return out
}

// Report.AddAll looks records up in batches before adding them; it must give exactly what adding
// them one by one gives, exclusions (invalid records, MaxGroups, MaxSLAMetrics) included.
func TestReportAddAllEqualsAddOneByOne(t *testing.T) {
	for seed := range uint64(5) {
		recs := mixedRecords(seed, 700)
		cfg := metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup, metrics.ByChannel, metrics.ByPeriod},
			Period: metrics.Day, MaxGroups: 150 + 40*int(seed)}
		all, one := newReport(t, cfg), newReport(t, cfg)
		excluded := all.AddAll(slices.Values(recs))
		n := 0
		for _, r := range recs {
			if one.Add(r) != nil {
				n++
			}
		}
		assert.Equal(t, n, excluded, "seed %d", seed)
		require.Positive(t, one.Exclusions().ByReason["MaxGroups"], "seed %d: the bound is reached", seed)
		assert.Equal(t, one.Exclusions(), all.Exclusions(), "seed %d", seed)
		assert.Equal(t, one.Groups(), all.Groups(), "seed %d", seed)
	}
}

// AddAll applies records to their groups many at a time, in buckets of groups; over enough
// records and groups that it does so in several rounds and buckets, with SLA metric names
// past the first 64 the report numbers and groups that reach MaxSLAMetrics, it must give
// exactly what adding the records one by one gives.
func TestReportAddAllInRoundsEqualsAddOneByOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	recs := make([]metrics.Record, 30_000)
	for i := range recs {
		created := mar(1+rng.IntN(28), rng.IntN(24), rng.IntN(60))
		g := rng.IntN(300)
		r := metrics.Record{TicketID: fmt.Sprint("t", i), Group: fmt.Sprint("g", g),
			Channel: []string{"email", "chat"}[rng.IntN(2)], Created: created, CSAT: rng.IntN(6), CES: rng.IntN(8)}
		if rng.IntN(10) > 0 {
			r.FirstReply = created.Add(time.Duration(rng.Int64N(int64(10 * time.Hour))))
		}
		if rng.IntN(4) > 0 {
			r.Solved = created.Add(time.Duration(rng.Int64N(int64(90 * time.Hour))))
			r.FirstSolved = r.Solved
		}
		if rng.IntN(8) == 0 {
			r.OwnerAtSolve = metrics.Owner{Group: fmt.Sprint("g", rng.IntN(300))}
		}
		names := 3 // a few groups see many names, some past the first 64 numbered
		if g < 5 {
			names = 200
		}
		for _, m := range rng.Perm(names)[:min(names, rng.IntN(6))] {
			r.SLA = append(r.SLA, metrics.SLAResult{Metric: metrics.SLAMetric(fmt.Sprint("m", m)), Met: rng.IntN(2) == 0})
		}
		recs[i] = r
	}
	cfg := metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup, metrics.ByChannel}}
	all, one := newReport(t, cfg), newReport(t, cfg)
	excluded := all.AddAll(slices.Values(recs))
	n := 0
	for _, r := range recs {
		if one.Add(r) != nil {
			n++
		}
	}
	assert.Equal(t, n, excluded)
	require.Positive(t, one.Exclusions().ByReason["MaxSLAMetrics"], "groups reach the bound")
	assert.Equal(t, one.Exclusions(), all.Exclusions())
	assert.Equal(t, one.Groups(), all.Groups())
}

// When AddAll's sequence panics, the records it yielded before are in the report, as Add
// would have put them, and the report stays usable.
func TestReportAddAllKeepsRecordsBeforeAPanic(t *testing.T) {
	recs := mixedRecords(7, 300)
	cfg := metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup, metrics.ByChannel}}
	all, one := newReport(t, cfg), newReport(t, cfg)
	func() {
		defer func() { require.NotNil(t, recover()) }()
		all.AddAll(func(yield func(metrics.Record) bool) {
			for _, r := range recs[:250] {
				if !yield(r) {
					return
				}
			}
			panic("the source failed")
		})
	}()
	for _, r := range recs[:250] {
		_ = one.Add(r)
	}
	assert.Equal(t, one.Groups(), all.Groups())
	assert.Equal(t, one.Exclusions(), all.Exclusions())
	all.AddAll(slices.Values(recs[250:]))
	for _, r := range recs[250:] {
		_ = one.Add(r)
	}
	assert.Equal(t, one.Groups(), all.Groups())
}

// A group holds at most MaxSLAMetrics metric names: AddAll leaves out exactly the records a
// brute-force count of each group's names refuses, when the names are among the first 64
// the report numbered, past them, or new to the report.
func TestReportSLABoundMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 3))
	var recs []metrics.Record
	for k := range 13 { // one group receives the first 65 names the report sees, 5 a record
		r := metrics.Record{Group: "g0", Created: mar(2, 9, 0)}
		for m := range 5 {
			r.SLA = append(r.SLA, metrics.SLAResult{Metric: metrics.SLAMetric(fmt.Sprint("m", 5*k+m))})
		}
		recs = append(recs, r)
	}
	for range 20_000 {
		g := rng.IntN(600)
		names := 3
		if g < 20 {
			names = 150
		}
		r := metrics.Record{Group: fmt.Sprint("g", g), Created: mar(2, 9, 0)}
		for _, m := range rng.Perm(names)[:min(names, rng.IntN(8))] {
			r.SLA = append(r.SLA, metrics.SLAResult{Metric: metrics.SLAMetric(fmt.Sprint("m", m))})
		}
		recs = append(recs, r)
	}
	held, refused := refusedForSLANames(recs)
	require.Positive(t, refused)
	rep := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}})
	assert.Equal(t, refused, rep.AddAll(slices.Values(recs)))
	assert.Equal(t, refused, rep.Exclusions().ByReason["MaxSLAMetrics"])
	for _, g := range rep.Groups() {
		assert.ElementsMatch(t, slices.Collect(maps.Keys(held[g.Key.Group])), g.Stats.SLAMetrics(), g.Key.Group)
	}
}

// Counts by hour of week stay exact however many hours a group sees, and across merges.
func TestHourOfWeekCountsEveryHour(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	var want [metrics.HoursPerWeek]int
	parts := [2]*metrics.Report{newReport(t, metrics.ReportConfig{}), newReport(t, metrics.ReportConfig{})}
	whole := newReport(t, metrics.ReportConfig{})
	for i := range 3000 {
		h := rng.IntN(metrics.HoursPerWeek)
		if i < 1000 {
			h = rng.IntN(30) // the first records see few hours
		}
		want[h]++
		// 2026-03-02 is a Monday
		rec := metrics.Record{Created: mar(2, 0, 0).Add(time.Duration(h)*time.Hour + time.Duration(rng.IntN(60))*time.Minute)}
		require.NoError(t, parts[i%2].Add(rec))
		require.NoError(t, whole.Add(rec))
	}
	assert.Equal(t, want, whole.Total().HourOfWeek)
	require.NoError(t, parts[0].Merge(parts[1]))
	assert.Equal(t, want, parts[0].Total().HourOfWeek)
}

// A group used to carry a 1.3 KiB hour-of-week table and sorted value slices that doubled,
// whatever it held: a report of many small groups took several KiB a group. A group now
// holds what its tickets brought.
func TestGroupMemoryFollowsWhatItHolds(t *testing.T) {
	const groups = 2000
	perGroup := func(tickets int) int64 {
		var r *metrics.Report
		live := liveBytes(func() {
			r = newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup},
				Durations: []metrics.DurationKPI{metrics.FRT, metrics.FullResolution}})
			recs := make([]metrics.Record, 0, groups*tickets)
			for g := range groups {
				for i := range tickets {
					created := mar(2+i%7, i%24, 0)
					recs = append(recs, metrics.Record{Group: fmt.Sprint("group-", g), Created: created,
						FirstReply: created.Add(time.Duration(i+1) * time.Minute), FirstSolved: created.Add(time.Hour),
						Solved: created.Add(time.Hour), CSAT: 5, SLA: []metrics.SLAResult{{Metric: metrics.SLAResolution, Met: true}}})
				}
			}
			require.Zero(t, r.AddAll(slices.Values(recs)))
		})
		require.Len(t, r.Groups(), groups)
		return live / groups
	}
	one, thirty := perGroup(1), perGroup(30)
	t.Logf("bytes per group: %d with 1 ticket, %d with 30", one, thirty)
	assert.Less(t, one, int64(1024))
	assert.Less(t, thirty, int64(1536))
}

// A report by group × channel × month of 600 groups over a year has 21,600 groups; the
// default bound used to be 10,000, so a default report left most of them out.
func TestDefaultReportHoldsAYearOfFineGroups(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup, metrics.ByChannel, metrics.ByPeriod},
		Durations: []metrics.DurationKPI{metrics.FRT, metrics.FullResolution}})
	var recs []metrics.Record
	for g := range 600 {
		for _, ch := range []string{"email", "chat", "phone"} {
			for m := range 12 {
				created := time.Date(2025, time.Month(m+1), 1+g%28, 10, 0, 0, 0, time.UTC)
				recs = append(recs, metrics.Record{Group: fmt.Sprint("g", g), Channel: ch, Created: created,
					FirstReply: created.Add(time.Minute)})
			}
		}
	}
	assert.Zero(t, r.AddAll(slices.Values(recs)))
	assert.Len(t, r.Groups(), 21_600)
}

// The bound holds when a report sees few names for a while and many later: AddAll, in one
// pass or in several, leaves out exactly the records a brute-force count refuses, after
// hundreds of groups took names among the first 60 with their updates still waiting.
func TestReportSLABoundAfterFewNames(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 4))
	var recs []metrics.Record
	for i := range 30_000 {
		g, spread, from := rng.IntN(400), 60, 0
		if i >= 20_000 { // later records bring names past the first 64, most to a few groups
			spread, from = 40, 50
			if g < 10 {
				spread = 120
			}
		}
		r := metrics.Record{Group: fmt.Sprint("g", g), Created: mar(2, 9, 0)}
		for _, m := range rng.Perm(spread)[:rng.IntN(6)] {
			r.SLA = append(r.SLA, metrics.SLAResult{Metric: metrics.SLAMetric(fmt.Sprint("m", from+m))})
		}
		recs = append(recs, r)
	}
	held, refused := refusedForSLANames(recs)
	require.Positive(t, refused)
	for _, chunk := range []int{len(recs), 7_001} {
		rep := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}})
		got := 0
		for part := range slices.Chunk(recs, chunk) {
			got += rep.AddAll(slices.Values(part))
		}
		assert.Equal(t, refused, got)
		for _, g := range rep.Groups() {
			assert.ElementsMatch(t, slices.Collect(maps.Keys(held[g.Key.Group])), g.Stats.SLAMetrics(), g.Key.Group)
		}
	}
}

// refusedForSLANames counts, by brute force, the records a report grouped by group refuses
// for bringing a group past MaxSLAMetrics distinct SLA names (a refused record adds none),
// and returns the names each group holds in the end.
func refusedForSLANames(recs []metrics.Record) (map[string]map[metrics.SLAMetric]bool, int) {
	held := map[string]map[metrics.SLAMetric]bool{}
	refused := 0
	for _, r := range recs {
		names := maps.Clone(held[r.Group])
		if names == nil {
			names = map[metrics.SLAMetric]bool{}
		}
		for _, o := range r.SLA {
			names[o.Metric] = true
		}
		if len(names) > metrics.MaxSLAMetrics {
			refused++
			continue
		}
		held[r.Group] = names
	}
	return held, refused
}
