package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/supportkit/supportkit/ticket"
)

// The change feed. Each event row carries the ID of the transaction that wrote it
// (pg_current_xact_id(), 64 bits, never wrapping) and a position from a sequence; the feed is
// ordered by (transaction, position). A reader reads only below a horizon: the oldest
// transaction that was running when its snapshot was taken and may write events. Every
// transaction below the horizon had ended or never writes events, so no event can appear
// there later, and the feed never grows behind a cursor it handed out.
//
// Which transactions may write events: every write of the store takes, as its first
// statement and so before PostgreSQL gives it a transaction ID, a shared transaction-level
// advisory lock of the schema (writerClass, TicketStore.writer). A transaction that has an ID
// but not that lock therefore never writes events, and the horizon skips it: another
// application's long transaction on the same server does not hold the feed back. Every other
// running transaction counts, and so does one that ended between the snapshot and the look
// at pg_locks (it cannot be told apart, and it is over). A transaction of the store held open
// holds readers back, never writers, until it ends; readers wait on LISTEN/NOTIFY, and each
// write that appends events notifies when it commits.

// writerClass is the first key of the writers' advisory lock ("sk").
const writerClass = 0x736b

// writerKey is the second key of a schema's writers' advisory lock.
func writerKey(schema string) int32 { return int32(lockKey(schema) & 0x7fffffff) }

// queueWriter queues the shared advisory lock that marks a transaction as a writer of events.
// It must come first in every write.
func (s *TicketStore) queueWriter(b *pgx.Batch) {
	b.Queue("SELECT pg_advisory_xact_lock_shared($1, $2)", int32(writerClass), s.writer)
}

// horizonSQL is an expression for the feed's horizon in the statement's snapshot: the
// smallest transaction ID that was running at the snapshot, except those that are running
// now without the writers' lock; the snapshot's xmax when there is none. A running
// transaction is known by the exclusive lock it holds on its own ID (a transaction waiting
// for another asks for a share lock on the other's ID, which must not count). pg_locks is
// read once, so that the IDs and the writers' locks come from one instant: read twice, a
// writer that commits in between would look like a transaction without the lock. A writer
// never looks like one either at its start (it takes the lock before it has an ID) or at its
// end (PostgreSQL releases a transaction's own locks, its ID's among them, before its
// advisory locks: ProcReleaseLocks). class and key are the placeholders of the lock's keys.
func horizonSQL(class, key string) string {
	return `(SELECT coalesce(min(x), pg_snapshot_xmax(pg_current_snapshot()))
	FROM pg_snapshot_xip(pg_current_snapshot()) AS x
	WHERE (x::text::numeric % 4294967296)::bigint NOT IN (
		SELECT unnest(p.xids) FROM (
			SELECT array_agg(l.transactionid::text::bigint)
					FILTER (WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted) AS xids,
				coalesce(bool_or(l.locktype = 'advisory' AND l.granted AND l.classid = ` + class + `::integer::oid
					AND l.objid = ` + key + `::integer::oid AND l.objsubid = 2), false) AS writer
			FROM pg_locks l WHERE l.pid IS NOT NULL GROUP BY l.pid) p
		WHERE NOT p.writer AND p.xids IS NOT NULL))`
}

