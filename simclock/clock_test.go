package simclock_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/supportkit/supportkit/simclock"
)

var start = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// loop sleeps on c until the deadlines in plan, one after another, recording the clock at
// each wake, then sleeps until ctx ends.
func loop(ctx context.Context, c *simclock.Clock, wake chan struct{}, plan []time.Time, woke *[]time.Time, mu *sync.Mutex) {
	for _, until := range plan {
		c.Sleep(ctx, until, wake)
		mu.Lock()
		*woke = append(*woke, c.Now())
		mu.Unlock()
	}
	c.Sleep(ctx, time.Time{}, wake)
}

func TestAdvanceStopsAtEachDeadline(t *testing.T) {
	c := simclock.New(start)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var woke []time.Time
	plan := []time.Time{start.Add(time.Minute), start.Add(90 * time.Second), start.Add(time.Hour)}
	c.Add(1)
	go loop(ctx, c, make(chan struct{}, 1), plan, &woke, &mu)
	c.Advance(start.Add(2 * time.Minute))
	mu.Lock()
	assert.Equal(t, plan[:2], woke, "woken at each deadline on the way, in order")
	mu.Unlock()
	assert.Equal(t, start.Add(2*time.Minute), c.Now())
	c.Advance(start) // backwards: stays
	assert.Equal(t, start.Add(2*time.Minute), c.Now())
}

func TestSettleWaitsForAWokenSleeper(t *testing.T) {
	c := simclock.New(start)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wake := make(chan struct{}, 1)
	var mu sync.Mutex
	n := 0
	c.Add(1)
	go func() {
		for ctx.Err() == nil {
			c.Sleep(ctx, time.Time{}, wake)
			select {
			case <-wake:
				time.Sleep(5 * time.Millisecond) // some work
				mu.Lock()
				n++
				mu.Unlock()
			default:
			}
		}
	}()
	c.Settle()
	for i := 1; i <= 3; i++ {
		wake <- struct{}{}
		c.Settle()
		mu.Lock()
		assert.Equal(t, i, n, "Settle returned before the work of wake %d was done", i)
		mu.Unlock()
	}
}

func TestSleepReturnsWhenContextEnds(t *testing.T) {
	c := simclock.New(start)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		c.Sleep(ctx, time.Time{}, nil)
		close(done)
	}()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Sleep did not return")
	}
}
