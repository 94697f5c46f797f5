package metrics_test

import (
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// fixture: five valid tickets and one with an out-of-range CSAT.
func fixture() []metrics.Record {
	return []metrics.Record{
		{TicketID: "R1", Group: "billing", Channel: "email", Created: mar(2, 10, 0), FirstReply: mar(2, 10, 10),
			FirstSolved: mar(2, 12, 0), Solved: mar(2, 12, 0), AgentReplies: 1, CSAT: 5, CES: 2,
			SLA: []metrics.SLAResult{{Metric: metrics.SLAFirstResponse, Met: true}, {Metric: "resolution", Met: true}}},
		{TicketID: "R2", Group: "billing", Channel: "email", Created: mar(2, 11, 0), FirstReply: mar(2, 11, 20),
			FirstSolved: mar(2, 15, 0), Solved: mar(3, 11, 0), AgentReplies: 2, CustomerReplies: 1, Reopens: 1, CSAT: 3,
			SLA: []metrics.SLAResult{{Metric: metrics.SLAFirstResponse, Met: false}}},
		{TicketID: "R3", Group: "billing", Channel: "chat", Created: mar(3, 9, 0), FirstReply: mar(3, 9, 1),
			FirstSolved: mar(3, 9, 30), Solved: mar(3, 9, 30), AgentReplies: 1, CustomerReplies: 1, CSAT: 4, CES: 4,
			SLA: []metrics.SLAResult{{Metric: metrics.SLAFirstResponse, Met: true}}},
		{TicketID: "R4", Group: "tech", Channel: "email", Created: mar(4, 14, 0), FirstReply: mar(4, 16, 0), AgentReplies: 1,
			SLA: []metrics.SLAResult{{Metric: metrics.SLAFirstResponse, Met: false}}},
		{TicketID: "R5", Group: "tech", Channel: "email", Created: time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC),
			FirstReply:  time.Date(2026, 4, 1, 8, 30, 0, 0, time.UTC),
			FirstSolved: time.Date(2026, 4, 1, 18, 0, 0, 0, time.UTC), Solved: time.Date(2026, 4, 1, 18, 0, 0, 0, time.UTC),
			AgentReplies: 1, CustomerReplies: 2, CSAT: 1},
		{TicketID: "bad", Group: "tech", Channel: "email", Created: mar(5, 9, 0), CSAT: 9},
	}
}

func newReport(t *testing.T, cfg metrics.ReportConfig) *metrics.Report {
	t.Helper()
	r, err := metrics.NewReport(cfg)
	require.NoError(t, err)
	return r
}

// mustRate returns a function that unwraps a (rate, ok) pair, failing the test when ok is false.
func mustRate(t *testing.T) func(float64, bool) float64 {
	return func(v float64, ok bool) float64 {
		t.Helper()
		require.True(t, ok)
		return v
	}
}

