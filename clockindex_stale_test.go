package supportkit_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
)

// countingIndex is a ClockIndex that counts the looks at it.
type countingIndex struct {
	supportkit.MemoryClockIndex
	looks atomic.Int64
}

func (c *countingIndex) Next(ctx context.Context) (time.Time, bool, error) {
	c.looks.Add(1)
	return c.MemoryClockIndex.Next(ctx)
}

func (c *countingIndex) Due(ctx context.Context, now time.Time, limit int) ([]uuid.UUID, error) {
	c.looks.Add(1)
	return c.MemoryClockIndex.Due(ctx, now, limit)
}

// A durable ClockIndex may hold a ticket the Desk does not watch (left by a Desk of the same
// name before a restart, for a ticket the restarted Desk does not see, or from before its
// SLA policies were removed): Run does not wake for it again and again; with policies it
// drops it from the index.
func TestRunDropsAClockIndexEntryOfATicketItDoesNotWatch(t *testing.T) {
	ctx := context.Background()
	index := &countingIndex{}
	require.NoError(t, index.Set(ctx, uuid.Must(uuid.NewV7()), time.Now().Add(-time.Minute)))
	for _, policies := range []bool{false, true} {
		cfg := supportkit.Config{Clocks: index}
		if policies {
			cfg.Policies = calendarPolicies(t)
		}
		d, err := supportkit.New(cfg)
		require.NoError(t, err)
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		index.looks.Store(0)
		go func() { done <- d.Run(rctx) }()
		time.Sleep(300 * time.Millisecond)
		cancel()
		<-done
		assert.LessOrEqual(t, index.looks.Load(), int64(10), "looks at the index in 300ms, policies %v", policies)
		if policies {
			_, ok, err := index.MemoryClockIndex.Next(ctx)
			require.NoError(t, err)
			assert.False(t, ok, "the entry is dropped")
		}
	}
}
