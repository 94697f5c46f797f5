package supportkit_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// flaky is a hook that fails its first fail calls (panics when panics is set) and counts
// every call.
type flaky struct {
	mu     sync.Mutex
	fail   int
	panics bool
	calls  int
	ok     int
}

func (f *flaky) call() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.calls <= f.fail {
		if f.panics {
			panic("the mail server is down")
		}
		return errors.New("the mail server is down")
	}
	f.ok++
	return nil
}

func (f *flaky) counts() (calls, ok int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls, f.ok
}

func solvedDesk(t *testing.T, clock *fakeClock, hook *flaky, retry supportkit.RetryPolicy) (*supportkit.Desk, ticket.Ticket) {
	t.Helper()
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Retry: retry, Hooks: supportkit.Hooks{
		OnSolved: func(context.Context, ticket.Ticket) error { return hook.call() },
	}})
	require.NoError(t, err)
	ctx := context.Background()
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Assignee: agent.ID})
	require.NoError(t, err)
	tk, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	return d, tk
}

func TestFailingHookIsRetriedWithGrowingWaits(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	hook := &flaky{fail: 2}
	d, tk := solvedDesk(t, clock, hook, supportkit.RetryPolicy{})

	list := d.Deliveries()
	require.Len(t, list, 1)
	assert.Equal(t, fmt.Sprintf("solved/%s/%d", tk.ID, tk.LastEventSeq), list[0].Key)
	assert.Equal(t, "OnSolved", list[0].Hook)
	assert.Equal(t, tk.ID, list[0].Ticket)
	assert.Equal(t, 1, list[0].Attempts)
	assert.EqualError(t, list[0].Err, "the mail server is down")
	assert.Equal(t, start.Add(time.Second), list[0].Next, "the first wait is one second")
	wake, ok := d.NextWake(ctx, start)
	require.True(t, ok)
	assert.Equal(t, start.Add(time.Second), wake, "NextWake includes the retry")

	d.RetryHooks(ctx, start.Add(999*time.Millisecond))
	calls, _ := hook.counts()
	assert.Equal(t, 1, calls, "not due yet")

	clock.set(start.Add(time.Second))
	d.RetryHooks(ctx, clock.Now())
	list = d.Deliveries()
	require.Len(t, list, 1)
	assert.Equal(t, 2, list[0].Attempts)
	assert.Equal(t, start.Add(3*time.Second), list[0].Next, "the wait doubles")

	clock.set(start.Add(3 * time.Second))
	d.RetryHooks(ctx, clock.Now())
	assert.Empty(t, d.Deliveries())
	clock.set(start.Add(time.Hour))
	d.RetryHooks(ctx, clock.Now())
	calls, ok2 := hook.counts()
	assert.Equal(t, 3, calls)
	assert.Equal(t, 1, ok2, "delivered once")
}

func TestPanickingHookIsRecoveredAndRetried(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	hook := &flaky{fail: 1, panics: true}
	d, _ := solvedDesk(t, clock, hook, supportkit.RetryPolicy{First: time.Minute})
	list := d.Deliveries()
	require.Len(t, list, 1)
	assert.ErrorContains(t, list[0].Err, "panicked: the mail server is down")
	clock.set(start.Add(time.Minute))
	d.RetryHooks(ctx, clock.Now())
	assert.Empty(t, d.Deliveries())
	calls, ok := hook.counts()
	assert.Equal(t, 2, calls)
	assert.Equal(t, 1, ok)
}

func TestHookFailingEveryAttemptIsMarkedFailedUntilRedelivered(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	hook := &flaky{fail: 3}
	d, _ := solvedDesk(t, clock, hook, supportkit.RetryPolicy{Attempts: 2, First: time.Second, Max: time.Second})
	clock.set(start.Add(time.Second))
	d.RetryHooks(ctx, clock.Now())
	list := d.Deliveries()
	require.Len(t, list, 1)
	assert.True(t, list[0].Failed)
	assert.Zero(t, list[0].Next)
	assert.Equal(t, 2, list[0].Attempts)

	clock.set(start.Add(time.Hour))
	d.RetryHooks(ctx, clock.Now())
	calls, _ := hook.counts()
	assert.Equal(t, 2, calls, "a failed delivery is not retried by itself")
	_, ok := d.NextWake(ctx, clock.Now())
	assert.False(t, ok, "nor does it wake the Desk")

	require.NoError(t, d.Redeliver(ctx, list[0].Key))
	list = d.Deliveries()
	require.Len(t, list, 1, "the third call fails too")
	assert.False(t, list[0].Failed)
	assert.Equal(t, 1, list[0].Attempts, "Redeliver starts a fresh count")
	require.NoError(t, d.Redeliver(ctx, list[0].Key))
	assert.Empty(t, d.Deliveries())
	assert.ErrorIs(t, d.Redeliver(ctx, list[0].Key), supportkit.ErrNoDelivery)
	assert.ErrorIs(t, d.Redeliver(ctx, "no such key"), supportkit.ErrNoDelivery)
}

func TestRetryPolicyRejectsNegativeFields(t *testing.T) {
	for _, r := range []supportkit.RetryPolicy{{First: -1}, {Max: -1}, {Attempts: -1}, {ClaimFor: -1}, {Timeout: -1}} {
		_, err := supportkit.New(supportkit.Config{Retry: r})
		assert.ErrorIs(t, err, ticket.ErrInvalid, "%+v", r)
	}
	_, err := supportkit.New(supportkit.Config{LeaseFor: -time.Second})
	assert.ErrorIs(t, err, ticket.ErrInvalid)
}