func TestReportByGroupByHand(t *testing.T) {
	rate := mustRate(t)
	r := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}})
	assert.Equal(t, 1, r.AddAll(slices.Values(fixture())))
	assert.Equal(t, 1, r.Excluded())

	billing, ok := r.Stats(metrics.Key{Group: "billing"})
	require.True(t, ok)
	assert.Equal(t, 3, billing.Tickets)
	assert.InDelta(t, 1.0, rate(billing.ResolutionRate()), 1e-12)                          // 3 solved / 3
	assert.InDelta(t, 1.0/3, rate(billing.ReopenRate()), 1e-12)                            // R2 / 3 solved
	assert.InDelta(t, 2.0/3, rate(billing.FCR(metrics.FCRSingleReply)), 1e-12)             // R1, R3 ≤ 1 reply
	assert.InDelta(t, 1.0/3, rate(billing.FCR(metrics.FCRNoCustomerReply)), 1e-12)         // only R1
	assert.InDelta(t, 2.0/3, rate(billing.FCR(metrics.FCRNeverReopened)), 1e-12)           // R1, R3
	assert.InDelta(t, 2.0/3, rate(billing.CSAT()), 1e-12)                                  // 5 and 4 of {5, 3, 4}
	assert.InDelta(t, 3.0, rate(billing.CES()), 1e-12)                                     // (2 + 4) / 2
	assert.InDelta(t, 2.0/3, rate(billing.SLAAttainment(metrics.SLAFirstResponse)), 1e-12) // R1, R3 met; R2 breached
	assert.InDelta(t, 1.0, rate(billing.SLAAttainment("resolution")), 1e-12)
	assert.Equal(t, []metrics.SLAMetric{metrics.SLAFirstResponse, metrics.SLAResolution}, billing.SLAMetrics())
	_, ok = billing.SLAAttainment("unknown")
	assert.False(t, ok)

	frt := billing.Duration(metrics.FRT)
	assert.Equal(t, 3, frt.Count)
	assert.Equal(t, 31*time.Minute, frt.Total)               // 10 + 20 + 1
	assert.Equal(t, 10*time.Minute+20*time.Second, frt.Mean) // 31m / 3
	assert.Equal(t, 10*time.Minute, frt.P50)                 // sorted 1, 10, 20: exact
	// percentile_cont: position 0.95·(3−1) = 1.9 lies between 10m and 20m, 0.9 of the way
	assert.Equal(t, 19*time.Minute, frt.P95)
	assert.True(t, frt.Exact)
	full := billing.Duration(metrics.FullResolution)
	assert.Equal(t, 8*time.Hour+50*time.Minute, full.Mean) // (2h + 24h + 30m) / 3 = 26h30m / 3
	first := billing.Duration(metrics.FirstResolution)
	assert.Equal(t, 2*time.Hour+10*time.Minute, first.Mean) // (2h + 4h + 30m) / 3 = 6h30m / 3
	assert.Equal(t, 1, billing.HourOfWeek[10])              // R1: Monday 10:00
	assert.Equal(t, 1, billing.HourOfWeek[24+9])            // R3: Tuesday 09:00
	_, ok = billing.AHT()
	assert.False(t, ok, "no handle segments")

	tech, ok := r.Stats(metrics.Key{Group: "tech"})
	require.True(t, ok)
	assert.Equal(t, 2, tech.Tickets)
	assert.InDelta(t, 0.5, rate(tech.ResolutionRate()), 1e-12)                // R5 of R4, R5
	assert.InDelta(t, 0.0, rate(tech.CSAT()), 1e-12)                          // one answer: 1
	assert.InDelta(t, 0.0, rate(tech.FCR(metrics.FCRNoCustomerReply)), 1e-12) // R5 had 2 customer replies
	_, ok = tech.CES()
	assert.False(t, ok, "no CES answers")
	assert.Equal(t, 75*time.Minute, tech.Duration(metrics.FRT).Mean) // (2h + 30m) / 2

	total := r.Total()
	assert.Equal(t, 5, total.Tickets)
	assert.Equal(t, 36*time.Minute+12*time.Second, total.Duration(metrics.FRT).Mean)     // 181m / 5
	assert.InDelta(t, 2.0/4, rate(total.SLAAttainment(metrics.SLAFirstResponse)), 1e-12) // R1, R3 of 4
}

func TestReportByChannelAndMonth(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByChannel, metrics.ByPeriod}})
	r.AddAll(slices.Values(fixture()))
	var keys []string
	var counts []int
	for _, g := range r.Groups() {
		keys = append(keys, g.Key.String())
		counts = append(counts, g.Stats.Tickets)
	}
	assert.Equal(t, []string{"channel=chat period=2026-03-01", "channel=email period=2026-03-01", "channel=email period=2026-04-01"}, keys)
	assert.Equal(t, []int{1, 3, 1}, counts)
}

func TestReportPeriodsInZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	r := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByPeriod}, Location: ny})
	// 2026-04-01 02:00 UTC is 2026-03-31 22:00 in New York: a March ticket there.
	require.NoError(t, r.Add(metrics.Record{Created: time.Date(2026, 4, 1, 2, 0, 0, 0, time.UTC)}))
	g := r.Groups()
	require.Len(t, g, 1)
	assert.Equal(t, time.Date(2026, 3, 1, 0, 0, 0, 0, ny), g[0].Key.Period)
	assert.Equal(t, 1, g[0].Stats.HourOfWeek[1*24+22]) // Tuesday 22:00 local
}

// zonedOffice is a test Calendar that also reports a zone, as *sla.Calendar does.
type zonedOffice struct {
	officeHours
	loc *time.Location
}

func (z zonedOffice) Location() *time.Location { return z.loc }

// TestReportLocationDefaultsToTheCalendars guards the default Location: with a Calendar that
// has a zone, periods and hours of week are in that zone rather than in UTC; an explicit
// Location still wins, and a Calendar without a zone leaves UTC.
func TestReportLocationDefaultsToTheCalendars(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	// 2026-04-01 02:00 UTC is 2026-03-31 22:00 in New York.
	created := time.Date(2026, 4, 1, 2, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		cfg   metrics.ReportConfig
		month time.Time
	}{
		{"calendar zone", metrics.ReportConfig{Calendar: zonedOffice{loc: ny}}, time.Date(2026, 3, 1, 0, 0, 0, 0, ny)},
		{"explicit location", metrics.ReportConfig{Calendar: zonedOffice{loc: ny}, Location: time.UTC}, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
		{"calendar without zone", metrics.ReportConfig{Calendar: officeHours{}}, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
		{"zone method giving nil", metrics.ReportConfig{Calendar: zonedOffice{}}, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.GroupBy = []metrics.Dimension{metrics.ByPeriod}
			r := newReport(t, tc.cfg)
			require.NoError(t, r.Add(metrics.Record{Created: created}))
			g := r.Groups()
			require.Len(t, g, 1)
			assert.True(t, tc.month.Equal(g[0].Key.Period), "period %v, want %v", g[0].Key.Period, tc.month)
			assert.Equal(t, tc.month.Location().String(), g[0].Key.Period.Location().String())
		})
	}
}

func TestPeriodBoundsAcrossDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	sunday := time.Date(2026, 3, 8, 23, 0, 0, 0, ny) // clocks went forward at 02:00 that day
	tests := []struct {
		p          metrics.Period
		start, end time.Time
		length     time.Duration
	}{
		{metrics.Day, time.Date(2026, 3, 8, 0, 0, 0, 0, ny), time.Date(2026, 3, 9, 0, 0, 0, 0, ny), 23 * time.Hour},
		{metrics.Week, time.Date(2026, 3, 2, 0, 0, 0, 0, ny), time.Date(2026, 3, 9, 0, 0, 0, 0, ny), 167 * time.Hour},
		{metrics.Month, time.Date(2026, 3, 1, 0, 0, 0, 0, ny), time.Date(2026, 4, 1, 0, 0, 0, 0, ny), 743 * time.Hour},
	}
	for _, tt := range tests {
		start, end := metrics.PeriodBounds(sunday, tt.p)
		assert.True(t, tt.start.Equal(start), "period %d start %v", tt.p, start)
		assert.True(t, tt.end.Equal(end), "period %d end %v", tt.p, end)
		assert.Equal(t, tt.length, end.Sub(start))
	}
}

func TestReportBusinessHours(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{Calendar: officeHours{}})
	require.NoError(t, r.Add(reopenedTicket()))
	s := r.Total()
	b, ok := s.BusinessDuration(metrics.RequesterWait)
	require.True(t, ok)
	assert.Equal(t, 6*time.Hour, b.Mean) // see TestDurationKPIsByHand
	b, _ = s.BusinessDuration(metrics.FullResolution)
	assert.Equal(t, 10*time.Hour, b.Mean)
	aht, ok := s.AHT()
	require.True(t, ok)
	assert.Equal(t, 45*time.Minute, aht)

	plain := newReport(t, metrics.ReportConfig{})
	require.NoError(t, plain.Add(reopenedTicket()))
	_, ok = plain.Total().BusinessDuration(metrics.FRT)
	assert.False(t, ok, "no calendar, no business figures")
}

