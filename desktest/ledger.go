package desktest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/ticket"
)

// base is the instant the suites' claims are made at.
var base = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// TestLedger checks that a Ledger keeps the contract documented on supportkit.Ledger.
// newLedger returns an empty ledger for each subtest.
func TestLedger(t *testing.T, newLedger func(t *testing.T) supportkit.Ledger) {
	ctx := context.Background()
	claim := func(key, owner string, at time.Time) supportkit.Claim {
		return supportkit.Claim{Key: key, Owner: owner, Now: at, Until: at.Add(time.Minute)}
	}
	t.Run("FirstClaimIsClaimed", func(t *testing.T) {
		l := newLedger(t)
		res, err := l.Claim(ctx, claim("k", "a", base))
		require.NoError(t, err)
		assert.Equal(t, supportkit.Claimed, res.State)
		assert.Equal(t, base.Add(time.Minute), res.Until)
	})
	t.Run("ClaimOfAnotherOwnerIsHeldUntilItEnds", func(t *testing.T) {
		l := newLedger(t)
		_, err := l.Claim(ctx, claim("k", "a", base))
		require.NoError(t, err)
		res, err := l.Claim(ctx, claim("k", "b", base.Add(59*time.Second)))
		require.NoError(t, err)
		assert.Equal(t, supportkit.Held, res.State)
		assert.True(t, res.Until.Equal(base.Add(time.Minute)), "held until %v", res.Until)
	})
	t.Run("ExpiredClaimGoesToTheNextOwner", func(t *testing.T) {
		l := newLedger(t)
		_, err := l.Claim(ctx, claim("k", "a", base))
		require.NoError(t, err)
		res, err := l.Claim(ctx, claim("k", "b", base.Add(time.Minute)))
		require.NoError(t, err)
		assert.Equal(t, supportkit.Claimed, res.State)
		res, err = l.Claim(ctx, claim("k", "a", base.Add(time.Minute)))
		require.NoError(t, err)
		assert.Equal(t, supportkit.Held, res.State, "the first owner lost its expired claim")
	})
	t.Run("SameOwnerExtendsItsClaim", func(t *testing.T) {
		l := newLedger(t)
		_, err := l.Claim(ctx, claim("k", "a", base))
		require.NoError(t, err)
		res, err := l.Claim(ctx, claim("k", "a", base.Add(30*time.Second)))
		require.NoError(t, err)
		assert.Equal(t, supportkit.Claimed, res.State)
		res, err = l.Claim(ctx, claim("k", "b", base.Add(70*time.Second)))
		require.NoError(t, err)
		assert.Equal(t, supportkit.Held, res.State, "the extension runs to 09:01:30")
	})
	t.Run("DoneIsDeliveredForEveryone", func(t *testing.T) {
		l := newLedger(t)
		_, err := l.Claim(ctx, claim("k", "a", base))
		require.NoError(t, err)
		require.NoError(t, l.Done(ctx, "k", "a"))
		for _, owner := range []string{"a", "b"} {
			res, err := l.Claim(ctx, claim("k", owner, base.Add(24*time.Hour)))
			require.NoError(t, err)
			assert.Equal(t, supportkit.Delivered, res.State, owner)
		}
	})
	t.Run("DoneAfterTheClaimWasTakenOverStillCounts", func(t *testing.T) {
		l := newLedger(t)
		_, err := l.Claim(ctx, claim("k", "a", base))
		require.NoError(t, err)
		_, err = l.Claim(ctx, claim("k", "b", base.Add(2*time.Minute)))
		require.NoError(t, err)
		require.NoError(t, l.Done(ctx, "k", "a"))
		res, err := l.Claim(ctx, claim("k", "b", base.Add(2*time.Minute)))
		require.NoError(t, err)
		assert.Equal(t, supportkit.Delivered, res.State)
	})
	t.Run("DoneOfAnUnclaimedKeyIsDelivered", func(t *testing.T) {
		l := newLedger(t)
		require.NoError(t, l.Done(ctx, "k", "a"))
		res, err := l.Claim(ctx, claim("k", "b", base))
		require.NoError(t, err)
		assert.Equal(t, supportkit.Delivered, res.State)
	})
	t.Run("KeysAreIndependent", func(t *testing.T) {
		l := newLedger(t)
		require.NoError(t, l.Done(ctx, "k1", "a"))
		res, err := l.Claim(ctx, claim("k2", "b", base))
		require.NoError(t, err)
		assert.Equal(t, supportkit.Claimed, res.State)
	})
	t.Run("InvalidClaimIsErrInvalidAndRecordsNothing", func(t *testing.T) {
		l := newLedger(t)
		for name, c := range map[string]supportkit.Claim{
			"no key":      {Owner: "a", Now: base, Until: base.Add(time.Minute)},
			"no owner":    {Key: "k", Now: base, Until: base.Add(time.Minute)},
			"empty claim": {Key: "k", Owner: "a", Now: base, Until: base},
			"ends before": {Key: "k", Owner: "a", Now: base, Until: base.Add(-time.Second)},
		} {
			_, err := l.Claim(ctx, c)
			assert.ErrorIs(t, err, ticket.ErrInvalid, name)
		}
		assert.ErrorIs(t, l.Done(ctx, "", "a"), ticket.ErrInvalid)
		assert.ErrorIs(t, l.Done(ctx, "k", ""), ticket.ErrInvalid)
		res, err := l.Claim(ctx, claim("k", "b", base))
		require.NoError(t, err)
		assert.Equal(t, supportkit.Claimed, res.State, "the invalid claims left nothing behind")
	})
	t.Run("CancelledContextIsAnError", func(t *testing.T) {
		l := newLedger(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := l.Claim(cctx, claim("k", "a", base))
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("ConcurrentClaimsHaveOneWinner", func(t *testing.T) {
		l := newLedger(t)
		const owners, keys = 8, 20
		var mu sync.Mutex
		won := map[string][]string{}
		var wg sync.WaitGroup
		for o := range owners {
			wg.Go(func() {
				owner := fmt.Sprintf("owner-%d", o)
				for k := range keys {
					key := fmt.Sprintf("key-%d", k)
					res, err := l.Claim(ctx, claim(key, owner, base))
					if !assert.NoError(t, err) {
						return
					}
					if res.State == supportkit.Claimed {
						mu.Lock()
						won[key] = append(won[key], owner)
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		for k := range keys {
			key := fmt.Sprintf("key-%d", k)
			assert.Len(t, won[key], 1, key)
		}
	})
}
