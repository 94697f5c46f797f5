package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/desktest"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/postgres/internal/pgtest"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

func TestLedgerPassesTheSuite(t *testing.T) {
	desktest.TestLedger(t, func(t *testing.T) supportkit.Ledger {
		st := newSetup(t, nil)
		l, err := postgres.NewLedger(st.pool, postgres.Config{Schema: st.schema})
		require.NoError(t, err)
		return l
	})
}

func TestLeasePassesTheSuite(t *testing.T) {
	desktest.TestLease(t, func(t *testing.T) supportkit.Lease {
		st := newSetup(t, nil)
		l, err := postgres.NewLease(st.pool, postgres.Config{Schema: st.schema})
		require.NoError(t, err)
		return l
	})
}

func TestRosterPassesTheSuite(t *testing.T) {
	desktest.TestRoster(t, func(t *testing.T) supportkit.Roster {
		st := newSetup(t, nil)
		r, err := postgres.NewRoster(st.pool, postgres.Config{Schema: st.schema})
		require.NoError(t, err)
		return r
	})
}

func TestClockIndexPassesTheSuite(t *testing.T) {
	desktest.TestClockIndex(t, func(t *testing.T) supportkit.ClockIndex {
		st := newSetup(t, nil)
		x, err := postgres.NewClockIndex(st.pool, postgres.Config{Schema: st.schema}, "desk-1")
		require.NoError(t, err)
		return x
	})
}

// Two Desks' indexes over one schema keep their own rows, and Clear empties one.
func TestClockIndexesOfTwoDesksAreApart(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	a, err := postgres.NewClockIndex(st.pool, postgres.Config{Schema: st.schema}, "a")
	require.NoError(t, err)
	b, err := postgres.NewClockIndex(st.pool, postgres.Config{Schema: st.schema}, "b")
	require.NoError(t, err)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	id := uuid.Must(uuid.NewV7())
	require.NoError(t, a.Set(ctx, id, at))
	due, err := b.Due(ctx, at, 0)
	require.NoError(t, err)
	assert.Empty(t, due)
	require.NoError(t, a.Clear(ctx))
	_, ok, err := a.Next(ctx)
	require.NoError(t, err)
	assert.False(t, ok)
	_, err = postgres.NewClockIndex(st.pool, postgres.Config{Schema: st.schema}, "")
	assert.ErrorIs(t, err, ticket.ErrInvalid)
}

// A change that the database refused is written at the next read.
func TestClockIndexKeepsAChangeItCouldNotWrite(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	x, err := postgres.NewClockIndex(st.pool, postgres.Config{Schema: st.schema}, "a")
	require.NoError(t, err)
	id := uuid.Must(uuid.NewV7())
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	require.NoError(t, x.Set(ctx, id, at))
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	require.Error(t, x.Flush(cancelled))
	next, ok, err := x.Next(ctx)
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, next.Equal(at))
}

// A hook that writes its effect in a transaction records the delivery in it: a rollback
// leaves the occurrence undelivered, a commit delivers it.
func TestLedgerDoneTxCommitsWithTheEffect(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	l, err := postgres.NewLedger(st.pool, postgres.Config{Schema: st.schema})
	require.NoError(t, err)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	claim := supportkit.Claim{Key: "solved/x/3", Owner: "b", Now: now, Until: now.Add(time.Minute)}
	for _, commit := range []bool{false, true} {
		tx, err := st.pool.Begin(ctx)
		require.NoError(t, err)
		require.NoError(t, l.DoneTx(ctx, tx, "solved/x/3", "a"))
		if commit {
			require.NoError(t, tx.Commit(ctx))
		} else {
			require.NoError(t, tx.Rollback(ctx))
		}
		res, err := l.Claim(ctx, claim)
		require.NoError(t, err)
		want := supportkit.Claimed
		if commit {
			want = supportkit.Delivered
		}
		assert.Equal(t, want, res.State, "commit %v", commit)
	}
}

// The parts are shared between processes: what one pool writes, another pool's values
// see.
func TestDeskPartsAreSharedBetweenPools(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	other := pgtest.Pool(t, nil)
	cfg := postgres.Config{Schema: st.schema}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

	la, err := postgres.NewLedger(st.pool, cfg)
	require.NoError(t, err)
	lb, err := postgres.NewLedger(other, cfg)
	require.NoError(t, err)
	res, err := la.Claim(ctx, supportkit.Claim{Key: "k", Owner: "a", Now: now, Until: now.Add(time.Minute)})
	require.NoError(t, err)
	require.Equal(t, supportkit.Claimed, res.State)
	res, err = lb.Claim(ctx, supportkit.Claim{Key: "k", Owner: "b", Now: now, Until: now.Add(time.Minute)})
	require.NoError(t, err)
	assert.Equal(t, supportkit.Held, res.State)
	require.NoError(t, la.Done(ctx, "k", "a"))
	res, err = lb.Claim(ctx, supportkit.Claim{Key: "k", Owner: "b", Now: now.Add(time.Hour), Until: now.Add(2 * time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, supportkit.Delivered, res.State)

	ea, err := postgres.NewLease(st.pool, cfg)
	require.NoError(t, err)
	eb, err := postgres.NewLease(other, cfg)
	require.NoError(t, err)
	ok, err := ea.Acquire(ctx, "a", now, now.Add(time.Minute))
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = eb.Acquire(ctx, "b", now.Add(59*time.Second), now.Add(2*time.Minute))
	require.NoError(t, err)
	assert.False(t, ok, "held by a until 09:01")
	ok, err = eb.Acquire(ctx, "b", now.Add(time.Minute), now.Add(2*time.Minute))
	require.NoError(t, err)
	assert.True(t, ok, "a stopped renewing: b takes over when the hold lapses")

	ra, err := postgres.NewRoster(st.pool, cfg)
	require.NoError(t, err)
	rb, err := postgres.NewRoster(other, cfg)
	require.NoError(t, err)
	require.NoError(t, ra.SetPresence(ctx, "ann", routing.Available, now))
	got, err := rb.Presences(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]routing.Presence{"ann": routing.Available}, got)
}