// randomRecords yields n pseudo-random records, valid and (one in 50) invalid.
func randomRecords(seed uint64, n int) iter.Seq[metrics.Record] {
	return func(yield func(metrics.Record) bool) {
		rng := rand.New(rand.NewPCG(seed, 7))
		groups := []string{"billing", "tech", "access"}
		channels := []string{"email", "chat", "phone", "portal"}
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			created := base.Add(time.Duration(rng.Int64N(int64(90 * 24 * time.Hour))))
			r := metrics.Record{
				Group: groups[rng.IntN(len(groups))], Channel: channels[rng.IntN(len(channels))],
				Priority: []string{"low", "normal", "high"}[rng.IntN(3)], Line: 1 + rng.IntN(3),
				Assignee: []string{"ann", "bob", "cid", ""}[rng.IntN(4)], Created: created,
				AgentReplies: rng.IntN(4), CustomerReplies: rng.IntN(3), Reopens: rng.IntN(4) / 3,
				CSAT: rng.IntN(6), CES: rng.IntN(8),
			}
			if rng.IntN(10) > 0 {
				r.FirstReply = created.Add(time.Duration(rng.ExpFloat64() * float64(20*time.Minute)))
			}
			if rng.IntN(10) > 1 {
				r.FirstSolved = created.Add(time.Duration(rng.ExpFloat64() * float64(20*time.Hour)))
				r.Solved = r.FirstSolved.Add(time.Duration(r.Reopens) * 5 * time.Hour)
				r.Handle = []metrics.Interval{{Start: created, End: created.Add(time.Duration(rng.IntN(3600)) * time.Second)}}
				r.SLA = []metrics.SLAResult{{Metric: metrics.SLAResolution, Met: rng.IntN(5) > 0}}
			}
			if rng.IntN(4) == 0 { // escalated from line 1 of another group after the first reply
				r.OwnerAtFirstReply = metrics.Owner{Group: groups[rng.IntN(len(groups))], Line: 1, Assignee: "ann"}
				r.OwnerAtFirstSolve = metrics.Owner{Group: r.Group, Line: r.Line, Assignee: r.Assignee}
			}
			if i%50 == 0 {
				r.CSAT = 7 // out of range: excluded
			}
			if !yield(r) {
				return
			}
		}
	}
}

// figures lists every exported figure of s, for comparing reports.
func figures(s *metrics.Stats) map[string]any {
	out := map[string]any{"tickets": s.Tickets, "ever": s.EverSolved, "solved": s.Solved, "reopened": s.Reopened,
		"fcr": s.FCRCount, "csat": [2]int{s.CSATAnswers, s.CSATPositive}, "ces": [2]int{s.CESAnswers, s.CESSum},
		"how": s.HourOfWeek, "sla": s.SLA}
	for k := metrics.FRT; k <= metrics.AgentWork; k++ {
		out["wall "+k.String()] = s.Duration(k)
		b, _ := s.BusinessDuration(k)
		out["business "+k.String()] = b
	}
	return out
}

