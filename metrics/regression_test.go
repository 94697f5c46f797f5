package metrics_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the zone histories below must not depend on the host's zoneinfo

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// 120,000 tickets of 25 hours each total 342 years, more than a time.Duration holds.
func TestMeanDurationDoesNotOverflowPastDurationRange(t *testing.T) {
	const n = 120_000
	cfg := metrics.ReportConfig{Durations: []metrics.DurationKPI{metrics.FullResolution, metrics.AgentWork}}
	c := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rec := metrics.Record{
		Created: c, FirstSolved: c.Add(25 * time.Hour), Solved: c.Add(25 * time.Hour),
		Handle: []metrics.Interval{{Start: c, End: c.Add(25 * time.Hour)}},
	}
	halves := [2]*metrics.Report{}
	for i := range halves {
		var err error
		halves[i], err = metrics.NewReport(cfg)
		require.NoError(t, err)
		require.Zero(t, halves[i].AddAll(func(yield func(metrics.Record) bool) {
			for range n / 2 {
				if !yield(rec) {
					return
				}
			}
		}))
	}
	require.NoError(t, halves[0].Merge(halves[1])) // the sums of both halves add up past the range
	s := halves[0].Total()

	sum := s.Duration(metrics.FullResolution)
	assert.Equal(t, n, sum.Count)
	assert.Equal(t, 25*time.Hour, sum.Mean)
	assert.Equal(t, time.Duration(math.MaxInt64), sum.Total, "Total saturates")
	assert.InDelta(t, n*25*3600.0, sum.TotalSeconds, 1e-6)
	aht, ok := s.AHT()
	require.True(t, ok)
	assert.Equal(t, 25*time.Hour, aht)

	// 25h misses the default 24h resolution target.
	sc := scorecard(t, s, metrics.Targets{})
	for _, l := range sc.Lines {
		if l.KPI == metrics.KPIAverageResolution {
			assert.True(t, l.HasData)
			assert.False(t, l.Pass, "a mean of 25h passed a 24h target: %v", l.Value)
			assert.Equal(t, "25h0m0s", l.Value)
		}
	}
	assert.False(t, sc.Passed())
}

func TestScorecardNeverPassesImpossibleRates(t *testing.T) {
	s := &metrics.Stats{CSATAnswers: 10, CSATPositive: 20} // a rate of 200%
	sc := scorecard(t, s, metrics.Targets{MaxMeanFRT: -1, MinFCR: -1, MaxMeanResolution: -1})
	require.Len(t, sc.Lines, 1)
	assert.True(t, sc.Lines[0].HasData)
	assert.False(t, sc.Lines[0].Pass)
}

// firstInstantOfDay finds, minute by minute, the first instant whose wall date in loc is the
// date of day: a brute-force oracle for PeriodBounds.
func firstInstantOfDay(day time.Time, loc *time.Location) time.Time {
	y, m, d := day.Date()
	for at := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Add(-30 * time.Hour); ; at = at.Add(time.Minute) {
		ly, lm, ld := at.In(loc).Date()
		if ly == y && lm == m && ld == d {
			return at
		}
	}
}