// Changes implements ticket.Feed. A cursor is "<transaction>:<position>" in decimal, the
// place of the event it was issued after; any other text, and a cursor that names no event
// of the schema (one from the future, or from another schema or database), gives an error
// wrapping ticket.ErrInvalid, so that a reader never skips the events before a position the
// feed has not reached. Limit is capped at 1000.
func (s *TicketStore) Changes(ctx context.Context, after ticket.Cursor, limit int) ([]ticket.FeedEntry, error) {
	out := []ticket.FeedEntry{}
	var data []byte
	err := s.feed(ctx, "changes", "e.data", after, limit, maxLimit, &data, func(c ticket.Cursor, id uuid.UUID) error {
		event, err := decodeEvent(data)
		if err != nil {
			return err
		}
		out = append(out, ticket.FeedEntry{Cursor: c, Ticket: id, Event: event})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Marks implements ticket.FeedMarker: Changes without the events, which PostgreSQL then
// neither reads nor sends. Limit is capped at 5000 (maxMarks).
func (s *TicketStore) Marks(ctx context.Context, after ticket.Cursor, limit int) ([]ticket.FeedMark, error) {
	out := make([]ticket.FeedMark, 0, min(max(limit, 0), maxMarks))
	var seq int64
	err := s.feed(ctx, "marks", "e.seq", after, limit, maxMarks, &seq, func(c ticket.Cursor, id uuid.UUID) error {
		out = append(out, ticket.FeedMark{Cursor: c, Ticket: id, Seq: seq})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// maxMarks caps the limit of Marks, whose entries carry no event: a reader replaying the
// feed reads it in fewer, larger pages than Changes gives.
const maxMarks = 5000

// feed reads the feed after a cursor, limit entries at most (capped at most), scanning
// column col of each entry's event into dst and calling fn with the entry's cursor and
// ticket.
func (s *TicketStore) feed(ctx context.Context, op, col string, after ticket.Cursor, limit, most int, dst any,
	fn func(ticket.Cursor, uuid.UUID) error) error {
	xid, pos, err := parseCursor(after)
	if err != nil {
		return err
	}
	if limit <= 0 {
		limit = ticket.FeedLimit
	}
	limit = min(limit, most)
	from := strconv.FormatUint(xid, 10)
	b := &pgx.Batch{}
	b.Queue(s.issuedSQL(), after == "", from, pos)
	b.Queue(s.changesSQL(col), from, pos, limit, int32(writerClass), s.writer)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	var issued bool
	if err := br.QueryRow().Scan(&issued); err != nil {
		return wrap(ctx, op, err)
	}
	if !issued {
		return unissued()
	}
	rows, err := br.Query()
	if err != nil {
		return wrap(ctx, op, err)
	}
	var x pgtype.DriverBytes
	var p int64
	var id pgtype.UUID // read as its 16 bytes (uuid.UUID is read through its text)
	var buf []byte
	_, err = pgx.ForEachRow(rows, []any{&x, &p, &id, dst}, func() error {
		buf = strconv.AppendInt(append(append(buf[:0], x...), ':'), p, 10)
		return fn(ticket.Cursor(buf), id.Bytes)
	})
	if err != nil {
		return wrap(ctx, op, err)
	}
	return nil
}

// issuedSQL reports whether a cursor ($2 the transaction in decimal, $3 the position) is one
// the store issued: the start ($1 true), or the place of a stored event. Events are never
// deleted (erasure rewrites them in place), so a cursor once issued stays valid.
func (s *TicketStore) issuedSQL() string {
	return `SELECT $1::boolean OR EXISTS (SELECT 1 FROM ` + s.q.schema + `.events
		WHERE xid = $2::text::xid8 AND pos = $3)`
}

// unissued is the error for a well-formed cursor that names no event of the store.
func unissued() error {
	return &ticket.ValidationError{Field: "Cursor", Reason: "not a cursor of this store"}
}

// changesSQL reads col of the feed's events after a cursor ($1 the transaction in decimal,
// $2 the position), $3 entries at most, below the horizon ($4 and $5 the writers' lock).
// The transaction ID is read as text (pgx has no xid8 type) under another name: ORDER BY
// must sort by the xid8 column, in the order of the index, not by its text.
func (s *TicketStore) changesSQL(col string) string {
	return `SELECT e.xid::text AS xid_text, e.pos, e.ticket_id, ` + col + ` FROM ` + s.q.schema + `.events e
		WHERE (e.xid, e.pos) > ($1::text::xid8, $2) AND e.xid < ` + horizonSQL("$4", "$5") + `
		ORDER BY e.xid, e.pos LIMIT $3`
}

// Wait implements ticket.Feed; it refuses the cursors Changes refuses. It holds a connection of the pool while it waits, listening on
// the schema's channel, and returns after Config.PollInterval at the latest (also when only a
// transaction of another application, which sends no notification, held the feed back). Size
// the pool for the readers that wait at once.
func (s *TicketStore) Wait(ctx context.Context, after ticket.Cursor) error {
	xid, pos, err := parseCursor(after)
	if err != nil {
		return err
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return wrap(ctx, "wait", err)
	}
	defer conn.Release()
	channel := quote(s.channel)
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return wrap(ctx, "wait", err)
	}
	var issued, ready bool
	err = conn.QueryRow(ctx, `SELECT (`+s.issuedSQL()+`), EXISTS (SELECT 1 FROM `+s.q.schema+`.events
		WHERE (xid, pos) > ($2::text::xid8, $3) AND xid < `+horizonSQL("$4", "$5")+`)`,
		after == "", strconv.FormatUint(xid, 10), pos, int32(writerClass), s.writer).Scan(&issued, &ready)
	if err == nil && !issued {
		if _, err := conn.Exec(ctx, "UNLISTEN "+channel); err != nil {
			conn.Conn().Close(context.Background())
		}
		return unissued()
	}
	if err == nil && !ready {
		wctx, cancel := context.WithTimeout(ctx, s.cfg.PollInterval)
		_, err = conn.Conn().WaitForNotification(wctx)
		cancel()
		if err != nil && ctx.Err() == nil && errors.Is(wctx.Err(), context.DeadlineExceeded) {
			err = nil // the poll interval passed
		}
	}
	if err != nil {
		conn.Conn().Close(context.Background()) // its state is unknown: the pool drops it
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return wrap(ctx, "wait", err)
	}
	if _, err := conn.Exec(ctx, "UNLISTEN "+channel); err != nil {
		conn.Conn().Close(context.Background())
	}
	return nil
}

// parseCursor reads a cursor this store issued; "" is the start.
func parseCursor(c ticket.Cursor) (xid uint64, pos int64, err error) {
	if c == "" {
		return 0, 0, nil
	}
	x, p, ok := strings.Cut(string(c), ":")
	xid, err1 := strconv.ParseUint(x, 10, 64)
	pos, err2 := strconv.ParseInt(p, 10, 64)
	if !ok || err1 != nil || err2 != nil || pos < 0 || string(c) != strconv.FormatUint(xid, 10)+":"+strconv.FormatInt(pos, 10) {
		return 0, 0, unissued()
	}
	return xid, pos, nil
}