func TestMergedReportsEqualOnePass(t *testing.T) {
	cfg := metrics.ReportConfig{
		GroupBy:  []metrics.Dimension{metrics.ByGroup, metrics.ByChannel, metrics.ByPeriod},
		Period:   metrics.Week,
		Calendar: officeHours{},
	}
	whole := newReport(t, cfg)
	whole.AddAll(randomRecords(11, 6000))

	// four shards: each record goes to shard i%4
	shards := make([]*metrics.Report, 4)
	for i := range shards {
		shards[i] = newReport(t, cfg)
	}
	i := 0
	for r := range randomRecords(11, 6000) {
		_ = shards[i%4].Add(r)
		i++
	}
	merged := newReport(t, cfg)
	for _, s := range shards {
		require.NoError(t, merged.Merge(s))
	}
	assert.Equal(t, whole.Excluded(), merged.Excluded())
	assert.Equal(t, 120, merged.Excluded()) // one in 50 of 6000
	wg, mg := whole.Groups(), merged.Groups()
	require.Equal(t, len(wg), len(mg))
	for i := range wg {
		require.Equal(t, wg[i].Key, mg[i].Key)
		assert.Equal(t, figures(wg[i].Stats), figures(mg[i].Stats), "group %v", wg[i].Key)
	}
	assert.Equal(t, figures(whole.Total()), figures(merged.Total()))
}

func TestMergeRejectsDifferentSettings(t *testing.T) {
	a := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}})
	for _, cfg := range []metrics.ReportConfig{
		{},
		{GroupBy: []metrics.Dimension{metrics.ByGroup}, Period: metrics.Day},
		{GroupBy: []metrics.Dimension{metrics.ByGroup}, Accuracy: 0.02},
		{GroupBy: []metrics.Dimension{metrics.ByGroup}, Calendar: officeHours{}},
	} {
		b := newReport(t, cfg)
		require.NoError(t, b.Add(reopenedTicket()))
		assert.ErrorIs(t, a.Merge(b), metrics.ErrInvalid)
	}
	assert.ErrorIs(t, a.Merge(a), metrics.ErrInvalid)
	assert.Empty(t, a.Groups(), "failed merges change nothing")
}

func TestNewReportRejectsBadConfig(t *testing.T) {
	for _, cfg := range []metrics.ReportConfig{
		{GroupBy: []metrics.Dimension{0}},
		{GroupBy: []metrics.Dimension{metrics.ByPeriod + 1}},
		{Period: 7},
		{Accuracy: 1.5},
		{Accuracy: -0.01},
		{Accuracy: 1},
		{Durations: []metrics.DurationKPI{-1}},
	} {
		_, err := metrics.NewReport(cfg)
		assert.ErrorIs(t, err, metrics.ErrInvalid, "%+v", cfg)
	}
}

func TestReportNeverHoldsNaN(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{})
	// only excluded records: empty total
	assert.Equal(t, 2, r.AddAll(slices.Values([]metrics.Record{{}, {Created: mar(2, 9, 0), CES: -3}})))
	s := r.Total()
	for _, f := range []func() (float64, bool){s.ResolutionRate, s.ReopenRate, s.CSAT, s.CES,
		func() (float64, bool) { return s.FCR(metrics.FCRSingleReply) },
		func() (float64, bool) { return s.SLAAttainment("x") }} {
		v, ok := f()
		assert.False(t, ok)
		assert.False(t, math.IsNaN(v))
	}
	assert.Equal(t, metrics.Summary{Clock: metrics.ClockWall}, s.Duration(metrics.FRT))
	_, ok := s.Quantile(metrics.FRT, 0.5)
	assert.False(t, ok)
	assert.Empty(t, r.Groups())
}

func TestReportConcurrentAdds(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByAgent, metrics.ByLine}})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if w%2 == 0 {
				r.AddAll(randomRecords(uint64(w), 500))
				return
			}
			for rec := range randomRecords(uint64(w), 500) {
				_ = r.Add(rec)
			}
		}()
	}
	// readers and a merge run alongside
	other := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByAgent, metrics.ByLine}})
	other.AddAll(randomRecords(99, 500))
	require.NoError(t, r.Merge(other))
	for range 10 {
		_ = r.Groups()
		_ = r.Total()
	}
	wg.Wait()
	assert.Equal(t, 2500, r.Total().Tickets+r.Excluded())
}