func TestPeriodBoundsWhereMidnightIsSkippedOrRepeated(t *testing.T) {
	for _, tt := range []struct {
		zone string
		day  time.Time // a date (UTC fields) of the zone's calendar
	}{
		{"America/Havana", time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)},     // 00:00 → 01:00
		{"America/Havana", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},    // 01:00 → 00:00
		{"Asia/Amman", time.Date(2000, 9, 29, 0, 0, 0, 0, time.UTC)},        // 01:00 → 00:00, east of UTC
		{"America/Sao_Paulo", time.Date(2018, 11, 4, 0, 0, 0, 0, time.UTC)}, // 00:00 → 01:00
		{"America/Sao_Paulo", time.Date(2019, 2, 17, 0, 0, 0, 0, time.UTC)}, // 00:00 → 23:00
		{"Asia/Kathmandu", time.Date(1986, 1, 1, 0, 0, 0, 0, time.UTC)},     // +05:30 → +05:45
		{"America/New_York", time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)},   // 02:00 → 03:00
	} {
		loc, err := time.LoadLocation(tt.zone)
		require.NoError(t, err)
		start := firstInstantOfDay(tt.day, loc)
		end := firstInstantOfDay(tt.day.AddDate(0, 0, 1), loc)
		// every instant of the day, including its first and last minute, gets the same bounds
		for _, at := range []time.Time{start, start.Add(time.Minute), start.Add(12 * time.Hour), end.Add(-time.Minute)} {
			s, e := metrics.PeriodBounds(at.In(loc), metrics.Day)
			assert.True(t, s.Equal(start) && e.Equal(end), "%s %v: [%v, %v), want [%v, %v)", tt.zone, at.In(loc), s, e, start, end)
			assert.Equal(t, loc, s.Location())
		}
		monthStart := firstInstantOfDay(time.Date(tt.day.Year(), tt.day.Month(), 1, 0, 0, 0, 0, time.UTC), loc)
		s, _ := metrics.PeriodBounds(start.In(loc), metrics.Month)
		assert.True(t, s.Equal(monthStart), "%s month of %v starts %v, want %v", tt.zone, start.In(loc), s, monthStart)
		back := (int(tt.day.Weekday()) + 6) % 7
		weekStart := firstInstantOfDay(tt.day.AddDate(0, 0, -back), loc)
		s, _ = metrics.PeriodBounds(start.In(loc), metrics.Week)
		assert.True(t, s.Equal(weekStart), "%s week of %v starts %v, want %v", tt.zone, start.In(loc), s, weekStart)
	}
}

func TestPeriodGroupingDoesNotDependOnRecordOrder(t *testing.T) {
	havana, err := time.LoadLocation("America/Havana")
	require.NoError(t, err)
	// March 8 2026 in Havana starts at 01:00 (midnight is skipped).
	times := []time.Time{
		time.Date(2026, 3, 7, 23, 30, 0, 0, havana), // March 7
		time.Date(2026, 3, 8, 1, 0, 0, 0, havana),   // the first instant of March 8
		time.Date(2026, 3, 8, 12, 0, 0, 0, havana),  // March 8
	}
	want := map[string]int{"2026-03-07": 1, "2026-03-08": 2}
	for _, order := range [][]int{{0, 1, 2}, {2, 0, 1}, {1, 0, 2}, {2, 1, 0}} {
		rep, err := metrics.NewReport(metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByPeriod}, Period: metrics.Day, Location: havana})
		require.NoError(t, err)
		for _, i := range order {
			require.NoError(t, rep.Add(metrics.Record{Created: times[i]}))
		}
		got := map[string]int{}
		for _, g := range rep.Groups() {
			got[g.Key.Period.Format(time.DateOnly)] = g.Stats.Tickets
		}
		assert.Equal(t, want, got, "order %v", order)
	}
}

func TestMergeAcrossSeparatelyLoadedZones(t *testing.T) {
	cfg := func() metrics.ReportConfig {
		loc, err := time.LoadLocation("America/New_York") // a new *time.Location each call
		require.NoError(t, err)
		return metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup, metrics.ByPeriod}, Period: metrics.Day, Location: loc}
	}
	shards := make([]*metrics.Report, 3)
	for i := range shards {
		var err error
		shards[i], err = metrics.NewReport(cfg())
		require.NoError(t, err)
	}
	one, err := metrics.NewReport(cfg())
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(3, 4))
	base := time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC)
	for i := range 600 {
		created := base.Add(time.Duration(rng.Int64N(int64(5 * 24 * time.Hour))))
		r := metrics.Record{Group: []string{"a", "b"}[i%2], Created: created, FirstReply: created.Add(time.Minute)}
		require.NoError(t, shards[i%3].Add(r))
		require.NoError(t, one.Add(r))
	}
	merged, err := metrics.NewReport(cfg())
	require.NoError(t, err)
	for _, s := range shards {
		require.NoError(t, merged.Merge(s))
	}
	want, got := one.Groups(), merged.Groups()
	require.Len(t, got, len(want))
	for i := range want {
		assert.True(t, want[i].Key.Period.Equal(got[i].Key.Period))
		assert.Equal(t, want[i].Key.Group, got[i].Key.Group)
		assert.Equal(t, want[i].Stats.Tickets, got[i].Stats.Tickets, "%v", want[i].Key)
		assert.Equal(t, want[i].Stats.Duration(metrics.FRT), got[i].Stats.Duration(metrics.FRT))
		// a key from another report's zone value finds the same group
		s, ok := merged.Stats(want[i].Key)
		require.True(t, ok, "%v", want[i].Key)
		assert.Equal(t, want[i].Stats.Tickets, s.Tickets)
	}
}

