package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

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
// desktest.TestLedger checks it. A row per occurrence, a few dozen bytes (and the payload
// of a kept one: it is a supportkit.KeepingLedger), stays until Prune deletes it: it is a
// supportkit.PruningLedger, which a Desk prunes (see supportkit.Config.LedgerRetention).
// It is safe for concurrent use.
//
// It is a supportkit.BatchLedger: a Desk claims the occurrences one CheckClocks finds in
// one statement, and records those delivered in another. Claim, Done and DoneTx commit
// as usual, waiting for the write-ahead log to reach the disk. ClaimBatch and DoneBatch
// commit without waiting for it (synchronous_commit off for their transaction), which
// saves a disk flush per call: their rows are seen by every Desk, and hold the claims
// against every other owner, as soon as they return, and they survive any Desk's process
// stopping or restarting. Only a crash of the PostgreSQL server or its machine can lose
// them, and only those committed in the moment before it: the WAL writer flushes them
// within three wal_writer_delay (600 ms by default), and any later commit that waits for
// the disk flushes them first. After such a crash, a claim or record of that moment is
// forgotten, so a Desk may call a hook again for an occurrence delivered just before the
// crash: the case the Desk already allows for when a process stops between a hook's return
// and its record (see supportkit.Hooks), which a hook idempotent by Delivery key, or one
// recording with DoneTx, absorbs. A host that wants even those records on disk first
// gives the Desk a type with this Ledger's Claim and Done methods only.
type Ledger struct {
	pool                  *pgxpool.Pool
	claim, state, doneSQL string
	claimBatch, doneBatch string
	keep, kept            string
	prune                 string
}

var (
	_ supportkit.BatchLedger   = (*Ledger)(nil)
	_ supportkit.KeepingLedger = (*Ledger)(nil)
	_ supportkit.PruningLedger = (*Ledger)(nil)
)

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
		// A delivered row keeps the end of its last claim, which Prune compares; a key never
		// claimed has 0.
		doneSQL: r.Replace(`INSERT INTO {s}.desk_ledger AS l (key, owner, until_ns, delivered) VALUES ($1, $2, 0, true)
			ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, delivered = true`),
		// Rows are written in key order, so that batches of overlapping keys lock them in
		// the same order and never deadlock. The final SELECT reads the rows as they were
		// before the statement: the state of those not won.
		claimBatch: r.Replace(`WITH input AS (
				SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS x(key, owner, now_ns, until_ns)
			), won AS (
				INSERT INTO {s}.desk_ledger AS l (key, owner, until_ns, delivered)
				SELECT key, owner, until_ns, false FROM input ORDER BY key
				ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, until_ns = excluded.until_ns
				WHERE NOT l.delivered AND (l.owner = excluded.owner
					OR l.until_ns <= (SELECT i.now_ns FROM input i WHERE i.key = excluded.key))
				RETURNING l.key
			)
			SELECT i.key, w.key IS NOT NULL, l.key IS NOT NULL, coalesce(l.delivered, false),
				coalesce(l.owner, ''), coalesce(l.until_ns, 0)
			FROM input i LEFT JOIN won w ON w.key = i.key LEFT JOIN {s}.desk_ledger l ON l.key = i.key`),
		doneBatch: r.Replace(`INSERT INTO {s}.desk_ledger AS l (key, owner, until_ns, delivered)
			SELECT DISTINCT k, $2::text, 0::bigint, true FROM unnest($1::text[]) AS k ORDER BY 1
			ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, delivered = true`),
		// A kept row that was never claimed has no owner and a claim that ended at 0.
		keep: r.Replace(`INSERT INTO {s}.desk_ledger AS l (key, owner, until_ns, delivered, kept) VALUES ($1, '', 0, false, $2)
			ON CONFLICT (key) DO UPDATE SET kept = excluded.kept WHERE l.kept IS NULL AND NOT l.delivered`),
		// Keys compare byte by byte, as Go's strings do, whatever the database's collation.
		kept: r.Replace(`SELECT key, kept FROM {s}.desk_ledger
			WHERE kept IS NOT NULL AND NOT delivered AND key COLLATE "C" > $1 ORDER BY key COLLATE "C" LIMIT $2`),
		// Rows another statement holds (a claim being made) are left for the next prune.
		prune: r.Replace(`DELETE FROM {s}.desk_ledger WHERE key IN (
				SELECT key FROM {s}.desk_ledger
				WHERE until_ns > 0 AND until_ns < $1 AND (delivered OR kept IS NULL)
				LIMIT $2 FOR UPDATE SKIP LOCKED)`),
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
	if err := validateClaim(c); err != nil {
		return supportkit.ClaimResult{}, err
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
	if err := validateDone(owner, key); err != nil {
		return err
	}
	var err error
	if tx != nil {
		_, err = tx.Exec(ctx, l.doneSQL, key, owner)
	} else {
		_, err = l.pool.Exec(ctx, l.doneSQL, key, owner)
	}
	return wrap(ctx, "ledger done", err)
}

