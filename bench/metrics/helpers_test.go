package metricsbench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// loaded connects to PostgreSQL and loads d into a schema of its own, dropped when tb ends.
// It skips tb when the server is unreachable, unless SUPPORTKIT_POSTGRES_URL names one or CI
// is set: then an unreachable server is a failure.
func loaded(tb testing.TB, d *Data) (*pgx.Conn, string) {
	tb.Helper()
	ctx := context.Background()
	conn, err := Connect(ctx)
	if err != nil {
		if os.Getenv("SUPPORTKIT_POSTGRES_URL") != "" || os.Getenv("CI") != "" {
			tb.Fatalf("PostgreSQL: %v (start the local server: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start, or set SUPPORTKIT_POSTGRES_URL)", err)
		}
		tb.Skipf("PostgreSQL unreachable: %v", err)
	}
	schema := fmt.Sprintf("metricsbench_%x", rand.Uint64())
	tb.Cleanup(func() {
		conn.Close(ctx)
		// a connection of its own, so that the schema goes even when a test broke conn
		drop, err := Connect(ctx)
		if err == nil {
			err = Drop(ctx, drop, schema)
			drop.Close(ctx)
		}
		if err != nil {
			tb.Errorf("dropping schema %s: %v", schema, err)
		}
	})
	if err := Load(ctx, conn, schema, d); err != nil {
		tb.Fatal(err)
	}
	return conn, schema
}
