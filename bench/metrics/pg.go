package metricsbench

import (
	"context"
	"encoding/binary"
	"fmt"
	"iter"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/supportkit/supportkit/metrics"
)

// DefaultURL is the PostgreSQL the tests and benchmarks use unless SUPPORTKIT_POSTGRES_URL
// names another.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Connect opens a connection to the test database, failing within five seconds when it is
// unreachable.
func Connect(ctx context.Context) (*pgx.Conn, error) {
	url := os.Getenv("SUPPORTKIT_POSTGRES_URL")
	if url == "" {
		url = DefaultURL
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return pgx.Connect(ctx, url)
}

// Load creates schema with a tickets table and copies d's rows into it with COPY, then
// analyzes it. The table holds what a host's store would: names and timestamps.
func Load(ctx context.Context, conn *pgx.Conn, schema string, d *Data) error {
	ident := pgx.Identifier{schema}.Sanitize()
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+ident); err != nil {
		return err
	}
	_, err := conn.Exec(ctx, `CREATE TABLE `+ident+`.tickets (
		grp text NOT NULL, channel text NOT NULL, created timestamptz NOT NULL,
		first_reply timestamptz, solved timestamptz, csat smallint,
		sla_first_response boolean, sla_resolution boolean)`)
	if err != nil {
		return err
	}
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(d.Rows) {
			return nil, nil
		}
		r := &d.Rows[i]
		i++
		created := time.Unix(r.Created, 0).UTC()
		row := []any{d.Groups[r.Group], Channels[r.Channel], created, nil, nil, nil, nullBool(r.SLAReply), nullBool(r.SLASolve)}
		if r.FRT >= 0 {
			row[3] = created.Add(time.Duration(r.FRT) * time.Second)
		}
		if r.Resolution >= 0 {
			row[4] = created.Add(time.Duration(r.Resolution) * time.Second)
		}
		if r.CSAT > 0 {
			row[5] = int16(r.CSAT)
		}
		return row, nil
	})
	cols := []string{"grp", "channel", "created", "first_reply", "solved", "csat", "sla_first_response", "sla_resolution"}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{schema, "tickets"}, cols, src); err != nil {
		return err
	}
	_, err = conn.Exec(ctx, "VACUUM ANALYZE "+ident+".tickets")
	return err
}

func nullBool(outcome int8) any {
	if outcome < 0 {
		return nil
	}
	return outcome == 1
}

// Drop removes schema and everything in it.
func Drop(ctx context.Context, conn *pgx.Conn, schema string) error {
	_, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
	return err
}

// reportSQL is the report in SQL: the same cells and figures as ReportConfig. %s is the
// schema.
const reportSQL = `SELECT grp, channel, date_trunc('month', created, 'UTC'), count(*),
	count(first_reply), percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY first_reply - created),
	count(solved), percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY solved - created),
	count(csat), count(*) FILTER (WHERE csat >= 4),
	count(*) FILTER (WHERE sla_first_response), count(*) FILTER (WHERE NOT sla_first_response),
	count(*) FILTER (WHERE sla_resolution), count(*) FILTER (WHERE NOT sla_resolution)
FROM %s.tickets GROUP BY 1, 2, 3`

// SetWorkers sets the parallel workers PostgreSQL may use per query on conn (0: serial).
func SetWorkers(ctx context.Context, conn *pgx.Conn, workers int) error {
	_, err := conn.Exec(ctx, fmt.Sprintf("SET max_parallel_workers_per_gather = %d", workers))
	return err
}

// SetWorkMem sets PostgreSQL's work_mem on conn, the memory a sort may take before it spills
// to disk; "" restores the server's default.
func SetWorkMem(ctx context.Context, conn *pgx.Conn, workMem string) error {
	if workMem == "" {
		_, err := conn.Exec(ctx, "RESET work_mem")
		return err
	}
	_, err := conn.Exec(ctx, "SELECT set_config('work_mem', $1, false)", workMem)
	return err
}

// FromSQL runs the report in SQL on schema's tickets and returns every cell's figures.
func FromSQL(ctx context.Context, conn *pgx.Conn, schema string) (map[Cell]*Figures, error) {
	rows, err := conn.Query(ctx, fmt.Sprintf(reportSQL, pgx.Identifier{schema}.Sanitize()))
	if err != nil {
		return nil, err
	}
	out := map[Cell]*Figures{}
	var (
		c          Cell
		month      time.Time
		frt, res   []pgtype.Interval
		sla        [4]int
		f          Figures
		csat, good int
	)
	_, err = pgx.ForEachRow(rows, []any{&c.Group, &c.Channel, &month, &f.Tickets, &f.FRTCount, &frt,
		&f.ResolutionCount, &res, &csat, &good, &sla[0], &sla[1], &sla[2], &sla[3]}, func() error {
		f.CSATAnswers, f.CSATPositive = csat, good
		f.ReplySLA = metrics.SLACount{Met: sla[0], Breached: sla[1]}
		f.SolveSLA = metrics.SLACount{Met: sla[2], Breached: sla[3]}
		f.FRT, f.Resolution = seconds(frt), seconds(res)
		c.Month = month.UTC().Month()
		g := f
		out[c] = &g
		return nil
	})
	return out, err
}

