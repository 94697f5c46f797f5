package metrics_test

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/supportkit/supportkit/metrics"
)

// generated yields n synthetic records lazily (never held in a slice), spread over 10
// groups, 5 channels and 12 months of 2025, so a benchmark measures the report's memory,
// not the input's.
func generated(n int) iter.Seq[metrics.Record] {
	groups := make([]string, 10)
	for i := range groups {
		groups[i] = fmt.Sprintf("group-%d", i)
	}
	channels := []string{"email", "chat", "phone", "portal", "social"}
	slas := [][]metrics.SLAResult{
		{{Metric: metrics.SLAFirstResponse, Met: true}, {Metric: "resolution", Met: true}},
		{{Metric: metrics.SLAFirstResponse, Met: true}, {Metric: "resolution", Met: false}},
		{{Metric: metrics.SLAFirstResponse, Met: false}, {Metric: "resolution", Met: true}},
		nil,
	}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	year := int64(365 * 24 * time.Hour)
	return func(yield func(metrics.Record) bool) {
		rng := rand.New(rand.NewPCG(1, 1))
		for range n {
			x := rng.Uint64()
			created := base.Add(time.Duration(rng.Int64N(year)))
			r := metrics.Record{
				Group:        groups[x%10],
				Channel:      channels[(x>>8)%5],
				Created:      created,
				FirstReply:   created.Add(time.Duration(x>>40) * time.Millisecond / 16), // up to ~18 min
				AgentReplies: int(x>>16) % 3,
				CSAT:         int(x>>20) % 6,
				SLA:          slas[(x>>24)%4],
			}
			if (x>>28)%10 < 8 {
				r.FirstSolved = created.Add(time.Duration(x>>34) * time.Millisecond) // up to ~4.7 days
				r.Solved = r.FirstSolved
			}
			if !yield(r) {
				return
			}
		}
	}
}

// BenchmarkReport groups records by group × channel × month with FRT and resolution
// quantiles, CSAT, FCR and SLA attainment, at 100k and 1M records; the "all" case keeps all
// five duration KPIs.
func BenchmarkReport(b *testing.B) {
	for _, c := range []struct {
		n    int
		durs []metrics.DurationKPI
		name string
	}{
		{100_000, []metrics.DurationKPI{metrics.FRT, metrics.FullResolution}, "records=100000"},
		{1_000_000, []metrics.DurationKPI{metrics.FRT, metrics.FullResolution}, "records=1000000"},
		{1_000_000, nil, "records=1000000/all-durations"},
	} {
		n := c.n
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var live uint64
			cpu0, cpuOK := processCPU()
			for b.Loop() {
				r, err := metrics.NewReport(metrics.ReportConfig{
					GroupBy:   []metrics.Dimension{metrics.ByGroup, metrics.ByChannel, metrics.ByPeriod},
					Durations: c.durs,
				})
				if err != nil {
					b.Fatal(err)
				}
				r.AddAll(generated(n))
				groups := r.Groups()
				if len(groups) != 600 {
					b.Fatalf("%d groups", len(groups))
				}
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				live = ms.HeapAlloc
				for _, g := range groups {
					_ = g.Stats.Duration(metrics.FRT).P90
					_ = g.Stats.Duration(metrics.FullResolution).P50
					_, _ = g.Stats.CSAT()
					_, _ = g.Stats.FCR(metrics.FCRSingleReply)
					_, _ = g.Stats.SLAAttainment("resolution")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
			if cpu1, ok := processCPU(); ok && cpuOK {
				// CPU of the whole process (all threads, GC included) per pass: steadier
				// than wall time when other work shares the machine.
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
			// live heap with the report and a copy of its groups held: what the report keeps
			b.ReportMetric(float64(live), "live-B")
		})
	}
}

// BenchmarkGenerate measures the record generator alone, to subtract from BenchmarkReport.
func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for range generated(1_000_000) {
			n++
		}
	}
}

func BenchmarkSketchAdd(b *testing.B) {
	s, _ := metrics.NewSketch(0.01)
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Add(rng.ExpFloat64() * 3600)
	}
}

func BenchmarkAgentsForErlangC1000(b *testing.B) {
	q := metrics.Queue{Arrivals: 20000, AHT: 3 * time.Minute}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := metrics.AgentsFor(q, metrics.Target{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAgentsForErlangA1000(b *testing.B) {
	q := metrics.Queue{Arrivals: 20000, AHT: 3 * time.Minute, Patience: 2 * time.Minute}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := metrics.AgentsFor(q, metrics.Target{}); err != nil {
			b.Fatal(err)
		}
	}
}