// Keep implements supportkit.KeepingLedger: one statement, committed as Claim's. Errors:
// an empty key, one that is not valid UTF-8 or holds a NUL byte, or one over 1024 bytes
// wraps ticket.ErrInvalid (and ErrInvalid), with nothing recorded; the database's are
// wrapped as the TicketStore's are.
func (l *Ledger) Keep(ctx context.Context, key string, payload []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if key == "" || indexable(key) != nil {
		return invalidArg("ledger: empty key, not valid UTF-8, holding a NUL byte, or over 1024 bytes")
	}
	if payload == nil {
		payload = []byte{} // NULL is "not kept"
	}
	_, err := l.pool.Exec(ctx, l.keep, key, payload)
	return wrap(ctx, "ledger keep", err)
}

// Kept implements supportkit.KeepingLedger, reading an index of the kept rows not
// delivered. Errors: a limit under 1 wraps ticket.ErrInvalid (and ErrInvalid); the
// database's are wrapped as the TicketStore's are.
func (l *Ledger) Kept(ctx context.Context, after string, limit int) ([]supportkit.KeptOccurrence, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit < 1 {
		return nil, invalidArg(fmt.Sprintf("ledger: limit %d", limit))
	}
	rows, err := l.pool.Query(ctx, l.kept, after, limit)
	if err != nil {
		return nil, wrap(ctx, "ledger kept", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (supportkit.KeptOccurrence, error) {
		var k supportkit.KeptOccurrence
		err := row.Scan(&k.Key, &k.Payload)
		return k, err
	})
	return out, wrap(ctx, "ledger kept", err)
}

// pruneBatch is how many rows one statement of Prune deletes.
const pruneBatch = 1000

// Prune implements supportkit.PruningLedger: it deletes the rows of keys delivered, and of
// claims neither delivered nor kept, whose last claim ended before before, a thousand
// rows per statement (each its own transaction), so that pruning a large ledger holds no
// lock for long; it skips the rows another statement holds at that moment, which the next
// Prune deletes. The rows delivered before schema version 8 count as claimed until that
// migration ran. Errors: the database's, wrapped as the TicketStore's are, with the rows
// of the statements before the failing one deleted and counted.
func (l *Ledger) Prune(ctx context.Context, before time.Time) (int, error) {
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		tag, err := l.pool.Exec(ctx, l.prune, before.UnixNano(), pruneBatch)
		if err != nil {
			return total, wrap(ctx, "ledger prune", err)
		}
		total += int(tag.RowsAffected())
		if tag.RowsAffected() < pruneBatch {
			return total, nil
		}
	}
}

// noWait makes the rest of its transaction commit without waiting for the disk.
const noWait = `SELECT set_config('synchronous_commit', 'off', true)`

// ClaimBatch implements supportkit.BatchLedger: one statement, committed without waiting
// for the disk (see Ledger). A claim whose row changed while the statement ran (another
// owner's claim lapsing at that instant) is made again alone, as Claim. Errors as Claim's;
// a key given twice wraps ticket.ErrInvalid (and ErrInvalid).
func (l *Ledger) ClaimBatch(ctx context.Context, claims []supportkit.Claim) ([]supportkit.ClaimResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := validateBatch(claims); err != nil {
		return nil, err
	}
	if len(claims) == 0 {
		return nil, nil
	}
	rows, err := l.claimAll(ctx, claims)
	if err != nil {
		return nil, err
	}
	out := make([]supportkit.ClaimResult, len(claims))
	for i, c := range claims {
		res, ok := rows[c.Key].answer(c)
		if !ok {
			if res, err = l.Claim(ctx, c); err != nil {
				return nil, err
			}
		}
		out[i] = res
	}
	return out, nil
}

