package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// With SUPPORTKIT_BENCH_ASYNC_COMMIT set, the store benchmarks' pool commits without waiting
// for the WAL flush.

// benchSizes are the store sizes the store benchmarks run at: SUPPORTKIT_BENCH_SIZES, a comma
// separated list, else 100000.
func benchSizes(b *testing.B) []int {
	spec := os.Getenv("SUPPORTKIT_BENCH_SIZES")
	if spec == "" {
		spec = "100000"
	}
	var out []int
	for _, f := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		require.NoError(b, err)
		out = append(out, n)
	}
	return out
}

// populateTickets inserts n tickets with valid documents straight into the table, spread
// over the filters as populate's, and analyzes it.
func populateTickets(b *testing.B, st setup, n int) []uuid.UUID {
	ctx := context.Background()
	_, err := st.pool.Exec(ctx, `INSERT INTO `+st.schema+`.tickets (id, tenant, number, version, fingerprint, status,
		priority, assignee, grp, requester_id, requester_email, organization, tags, updated_ns, data)
		SELECT id, '', 'N-' || i, 1, '', status, priority, assignee, grp, req, email, org, tags, i::bigint * 1000000000,
			jsonb_build_object('ID', id, 'Subject', 'Ticket ' || i, 'Status', status, 'Priority', priority,
				'Assignee', assignee, 'Group', grp, 'Tags', to_jsonb(tags), 'Line', 1,
				'Requester', jsonb_build_object('ID', req, 'Email', email, 'Organization', org),
				'CreatedAt', '2026-03-02T09:00:00Z', 'UpdatedAt', '2026-03-02T09:00:00Z')
		FROM (SELECT i, `+st.schema+`.uuidv7ish(i) AS id,
			(ARRAY['new', 'open', 'pending', 'on-hold', 'solved', 'closed'])[1 + i % 6] AS status,
			(ARRAY['low', 'normal', 'high', 'urgent'])[1 + i % 4] AS priority,
			'agent-' || (i % 50) AS assignee, 'group-' || (i % 20) AS grp, 'cust-' || (i % 5000) AS req,
			'c' || (i % 5000) || '@example.com' AS email, 'org-' || (i % 300) AS org,
			ARRAY['tag' || (i % 100), 'all'] AS tags
			FROM generate_series(1, $1::integer) i) x`, n)
	require.NoError(b, err)
	_, err = st.pool.Exec(ctx, "ANALYZE "+st.schema+".tickets")
	require.NoError(b, err)
	ids := make([]uuid.UUID, 0, 1000)
	rows, err := st.pool.Query(ctx, "SELECT id FROM "+st.schema+".tickets TABLESAMPLE SYSTEM (1) LIMIT 1000")
	require.NoError(b, err)
	for rows.Next() {
		var id uuid.UUID
		require.NoError(b, rows.Scan(&id))
		ids = append(ids, id)
	}
	require.NoError(b, rows.Err())
	return ids
}

// uuidv7ish is defined per schema: a time-ordered UUID from a counter, like version 7 IDs.
const uuidv7ishSQL = `CREATE FUNCTION uuidv7ish(i integer) RETURNS uuid LANGUAGE sql IMMUTABLE AS
	$$ SELECT (lpad(to_hex(i), 12, '0') || '7000' || '8000' || substr(md5(i::text), 1, 12))::uuid $$`