func TestSketchRejectsAccuracyBelowMinimum(t *testing.T) {
	for _, alpha := range []float64{1e-7, metrics.MinAccuracy / 2} {
		_, err := metrics.NewSketch(alpha)
		require.ErrorIs(t, err, metrics.ErrInvalid, "alpha %v", alpha)
		_, err = metrics.NewReport(metrics.ReportConfig{Accuracy: alpha})
		require.ErrorIs(t, err, metrics.ErrInvalid, "accuracy %v", alpha)
	}
	_, err := metrics.NewSketch(metrics.MinAccuracy)
	require.NoError(t, err)
}

// liveBytes returns the growth of the live heap across f, which must keep what it builds
// reachable (here through a variable of the caller).
func liveBytes(f func()) int64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

func TestSketchMemoryBoundedAtFinestAccuracy(t *testing.T) {
	// Log-uniform values over 18 decades need 207,000 buckets at alpha 1e-4: the sketch keeps
	// 65,536 (a factor e^13 below the largest value) and collapses the rest.
	rng := rand.New(rand.NewPCG(5, 6))
	xs := make([]float64, 20000)
	for i := range xs {
		xs[i] = math.Pow(10, -9+18*rng.Float64())
	}
	xs = append(xs, 1e300, 1e-9, math.MaxFloat64/2)
	var s *metrics.Sketch
	live := liveBytes(func() {
		s, _ = metrics.NewSketch(metrics.MinAccuracy)
		for _, x := range xs {
			if err := s.Add(x); err != nil {
				t.Fatal(err)
			}
		}
	})
	runtime.KeepAlive(s)
	assert.Less(t, live, int64(2<<20), "live bytes of the sketch") // 65,536 buckets: 512 KiB

	// the top of the distribution keeps the accuracy guarantee
	xs = xs[:len(xs)-3]
	sorted := slices.Sorted(slices.Values(xs))
	s, _ = metrics.NewSketch(metrics.MinAccuracy)
	for _, x := range xs {
		require.NoError(t, s.Add(x))
	}
	for _, q := range []float64{0.8, 0.9, 0.99, 1} {
		got, ok := s.Quantile(q)
		require.True(t, ok)
		assert.InEpsilon(t, percentileCont(sorted, q), got, metrics.MinAccuracy*(1+1e-9), "q=%v", q)
	}

	// collapsing depends only on the values: shards merge into what one pass gives
	parts := make([]*metrics.Sketch, 3)
	for i := range parts {
		parts[i], _ = metrics.NewSketch(metrics.MinAccuracy)
	}
	for i, x := range xs {
		require.NoError(t, parts[i%3].Add(x))
	}
	require.NoError(t, parts[2].Merge(parts[0]))
	require.NoError(t, parts[2].Merge(parts[1]))
	for _, q := range []float64{0, 0.1, 0.5, 0.7, 0.9, 1} {
		a, _ := s.Quantile(q)
		b, _ := parts[2].Quantile(q)
		assert.Equal(t, a, b, "q=%v", q)
	}
}

// The documented bound of MaxErlangs: staffing 100,000 erlangs with abandonment took seconds.
func TestAgentsForErlangALargeLoadIsFast(t *testing.T) {
	q := metrics.Queue{Arrivals: 2e6, AHT: 3 * time.Minute, Patience: time.Minute} // 100,000 erlangs
	start := time.Now()
	p, err := metrics.AgentsFor(q, metrics.Target{})
	elapsed := time.Since(start)
	require.NoError(t, err)
	assert.Less(t, elapsed, 3*time.Second) // about 30 ms on a quiet machine without -race
	// the smallest staffing that meets the target
	assert.GreaterOrEqual(t, p.ServiceLevel, 0.8)
	below, err := q.Evaluate(p.Agents-1, 20*time.Second)
	require.NoError(t, err)
	assert.Less(t, below.ServiceLevel, 0.8)
}

