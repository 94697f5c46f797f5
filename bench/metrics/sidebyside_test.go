package metricsbench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"slices"
	"strconv"
	"strings"
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
// seconds, per way, wall time and CPU time (this process's and the PostgreSQL backend's;
// not for parallel workers, which it cannot see), and checks every way's figures against the exact ones cell by cell in
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
	backend, err := backendCPU(ctx, conn)
	if err != nil {
		b.Logf("no CPU time of the PostgreSQL backend: %v", err)
	}
	times := make([][]time.Duration, len(ways))
	cpus := make([][]time.Duration, len(ways))
	for b.Loop() {
		for i, w := range ways {
			start, cpu0, pg0 := time.Now(), processCPU(), backend()
			if _, err := w.run(); err != nil {
				b.Fatalf("%s: %v", w.name, err)
			}
			times[i] = append(times[i], time.Since(start))
			cpus[i] = append(cpus[i], processCPU()-cpu0+backend()-pg0)
		}
	}
	b.StopTimer()
	for i, w := range ways {
		b.ReportMetric(median(times[i]).Seconds(), w.name+"-s")
		if !strings.Contains(w.name, "2workers") {
			b.ReportMetric(median(cpus[i]).Seconds(), w.name+"-cpu-s")
		}
	}
}

func median(ds []time.Duration) time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// backendCPU returns a function that reads the CPU time (user and system) the PostgreSQL
// backend serving conn has used, from /proc: the server runs on this machine. Parallel
// workers are processes of their own and are not counted. Without /proc it returns a
// function that reads 0, and the error.
func backendCPU(ctx context.Context, conn *pgx.Conn) (func() time.Duration, error) {
	var pid int
	if err := conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		return func() time.Duration { return 0 }, err
	}
	path := fmt.Sprintf("/proc/%d/stat", pid)
	read := func() (time.Duration, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			return 0, err
		}
		// fields after the command name in parentheses: state is field 3, utime 14, stime 15
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) < 13 {
			return 0, fmt.Errorf("%s: short line", path)
		}
		ut, err1 := strconv.ParseInt(f[11], 10, 64)
		st, err2 := strconv.ParseInt(f[12], 10, 64)
		if err := errors.Join(err1, err2); err != nil {
			return 0, err
		}
		return time.Duration(ut+st) * time.Second / clockTicks, nil
	}
	if _, err := read(); err != nil {
		return func() time.Duration { return 0 }, err
	}
	return func() time.Duration { d, _ := read(); return d }, nil
}

// clockTicks is the unit of the CPU times in /proc (USER_HZ), 100 on Linux.
const clockTicks = 100