func TestReportKeepsOnlySelectedDurations(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{Durations: []metrics.DurationKPI{metrics.FullResolution, metrics.FRT, metrics.FRT}})
	require.NoError(t, r.Add(reopenedTicket()))
	s := r.Total()
	assert.Equal(t, 12*time.Minute, s.Duration(metrics.FRT).Mean)
	assert.Equal(t, 26*time.Hour, s.Duration(metrics.FullResolution).Mean)
	assert.Zero(t, s.Duration(metrics.AgentWork).Count, "not kept")
	_, ok := s.AHT()
	assert.False(t, ok)
	_, ok = s.Quantile(metrics.RequesterWait, 0.5)
	assert.False(t, ok)
	assert.Equal(t, 1, s.Tickets, "counters are always kept")

	all := newReport(t, metrics.ReportConfig{})
	assert.ErrorIs(t, r.Merge(all), metrics.ErrInvalid, "different duration sets do not merge")
	_, err := metrics.NewReport(metrics.ReportConfig{Durations: []metrics.DurationKPI{metrics.AgentWork + 1}})
	assert.ErrorIs(t, err, metrics.ErrInvalid)
}

func FuzzReportAdd(f *testing.F) {
	f.Add(int64(0), int64(600), int64(3600), int64(-5), 3, 9, 2)
	f.Add(int64(10), int64(-600), int64(0), int64(100), -1, 0, 8)
	f.Fuzz(func(t *testing.T, created, reply, solved, pending int64, reopens, csat, ces int) {
		base := mar(2, 9, 0)
		at := func(s int64) time.Time { return base.Add(time.Duration(s) * time.Second) }
		rec := metrics.Record{Created: at(created), FirstReply: at(reply), FirstSolved: at(solved), Solved: at(solved),
			Reopens: reopens, CSAT: csat, CES: ces, Pending: []metrics.Interval{{Start: at(pending), End: at(solved)}}}
		r, _ := metrics.NewReport(metrics.ReportConfig{Calendar: officeHours{}})
		err := r.Add(rec)
		s := r.Total()
		if err != nil {
			if s.Tickets != 0 || r.Excluded() != 1 {
				t.Fatalf("rejected record was counted: %v", err)
			}
			return
		}
		for k := metrics.FRT; k <= metrics.AgentWork; k++ {
			sum := s.Duration(k)
			b, _ := s.BusinessDuration(k)
			if sum.Mean < 0 || b.Mean < 0 || sum.P95 < 0 {
				t.Fatalf("negative duration for %v: %+v %+v", k, sum, b)
			}
		}
		for _, f := range []func() (float64, bool){s.ResolutionRate, s.ReopenRate, s.CSAT, s.CES} {
			if v, _ := f(); math.IsNaN(v) {
				t.Fatal("NaN")
			}
		}
	})
}