func TestValidateRejectsSolveAfterClose(t *testing.T) {
	c := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		field string
		r     metrics.Record
	}{
		{"FirstSolved", metrics.Record{Created: c, FirstSolved: c.Add(2 * time.Hour), Solved: c.Add(2 * time.Hour), Closed: c.Add(time.Hour)}},
		{"Solved", metrics.Record{Created: c, FirstSolved: c.Add(30 * time.Minute), Solved: c.Add(2 * time.Hour), Closed: c.Add(time.Hour)}},
		{"FirstSolved", metrics.Record{Created: c, FirstSolved: c.Add(2 * time.Hour), Closed: c.Add(time.Hour)}},
	} {
		err := tt.r.Validate()
		require.ErrorIs(t, err, metrics.ErrInvalid)
		var ve *metrics.ValidationError
		require.True(t, errors.As(err, &ve))
		assert.Equal(t, tt.field, ve.Field)
	}
	ok := metrics.Record{Created: c, FirstSolved: c.Add(time.Hour), Solved: c.Add(time.Hour), Closed: c.Add(time.Hour)}
	require.NoError(t, ok.Validate())
}

// Sums of durations past 2^64 ns (about 584 years) carry into the high word of the exact
// sum, in Add and in Merge; the mean and the total in seconds must survive the carry.
func TestDurationSumsCarryPast64Bits(t *testing.T) {
	c := time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)
	long := metrics.Record{Created: c, FirstReply: c.Add(math.MaxInt64)} // FRT: the longest Duration
	cfg := metrics.ReportConfig{Durations: []metrics.DurationKPI{metrics.FRT}}
	one, two := newReport(t, cfg), newReport(t, cfg)
	for range 3 {
		require.NoError(t, one.Add(long)) // 3 × (2^63 − 1) carries in Add
	}
	for range 2 {
		require.NoError(t, two.Add(long))
	}
	for _, r := range []*metrics.Report{one, two} {
		s := r.Total().Duration(metrics.FRT)
		assert.Equal(t, time.Duration(math.MaxInt64), s.Mean)
		assert.InEpsilon(t, float64(s.Count)*float64(math.MaxInt64)/1e9, s.TotalSeconds, 1e-12)
	}
	require.NoError(t, two.Merge(one)) // (2^64 − 2) + 3 × (2^63 − 1) − 2^64 carries in Merge
	s := two.Total().Duration(metrics.FRT)
	assert.Equal(t, 5, s.Count)
	assert.Equal(t, time.Duration(math.MaxInt64), s.Mean)
	assert.Equal(t, time.Duration(math.MaxInt64), s.Total, "saturated")
	assert.InEpsilon(t, 5*float64(math.MaxInt64)/1e9, s.TotalSeconds, 1e-12)
}

// Stats answers for every duration KPI, FRT and AgentWork included, and for every FCR
// variant, and for nothing outside them.
func TestStatsAnswersEveryKPIAndNoOther(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{Calendar: officeHours{}})
	require.NoError(t, r.Add(reopenedTicket()))
	s := r.Total()
	// by hand, from reopenedTicket: FRT 12m, first resolution 6h, full resolution 26h,
	// requester wait 22h, agent work 15m + 30m
	want := map[metrics.DurationKPI]time.Duration{metrics.FRT: 12 * time.Minute, metrics.FirstResolution: 6 * time.Hour,
		metrics.FullResolution: 26 * time.Hour, metrics.RequesterWait: 22 * time.Hour, metrics.AgentWork: 45 * time.Minute}
	for k, d := range want {
		assert.Equal(t, d, s.Duration(k).Mean, "%v", k)
		_, ok := s.BusinessDuration(k)
		assert.True(t, ok, "%v", k)
		q, ok := s.Quantile(k, 1)
		require.True(t, ok, "%v", k)
		assert.InEpsilon(t, float64(d), float64(q), metrics.DefaultAccuracy, "%v", k)
	}
	for _, k := range []metrics.DurationKPI{-1, metrics.AgentWork + 1} {
		assert.Equal(t, metrics.Summary{Clock: metrics.ClockWall}, s.Duration(k))
		_, ok := s.BusinessDuration(k)
		assert.False(t, ok)
		_, ok = s.Quantile(k, 0.5)
		assert.False(t, ok)
	}
	for v := metrics.FCRSingleReply; v <= metrics.FCRNeverReopened; v++ {
		_, ok := s.FCR(v)
		assert.True(t, ok, "%v", v)
	}
	for _, v := range []metrics.FCRVariant{-1, metrics.FCRNeverReopened + 1} {
		_, ok := s.FCR(v)
		assert.False(t, ok, "%v", v)
	}
}

