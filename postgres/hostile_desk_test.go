package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// unstorable are strings PostgreSQL text cannot hold.
var unstorable = []string{"a\x00b", "a\xffb"}

// unindexable is a text too long for an index: random, so that compression does not shrink it.
func unindexable() string {
	var b strings.Builder
	for b.Len() < 20000 {
		b.WriteString(uuid.NewString())
	}
	return b.String()
}

// The Desk parts answer text PostgreSQL cannot hold, or keys too long for an index, with an
// error wrapping ErrInvalid, as their contracts name for bad arguments, and record nothing.
func TestDeskPartsRejectUnstorableText(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	cfg := postgres.Config{Schema: st.schema}
	ledger, err := postgres.NewLedger(st.pool, cfg)
	require.NoError(t, err)
	lease, err := postgres.NewLease(st.pool, cfg)
	require.NoError(t, err)
	roster, err := postgres.NewRoster(st.pool, cfg)
	require.NoError(t, err)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	long := unindexable()
	_, err = ledger.Claim(ctx, supportkit.Claim{Key: long, Owner: "desk-1", Now: now, Until: now.Add(time.Minute)})
	assert.ErrorIs(t, err, ticket.ErrInvalid, "claim of a key too long for an index")
	assert.ErrorIs(t, ledger.Done(ctx, long, "desk-1"), ticket.ErrInvalid, "done of a key too long for an index")
	assert.ErrorIs(t, roster.SetPresence(ctx, long, routing.Available, now), ticket.ErrInvalid, "agent too long for an index")
	_, err = postgres.NewClockIndex(st.pool, cfg, long)
	assert.ErrorIs(t, err, postgres.ErrInvalid, "desk too long for an index")
	for _, bad := range unstorable {
		_, err := ledger.Claim(ctx, supportkit.Claim{Key: bad, Owner: "desk-1", Now: now, Until: now.Add(time.Minute)})
		assert.ErrorIs(t, err, ticket.ErrInvalid, "claim key %q", bad)
		assert.ErrorIs(t, err, postgres.ErrInvalid, "claim key %q", bad)
		_, err = ledger.Claim(ctx, supportkit.Claim{Key: "k", Owner: bad, Now: now, Until: now.Add(time.Minute)})
		assert.ErrorIs(t, err, ticket.ErrInvalid, "claim owner %q", bad)
		assert.ErrorIs(t, ledger.Done(ctx, bad, "desk-1"), ticket.ErrInvalid, "done key %q", bad)
		assert.ErrorIs(t, ledger.Done(ctx, "k", bad), ticket.ErrInvalid, "done owner %q", bad)
		_, err = lease.Acquire(ctx, bad, now, now.Add(time.Minute))
		assert.ErrorIs(t, err, ticket.ErrInvalid, "lease owner %q", bad)
		assert.NoError(t, lease.Release(ctx, bad), "release %q", bad)
		assert.ErrorIs(t, roster.SetPresence(ctx, bad, routing.Available, now), ticket.ErrInvalid, "agent %q", bad)
		_, err = postgres.NewClockIndex(st.pool, cfg, bad)
		assert.ErrorIs(t, err, postgres.ErrInvalid, "desk %q", bad)
	}
	// Nothing was recorded: the key is free for a valid owner, and the lease too.
	res, err := ledger.Claim(ctx, supportkit.Claim{Key: "k", Owner: "desk-1", Now: now, Until: now.Add(time.Minute)})
	require.NoError(t, err)
	assert.Equal(t, supportkit.Claimed, res.State)
	held, err := lease.Acquire(ctx, "desk-1", now, now.Add(time.Minute))
	require.NoError(t, err)
	assert.True(t, held)
	p, err := roster.Presences(ctx)
	require.NoError(t, err)
	assert.Empty(t, p)
}

// An instant whose Unix nanosecond count is 0 is kept like any other; only the zero time
// removes a ticket, as in the MemoryClockIndex.
func TestClockIndexKeepsTheUnixEpoch(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	epoch := time.Unix(0, 0).UTC()
	for _, x := range []supportkit.ClockIndex{&supportkit.MemoryClockIndex{}, newClockIndex(t, st)} {
		id := uuid.New()
		require.NoError(t, x.Set(ctx, id, epoch))
		due, err := x.Due(ctx, epoch, 10)
		require.NoError(t, err)
		assert.Equal(t, []uuid.UUID{id}, due, "%T", x)
		next, ok, err := x.Next(ctx)
		require.NoError(t, err)
		assert.True(t, ok, "%T", x)
		assert.True(t, next.Equal(epoch), "%T: %v", x, next)
	}
}

func newClockIndex(t *testing.T, st setup) *postgres.ClockIndex {
	x, err := postgres.NewClockIndex(st.pool, postgres.Config{Schema: st.schema}, "desk-1")
	require.NoError(t, err)
	return x
}