// batchRow is a claimed key's row as the batch statement saw it.
type batchRow struct {
	won, seen, delivered bool
	owner                string
	until                int64
}

// answer returns the answer to claim c of row r; false when r cannot tell (the row
// changed while the statement ran).
func (r batchRow) answer(c supportkit.Claim) (supportkit.ClaimResult, bool) {
	switch {
	case r.won:
		return supportkit.ClaimResult{State: supportkit.Claimed, Until: c.Until}, true
	case r.seen && r.delivered:
		return supportkit.ClaimResult{State: supportkit.Delivered}, true
	case r.seen && r.owner != c.Owner && c.Now.UnixNano() < r.until:
		return supportkit.ClaimResult{State: supportkit.Held, Until: unixNano(r.until)}, true
	}
	return supportkit.ClaimResult{}, false
}

// claimAll runs the batch statement and returns its rows by key.
func (l *Ledger) claimAll(ctx context.Context, claims []supportkit.Claim) (map[string]batchRow, error) {
	keys, owners := make([]string, len(claims)), make([]string, len(claims))
	nows, untils := make([]int64, len(claims)), make([]int64, len(claims))
	for i, c := range claims {
		keys[i], owners[i], nows[i], untils[i] = c.Key, c.Owner, c.Now.UnixNano(), c.Until.UnixNano()
	}
	b := &pgx.Batch{}
	b.Queue(noWait)
	b.Queue(l.claimBatch, keys, owners, nows, untils)
	br := l.pool.SendBatch(ctx, b)
	out := make(map[string]batchRow, len(claims))
	_, err := br.Exec()
	if err == nil {
		var rows pgx.Rows
		rows, err = br.Query()
		if err == nil {
			var key string
			var r batchRow
			_, err = pgx.ForEachRow(rows, []any{&key, &r.won, &r.seen, &r.delivered, &r.owner, &r.until}, func() error {
				out[key] = r
				return nil
			})
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, wrap(ctx, "ledger claim", err)
	}
	return out, nil
}

// DoneBatch implements supportkit.BatchLedger: one statement, committed without waiting for
// the disk (see Ledger). Errors as Done's.
func (l *Ledger) DoneBatch(ctx context.Context, keys []string, owner string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := validateDone(owner, keys...); err != nil {
		return err
	}
	if len(keys) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	b.Queue(noWait)
	b.Queue(l.doneBatch, keys, owner)
	return wrap(ctx, "ledger done", l.pool.SendBatch(ctx, b).Close())
}

// validateClaim checks a claim as Claim's errors say.
func validateClaim(c supportkit.Claim) error {
	switch {
	case c.Key == "" || c.Owner == "":
		return invalidArg("ledger: empty claim key or owner")
	case indexable(c.Key) != nil || storable(c.Owner) != nil:
		return invalidArg("ledger: claim key or owner not valid UTF-8, holding a NUL byte, or a key over 1024 bytes")
	case !c.Until.After(c.Now):
		return invalidArg("ledger: claim ends at or before its start")
	}
	return nil
}

// validateBatch checks the claims of a batch as Claim does, and that no key comes twice.
func validateBatch(claims []supportkit.Claim) error {
	seen := make(map[string]bool, len(claims))
	for _, c := range claims {
		if err := validateClaim(c); err != nil {
			return err
		}
		if seen[c.Key] {
			return invalidArg(fmt.Sprintf("ledger: key %q claimed twice in one batch", c.Key))
		}
		seen[c.Key] = true
	}
	return nil
}

// validateDone checks the owner and keys of a record of deliveries as Done's errors say:
// first for an empty one, then for one the database cannot hold.
func validateDone(owner string, keys ...string) error {
	if owner == "" || slices.Contains(keys, "") {
		return invalidArg("ledger: empty key or owner")
	}
	if storable(owner) != nil || slices.ContainsFunc(keys, func(k string) bool { return indexable(k) != nil }) {
		return invalidArg("ledger: key or owner not valid UTF-8, holding a NUL byte, or a key over 1024 bytes")
	}
	return nil
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
