package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/ticket"
)

// Ledger is a supportkit.Ledger in PostgreSQL: one row per hook occurrence, shared by every
// Desk of every process over the schema, and kept across restarts, so that no Desk calls a
// hook again for an occurrence delivered by any of them. Claim and Done are one statement
// each (an upsert that takes the row's lock), so concurrent claims of one key serialize in
// the database. Claims compare the callers' instants (Claim.Now and Until), stored as Unix
// nanoseconds: the processes' clocks must agree to well within RetryPolicy.ClaimFor.
// desktest.TestLedger checks it. Rows are never deleted: one per occurrence, a few dozen
// bytes each. It is safe for concurrent use.
type Ledger struct {
	pool                  *pgxpool.Pool
	claim, state, doneSQL string
}

var _ supportkit.Ledger = (*Ledger)(nil)

// NewLedger returns a ledger over the tables Migrate made in cfg.Schema (only Schema is
// read). It does no I/O. Errors: a nil pool or a bad schema name wrap ErrInvalid.
func NewLedger(pool *pgxpool.Pool, cfg Config) (*Ledger, error) {
	s, err := deskSchema(pool, cfg)
	if err != nil {
		return nil, err
	}
	r := strings.NewReplacer("{s}", s)
	return &Ledger{
		pool: pool,
		claim: r.Replace(`INSERT INTO {s}.desk_ledger AS l (key, owner, until_ns, delivered) VALUES ($1, $2, $4, false)
			ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, until_ns = excluded.until_ns
			WHERE NOT l.delivered AND (l.owner = excluded.owner OR l.until_ns <= $3)
			RETURNING true`),
		state: r.Replace(`SELECT delivered, owner, until_ns FROM {s}.desk_ledger WHERE key = $1`),
		doneSQL: r.Replace(`INSERT INTO {s}.desk_ledger AS l (key, owner, until_ns, delivered) VALUES ($1, $2, 0, true)
			ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, until_ns = 0, delivered = true`),
	}, nil
}

// claimTries bounds how often Claim reads a row that changed between its upsert and its
// read (another owner's claim lapsing at that instant); each try is a fresh look.
const claimTries = 5

// Claim implements supportkit.Ledger. Errors: an empty key or owner, one that is not valid
// UTF-8 or holds a NUL byte (PostgreSQL text cannot hold it), a key over maxKeyBytes (an
// index cannot hold it), or an Until not
// after Now, wrap ticket.ErrInvalid (and ErrInvalid), with nothing recorded; the
// database's are wrapped as the TicketStore's are.
func (l *Ledger) Claim(ctx context.Context, c supportkit.Claim) (supportkit.ClaimResult, error) {
	if err := ctx.Err(); err != nil {
		return supportkit.ClaimResult{}, err
	}
	switch {
	case c.Key == "" || c.Owner == "":
		return supportkit.ClaimResult{}, invalidArg("ledger: empty claim key or owner")
	case indexable(c.Key) != nil || storable(c.Owner) != nil:
		return supportkit.ClaimResult{}, invalidArg("ledger: claim key or owner not valid UTF-8, holding a NUL byte, or a key over 1024 bytes")
	case !c.Until.After(c.Now):
		return supportkit.ClaimResult{}, invalidArg("ledger: claim ends at or before its start")
	}
	now, until := c.Now.UnixNano(), c.Until.UnixNano()
	for range claimTries {
		var ok bool
		err := l.pool.QueryRow(ctx, l.claim, c.Key, c.Owner, now, until).Scan(&ok)
		if err == nil {
			return supportkit.ClaimResult{State: supportkit.Claimed, Until: c.Until}, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return supportkit.ClaimResult{}, wrap(ctx, "ledger claim", err)
		}
		var delivered bool
		var owner string
		var held int64
		if err := l.pool.QueryRow(ctx, l.state, c.Key).Scan(&delivered, &owner, &held); err != nil {
			return supportkit.ClaimResult{}, wrap(ctx, "ledger claim", err)
		}
		switch {
		case delivered:
			return supportkit.ClaimResult{State: supportkit.Delivered}, nil
		case owner != c.Owner && now < held:
			return supportkit.ClaimResult{State: supportkit.Held, Until: unixNano(held)}, nil
		}
	}
	return supportkit.ClaimResult{}, fmt.Errorf("postgres: ledger claim of %q: %w: the row kept changing", c.Key, ticket.ErrConflict)
}

// Done implements supportkit.Ledger. Errors as Claim's.
func (l *Ledger) Done(ctx context.Context, key, owner string) error {
	return l.DoneTx(ctx, nil, key, owner)
}

// DoneTx records key delivered in tx, the host's transaction: a hook whose effect is a
// write to the same database calls it with the transaction that writes the effect, so
// that the effect and the record commit together, and the occurrence is delivered exactly
// once (the Desk's own Done after the hook returns then changes nothing). A nil tx writes
// on the pool, as Done does. Errors as Claim's.
func (l *Ledger) DoneTx(ctx context.Context, tx pgx.Tx, key, owner string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if key == "" || owner == "" {
		return invalidArg("ledger: empty key or owner")
	}
	if indexable(key) != nil || storable(owner) != nil {
		return invalidArg("ledger: key or owner not valid UTF-8, holding a NUL byte, or a key over 1024 bytes")
	}
	var err error
	if tx != nil {
		_, err = tx.Exec(ctx, l.doneSQL, key, owner)
	} else {
		_, err = l.pool.Exec(ctx, l.doneSQL, key, owner)
	}
	return wrap(ctx, "ledger done", err)
}

// deskSchema checks the pool and cfg's schema of a Desk part and returns it quoted.
func deskSchema(pool *pgxpool.Pool, cfg Config) (string, error) {
	if pool == nil {
		return "", fmt.Errorf("%w: nil pool", ErrInvalid)
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return "", err
	}
	return quote(cfg.Schema), nil
}

// maxKeyBytes bounds the text a Desk part keeps in an indexed column: a Ledger key, a
// Roster agent, a ClockIndex desk. PostgreSQL's B-tree indexes hold rows of up to about
// 2.7 kB.
const maxKeyBytes = 1024

// indexable returns an error for text a Desk part cannot keep in an index: text that is not
// storable, or longer than maxKeyBytes.
func indexable(s string) error {
	if len(s) > maxKeyBytes {
		return fmt.Errorf("longer than %d bytes", maxKeyBytes)
	}
	return storable(s)
}

// invalidArg is the error of a bad argument to a Desk part: it wraps ticket.ErrInvalid, as
// the supportkit contracts ask, and ErrInvalid.
func invalidArg(what string) error {
	return fmt.Errorf("postgres: %s: %w (%w)", what, ticket.ErrInvalid, ErrInvalid)
}
