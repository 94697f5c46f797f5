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
// Tests use small sizes and skip when PostgreSQL is unreachable
// (SUPPORTKIT_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test?sslmode=disable). The
// benchmarks load 1M tickets once per run into a schema of their own, dropped afterwards:
//
//	cd bench && go test -run '^$' -bench . -benchtime 1x -count 5 ./metrics/
package metricsbench
