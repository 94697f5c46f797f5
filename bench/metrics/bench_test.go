package metricsbench

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/supportkit/supportkit/metrics"
)

// benchTickets is the size of the side-by-side benchmark: 1M tickets in 600 groups × 3
// channels × 12 months = 21,600 cells.
const (
	benchTickets = 1_000_000
	benchGroups  = 600
)

var benchData = sync.OnceValue(func() *Data { return Generate(benchTickets, benchGroups) })

// report builds the report of rows with one Report per shard, merged.
func report(tb testing.TB, d *Data, shards int) *metrics.Report {
	reps := make([]*metrics.Report, shards)
	var wg sync.WaitGroup
	for i := range shards {
		r, err := metrics.NewReport(ReportConfig())
		if err != nil {
			tb.Fatal(err)
		}
		reps[i] = r
		lo, hi := i*len(d.Rows)/shards, (i+1)*len(d.Rows)/shards
		wg.Go(func() { r.AddAll(d.Records(d.Rows[lo:hi])) })
	}
	wg.Wait()
	for _, r := range reps[1:] {
		if err := reps[0].Merge(r); err != nil {
			tb.Fatal(err)
		}
	}
	return reps[0]
}

// BenchmarkReport times metrics.Report over the records held in memory, serially and in two
// shards merged, checks its figures against the exact ones cell by cell, and reports the
// live heap per cell the report holds.
func BenchmarkReport(b *testing.B) {
	d := benchData()
	want := d.Exact()
	for _, shards := range []int{1, 2} {
		b.Run(fmt.Sprintf("shards=%d", shards), func(b *testing.B) {
			b.ReportAllocs()
			var r *metrics.Report
			cpu := processCPU()
			for b.Loop() {
				r = report(b, d, shards)
			}
			b.StopTimer()
			perRecord(b, len(d.Rows), processCPU()-cpu)
			b.ReportMetric(float64(held(func() any { return report(b, d, shards) }))/float64(d.Cells()), "B/cell")
			if err := Compare(FromReport(r), want, ReportTolerance); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// BenchmarkReportCells times the serial report over 1M tickets at 612 and at 20,016 cells,
// in turn each round so that both see the same load, and reports the median wall and CPU
// time per record of each and the ratio of the CPU times: the cost of a record should not
// depend on the number of cells. Run it with -benchtime Nx for N rounds.
func BenchmarkReportCells(b *testing.B) {
	sets := []*Data{Generate(benchTickets, 17), Generate(benchTickets, 556)}
	wall := make([][]time.Duration, len(sets))
	cpu := make([][]time.Duration, len(sets))
	for b.Loop() {
		for i, d := range sets {
			start, cpu0 := time.Now(), processCPU()
			report(b, d, 1)
			wall[i] = append(wall[i], time.Since(start)/time.Duration(len(d.Rows)))
			cpu[i] = append(cpu[i], (processCPU()-cpu0)/time.Duration(len(d.Rows)))
		}
	}
	b.StopTimer()
	for i, d := range sets {
		name := fmt.Sprintf("cells=%d", d.Cells())
		b.ReportMetric(float64(median(wall[i])), name+"-ns/record")
		b.ReportMetric(float64(median(cpu[i])), name+"-cpu-ns/record")
	}
	b.ReportMetric(float64(median(cpu[1]))/float64(median(cpu[0])), "cpu-ratio")
}

// perRecord reports the wall time and the process's CPU time per record.
func perRecord(b *testing.B, records int, cpu time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*records), "ns/record")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*records), "cpu-ns/record")
}

// held returns the live heap that the value f returns keeps.
func held(f func() any) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	if after.HeapAlloc < before.HeapAlloc {
		return 0
	}
	return after.HeapAlloc - before.HeapAlloc
}
