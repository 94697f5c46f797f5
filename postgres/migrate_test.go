package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/postgres/internal/pgtest"
)

// TestMigrateConcurrentStartsMigrateOnce starts ten migrations of one new schema at once, as
// ten processes starting together would, each on its own pool: exactly one applies each
// version, the others wait and find nothing to do, and none fails.
func TestMigrateConcurrentStartsMigrateOnce(t *testing.T) {
	ctx := context.Background()
	admin := pgtest.Pool(t, nil)
	schema := pgtest.Schema(t, admin)
	var wg sync.WaitGroup
	applied := make([][]int, 10)
	errs := make([]error, 10)
	for i := range applied {
		pool := pgtest.Pool(t, nil)
		wg.Add(1)
		go func() {
			defer wg.Done()
			applied[i], errs[i] = postgres.Migrate(ctx, pool, schema)
		}()
	}
	wg.Wait()
	counts := map[int]int{}
	for i := range applied {
		require.NoError(t, errs[i])
		for _, v := range applied[i] {
			counts[v]++
		}
	}
	require.Len(t, counts, postgres.SchemaVersion())
	for v, n := range counts {
		assert.Equal(t, 1, n, "version %d applied once", v)
	}
	var rows int
	require.NoError(t, admin.QueryRow(ctx, "SELECT count(*) FROM "+schema+".migrations").Scan(&rows))
	assert.Equal(t, postgres.SchemaVersion(), rows)
}

func TestMigrateAgainIsANoOp(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, nil)
	schema := pgtest.Schema(t, pool)
	first, err := postgres.Migrate(ctx, pool, schema)
	require.NoError(t, err)
	require.NotEmpty(t, first)
	again, err := postgres.Migrate(ctx, pool, schema)
	require.NoError(t, err)
	assert.Empty(t, again)
}

// TestMigrateRefusesASchemaNewerThanTheCode checks that a schema migrated by newer code is
// reported as such, and left alone.
func TestMigrateRefusesASchemaNewerThanTheCode(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, nil)
	schema := pgtest.Schema(t, pool)
	_, err := postgres.Migrate(ctx, pool, schema)
	require.NoError(t, err)
	newer := postgres.SchemaVersion() + 1
	_, err = pool.Exec(ctx, "INSERT INTO "+schema+".migrations (version, name) VALUES ($1, 'from the future')", newer)
	require.NoError(t, err)
	_, err = postgres.Migrate(ctx, pool, schema)
	require.ErrorIs(t, err, postgres.ErrSchemaVersion)
	var sv *postgres.SchemaVersionError
	require.ErrorAs(t, err, &sv)
	assert.Equal(t, newer, sv.Have)
	assert.Equal(t, postgres.SchemaVersion(), sv.Want)
	assert.Contains(t, err.Error(), "newer than this code")
}

func TestMigrateRefusesBadSchemaNames(t *testing.T) {
	pool := pgtest.Pool(t, nil)
	for _, name := range []string{`a"b`, "1abc", "a b", "x;drop table y", string(make([]byte, 49))} {
		_, err := postgres.Migrate(context.Background(), pool, name)
		assert.ErrorIs(t, err, postgres.ErrInvalid, "%q", name)
		_, err = postgres.NewTicketStore(pool, postgres.Config{Schema: name})
		assert.ErrorIs(t, err, postgres.ErrInvalid, "%q", name)
	}
}

func TestCheckSchemaTellsMissingOldAndNewer(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, nil)
	schema := pgtest.Schema(t, pool)
	err := postgres.CheckSchema(ctx, pool, schema)
	var sv *postgres.SchemaVersionError
	require.ErrorAs(t, err, &sv)
	assert.Equal(t, 0, sv.Have)
	assert.Contains(t, err.Error(), "run Migrate")
	_, err = postgres.Migrate(ctx, pool, schema)
	require.NoError(t, err)
	require.NoError(t, postgres.CheckSchema(ctx, pool, schema))
	_, err = pool.Exec(ctx, "INSERT INTO "+schema+".migrations (version, name) VALUES ($1, 'from the future')", postgres.SchemaVersion()+1)
	require.NoError(t, err)
	err = postgres.CheckSchema(ctx, pool, schema)
	require.ErrorIs(t, err, postgres.ErrSchemaVersion)
	assert.Contains(t, err.Error(), "newer than this code")
}
