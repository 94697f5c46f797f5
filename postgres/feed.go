package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/supportkit/supportkit/ticket"
)

// The change feed. Each event row carries the ID of the transaction that wrote it
// (pg_current_xact_id(), 64 bits, never wrapping) and a position from a sequence; the feed is
// ordered by (transaction, position). A reader reads only rows whose transaction is below the
// oldest transaction still running (pg_snapshot_xmin of its snapshot): every transaction
// below it has ended, so no row can appear there later, and the feed never grows behind a
// cursor it handed out. A transaction held open holds back the feed's readers (not its
// writers) until it ends. Readers wait on LISTEN/NOTIFY: each write that appends events
// notifies when it commits.

// Changes implements ticket.Feed. A cursor is "<transaction>:<position>" in decimal; any
// other text gives an error wrapping ticket.ErrInvalid. Limit is capped at 1000.
func (s *TicketStore) Changes(ctx context.Context, after ticket.Cursor, limit int) ([]ticket.FeedEntry, error) {
	xid, pos, err := parseCursor(after)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = ticket.FeedLimit
	}
	limit = min(limit, maxLimit)
	rows, err := s.pool.Query(ctx, s.changesSQL(), strconv.FormatUint(xid, 10), pos, limit)
	if err != nil {
		return nil, wrap(ctx, "changes", err)
	}
	out := []ticket.FeedEntry{}
	var e ticket.FeedEntry
	var x string
	var p int64
	var data []byte
	_, err = pgx.ForEachRow(rows, []any{&x, &p, &e.Ticket, &data}, func() error {
		e.Event = ticket.Event{}
		if err := json.Unmarshal(data, &e.Event); err != nil {
			return fmt.Errorf("decode event: %w", err)
		}
		e.Cursor = ticket.Cursor(x + ":" + strconv.FormatInt(p, 10))
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, wrap(ctx, "changes", err)
	}
	return out, nil
}

// changesSQL reads the feed after a cursor ($1 the transaction in decimal, $2 the position),
// $3 entries at most. The transaction ID is read as text (pgx has no xid8 type) under
// another name: ORDER BY must sort by the xid8 column, in the order of the index, not by its
// text.
func (s *TicketStore) changesSQL() string {
	return `SELECT e.xid::text AS xid_text, e.pos, e.ticket_id, e.data FROM ` + s.q.schema + `.events e
		WHERE (e.xid, e.pos) > ($1::text::xid8, $2) AND e.xid < pg_snapshot_xmin(pg_current_snapshot())
		ORDER BY e.xid, e.pos LIMIT $3`
}

// Wait implements ticket.Feed. It holds a connection of the pool while it waits, listening on
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
	var ready bool
	err = conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+s.q.schema+`.events
		WHERE (xid, pos) > ($1::text::xid8, $2) AND xid < pg_snapshot_xmin(pg_current_snapshot()))`,
		strconv.FormatUint(xid, 10), pos).Scan(&ready)
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
		return 0, 0, &ticket.ValidationError{Field: "Cursor", Reason: "not a cursor of this store"}
	}
	return xid, pos, nil
}