// TestDeliveredOccurrenceIsNeverCalledAgain: a Desk built over a ledger that already
// records the occurrence as delivered (an earlier process) does not call the hook.
func TestDeliveredOccurrenceIsNeverCalledAgain(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	ledger := supportkit.NewMemoryLedger()
	calls := 0
	newDesk := func(store ticket.Store) *supportkit.Desk {
		d, err := supportkit.New(supportkit.Config{Now: clock.Now, Store: store, Ledger: ledger,
			Policies: calendarPolicies(t), Hooks: supportkit.Hooks{
				OnBreach: func(context.Context, ticket.Ticket, sla.ClockResult) error { calls++; return nil },
			}})
		require.NoError(t, err)
		return d
	}
	store := ticket.NewMemoryStore()
	d := newDesk(store)
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer})
	require.NoError(t, err)
	clock.set(start.Add(2 * time.Hour))
	require.NoError(t, d.CheckClocks(ctx, clock.Now()))
	require.Equal(t, 1, calls)

	// The same occurrence found again by a second Desk with the same ledger (a comment makes
	// it evaluate the ticket's log) is not delivered again; a new one is.
	second := newDesk(store)
	_, err = second.Tickets().Comment(ctx, agent, tk.ID, ticket.NewComment{Body: "on it", Public: true})
	require.NoError(t, err)
	assert.Equal(t, 1, calls, "first response breach already delivered")
	clock.set(start.Add(9 * time.Hour))
	require.NoError(t, second.CheckClocks(ctx, clock.Now()))
	assert.Equal(t, 2, calls, "the resolution breach is new")
}

// hangs is a hook body that never returns before its ctx ends; after giveUp it returns
// errNotCut, so that a Desk that never ends the ctx fails the test instead of hanging it.
func hangs(ctx context.Context, giveUp time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(giveUp):
		return errNotCut
	}
}

var errNotCut = errors.New("the hook's ctx never ended")

// A hook that never returns until its ctx ends holds up the write that called it only
// for RetryPolicy.Timeout; the call counts as failed and is retried.
func TestHangingHookIsCutOffAtTheTimeout(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Retry: supportkit.RetryPolicy{Timeout: 50 * time.Millisecond},
		Hooks: supportkit.Hooks{OnSolved: func(ctx context.Context, _ ticket.Ticket) error { return hangs(ctx, 3*time.Second) }}})
	require.NoError(t, err)
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Assignee: agent.ID})
	require.NoError(t, err)
	began := time.Now()
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	assert.Less(t, time.Since(began), 2*time.Second, "the write waited for the hook past its timeout")
	list := d.Deliveries()
	require.Len(t, list, 1)
	assert.ErrorIs(t, list[0].Err, context.DeadlineExceeded)
	assert.Equal(t, 1, list[0].Attempts)
	assert.False(t, list[0].Next.IsZero(), "retried later")
}

// Without a Timeout set, a hook's ctx still has a deadline: the default, ten seconds.
func TestHookCtxHasADefaultDeadline(t *testing.T) {
	ctx := context.Background()
	var left time.Duration
	var has bool
	d, err := supportkit.New(supportkit.Config{Hooks: supportkit.Hooks{OnSolved: func(ctx context.Context, _ ticket.Ticket) error {
		var at time.Time
		at, has = ctx.Deadline()
		left = time.Until(at)
		return nil
	}}})
	require.NoError(t, err)
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Assignee: agent.ID})
	require.NoError(t, err)
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	require.True(t, has, "the hook's ctx has no deadline")
	assert.Greater(t, left, 9*time.Second)
	assert.LessOrEqual(t, left, 10*time.Second)
}

// A Tick whose breach-warning hook hangs until its ctx ends still dispatches, within the
// hook's timeout: one hook does not stall the Desk.
func TestHangingHookDoesNotStallTick(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Routing: &routing.Config{}, Policies: calendarPolicies(t),
		Retry: supportkit.RetryPolicy{Timeout: 50 * time.Millisecond},
		Hooks: supportkit.Hooks{OnBreachWarning: func(ctx context.Context, _ ticket.Ticket, _ sla.ClockResult, _ sla.WarningHit) error {
			return hangs(ctx, 3*time.Second)
		}}})
	require.NoError(t, err)
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Channel: ticket.ChannelEmail})
	require.NoError(t, err)
	_, err = d.AddAgent(routing.Agent{ID: agent.ID, Presence: routing.Available, Capacity: map[routing.Channel]int{routing.ChannelEmail: 5}})
	require.NoError(t, err)
	clock.set(start.Add(30*time.Minute + time.Second)) // the first-response warning is due
	began := time.Now()
	d.Tick(ctx)
	assert.Less(t, time.Since(began), 2*time.Second, "the Tick waited for the hook past its timeout")
	info, err := d.Router().Task(tk.ID.String())
	require.NoError(t, err)
	assert.Equal(t, routing.Offered, info.State, "the Tick dispatched")
	require.Len(t, d.Deliveries(), 1)
	assert.ErrorIs(t, d.Deliveries()[0].Err, context.DeadlineExceeded)
}
