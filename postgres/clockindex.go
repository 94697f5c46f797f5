package postgres

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/supportkit/supportkit"
)

// flushAt is how many changes a ClockIndex holds before Set writes them.
const flushAt = 10_000

// ClockIndex is a supportkit.ClockIndex in PostgreSQL: a table of the next instant each
// ticket's SLA clocks need a look, per Desk, with an index on (Desk, instant), so that Due
// reads only the rows that are due, however many tickets are open.
//
// Each Desk has its own rows (the desk name given to NewClockIndex, its Config.Instance):
// a Desk keeps in its index only the tickets it watches, and rows written by another Desk
// that lags or leads it would make it miss or repeat a look. A Desk restarted under the
// same name calls Clear before Run, since its watch starts empty; a Desk under a new name
// starts with no rows (the rows of a name no longer used are dead weight that Clear, or a
// DELETE by desk, removes).
//
// Set is cheap: it records the change in memory, and the changes are written in one
// transaction when the index is read (Due, Next), when Flush is called, or when 10,000 of
// them are waiting, so that a Desk loading a million events writes each ticket's last
// instant once. The index as Due and Next read it is therefore always this value's latest
// Set; a write that fails is kept and tried again at the next read. desktest.TestClockIndex
// checks it. It is safe for concurrent use.
type ClockIndex struct {
	pool                           *pgxpool.Pool
	desk                           string
	del, upsert, due, next, clearQ string

	mu      sync.Mutex
	pending map[uuid.UUID]*int64 // ticket -> instant in Unix ns; nil removes it
	flushMu sync.Mutex           // one write at a time, in the order of the changes
}

var _ supportkit.ClockIndex = (*ClockIndex)(nil)

// NewClockIndex returns the clock index of the Desk named desk over cfg.Schema (only
// Schema is read), whose tables Migrate made. It does no I/O. Errors: a nil pool, a bad
// schema name, or an empty desk or one that is not valid UTF-8, holds a NUL byte or is over
// 1024 bytes wrap ErrInvalid.
func NewClockIndex(pool *pgxpool.Pool, cfg Config, desk string) (*ClockIndex, error) {
	s, err := deskSchema(pool, cfg)
	if err != nil {
		return nil, err
	}
	if desk == "" || indexable(desk) != nil {
		return nil, invalidArg("clock index: empty desk name, or one not valid UTF-8, holding a NUL byte or over 1024 bytes")
	}
	r := strings.NewReplacer("{s}", s)
	return &ClockIndex{
		pool: pool, desk: desk, pending: map[uuid.UUID]*int64{},
		del: r.Replace(`DELETE FROM {s}.desk_clocks WHERE desk = $1 AND ticket_id = ANY($2::uuid[])`),
		upsert: r.Replace(`INSERT INTO {s}.desk_clocks (desk, ticket_id, at_ns)
			SELECT $1, x.id, x.at FROM unnest($2::uuid[], $3::bigint[]) AS x(id, at)
			ON CONFLICT (desk, ticket_id) DO UPDATE SET at_ns = excluded.at_ns`),
		due: r.Replace(`SELECT ticket_id FROM {s}.desk_clocks WHERE desk = $1 AND at_ns <= $2
			ORDER BY at_ns, ticket_id LIMIT $3`),
		next:   r.Replace(`SELECT min(at_ns) FROM {s}.desk_clocks WHERE desk = $1`),
		clearQ: r.Replace(`DELETE FROM {s}.desk_clocks WHERE desk = $1`),
	}, nil
}

// Set implements supportkit.ClockIndex. Errors: a nil ticket ID wraps ticket.ErrInvalid
// (and ErrInvalid); when the changes waiting reach flushAt, the write's error (the change
// is kept and written later).
func (x *ClockIndex) Set(ctx context.Context, id uuid.UUID, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if id == uuid.Nil {
		return invalidArg("clock index: nil ticket ID")
	}
	var ns *int64 // the zero time removes; the Unix epoch, whose nanosecond count is 0, does not
	if !at.IsZero() {
		n := at.UnixNano()
		ns = &n
	}
	x.mu.Lock()
	x.pending[id] = ns
	n := len(x.pending)
	x.mu.Unlock()
	if n >= flushAt {
		return x.Flush(ctx)
	}
	return nil
}

// Flush writes the changes Set recorded, in one transaction. On an error the changes not
// set again meanwhile are kept for the next Flush. Due and Next flush first.
func (x *ClockIndex) Flush(ctx context.Context) error {
	x.flushMu.Lock()
	defer x.flushMu.Unlock()
	x.mu.Lock()
	changes := x.pending
	x.pending = map[uuid.UUID]*int64{}
	x.mu.Unlock()
	if len(changes) == 0 {
		return nil
	}
	var gone, ids []uuid.UUID
	var ats []int64
	for id, ns := range changes {
		if ns == nil {
			gone = append(gone, id)
		} else {
			ids, ats = append(ids, id), append(ats, *ns)
		}
	}
	b := &pgx.Batch{}
	if len(gone) > 0 {
		b.Queue(x.del, x.desk, uuidArray(gone))
	}
	if len(ids) > 0 {
		b.Queue(x.upsert, x.desk, uuidArray(ids), ats)
	}
	err := x.pool.SendBatch(ctx, b).Close()
	if err != nil {
		x.mu.Lock()
		for id, ns := range changes {
			if _, newer := x.pending[id]; !newer {
				x.pending[id] = ns
			}
		}
		x.mu.Unlock()
	}
	return wrap(ctx, "clock index flush", err)
}

// Due implements supportkit.ClockIndex.
func (x *ClockIndex) Due(ctx context.Context, now time.Time, limit int) ([]uuid.UUID, error) {
	if err := x.Flush(ctx); err != nil {
		return nil, err
	}
	var lim *int
	if limit > 0 {
		lim = &limit
	}
	rows, err := x.pool.Query(ctx, x.due, x.desk, now.UnixNano(), lim)
	if err != nil {
		return nil, wrap(ctx, "clock index due", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	return ids, wrap(ctx, "clock index due", err)
}

// Next implements supportkit.ClockIndex.
func (x *ClockIndex) Next(ctx context.Context) (time.Time, bool, error) {
	if err := x.Flush(ctx); err != nil {
		return time.Time{}, false, err
	}
	var ns *int64
	if err := x.pool.QueryRow(ctx, x.next, x.desk).Scan(&ns); err != nil {
		return time.Time{}, false, wrap(ctx, "clock index next", err)
	}
	if ns == nil {
		return time.Time{}, false, nil
	}
	return unixNano(*ns), true, nil
}

// Clear removes every row of this Desk, and the changes not yet written: a Desk restarted
// under the name of one that stopped calls it before Run, so that the index holds only
// what the new Desk watches.
func (x *ClockIndex) Clear(ctx context.Context) error {
	x.flushMu.Lock()
	defer x.flushMu.Unlock()
	x.mu.Lock()
	x.pending = map[uuid.UUID]*int64{}
	x.mu.Unlock()
	_, err := x.pool.Exec(ctx, x.clearQ, x.desk)
	return wrap(ctx, "clock index clear", err)
}
