package postgres

import (
	"context"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one versioned SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in version order. Each file is named
// NNNN_name.sql; versions start at 1 and have no gaps.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, name := range names {
		base := path.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("postgres: migration %s: no version", base)
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("postgres: migration %s: want version %d", m.name, i+1)
		}
	}
	return out, nil
}

// SchemaVersion is the schema version this code needs: the number of its migrations.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// Migrate brings schema (a PostgreSQL schema name; "" means DefaultSchema) up to
// SchemaVersion and returns the versions it applied, in order; none when the schema is up to
// date. It creates the schema when missing. Everything happens in one transaction under a
// transaction-level advisory lock keyed by the schema name, so that processes starting at
// once migrate exactly once: the others wait, then find nothing to do. A failed migration
// applies nothing. A schema migrated by newer code (a version above SchemaVersion) gives a
// *SchemaVersionError wrapping ErrSchemaVersion, and nothing is changed.
func Migrate(ctx context.Context, pool *pgxpool.Pool, schema string) (applied []int, err error) {
	if schema == "" {
		schema = DefaultSchema
	}
	if err := checkSchemaName(schema); err != nil {
		return nil, err
	}
	ms, err := migrations()
	if err != nil {
		return nil, err
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		applied, err = migrate(ctx, tx, schema, ms)
		return err
	})
	if err != nil {
		return nil, wrap(ctx, "migrate", err)
	}
	return applied, nil
}

func migrate(ctx context.Context, tx pgx.Tx, schema string, ms []migration) ([]int, error) {
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", lockKey(schema)); err != nil {
		return nil, err
	}
	q := quote(schema)
	if _, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+q); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, "CREATE TABLE IF NOT EXISTS "+q+".migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"); err != nil {
		return nil, err
	}
	var have int
	if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM "+q+".migrations").Scan(&have); err != nil {
		return nil, err
	}
	if have > len(ms) {
		return nil, &SchemaVersionError{Schema: schema, Have: have, Want: len(ms)}
	}
	var applied []int
	for _, m := range ms[have:] {
		sql := strings.ReplaceAll(m.sql, "{{schema}}", q)
		if _, err := tx.Exec(ctx, sql); err != nil {
			return nil, fmt.Errorf("%s: %w", m.name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO "+q+".migrations (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
			return nil, err
		}
		applied = append(applied, m.version)
	}
	return applied, nil
}

// lockKey is the advisory lock key of a schema's migrations.
func lockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("supportkit migrate " + schema))
	return int64(h.Sum64())
}

// CheckSchema reports whether schema ("" means DefaultSchema) is at SchemaVersion without
// changing anything: a *SchemaVersionError wrapping ErrSchemaVersion when it is older (run
// Migrate) or newer (this code is out of date), nil when it matches. A process that does not
// migrate at start calls it instead.
func CheckSchema(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	if schema == "" {
		schema = DefaultSchema
	}
	if err := checkSchemaName(schema); err != nil {
		return err
	}
	var have int
	var exists bool
	table := quote(schema) + ".migrations"
	err := pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&exists)
	if err == nil && exists {
		err = pool.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM "+table).Scan(&have)
	}
	if err != nil {
		return wrap(ctx, "check schema", err)
	}
	if want := SchemaVersion(); have != want {
		return &SchemaVersionError{Schema: schema, Have: have, Want: want}
	}
	return nil
}

// SchemaVersionError reports a schema at another version than the code's.
type SchemaVersionError struct {
	Schema string // the schema
	Have   int    // its version
	Want   int    // the version this code needs (SchemaVersion)
}

// Error says which version the schema has and what to do.
func (e *SchemaVersionError) Error() string {
	if e.Have > e.Want {
		return fmt.Sprintf("postgres: schema %q is at version %d, newer than this code's %d: upgrade the code", e.Schema, e.Have, e.Want)
	}
	return fmt.Sprintf("postgres: schema %q is at version %d, this code needs %d: run Migrate", e.Schema, e.Have, e.Want)
}

// Unwrap returns ErrSchemaVersion.
func (e *SchemaVersionError) Unwrap() error { return ErrSchemaVersion }
