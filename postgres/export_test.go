package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/supportkit/supportkit/ticket"
)

// HoldCreate begins, in its own transaction, a Create of c in s (a *TicketStore) and returns
// before COMMIT; commit commits it. It is tickettest.Options.Hold.
func HoldCreate(ctx context.Context, s ticket.Store, c ticket.Creation) (commit func() error, err error) {
	ts := s.(*TicketStore)
	tx, err := ts.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	// The writers' lock comes first: create's lookup draws a number, which may give the
	// transaction its ID.
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock_shared($1, $2)", int32(writerClass), ts.writer); err != nil {
		_ = tx.Rollback(ctx)
		return nil, err
	}
	if _, _, err := ts.create(ctx, tx, c); err != nil {
		_ = tx.Rollback(ctx)
		return nil, err
	}
	return func() error { return tx.Commit(ctx) }, nil
}

// ListSQL is the query and arguments List sends for q.
func (s *TicketStore) ListSQL(q ticket.Query) (string, []any) { return s.listSQL(q) }

// ChangesSQL is the query Changes sends.
func (s *TicketStore) ChangesSQL() string { return s.changesSQL("e.data") }

// MigrateTo brings schema up to version n of the migrations only, as code of that version
// would have.
func MigrateTo(ctx context.Context, pool *pgxpool.Pool, schema string, n int) ([]int, error) {
	ms, err := migrations()
	if err != nil {
		return nil, err
	}
	var applied []int
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		applied, err = migrate(ctx, tx, schema, ms[:n])
		return err
	})
	return applied, err
}

// EventDoc and TicketDoc are the documents the events and tickets tables store.
var EventDoc, TicketDoc = eventDoc, ticketDoc
