package supportkit_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// clockIndexDesk returns a Desk over clocks, with the calendar policies and retry, and the
// count of its OnBreach calls.
func clockIndexDesk(t *testing.T, clock *fakeClock, clocks supportkit.ClockIndex, retry supportkit.RetryPolicy) (*supportkit.Desk, *atomic.Int32) {
	t.Helper()
	breaches := &atomic.Int32{}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Policies: calendarPolicies(t), Clocks: clocks, Retry: retry,
		Hooks: supportkit.Hooks{OnBreach: func(context.Context, ticket.Ticket, sla.ClockResult) error {
			breaches.Add(1)
			return nil
		}}})
	require.NoError(t, err)
	return d, breaches
}

// flakyClocks is a ClockIndex whose Set fails while fails is above zero (a database that
// did not answer for a moment).
type flakyClocks struct {
	supportkit.MemoryClockIndex
	fails atomic.Int32
}

func (c *flakyClocks) Set(ctx context.Context, id uuid.UUID, at time.Time) error {
	if c.fails.Add(-1) >= 0 {
		return errors.New("connection reset")
	}
	return c.MemoryClockIndex.Set(ctx, id, at)
}

// A ticket whose wake the ClockIndex failed to record (its storage did not answer for a
// moment) is still woken for and checked when its clocks fall due: the breach is notified
// by CheckClocks, not left to the ticket's next write, which may never come.
func TestBreachIsNotifiedWhenTheClockIndexFailed(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	clocks := &flakyClocks{}
	d, breaches := clockIndexDesk(t, clock, clocks, supportkit.RetryPolicy{})
	clocks.fails.Store(1000)
	_, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Printer jams", Description: "It jams.", Requester: customer})
	require.NoError(t, err)
	clocks.fails.Store(0)
	next, ok := d.NextWake(ctx, clock.Now())
	require.True(t, ok, "Run must wake for the ticket's clocks")
	assert.WithinDuration(t, start.Add(30*time.Minute), next, time.Millisecond, "the first-response warning")
	for range 12 { // a Desk's Run looks at least this often
		clock.set(clock.Now().Add(10 * time.Minute))
		d.Tick(ctx)
	}
	assert.Equal(t, int32(1), breaches.Load(), "first response breached after an hour")
}

// stuckClocks is a ClockIndex whose Set blocks until its ctx ends while stuck is set (a
// database that stopped answering).
type stuckClocks struct {
	supportkit.MemoryClockIndex
	stuck atomic.Bool
}

func (c *stuckClocks) Set(ctx context.Context, id uuid.UUID, at time.Time) error {
	if c.stuck.Load() {
		<-ctx.Done()
		return ctx.Err()
	}
	return c.MemoryClockIndex.Set(ctx, id, at)
}

// A ClockIndex that stops answering holds a ticket write up for RetryPolicy.Timeout at
// most, not for ever: the ticket's clocks are then read from the Desk's own record.
func TestWriteIsNotHeldUpByAClockIndexThatStopsAnswering(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	clocks := &stuckClocks{}
	d, breaches := clockIndexDesk(t, clock, clocks, supportkit.RetryPolicy{Timeout: 50 * time.Millisecond})
	clocks.stuck.Store(true)
	done := make(chan error, 1)
	go func() {
		_, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Printer jams", Description: "It jams.", Requester: customer})
		done <- err
	}()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("the write waits for the ClockIndex for ever")
	}
	clocks.stuck.Store(false)
	clock.set(start.Add(2 * time.Hour))
	d.Tick(ctx)
	assert.Equal(t, int32(1), breaches.Load())
}
