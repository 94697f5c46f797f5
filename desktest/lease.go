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
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// TestLease checks that a Lease keeps the contract documented on supportkit.Lease, and
// that Desks over it given one Instance never both hold it (DesksOfOneNameHaveOneHolder).
// newLease returns a free lease for each subtest.
func TestLease(t *testing.T, newLease func(t *testing.T) supportkit.Lease) {
	ctx := context.Background()
	until := func(at time.Time) time.Time { return at.Add(30 * time.Second) }
	t.Run("FreeLeaseIsAcquired", func(t *testing.T) {
		l := newLease(t)
		ok, err := l.Acquire(ctx, "a", base, until(base))
		require.NoError(t, err)
		assert.True(t, ok)
	})
	t.Run("HeldLeaseIsRefusedToOthers", func(t *testing.T) {
		l := newLease(t)
		_, err := l.Acquire(ctx, "a", base, until(base))
		require.NoError(t, err)
		ok, err := l.Acquire(ctx, "b", base.Add(29*time.Second), until(base.Add(29*time.Second)))
		require.NoError(t, err)
		assert.False(t, ok)
	})
	t.Run("HolderRenews", func(t *testing.T) {
		l := newLease(t)
		_, err := l.Acquire(ctx, "a", base, until(base))
		require.NoError(t, err)
		ok, err := l.Acquire(ctx, "a", base.Add(20*time.Second), until(base.Add(20*time.Second)))
		require.NoError(t, err)
		assert.True(t, ok)
		ok, err = l.Acquire(ctx, "b", base.Add(40*time.Second), until(base.Add(40*time.Second)))
		require.NoError(t, err)
		assert.False(t, ok, "renewed until 09:00:50")
	})
	t.Run("ExpiredLeaseIsTakenOver", func(t *testing.T) {
		l := newLease(t)
		_, err := l.Acquire(ctx, "a", base, until(base))
		require.NoError(t, err)
		later := base.Add(30 * time.Second)
		ok, err := l.Acquire(ctx, "b", later, until(later))
		require.NoError(t, err)
		assert.True(t, ok)
		ok, err = l.Acquire(ctx, "a", later, until(later))
		require.NoError(t, err)
		assert.False(t, ok, "the old holder lost it")
	})
	t.Run("ReleaseFreesTheLease", func(t *testing.T) {
		l := newLease(t)
		_, err := l.Acquire(ctx, "a", base, until(base))
		require.NoError(t, err)
		require.NoError(t, l.Release(ctx, "a"))
		ok, err := l.Acquire(ctx, "b", base, until(base))
		require.NoError(t, err)
		assert.True(t, ok)
	})
	t.Run("ReleaseByAnotherOwnerChangesNothing", func(t *testing.T) {
		l := newLease(t)
		require.NoError(t, l.Release(ctx, "b"), "releasing a free lease")
		_, err := l.Acquire(ctx, "a", base, until(base))
		require.NoError(t, err)
		require.NoError(t, l.Release(ctx, "b"))
		ok, err := l.Acquire(ctx, "b", base, until(base))
		require.NoError(t, err)
		assert.False(t, ok)
	})
	t.Run("InvalidAcquireIsErrInvalid", func(t *testing.T) {
		l := newLease(t)
		_, err := l.Acquire(ctx, "", base, until(base))
		assert.ErrorIs(t, err, ticket.ErrInvalid)
		_, err = l.Acquire(ctx, "a", base, base)
		assert.ErrorIs(t, err, ticket.ErrInvalid)
		ok, err := l.Acquire(ctx, "b", base, until(base))
		require.NoError(t, err)
		assert.True(t, ok, "the invalid calls took nothing")
	})
	t.Run("DesksOfOneNameHaveOneHolder", func(t *testing.T) {
		testDesksOfOneName(t, newLease(t))
	})
	t.Run("ConcurrentAcquiresHaveOneHolder", func(t *testing.T) {
		l := newLease(t)
		var mu sync.Mutex
		var holders []string
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				owner := fmt.Sprintf("owner-%d", i)
				ok, err := l.Acquire(ctx, owner, base, until(base))
				if assert.NoError(t, err) && ok {
					mu.Lock()
					holders = append(holders, owner)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		assert.Len(t, holders, 1)
	})
}

// testDesksOfOneName checks that two Desks given one Instance over l never both lead, and
// that a third of that name, a restart of the holder after a crash, takes over once the
// holder's hold has lapsed, not before.
func testDesksOfOneName(t *testing.T, l supportkit.Lease) {
	ctx := context.Background()
	now := base
	desk := func() *supportkit.Desk {
		d, err := supportkit.New(supportkit.Config{
			Lease: l, Instance: "desk", LeaseFor: 30 * time.Second, Routing: &routing.Config{},
			Now: func() time.Time { return now },
		})
		require.NoError(t, err)
		return d
	}
	a, b := desk(), desk()
	for _, d := range []*supportkit.Desk{a, b} {
		_, err := d.Dispatch(ctx, now)
		require.NoError(t, err)
	}
	require.NotEqual(t, a.Leading(), b.Leading(), "exactly one of two Desks named alike leads")
	holder := a
	if b.Leading() {
		holder = b
	}
	restarted := desk()
	now = base.Add(29 * time.Second)
	_, err := restarted.Dispatch(ctx, now)
	require.NoError(t, err)
	assert.False(t, restarted.Leading(), "the crashed holder's hold has not lapsed")
	now = base.Add(40 * time.Second) // past the restart's next try, a third of LeaseFor on
	_, err = restarted.Dispatch(ctx, now)
	require.NoError(t, err)
	assert.True(t, restarted.Leading(), "the hold lapsed: the restart takes over")
	_, err = holder.Dispatch(ctx, now)
	require.NoError(t, err)
	assert.False(t, holder.Leading(), "the old holder lost it")
}
