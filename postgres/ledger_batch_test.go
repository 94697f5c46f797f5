package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/postgres/internal/pgtest"
)

// A batch commits without waiting for the disk, but other processes see its claims and
// records as soon as it returns.
func TestLedgerBatchesAreSeenByOtherPoolsAtOnce(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	other := pgtest.Pool(t, nil)
	cfg := postgres.Config{Schema: st.schema}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	claim := func(key, owner string) supportkit.Claim {
		return supportkit.Claim{Key: key, Owner: owner, Now: now, Until: now.Add(time.Minute)}
	}
	states := func(res []supportkit.ClaimResult) []supportkit.ClaimState {
		var out []supportkit.ClaimState
		for _, r := range res {
			out = append(out, r.State)
		}
		return out
	}
	la, err := postgres.NewLedger(st.pool, cfg)
	require.NoError(t, err)
	lb, err := postgres.NewLedger(other, cfg)
	require.NoError(t, err)

	res, err := la.ClaimBatch(ctx, []supportkit.Claim{claim("k1", "a"), claim("k2", "a")})
	require.NoError(t, err)
	require.Equal(t, []supportkit.ClaimState{supportkit.Claimed, supportkit.Claimed}, states(res))
	one, err := lb.Claim(ctx, claim("k1", "b"))
	require.NoError(t, err)
	assert.Equal(t, supportkit.Held, one.State)
	res, err = lb.ClaimBatch(ctx, []supportkit.Claim{claim("k3", "b"), claim("k2", "b")})
	require.NoError(t, err)
	assert.Equal(t, []supportkit.ClaimState{supportkit.Claimed, supportkit.Held}, states(res))

	require.NoError(t, la.DoneBatch(ctx, []string{"k1", "k2"}, "a"))
	res, err = lb.ClaimBatch(ctx, []supportkit.Claim{claim("k1", "b"), claim("k2", "b"), claim("k3", "b")})
	require.NoError(t, err)
	assert.Equal(t, []supportkit.ClaimState{supportkit.Delivered, supportkit.Delivered, supportkit.Claimed}, states(res))
}

// Only the batch's own transaction skips the wait for the disk: the connection it ran on
// waits again for everything else, the host's transactions included.
func TestLedgerBatchLeavesTheConnectionWaitingForTheDisk(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, func(c *pgxpool.Config) { c.MaxConns = 1 })
	l, err := postgres.NewLedger(st.pool, postgres.Config{Schema: st.schema})
	require.NoError(t, err)
	var before string
	require.NoError(t, st.pool.QueryRow(ctx, "SELECT current_setting('synchronous_commit')").Scan(&before))
	require.NotEqual(t, "off", before, "the server waits for the disk")
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	_, err = l.ClaimBatch(ctx, []supportkit.Claim{{Key: "k", Owner: "a", Now: now, Until: now.Add(time.Minute)}})
	require.NoError(t, err)
	require.NoError(t, l.DoneBatch(ctx, []string{"k"}, "a"))
	var setting string
	require.NoError(t, st.pool.QueryRow(ctx, "SELECT current_setting('synchronous_commit')").Scan(&setting))
	assert.Equal(t, before, setting)
}
