// Package metricsbench compares metrics.Report with the same report written in SQL on
// PostgreSQL: synthetic tickets grouped by group × channel × month, with first-response and
// resolution p50 and p90, CSAT and SLA attainment per cell.
//
// The data is generated once (Generate), held compactly as Rows, turned into metrics.Records
// for the report, and loaded into PostgreSQL with COPY for the SQL. Exact holds the exact
// figures of every cell, computed by sorting each cell's values; the tests check the report
// and PostgreSQL against it cell by cell, and check that PostgreSQL's percentile_cont and
// percentile_disc agree with Stats.Quantile and Stats.DiscreteQuantile on the cells the
// report keeps exactly.
//
// Tests use small sizes and skip when PostgreSQL is unreachable (SUPPORTKIT_POSTGRES_URL,
// default postgres://postgres@127.0.0.1:5432/test?sslmode=disable; when the variable is set,
// an unreachable server fails them instead). The benchmarks work on 1M tickets in 600 groups
// (21,600 cells), loaded with COPY once per run into a schema of their own, dropped
// afterwards. BenchmarkSideBySide runs every way of making the report in turn, round after
// round, so that all of them see the same load, and reports each way's median:
//
//	cd bench && go test -run '^$' -bench SideBySide -benchtime 5x -timeout 30m ./metrics/
//
// BenchmarkReport reports the report's memory per cell, and BenchmarkReportCells its cost
// per record at 612 and 20,016 cells, in turn each round:
//
//	cd bench && go test -run '^$' -bench 'Report$' -benchtime 1x -count 5 ./metrics/
//	cd bench && go test -run '^$' -bench 'ReportCells' -benchtime 5x ./metrics/
package metricsbench