// QuantileSQL returns, for every cell, percentile_cont and percentile_disc of the first
// response time in seconds at q.
func QuantileSQL(ctx context.Context, conn *pgx.Conn, schema string, q float64) (cont, disc map[Cell]float64, err error) {
	rows, err := conn.Query(ctx, fmt.Sprintf(`SELECT grp, channel, date_trunc('month', created, 'UTC'),
		percentile_cont($1::float8) WITHIN GROUP (ORDER BY first_reply - created),
		percentile_disc($1::float8) WITHIN GROUP (ORDER BY first_reply - created)
		FROM %s.tickets WHERE first_reply IS NOT NULL GROUP BY 1, 2, 3`, pgx.Identifier{schema}.Sanitize()), q)
	if err != nil {
		return nil, nil, err
	}
	cont, disc = map[Cell]float64{}, map[Cell]float64{}
	var (
		c     Cell
		month time.Time
		pc    pgtype.Interval
		pd    pgtype.Interval
	)
	_, err = pgx.ForEachRow(rows, []any{&c.Group, &c.Channel, &month, &pc, &pd}, func() error {
		c.Month = month.UTC().Month()
		cont[c], disc[c] = intervalSeconds(pc), intervalSeconds(pd)
		return nil
	})
	return cont, disc, err
}

func seconds(iv []pgtype.Interval) [2]float64 {
	var out [2]float64
	for i := range min(len(iv), 2) {
		out[i] = intervalSeconds(iv[i])
	}
	return out
}

// intervalSeconds converts an interval between two instants (days of 24 hours, no months)
// to seconds.
func intervalSeconds(iv pgtype.Interval) float64 {
	return float64(iv.Days)*86400 + float64(iv.Microseconds)/1e6 + float64(iv.Months)*30*86400
}

// Stream yields the tickets of schema as metrics.Records, streamed from PostgreSQL with one
// query: what a host that keeps its tickets there does to feed a Report. Rows come in
// PostgreSQL's binary format and are decoded from the raw bytes, and group and channel names
// are interned, so a record allocates nothing of its own. The error of the query or of a
// malformed row, if any, is stored in *errp after the sequence ends.
func Stream(ctx context.Context, conn *pgx.Conn, schema string, errp *error) iter.Seq[metrics.Record] {
	return func(yield func(metrics.Record) bool) {
		rows, err := conn.Query(ctx, `SELECT grp, channel, created, first_reply, solved, csat,
			sla_first_response, sla_resolution FROM `+pgx.Identifier{schema}.Sanitize()+`.tickets`,
			pgx.QueryResultFormats{pgx.BinaryFormatCode})
		if err != nil {
			*errp = err
			return
		}
		defer rows.Close()
		names := map[string]string{}
		intern := func(b []byte) string {
			if s, ok := names[string(b)]; ok {
				return s
			}
			s := string(b)
			names[s] = s
			return s
		}
		for rows.Next() {
			v := rows.RawValues()
			rec, err := decodeTicket(v, intern)
			if err != nil {
				*errp = err
				return
			}
			if !yield(rec) {
				return
			}
		}
		*errp = rows.Err()
	}
}

// StreamPipelined is Stream with the reading and decoding of rows on a goroutine of its own,
// handing records over in chunks, so that receiving rows from PostgreSQL overlaps with
// adding them to a report. Stopping the sequence early stops the reader, which closes the
// rows as Stream does and leaves the connection usable.
func StreamPipelined(ctx context.Context, conn *pgx.Conn, schema string, errp *error) iter.Seq[metrics.Record] {
	return func(yield func(metrics.Record) bool) {
		const chunk, chunks = 1024, 4
		full := make(chan []metrics.Record, chunks)
		free := make(chan []metrics.Record, chunks+1)
		for range chunks + 1 {
			free <- make([]metrics.Record, 0, chunk)
		}
		stop := make(chan struct{})
		var rerr error
		go func() {
			defer close(full)
			buf := <-free
			for rec := range Stream(ctx, conn, schema, &rerr) {
				buf = append(buf, rec)
				if len(buf) < chunk {
					continue
				}
				full <- buf
				select {
				case buf = <-free:
				case <-stop:
					return
				}
			}
			full <- buf
		}()
		stopped := false
		for buf := range full {
			for _, rec := range buf {
				if !stopped && !yield(rec) {
					stopped = true
					close(stop)
				}
			}
			if !stopped {
				free <- buf[:0]
			}
		}
		if !stopped {
			*errp = rerr
		}
	}
}

// decodeTicket makes a record of one row of Stream's query, in binary format.
func decodeTicket(v [][]byte, intern func([]byte) string) (metrics.Record, error) {
	if len(v) != 8 || v[0] == nil || v[1] == nil || len(v[2]) != 8 || (v[5] != nil && len(v[5]) != 2) {
		return metrics.Record{}, fmt.Errorf("malformed ticket row")
	}
	solved := timestamptz(v[4])
	rec := metrics.Record{Group: intern(v[0]), Channel: intern(v[1]), Created: timestamptz(v[2]),
		FirstReply: timestamptz(v[3]), Solved: solved, FirstSolved: solved,
		SLA: slaOutcomes[3*(boolOutcome(v[6])+1)+boolOutcome(v[7])+1]}
	if v[5] != nil {
		rec.CSAT = int(int16(binary.BigEndian.Uint16(v[5])))
	}
	return rec, nil
}

// pgEpoch is PostgreSQL's epoch, 2000-01-01 00:00 UTC, in Unix microseconds.
const pgEpoch = 946_684_800_000_000

// timestamptz decodes a binary timestamptz (microseconds since pgEpoch); NULL (nil) is the
// zero time.
func timestamptz(b []byte) time.Time {
	if len(b) != 8 {
		return time.Time{}
	}
	return time.UnixMicro(int64(binary.BigEndian.Uint64(b)) + pgEpoch).UTC()
}

// boolOutcome decodes a binary boolean SLA outcome: 1 met, 0 breached, -1 NULL.
func boolOutcome(b []byte) int8 {
	switch {
	case len(b) != 1:
		return -1
	case b[0] != 0:
		return 1
	}
	return 0
}