// Merging a nil sketch or report dereferenced it and panicked; bad input is an error.
func TestMergeOfNilIsAnError(t *testing.T) {
	s, err := metrics.NewSketch(0.01)
	require.NoError(t, err)
	require.NoError(t, s.Add(5))
	assert.ErrorIs(t, s.Merge(nil), metrics.ErrInvalid)
	assert.ErrorIs(t, (*metrics.Sketch)(nil).Merge(s), metrics.ErrInvalid)
	assert.Equal(t, uint64(1), s.Count(), "s is unchanged")

	r, err := metrics.NewReport(metrics.ReportConfig{})
	require.NoError(t, err)
	assert.ErrorIs(t, r.Merge(nil), metrics.ErrInvalid)
	assert.ErrorIs(t, (*metrics.Report)(nil).Merge(r), metrics.ErrInvalid)
}

// Reports were merged when their zones had the same name, so two fixed zones named alike
// but eleven hours apart merged and their day buckets did not line up.
func TestMergeRefusesZonesThatShareOnlyAName(t *testing.T) {
	byDay := func(loc *time.Location) *metrics.Report {
		r, err := metrics.NewReport(metrics.ReportConfig{Location: loc, GroupBy: []metrics.Dimension{metrics.ByPeriod}, Period: metrics.Day})
		require.NoError(t, err)
		return r
	}
	a := byDay(time.FixedZone("X", 3600))
	assert.ErrorIs(t, a.Merge(byDay(time.FixedZone("X", -11*3600))), metrics.ErrInvalid)
	assert.NoError(t, a.Merge(byDay(time.FixedZone("X", 3600))), "the same zone made twice merges")

	m1, err := time.LoadLocation("Europe/Moscow")
	require.NoError(t, err)
	m2, err := time.LoadLocation("Europe/Moscow")
	require.NoError(t, err)
	assert.NoError(t, byDay(m1).Merge(byDay(m2)), "a zone loaded twice merges")
}

// Lines of support run 1..3 as in the ticket package, 0 meaning unknown; a record or an event
// naming line 4 once passed and was reported under a line that does not exist.
func TestLineOutsideSupportLinesIsRefused(t *testing.T) {
	created := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		field string
		set   func(r *metrics.Record, line int)
	}{
		{"Line", func(r *metrics.Record, l int) { r.Line = l }},
		{"OwnerAtFirstReply.Line", func(r *metrics.Record, l int) { r.OwnerAtFirstReply.Line = l }},
		{"OwnerAtFirstSolve.Line", func(r *metrics.Record, l int) { r.OwnerAtFirstSolve.Line = l }},
		{"OwnerAtSolve.Line", func(r *metrics.Record, l int) { r.OwnerAtSolve.Line = l }},
	} {
		for _, line := range []int{0, 1, metrics.MaxLine} {
			r := metrics.Record{Created: created}
			tc.set(&r, line)
			assert.NoError(t, r.Validate(), "%s %d", tc.field, line)
		}
		for _, line := range []int{-1, metrics.MaxLine + 1, 100} {
			r := metrics.Record{Created: created}
			tc.set(&r, line)
			err := r.Validate()
			require.ErrorIs(t, err, metrics.ErrInvalid, "%s %d", tc.field, line)
			var ve *metrics.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
		}
	}

	b := metrics.NewBuilder()
	require.NoError(t, b.Add(metrics.Event{TicketID: "T", At: created, Kind: metrics.EventCreated}))
	set := metrics.Event{TicketID: "T", At: created, Kind: metrics.EventSet, Field: metrics.FieldLine}
	set.Int = 2
	require.NoError(t, b.Add(set))
	set.Int = 4
	require.ErrorIs(t, b.Add(set), metrics.ErrInvalid)
	r, ok := b.Record("T")
	require.True(t, ok)
	assert.Equal(t, 2, r.Line, "a refused event changes nothing")
}
