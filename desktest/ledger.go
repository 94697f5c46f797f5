package desktest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
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

// TestLedger checks that a Ledger keeps the contract documented on supportkit.Ledger,
// and, when it implements supportkit.BatchLedger or supportkit.KeepingLedger, the contract
// documented there (the subtests under "Batch" and "Keeping"). newLedger returns an empty
// ledger for each subtest.
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
	if _, ok := newLedger(t).(supportkit.BatchLedger); ok {
		t.Run("Batch", func(t *testing.T) {
			testBatchLedger(t, func(t *testing.T) supportkit.BatchLedger { return newLedger(t).(supportkit.BatchLedger) })
		})
	}
	if _, ok := newLedger(t).(supportkit.KeepingLedger); ok {
		t.Run("Keeping", func(t *testing.T) {
			testKeepingLedger(t, func(t *testing.T) supportkit.KeepingLedger { return newLedger(t).(supportkit.KeepingLedger) })
		})
	}
	if _, ok := newLedger(t).(supportkit.PruningLedger); ok {
		t.Run("Pruning", func(t *testing.T) {
			testPruningLedger(t, func(t *testing.T) supportkit.PruningLedger { return newLedger(t).(supportkit.PruningLedger) })
		})
	}
}

// testPruningLedger checks the contract documented on supportkit.PruningLedger.
func testPruningLedger(t *testing.T, newLedger func(t *testing.T) supportkit.PruningLedger) {
	ctx := context.Background()
	claim := func(t *testing.T, l supportkit.Ledger, key, owner string, at time.Time) supportkit.ClaimState {
		t.Helper()
		res, err := l.Claim(ctx, supportkit.Claim{Key: key, Owner: owner, Now: at, Until: at.Add(time.Minute)})
		require.NoError(t, err)
		return res.State
	}
	deliver := func(t *testing.T, l supportkit.Ledger, key string, at time.Time) {
		t.Helper()
		require.Equal(t, supportkit.Claimed, claim(t, l, key, "a", at))
		require.NoError(t, l.Done(ctx, key, "a"))
	}
	prune := func(t *testing.T, l supportkit.PruningLedger, before time.Time) int {
		t.Helper()
		n, err := l.Prune(ctx, before)
		require.NoError(t, err)
		return n
	}
	later := base.Add(time.Hour)
	t.Run("PruneForgetsDeliveredKeysWhoseClaimEndedBefore", func(t *testing.T) {
		l := newLedger(t)
		deliver(t, l, "old", base)
		deliver(t, l, "new", later)
		assert.Equal(t, 1, prune(t, l, base.Add(30*time.Minute)))
		assert.Equal(t, supportkit.Claimed, claim(t, l, "old", "b", later), "forgotten")
		assert.Equal(t, supportkit.Delivered, claim(t, l, "new", "b", later))
	})
	t.Run("PruneComparesTheLastClaim", func(t *testing.T) {
		l := newLedger(t)
		require.Equal(t, supportkit.Claimed, claim(t, l, "k", "a", base))
		require.Equal(t, supportkit.Claimed, claim(t, l, "k", "b", later))
		require.NoError(t, l.Done(ctx, "k", "b"))
		assert.Equal(t, 0, prune(t, l, later))
		assert.Equal(t, supportkit.Delivered, claim(t, l, "k", "c", later.Add(time.Hour)))
	})
	t.Run("PruneKeepsAClaimEndingAtTheInstant", func(t *testing.T) {
		l := newLedger(t)
		deliver(t, l, "done", base)
		require.Equal(t, supportkit.Claimed, claim(t, l, "running", "a", base))
		assert.Equal(t, 0, prune(t, l, base.Add(time.Minute)))
		assert.Equal(t, supportkit.Delivered, claim(t, l, "done", "b", later))
		assert.Equal(t, supportkit.Held, claim(t, l, "running", "b", base.Add(time.Second)))
	})
	t.Run("PruneForgetsLapsedClaims", func(t *testing.T) {
		l := newLedger(t)
		require.Equal(t, supportkit.Claimed, claim(t, l, "lapsed", "a", base))
		require.Equal(t, supportkit.Claimed, claim(t, l, "running", "a", later))
		assert.Equal(t, 1, prune(t, l, later))
		assert.Equal(t, supportkit.Claimed, claim(t, l, "lapsed", "b", later))
		assert.Equal(t, supportkit.Held, claim(t, l, "running", "b", later))
	})
	t.Run("PruneKeepsKeysDeliveredWithoutAClaim", func(t *testing.T) {
		l := newLedger(t)
		require.NoError(t, l.Done(ctx, "k", "a"))
		assert.Equal(t, 0, prune(t, l, later.AddDate(1, 0, 0)))
		assert.Equal(t, supportkit.Delivered, claim(t, l, "k", "b", later))
	})
	if _, ok := newLedger(t).(supportkit.KeepingLedger); ok {
		t.Run("PruneKeepsKeptKeysNotDelivered", func(t *testing.T) {
			l := newLedger(t)
			kl := l.(supportkit.KeepingLedger)
			require.NoError(t, kl.Keep(ctx, "kept", []byte("payload")))
			require.Equal(t, supportkit.Claimed, claim(t, l, "kept", "a", base))
			require.NoError(t, kl.Keep(ctx, "delivered", []byte("gone")))
			deliver(t, l, "delivered", base)
			assert.Equal(t, 1, prune(t, l, later))
			list, err := kl.Kept(ctx, "", 10)
			require.NoError(t, err)
			assert.Equal(t, []supportkit.KeptOccurrence{{Key: "kept", Payload: []byte("payload")}}, list)
			assert.Equal(t, supportkit.Held, claim(t, l, "kept", "b", base.Add(time.Second)), "its claim too")
		})
	}
	t.Run("CancelledContextIsAnError", func(t *testing.T) {
		l := newLedger(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := l.Prune(cctx, later)
		assert.Error(t, err)
	})
}

// testKeepingLedger checks the contract documented on supportkit.KeepingLedger.
func testKeepingLedger(t *testing.T, newLedger func(t *testing.T) supportkit.KeepingLedger) {
	ctx := context.Background()
	kept := func(t *testing.T, l supportkit.KeepingLedger, after string, limit int) map[string]string {
		t.Helper()
		list, err := l.Kept(ctx, after, limit)
		require.NoError(t, err)
		out := map[string]string{}
		for i, k := range list {
			if i > 0 {
				assert.Less(t, list[i-1].Key, k.Key, "key order")
			}
			out[k.Key] = string(k.Payload)
		}
		return out
	}
	t.Run("KeptUntilDone", func(t *testing.T) {
		l := newLedger(t)
		require.NoError(t, l.Keep(ctx, "b", []byte("two")))
		require.NoError(t, l.Keep(ctx, "a", []byte("one")))
		require.NoError(t, l.Keep(ctx, "c", nil))
		assert.Equal(t, map[string]string{"a": "one", "b": "two", "c": ""}, kept(t, l, "", 10))
		res, err := l.Claim(ctx, supportkit.Claim{Key: "a", Owner: "x", Now: base, Until: base.Add(time.Minute)})
		require.NoError(t, err)
		assert.Equal(t, supportkit.Claimed, res.State, "keeping claims nothing")
		assert.Contains(t, kept(t, l, "", 10), "a", "a claim does not hide it")
		require.NoError(t, l.Done(ctx, "a", "x"))
		assert.Equal(t, map[string]string{"b": "two", "c": ""}, kept(t, l, "", 10))
	})
	t.Run("KeepingAgainChangesNothing", func(t *testing.T) {
		l := newLedger(t)
		require.NoError(t, l.Keep(ctx, "a", []byte("first")))
		require.NoError(t, l.Keep(ctx, "a", []byte("second")))
		require.NoError(t, l.Done(ctx, "d", "x"))
		require.NoError(t, l.Keep(ctx, "d", []byte("late")))
		assert.Equal(t, map[string]string{"a": "first"}, kept(t, l, "", 10))
		res, err := l.Claim(ctx, supportkit.Claim{Key: "d", Owner: "y", Now: base, Until: base.Add(time.Minute)})
		require.NoError(t, err)
		assert.Equal(t, supportkit.Delivered, res.State)
	})
	t.Run("KeptIsPaged", func(t *testing.T) {
		l := newLedger(t)
		var want []string
		for i := range 7 {
			key := fmt.Sprintf("k%02d", i)
			want = append(want, key)
			require.NoError(t, l.Keep(ctx, key, []byte(key)))
		}
		var got []string
		after := ""
		for {
			page := kept(t, l, after, 3)
			require.LessOrEqual(t, len(page), 3)
			if len(page) == 0 {
				break
			}
			for k := range page {
				got = append(got, k)
				after = max(after, k)
			}
		}
		slices.Sort(got)
		assert.Equal(t, want, got)
	})
	t.Run("InvalidIsErrInvalid", func(t *testing.T) {
		l := newLedger(t)
		assert.ErrorIs(t, l.Keep(ctx, "", []byte("x")), ticket.ErrInvalid)
		_, err := l.Kept(ctx, "", 0)
		assert.ErrorIs(t, err, ticket.ErrInvalid)
		assert.Empty(t, kept(t, l, "", 10), "nothing recorded")
	})
}

// testBatchLedger checks the contract documented on supportkit.BatchLedger.
func testBatchLedger(t *testing.T, newLedger func(t *testing.T) supportkit.BatchLedger) {
	ctx := context.Background()
	claim := func(key, owner string, at time.Time) supportkit.Claim {
		return supportkit.Claim{Key: key, Owner: owner, Now: at, Until: at.Add(time.Minute)}
	}
	t.Run("ClaimBatchAnswersEachClaimInOrder", func(t *testing.T) {
		l := newLedger(t)
		_, err := l.Claim(ctx, claim("held", "a", base))
		require.NoError(t, err)
		require.NoError(t, l.Done(ctx, "done", "a"))
		_, err = l.Claim(ctx, claim("mine", "b", base))
		require.NoError(t, err)
		at := base.Add(30 * time.Second)
		res, err := l.ClaimBatch(ctx, []supportkit.Claim{
			claim("new", "b", at), claim("held", "b", at), claim("done", "b", at), claim("mine", "b", at),
		})
		require.NoError(t, err)
		require.Len(t, res, 4)
		assert.Equal(t, supportkit.Claimed, res[0].State, "new")
		assert.True(t, res[0].Until.Equal(at.Add(time.Minute)), "new until %v", res[0].Until)
		assert.Equal(t, supportkit.Held, res[1].State, "held")
		assert.True(t, res[1].Until.Equal(base.Add(time.Minute)), "held until %v", res[1].Until)
		assert.Equal(t, supportkit.Delivered, res[2].State, "done")
		assert.Equal(t, supportkit.Claimed, res[3].State, "mine, extended")
		res2, err := l.Claim(ctx, claim("mine", "a", base.Add(70*time.Second)))
		require.NoError(t, err)
		assert.Equal(t, supportkit.Held, res2.State, "the batch extended b's claim to 09:01:30")
	})
	t.Run("ClaimBatchAgreesWithClaim", func(t *testing.T) {
		// The same random claims, made in batches on l and one by one on a memory ledger
		// (through Claim only), get the same answers.
		l, oracle := newLedger(t), supportkit.NewMemoryLedger()
		rng := rand.New(rand.NewPCG(16, 5))
		at := base
		for round := range 40 {
			at = at.Add(time.Duration(rng.IntN(40)) * time.Second)
			keys := rng.Perm(12)[:1+rng.IntN(6)]
			owner := fmt.Sprintf("owner-%d", rng.IntN(3))
			var batch []supportkit.Claim
			for _, k := range keys {
				key := fmt.Sprintf("key-%d", k)
				if rng.IntN(8) == 0 {
					require.NoError(t, l.DoneBatch(ctx, []string{key}, owner))
					require.NoError(t, oracle.Done(ctx, key, owner))
					continue
				}
				batch = append(batch, claim(key, owner, at))
			}
			res, err := l.ClaimBatch(ctx, batch)
			require.NoError(t, err)
			require.Len(t, res, len(batch))
			for i, c := range batch {
				want, err := oracle.Claim(ctx, c)
				require.NoError(t, err)
				assert.Equal(t, want.State, res[i].State, "round %d, %s by %s", round, c.Key, c.Owner)
				assert.True(t, want.Until.Equal(res[i].Until), "round %d, %s: until %v, want %v", round, c.Key, res[i].Until, want.Until)
			}
		}
	})
	t.Run("EmptyBatchIsNothing", func(t *testing.T) {
		l := newLedger(t)
		res, err := l.ClaimBatch(ctx, nil)
		require.NoError(t, err)
		assert.Empty(t, res)
		require.NoError(t, l.DoneBatch(ctx, nil, "a"))
	})
	t.Run("InvalidBatchIsErrInvalidAndRecordsNothing", func(t *testing.T) {
		l := newLedger(t)
		for name, batch := range map[string][]supportkit.Claim{
			"no key":      {claim("k", "a", base), {Owner: "a", Now: base, Until: base.Add(time.Minute)}},
			"no owner":    {claim("k", "a", base), {Key: "k2", Now: base, Until: base.Add(time.Minute)}},
			"ends before": {claim("k", "a", base), {Key: "k2", Owner: "a", Now: base, Until: base}},
			"key twice":   {claim("k", "a", base), claim("k2", "a", base), claim("k", "a", base)},
		} {
			_, err := l.ClaimBatch(ctx, batch)
			assert.ErrorIs(t, err, ticket.ErrInvalid, name)
		}
		assert.ErrorIs(t, l.DoneBatch(ctx, []string{"k", ""}, "a"), ticket.ErrInvalid)
		assert.ErrorIs(t, l.DoneBatch(ctx, []string{"k"}, ""), ticket.ErrInvalid)
		res, err := l.ClaimBatch(ctx, []supportkit.Claim{claim("k", "b", base), claim("k2", "b", base)})
		require.NoError(t, err)
		for i, r := range res {
			assert.Equal(t, supportkit.Claimed, r.State, "claim %d: the invalid batches left nothing behind", i)
		}
	})
	t.Run("DoneBatchIsDeliveredForEveryone", func(t *testing.T) {
		l := newLedger(t)
		_, err := l.ClaimBatch(ctx, []supportkit.Claim{claim("k1", "a", base), claim("k2", "a", base)})
		require.NoError(t, err)
		require.NoError(t, l.DoneBatch(ctx, []string{"k1", "k2", "k3", "k1"}, "a"))
		for _, owner := range []string{"a", "b"} {
			res, err := l.ClaimBatch(ctx, []supportkit.Claim{
				claim("k1", owner, base), claim("k2", owner, base), claim("k3", owner, base), claim("k4", owner, base),
			})
			require.NoError(t, err)
			for i, r := range res[:3] {
				assert.Equal(t, supportkit.Delivered, r.State, "%s: claim %d", owner, i)
			}
			assert.NotEqual(t, supportkit.Delivered, res[3].State, "%s: k4 was never done", owner)
		}
	})
	t.Run("CancelledContextIsAnError", func(t *testing.T) {
		l := newLedger(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := l.ClaimBatch(cctx, []supportkit.Claim{claim("k", "a", base)})
		assert.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, l.DoneBatch(cctx, []string{"k"}, "a"), context.Canceled)
	})
	t.Run("ConcurrentBatchesHaveOneWinnerPerKey", func(t *testing.T) {
		// Owners claim overlapping keys in opposite orders: each key has one winner, and
		// no batch fails for waiting on another.
		l := newLedger(t)
		const owners, keys = 6, 30
		var mu sync.Mutex
		won := map[string][]string{}
		var wg sync.WaitGroup
		for o := range owners {
			wg.Go(func() {
				owner := fmt.Sprintf("owner-%d", o)
				var batch []supportkit.Claim
				for k := range keys {
					if o%2 == 1 {
						k = keys - 1 - k
					}
					batch = append(batch, claim(fmt.Sprintf("key-%d", k), owner, base))
				}
				res, err := l.ClaimBatch(ctx, batch)
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				defer mu.Unlock()
				for i, r := range res {
					if r.State == supportkit.Claimed {
						won[batch[i].Key] = append(won[batch[i].Key], owner)
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