// ReopenRate divides by the tickets ever solved, not those solved now: a reopened ticket
// that is still open counts in both its numerator and denominator. No fixture had such a
// ticket, so dividing by Solved went unnoticed.
func TestReopenRateCountsReopenedTicketsStillOpen(t *testing.T) {
	recs := []metrics.Record{
		// solved once, never reopened
		{TicketID: "A", Created: mar(2, 9, 0), FirstReply: mar(2, 9, 5), FirstSolved: mar(2, 10, 0), Solved: mar(2, 10, 0), AgentReplies: 1},
		// reopened and solved again
		{TicketID: "B", Created: mar(2, 9, 0), FirstSolved: mar(2, 11, 0), Solved: mar(3, 11, 0), Reopens: 1, AgentReplies: 2},
		// reopened twice and open now
		{TicketID: "C", Created: mar(2, 9, 0), FirstSolved: mar(2, 12, 0), Reopens: 2, AgentReplies: 1},
		// reopened and open now
		{TicketID: "D", Created: mar(2, 9, 0), FirstSolved: mar(2, 13, 0), Reopens: 1, AgentReplies: 3},
		// never solved
		{TicketID: "E", Created: mar(2, 9, 0)},
	}
	// by hand: ever solved A, B, C, D = 4; solved now A, B = 2; reopened B, C, D = 3
	rate := mustRate(t)
	r := newReport(t, metrics.ReportConfig{})
	require.Zero(t, r.AddAll(slices.Values(recs)))
	s := r.Total()
	assert.Equal(t, 4, s.EverSolved)
	assert.Equal(t, 2, s.Solved)
	assert.Equal(t, 3, s.Reopened)
	assert.InDelta(t, 3.0/4, rate(s.ReopenRate()), 1e-12)
	assert.InDelta(t, 2.0/5, rate(s.ResolutionRate()), 1e-12)
	assert.InDelta(t, 1.0/4, rate(s.FCR(metrics.FCRNeverReopened)), 1e-12) // A of the 4 ever solved
	assert.InDelta(t, 2.0/4, rate(s.FCR(metrics.FCRSingleReply)), 1e-12)   // A and C
	assert.Equal(t, 2, s.Duration(metrics.FullResolution).Count, "open tickets have no full resolution")
	assert.Equal(t, 4, s.Duration(metrics.FirstResolution).Count)

	// the same tickets folded from events give the same rate
	b := metrics.NewBuilder()
	ev := func(id string, at time.Time, k metrics.EventKind) {
		t.Helper()
		require.NoError(t, b.Add(metrics.Event{TicketID: id, At: at, Kind: k, Actor: metrics.ActorAgent}))
	}
	for _, id := range []string{"A", "B", "C", "D", "E"} {
		ev(id, mar(2, 9, 0), metrics.EventCreated)
	}
	ev("A", mar(2, 10, 0), metrics.EventSolved)
	ev("B", mar(2, 11, 0), metrics.EventSolved)
	ev("B", mar(3, 9, 0), metrics.EventReopened)
	ev("B", mar(3, 11, 0), metrics.EventSolved)
	ev("C", mar(2, 12, 0), metrics.EventSolved)
	ev("C", mar(3, 9, 0), metrics.EventReopened)
	ev("C", mar(3, 10, 0), metrics.EventSolved)
	ev("C", mar(3, 11, 0), metrics.EventReopened)
	ev("D", mar(2, 13, 0), metrics.EventSolved)
	ev("D", mar(3, 9, 0), metrics.EventReopened)
	folded := newReport(t, metrics.ReportConfig{})
	require.Zero(t, folded.AddAll(b.Records()))
	assert.InDelta(t, 3.0/4, rate(folded.Total().ReopenRate()), 1e-12)
}

// TestReportAddAllOfNilAddsNothing checks that a nil sequence is no records: the report
// neither panics nor changes.
func TestReportAddAllOfNilAddsNothing(t *testing.T) {
	var r metrics.Report
	assert.Equal(t, 0, r.AddAll(nil))
	assert.Equal(t, 0, r.Total().Tickets)
	assert.Empty(t, r.Groups())
}

// TestReportStatsOfAMissingGroupIsEmpty checks that looking up a group the records never
// made (a team with no tickets that month) gives empty figures, not a nil that panics on
// the first rate read: a dashboard reads the rate's own ok.
func TestReportStatsOfAMissingGroupIsEmpty(t *testing.T) {
	r := newReport(t, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}, Calendar: metrics.WallClock{}})
	r.AddAll(slices.Values(fixture()))
	s, ok := r.Stats(metrics.Key{Group: "no such team"})
	assert.False(t, ok)
	require.NotNil(t, s)
	assert.Zero(t, s.Tickets)
	_, ok = s.CSAT()
	assert.False(t, ok)
	assert.Equal(t, metrics.Summary{Clock: metrics.ClockWall}, s.Duration(metrics.FRT))
	assert.True(t, s.HasCalendar(), "the empty group is measured as the report's groups are")
	sc := scorecard(t, s, metrics.Targets{})
	assert.False(t, sc.Passed())
}