// percentiles reports the p50 and p99 of ds as metrics of b.
func percentiles(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(ds[len(ds)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkTicketStore measures Create (a ticket with its description and two events), a
// comment (Update with a comment and its event), Ticket and List's first page, at each of
// benchSizes, on PostgreSQL, on the memory store, and as raw pgx statements writing the same
// rows with no library code (the ceiling on this machine).
func BenchmarkTicketStore(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("tickets=%d", n), func(b *testing.B) { benchAtSize(b, n) })
	}
}

func benchAtSize(b *testing.B, n int) {
	ctx := context.Background()
	st := newSetup(b, func(c *pgxpool.Config) {
		// Without waiting for the WAL flush, a write's cost is the library's and the
		// protocol's, not the disk's (which, on a shared machine, varies from run to run).
		if os.Getenv("SUPPORTKIT_BENCH_ASYNC_COMMIT") != "" {
			c.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
		}
	})
	_, err := st.pool.Exec(ctx, strings.Replace(uuidv7ishSQL, "uuidv7ish", st.schema+".uuidv7ish", 1))
	require.NoError(b, err)
	start := time.Now()
	pgIDs := populateTickets(b, st, n)
	b.Logf("populated %d tickets in %v", n, time.Since(start))
	mem := ticket.NewMemoryStore()
	var memIDs []uuid.UUID
	for i := range n {
		c := creation("")
		c.Ticket.Group = fmt.Sprintf("group-%d", i%20)
		_, _, err := mem.Create(ctx, c)
		require.NoError(b, err)
		if i%100 == 0 {
			memIDs = append(memIDs, c.Ticket.ID)
		}
	}
	stores := map[string]ticket.Store{"postgres": st.store, "memory": mem}
	ids := map[string][]uuid.UUID{"postgres": pgIDs, "memory": memIDs}
	for _, name := range []string{"postgres", "memory"} {
		s := stores[name]
		b.Run("create/"+name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := s.Create(ctx, creation("")); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("comment/"+name, func(b *testing.B) {
			tickets := make([]ticket.Ticket, 0, 100)
			for range 100 {
				tk, _, err := s.Create(ctx, creation(""))
				require.NoError(b, err)
				tickets = append(tickets, tk)
			}
			i := 0
			for b.Loop() {
				out, err := s.Update(ctx, appendComment(tickets[i%len(tickets)]))
				if err != nil {
					b.Fatal(err)
				}
				tickets[i%len(tickets)] = out[0]
				i++
			}
		})
		b.Run("get/"+name, func(b *testing.B) {
			var ds []time.Duration
			i := 0
			for b.Loop() {
				t0 := time.Now()
				if _, err := s.Ticket(ctx, ids[name][i%len(ids[name])]); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
				i++
			}
			percentiles(b, ds)
		})
		for qname, q := range map[string]ticket.Query{"all": {}, "group": {Group: "group-3"}, "group+status": {Group: "group-3", Statuses: []ticket.Status{ticket.StatusOpen}}} {
			b.Run("list-"+qname+"/"+name, func(b *testing.B) {
				var ds []time.Duration
				for b.Loop() {
					t0 := time.Now()
					if _, err := s.List(ctx, q); err != nil {
						b.Fatal(err)
					}
					ds = append(ds, time.Since(t0))
				}
				percentiles(b, ds)
			})
		}
	}
	b.Run("create/raw-pgx", func(b *testing.B) { rawCreate(b, st) })
	b.Run("comment/raw-pgx", func(b *testing.B) { rawComment(b, st) })
}

// rawCreate inserts what Create inserts (the ticket row, one comment, two events, the
// notification) as one pipelined batch with precomputed documents.
func rawCreate(b *testing.B, st setup) {
	raw := newRawWriter(b, st)
	for b.Loop() {
		raw.create()
	}
}

// rawComment updates a ticket row under its version and inserts a comment and an event, as
// one pipelined batch.
func rawComment(b *testing.B, st setup) {
	raw := newRawWriter(b, st)
	for b.Loop() {
		raw.comment()
	}
}

// rawWriter writes the rows the store writes, with raw pgx statements and documents encoded
// once.
type rawWriter struct {
	b                       *testing.B
	st                      setup
	data, commentDoc, event []byte
	ids                     []uuid.UUID
	versions                []int64
	next                    int
}

func newRawWriter(b *testing.B, st setup) *rawWriter {
	c := creation("")
	r := &rawWriter{b: b, st: st}
	r.data, _ = json.Marshal(c.Ticket)
	r.commentDoc, _ = json.Marshal(c.Comments[0])
	r.event, _ = json.Marshal(c.Events[0])
	for range 100 {
		tk, _, err := st.store.Create(context.Background(), creation(""))
		require.NoError(b, err)
		r.ids, r.versions = append(r.ids, tk.ID), append(r.versions, 1)
	}
	return r
}

func (r *rawWriter) send(batch *pgx.Batch) {
	if err := r.st.pool.SendBatch(context.Background(), batch).Close(); err != nil {
		r.b.Fatal(err)
	}
}

func (r *rawWriter) create() {
	s := r.st.schema
	id := uuid.Must(uuid.NewV7())
	batch := &pgx.Batch{}
	batch.Queue(`INSERT INTO `+s+`.tickets (id, tenant, number, version, fingerprint, status, priority, assignee, grp,
		requester_id, requester_email, organization, tags, updated_ns, data)
		VALUES ($1, '', 'R-' || nextval('`+s+`.ticket_numbers'), 1, '', 'new', 'normal', '', '', 'cust-1', 'ann@example.com', '', '{printer}', 0, $2)`, id, r.data)
	batch.Queue(`INSERT INTO `+s+`.comments (ticket_id, seq, data) VALUES ($1, 1, $2)`, id, r.commentDoc)
	batch.Queue(`INSERT INTO `+s+`.events (ticket_id, seq, data) VALUES ($1, 1, $2), ($1, 2, $2)`, id, r.event)
	batch.Queue(`SELECT pg_notify('raw', '')`)
	r.send(batch)
}

func (r *rawWriter) comment() {
	s := r.st.schema
	k := r.next % len(r.ids)
	r.next++
	id, v := r.ids[k], r.versions[k]
	batch := &pgx.Batch{}
	batch.Queue(`UPDATE `+s+`.tickets SET version = version + 1, data = $3 WHERE id = $1 AND version = $2`, id, v, r.data)
	batch.Queue(`INSERT INTO `+s+`.comments (ticket_id, seq, data) VALUES ($1, $2, $3)`, id, 1+v, r.commentDoc)
	batch.Queue(`INSERT INTO `+s+`.events (ticket_id, seq, data) VALUES ($1, $2, $3)`, id, 2+v, r.event)
	batch.Queue(`SELECT pg_notify('raw', '')`)
	r.send(batch)
	r.versions[k]++
}

// BenchmarkWriteAgainstCeiling alternates, op by op, a store write and the same rows written
// by raw pgx statements, so that both see the same load on a shared machine, and reports
// each one's mean and the store's share of the ceiling (raw time / store time).
func BenchmarkWriteAgainstCeiling(b *testing.B) {
	ctx := context.Background()
	st := newSetup(b, func(c *pgxpool.Config) {
		if os.Getenv("SUPPORTKIT_BENCH_ASYNC_COMMIT") != "" {
			c.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
		}
	})
	raw := newRawWriter(b, st)
	tickets := make([]ticket.Ticket, 0, 100)
	for range 100 {
		tk, _, err := st.store.Create(ctx, creation(""))
		require.NoError(b, err)
		tickets = append(tickets, tk)
	}
	report := func(b *testing.B, store, ceiling time.Duration) {
		n := float64(b.N)
		b.ReportMetric(float64(store.Nanoseconds())/n, "store-ns/op")
		b.ReportMetric(float64(ceiling.Nanoseconds())/n, "raw-ns/op")
		b.ReportMetric(float64(ceiling)/float64(store), "share-of-ceiling")
	}
	b.Run("create", func(b *testing.B) {
		var store, ceiling time.Duration
		for b.Loop() {
			t0 := time.Now()
			if _, _, err := st.store.Create(ctx, creation("")); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			raw.create()
			store, ceiling = store+t1.Sub(t0), ceiling+time.Since(t1)
		}
		report(b, store, ceiling)
	})
	b.Run("comment", func(b *testing.B) {
		var store, ceiling time.Duration
		i := 0
		for b.Loop() {
			t0 := time.Now()
			out, err := st.store.Update(ctx, appendComment(tickets[i%len(tickets)]))
			if err != nil {
				b.Fatal(err)
			}
			tickets[i%len(tickets)] = out[0]
			i++
			t1 := time.Now()
			raw.comment()
			store, ceiling = store+t1.Sub(t0), ceiling+time.Since(t1)
		}
		report(b, store, ceiling)
	})
}

// BenchmarkFeedRead reads 100,000 events from the start of the feed, 1,000 a call.
func BenchmarkFeedRead(b *testing.B) {
	ctx := context.Background()
	st := newSetup(b, nil)
	c := creation("")
	event, _ := json.Marshal(c.Events[0])
	_, err := st.pool.Exec(ctx, `INSERT INTO `+st.schema+`.events (ticket_id, seq, data)
		SELECT gen_random_uuid(), 1, $1 FROM generate_series(1, 100000)`, event)
	require.NoError(b, err)
	for b.Loop() {
		var cursor ticket.Cursor
		read := 0
		for {
			entries, err := st.store.Changes(ctx, cursor, 1000)
			if err != nil {
				b.Fatal(err)
			}
			if len(entries) == 0 {
				break
			}
			read += len(entries)
			cursor = entries[len(entries)-1].Cursor
		}
		if read != 100000 {
			b.Fatalf("read %d events", read)
		}
	}
	b.ReportMetric(100000*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkFeedLag runs 4 writers creating tickets (2,000 in all) while a reader follows the
// feed with Wait and Changes, and reports the lag from a Create's return to the reader
// receiving its first event. Run it with -benchtime=1x.
func BenchmarkFeedLag(b *testing.B) {
	ctx := context.Background()
	st := newSetup(b, nil)
	const writers, total = 4, 2000
	for b.Loop() {
		var mu sync.Mutex
		committed := map[uuid.UUID]time.Time{}
		var lags []time.Duration
		done := make(chan struct{})
		go func() {
			defer close(done)
			var cursor ticket.Cursor
			seen := 0
			for seen < total {
				entries, err := st.store.Changes(ctx, cursor, 1000)
				if err != nil {
					b.Error(err)
					return
				}
				now := time.Now()
				for _, e := range entries {
					if e.Event.Seq != 1 {
						continue
					}
					seen++
					mu.Lock()
					if at, ok := committed[e.Ticket]; ok {
						lags = append(lags, max(0, now.Sub(at)))
					} else {
						lags = append(lags, 0) // delivered before Create returned
					}
					mu.Unlock()
				}
				if len(entries) > 0 {
					cursor = entries[len(entries)-1].Cursor
					continue
				}
				if err := st.store.Wait(ctx, cursor); err != nil {
					b.Error(err)
					return
				}
			}
		}()
		var wg sync.WaitGroup
		for range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range total / writers {
					c := creation("")
					if _, _, err := st.store.Create(ctx, c); err != nil {
						b.Error(err)
						return
					}
					mu.Lock()
					committed[c.Ticket.ID] = time.Now()
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		<-done
		percentiles(b, lags)
	}
}
