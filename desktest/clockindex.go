package desktest

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/ticket"
)

// TestClockIndex checks that a ClockIndex keeps the contract documented on
// supportkit.ClockIndex. newIndex returns an empty index for each subtest.
func TestClockIndex(t *testing.T, newIndex func(t *testing.T) supportkit.ClockIndex) {
	ctx := context.Background()
	ids := make([]uuid.UUID, 5)
	for i := range ids {
		ids[i] = uuid.Must(uuid.NewV7())
	}
	minute := func(m int) time.Time { return base.Add(time.Duration(m) * time.Minute) }
	t.Run("EmptyIndexHasNoNext", func(t *testing.T) {
		x := newIndex(t)
		_, ok, err := x.Next(ctx)
		require.NoError(t, err)
		assert.False(t, ok)
		due, err := x.Due(ctx, minute(1000), 0)
		require.NoError(t, err)
		assert.Empty(t, due)
	})
	t.Run("DueReturnsTicketsAtOrBeforeNowEarliestFirst", func(t *testing.T) {
		x := newIndex(t)
		for i, m := range []int{30, 10, 20, 40, 50} {
			require.NoError(t, x.Set(ctx, ids[i], minute(m)))
		}
		due, err := x.Due(ctx, minute(30), 0)
		require.NoError(t, err)
		assert.Equal(t, []uuid.UUID{ids[1], ids[2], ids[0]}, due)
		next, ok, err := x.Next(ctx)
		require.NoError(t, err)
		assert.True(t, ok)
		assert.True(t, next.Equal(minute(10)), "Due leaves the tickets in the index")
	})
	t.Run("DueHonoursLimit", func(t *testing.T) {
		x := newIndex(t)
		for i := range ids {
			require.NoError(t, x.Set(ctx, ids[i], minute(i)))
		}
		due, err := x.Due(ctx, minute(100), 2)
		require.NoError(t, err)
		assert.Equal(t, ids[:2], due)
	})
	t.Run("SetReplacesAndZeroRemoves", func(t *testing.T) {
		x := newIndex(t)
		require.NoError(t, x.Set(ctx, ids[0], minute(10)))
		require.NoError(t, x.Set(ctx, ids[1], minute(20)))
		require.NoError(t, x.Set(ctx, ids[0], minute(30)))
		next, _, err := x.Next(ctx)
		require.NoError(t, err)
		assert.True(t, next.Equal(minute(20)))
		due, err := x.Due(ctx, minute(25), 0)
		require.NoError(t, err)
		assert.Equal(t, []uuid.UUID{ids[1]}, due, "the old instant of ids[0] is gone")
		require.NoError(t, x.Set(ctx, ids[1], time.Time{}))
		require.NoError(t, x.Set(ctx, ids[0], time.Time{}))
		_, ok, err := x.Next(ctx)
		require.NoError(t, err)
		assert.False(t, ok)
		require.NoError(t, x.Set(ctx, ids[2], time.Time{}), "removing an absent ticket")
	})
	t.Run("NilTicketIsErrInvalid", func(t *testing.T) {
		x := newIndex(t)
		assert.ErrorIs(t, x.Set(ctx, uuid.Nil, minute(1)), ticket.ErrInvalid)
	})
	t.Run("ManyUpdatesMatchABruteForceOracle", func(t *testing.T) {
		x := newIndex(t)
		r := rand.New(rand.NewPCG(1, 2))
		want := map[uuid.UUID]time.Time{}
		pool := make([]uuid.UUID, 50)
		for i := range pool {
			pool[i] = uuid.Must(uuid.NewV7())
		}
		for range 2000 {
			id := pool[r.IntN(len(pool))]
			at := time.Time{}
			if r.IntN(4) > 0 {
				at = minute(r.IntN(500))
			}
			require.NoError(t, x.Set(ctx, id, at))
			if at.IsZero() {
				delete(want, id)
			} else {
				want[id] = at
			}
		}
		now := minute(250)
		var oracle []uuid.UUID
		for id, at := range want {
			if !at.After(now) {
				oracle = append(oracle, id)
			}
		}
		due, err := x.Due(ctx, now, 0)
		require.NoError(t, err)
		assert.ElementsMatch(t, oracle, due)
		assert.True(t, slices.IsSortedFunc(due, func(a, b uuid.UUID) int { return want[a].Compare(want[b]) }), "earliest first")
	})
}
