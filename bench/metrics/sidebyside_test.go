package metricsbench

import (
	"context"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/supportkit/supportkit/metrics"
)

// BenchmarkSideBySide runs every way of making the report once per round, in turn, so that
// all of them see the same load on a shared machine: the report over records in memory,
// serial and in two shards merged; the SQL on PostgreSQL, serial and with two parallel
// workers, with the default work_mem and with 256MB; and the report fed from PostgreSQL by
// streaming the tickets out, directly and pipelined; and, as the floor of streaming, reading
// the tickets out without a report. Each way's time includes reading its
// result (Report.Groups, or the rows of the SQL). It reports the median of the rounds, in
// seconds, per way, and checks every way's figures against the exact ones cell by cell in
// the first round. Run it with -benchtime Nx for N rounds.
func BenchmarkSideBySide(b *testing.B) {
	ctx := context.Background()
	d := benchData()
	conn, schema := loaded(b, d)
	want := d.Exact()
	sql := func(workers int, workMem string) func() (map[Cell]*Figures, error) {
		return func() (map[Cell]*Figures, error) {
			if err := SetWorkers(ctx, conn, workers); err != nil {
				return nil, err
			}
			if err := SetWorkMem(ctx, conn, workMem); err != nil {
				return nil, err
			}
			return FromSQL(ctx, conn, schema)
		}
	}
	fed := func(stream func(context.Context, *pgx.Conn, string, *error) iter.Seq[metrics.Record]) func() (map[Cell]*Figures, error) {
		return func() (map[Cell]*Figures, error) {
			r, err := metrics.NewReport(ReportConfig())
			if err != nil {
				return nil, err
			}
			var qerr error
			r.AddAll(stream(ctx, conn, schema, &qerr))
			return FromReport(r), qerr
		}
	}
	ways := []struct {
		name string
		run  func() (map[Cell]*Figures, error)
		tol  func(int) (float64, float64)
	}{
		{"report-serial", func() (map[Cell]*Figures, error) { return FromReport(report(b, d, 1)), nil }, ReportTolerance},
		{"report-2shards", func() (map[Cell]*Figures, error) { return FromReport(report(b, d, 2)), nil }, ReportTolerance},
		{"sql-serial", sql(0, ""), SQLTolerance},
		{"sql-2workers", sql(2, ""), SQLTolerance},
		{"sql-serial-workmem256MB", sql(0, "256MB"), SQLTolerance},
		{"sql-2workers-workmem256MB", sql(2, "256MB"), SQLTolerance},
		{"stream-to-report", fed(Stream), ReportTolerance},
		{"stream-pipelined-to-report", fed(StreamPipelined), ReportTolerance},
		{"stream-only", func() (map[Cell]*Figures, error) {
			var qerr error
			for range Stream(ctx, conn, schema, &qerr) {
			}
			return nil, qerr
		}, nil},
	}
	// warm: PostgreSQL's buffers and plans, and the first check of every way
	for _, w := range ways {
		got, err := w.run()
		if err != nil {
			b.Fatalf("%s: %v", w.name, err)
		}
		if w.tol == nil {
			continue
		}
		if err := Compare(got, want, w.tol); err != nil {
			b.Fatalf("%s: %v", w.name, err)
		}
	}
	times := make([][]time.Duration, len(ways))
	for b.Loop() {
		for i, w := range ways {
			start := time.Now()
			if _, err := w.run(); err != nil {
				b.Fatalf("%s: %v", w.name, err)
			}
			times[i] = append(times[i], time.Since(start))
		}
	}
	b.StopTimer()
	for i, w := range ways {
		slices.Sort(times[i])
		b.ReportMetric(times[i][len(times[i])/2].Seconds(), w.name+"-s")
	}
}
