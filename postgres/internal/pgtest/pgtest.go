// Package pgtest gives each test a PostgreSQL schema of its own.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultURL is the database tests use when SUPPORTKIT_POSTGRES_URL is not set.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test"

// URL returns the database URL tests use: SUPPORTKIT_POSTGRES_URL, else DefaultURL.
func URL() string {
	if u := os.Getenv("SUPPORTKIT_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultURL
}

const howTo = `PostgreSQL is not reachable at %s (%v).
Start one with trust auth and a database "test", for example:
    docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:16
or point SUPPORTKIT_POSTGRES_URL at another.`

// Pool returns a pool on the test database, closed when the test ends. When the database is
// unreachable the test fails with a message that says how to start one if the CI variable is
// set, and is skipped with that message otherwise. configure, when not nil, may change the
// pool's config first.
func Pool(t testing.TB, configure func(*pgxpool.Config)) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(URL())
	if err != nil {
		t.Fatalf("SUPPORTKIT_POSTGRES_URL: %v", err)
	}
	if configure != nil {
		configure(cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err == nil {
		err = pool.Ping(ctx)
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf(howTo, URL(), err)
		}
		t.Skipf(howTo, URL(), err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// Schema returns the name of a new schema for the test, dropped (with everything in it)
// when the test ends. The schema itself is created by whoever migrates it.
func Schema(t testing.TB, pool *pgxpool.Pool) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "sktest_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+name+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	return name
}
