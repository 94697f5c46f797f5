package supportkit_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
)

// hungLease is a Lease whose database no longer answers: Acquire returns only once its ctx
// ends.
type hungLease struct {
	tries atomic.Int32
}

func (l *hungLease) Acquire(ctx context.Context, _ string, _, _ time.Time) (bool, error) {
	l.tries.Add(1)
	<-ctx.Done()
	return false, ctx.Err()
}

func (l *hungLease) Release(context.Context, string) error { return nil }

// A Lease that hangs holds up Run for RetryPolicy.Timeout at most, as the Desk's other
// stores do: Run goes on without the hold (so it does not dispatch), Leading answers, and
// Run tries the Lease again later.
func TestHungLeaseDoesNotStallRun(t *testing.T) {
	lease := &hungLease{}
	d, err := supportkit.New(supportkit.Config{Routing: &routing.Config{OfferTimeout: 100 * time.Millisecond}, Lease: lease,
		LeaseFor: 300 * time.Millisecond, Retry: supportkit.RetryPolicy{Timeout: 50 * time.Millisecond}})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})

	require.Eventually(t, func() bool { return lease.tries.Load() > 0 }, 5*time.Second, time.Millisecond)
	answered := make(chan bool, 1)
	go func() { answered <- d.Leading() }()
	select {
	case leading := <-answered:
		assert.False(t, leading, "a try that ran out holds no lease")
	case <-time.After(5 * time.Second):
		t.Fatal("Leading waits for a Lease that never answers: Run is stuck in Acquire")
	}
	assert.Eventually(t, func() bool { return lease.tries.Load() > 1 }, 5*time.Second, 10*time.Millisecond,
		"Run tries the Lease again")
}
