package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/supportkit/supportkit"
)

// Lease is a supportkit.Lease in PostgreSQL: one row that names the Desk that dispatches
// and until when, for every Desk of every process over the schema. Acquire is one upsert
// that takes the row when it is missing, lapsed at the caller's now, or the caller's
// already, and otherwise leaves it; the row's lock serializes concurrent Acquires, so at
// most one owner holds the lease at any instant. A holder that dies without Release (a
// crash, a lost network) keeps it until its until: another Desk takes over once the hold lapses,
// Config.LeaseFor after the holder's last renewal, at its next try (Desks try every third
// of LeaseFor): within 4/3 LeaseFor of the holder's death. Instants are the callers' (stored as Unix
// nanoseconds): the processes' clocks must agree to well within LeaseFor, or a Desk with a
// fast clock takes over early. desktest.TestLease checks it. It is safe for concurrent use.
type Lease struct {
	pool             *pgxpool.Pool
	acquire, release string
}

var _ supportkit.Lease = (*Lease)(nil)

// NewLease returns the lease of the Desks over cfg.Schema (only Schema is read), whose
// tables Migrate made. It does no I/O. Errors: a nil pool or a bad schema name wrap
// ErrInvalid.
func NewLease(pool *pgxpool.Pool, cfg Config) (*Lease, error) {
	s, err := deskSchema(pool, cfg)
	if err != nil {
		return nil, err
	}
	r := strings.NewReplacer("{s}", s)
	return &Lease{
		pool: pool,
		acquire: r.Replace(`INSERT INTO {s}.desk_lease AS l (id, owner, until_ns) VALUES (true, $1, $3)
			ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, until_ns = excluded.until_ns
			WHERE l.owner = excluded.owner OR l.until_ns <= $2
			RETURNING true`),
		release: r.Replace(`DELETE FROM {s}.desk_lease WHERE owner = $1`),
	}, nil
}

// Acquire implements supportkit.Lease. Errors: an empty owner, one that is not valid UTF-8
// or holds a NUL byte, or an until not after now
// wrap ticket.ErrInvalid (and ErrInvalid); the database's are wrapped as the TicketStore's
// are, and then the caller does not hold the lease.
func (l *Lease) Acquire(ctx context.Context, owner string, now, until time.Time) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if owner == "" || !until.After(now) {
		return false, invalidArg("lease: empty owner or an end at or before now")
	}
	if storable(owner) != nil {
		return false, invalidArg("lease: owner not valid UTF-8, or holds a NUL byte")
	}
	var ok bool
	err := l.pool.QueryRow(ctx, l.acquire, owner, now.UnixNano(), until.UnixNano()).Scan(&ok)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, wrap(ctx, "lease acquire", err)
	}
	return true, nil
}

// Release implements supportkit.Lease.
func (l *Lease) Release(ctx context.Context, owner string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if storable(owner) != nil {
		return nil // such an owner never held the lease
	}
	_, err := l.pool.Exec(ctx, l.release, owner)
	return wrap(ctx, "lease release", err)
}

// unixNano is the instant of a Unix nanosecond count, in UTC.
func unixNano(ns int64) time.Time { return time.Unix(0, ns).UTC() }
