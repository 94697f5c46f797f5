package metricsbench

import (
	"context"
	"iter"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// small is a data set the tests run in well under a second: 40 groups × 3 channels × 12
// months, from a handful of tickets a cell to a few hundred (past metrics.ExactLimit).
func small() *Data { return Generate(30_000, 40) }

func TestGenerateIsDeterministicAndSkewed(t *testing.T) {
	a, b := small(), small()
	require.Equal(t, a.Rows, b.Rows)
	cells := a.Exact()
	require.Len(t, cells, a.Cells())
	var smallest, largest int
	for _, f := range cells {
		if smallest == 0 || f.Tickets < smallest {
			smallest = f.Tickets
		}
		largest = max(largest, f.Tickets)
	}
	assert.Less(t, smallest, 40, "some cells are small")
	assert.Greater(t, largest, metrics.ExactLimit, "some cells are sketched")
}

// The oracle's definitions, checked on a case worked by hand.
func TestContAndDisc(t *testing.T) {
	xs := []float64{10, 20, 30, 40}
	assert.Equal(t, 25.0, Cont(xs, 0.5)) // 20 + 0.5·(30−20)
	assert.Equal(t, 37.0, Cont(xs, 0.9)) // h = 2.7: 30 + 0.7·10
	assert.Equal(t, 20.0, Disc(xs, 0.5)) // rank ⌈2⌉ = 2
	assert.Equal(t, 40.0, Disc(xs, 0.9)) // rank ⌈3.6⌉ = 4
	assert.Equal(t, 10.0, Disc(xs, 0))
}

// The report, serial and in two shards merged, equals the exact figures cell by cell.
func TestReportMatchesExactFigures(t *testing.T) {
	d := small()
	want := d.Exact()
	for _, shards := range []int{1, 2} {
		require.NoError(t, Compare(FromReport(report(t, d, shards)), want, ReportTolerance), "shards=%d", shards)
	}
}

// The SQL report on PostgreSQL equals the exact figures cell by cell: percentile_cont is the
// definition of the report's percentiles.
func TestSQLMatchesExactFigures(t *testing.T) {
	d := small()
	conn, schema := loaded(t, d)
	ctx := context.Background()
	for _, workers := range []int{0, 2} {
		require.NoError(t, SetWorkers(ctx, conn, workers))
		got, err := FromSQL(ctx, conn, schema)
		require.NoError(t, err)
		require.NoError(t, Compare(got, d.Exact(), SQLTolerance), "workers=%d", workers)
	}
}

// Stats.Quantile is PostgreSQL's percentile_cont and Stats.DiscreteQuantile its
// percentile_disc, on real queries: equal (to PostgreSQL's microsecond) in every cell the
// report keeps exactly, within the accuracy elsewhere. PostgreSQL's answers are first
// checked against the two definitions written out (Cont and Disc).
func TestQuantilesMatchPostgreSQL(t *testing.T) {
	d := small()
	conn, schema := loaded(t, d)
	r := report(t, d, 1)
	values := d.ExactValues()
	counts := map[Cell]int{}
	for c, v := range values {
		counts[c] = len(v.FRT)
	}
	for _, q := range []float64{0.1, 0.5, 0.9, 0.99} {
		cont, disc, err := QuantileSQL(context.Background(), conn, schema, q)
		require.NoError(t, err)
		require.Len(t, cont, len(counts))
		for c, v := range values { // PostgreSQL against the definitions written out
			assert.InDelta(t, Cont(v.FRT, q), cont[c], 1e-6, "%v percentile_cont(%v)", c, q)
			assert.Equal(t, Disc(v.FRT, q), disc[c], "%v percentile_disc(%v)", c, q)
		}
		exact := 0
		for _, g := range r.Groups() {
			c := Cell{g.Key.Group, g.Key.Channel, g.Key.Period.Month()}
			abs, rel := ReportTolerance(counts[c])
			abs = max(abs, 1e-6)
			if rel == 0 {
				exact++
			}
			got, ok := g.Stats.Quantile(metrics.FRT, q)
			require.True(t, ok)
			assert.InDelta(t, cont[c], got.Seconds(), abs+rel*cont[c], "%v percentile_cont(%v)", c, q)
			got, ok = g.Stats.DiscreteQuantile(metrics.FRT, q)
			require.True(t, ok)
			assert.InDelta(t, disc[c], got.Seconds(), abs+rel*disc[c], "%v percentile_disc(%v)", c, q)
		}
		require.Greater(t, exact, len(counts)/2, "most cells are exact")
	}
}

// Streaming the tickets out of PostgreSQL into a report, directly or pipelined, gives the
// report of the records held in memory; stopping a stream early leaves the connection usable.
func TestStreamFeedsTheSameReport(t *testing.T) {
	d := small()
	conn, schema := loaded(t, d)
	ctx := context.Background()
	want := report(t, d, 1).Groups()
	for name, stream := range map[string]func(context.Context, *pgx.Conn, string, *error) iter.Seq[metrics.Record]{
		"Stream": Stream, "StreamPipelined": StreamPipelined} {
		r, err := metrics.NewReport(ReportConfig())
		require.NoError(t, err)
		var qerr error
		require.Zero(t, r.AddAll(stream(ctx, conn, schema, &qerr)), name)
		require.NoError(t, qerr, name)
		got := r.Groups()
		require.Equal(t, len(want), len(got), name)
		for i := range want {
			require.Equal(t, want[i].Key.String(), got[i].Key.String(), name)
			assert.Equal(t, want[i].Stats.Duration(metrics.FRT), got[i].Stats.Duration(metrics.FRT), name)
			assert.Equal(t, want[i].Stats.Duration(metrics.FullResolution), got[i].Stats.Duration(metrics.FullResolution), name)
			assert.Equal(t, want[i].Stats.SLA, got[i].Stats.SLA, name)
			assert.Equal(t, want[i].Stats.CSATPositive, got[i].Stats.CSATPositive, name)
		}

		n := 0
		for range stream(ctx, conn, schema, &qerr) {
			if n++; n == 10 {
				break
			}
		}
		var one int
		require.NoError(t, conn.QueryRow(ctx, "SELECT 1").Scan(&one), name)
	}
}
