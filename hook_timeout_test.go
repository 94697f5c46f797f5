package supportkit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

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
	offered := 0
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Routing: &routing.Config{}, Policies: calendarPolicies(t),
		Retry: supportkit.RetryPolicy{Timeout: 50 * time.Millisecond},
		Hooks: supportkit.Hooks{
			OnBreachWarning: func(ctx context.Context, _ ticket.Ticket, _ sla.ClockResult, _ sla.WarningHit) error {
				return hangs(ctx, 3*time.Second)
			},
			OnOffered: func(context.Context, routing.Offer, ticket.Ticket) error {
				offered++
				return nil
			},
		}})
	require.NoError(t, err)
	_, err = d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Channel: ticket.ChannelEmail})
	require.NoError(t, err)
	_, err = d.AddAgent(routing.Agent{ID: "agent-1", Name: "Alex Kim", Presence: routing.Available,
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 5}})
	require.NoError(t, err)
	clock.set(start.Add(30*time.Minute + time.Second)) // the first-response warning is due
	began := time.Now()
	d.Tick(ctx)
	assert.Less(t, time.Since(began), 2*time.Second, "the Tick waited for the hook past its timeout")
	assert.Equal(t, 1, offered, "the Tick dispatched")
	require.Len(t, d.Deliveries(), 1)
	assert.ErrorIs(t, d.Deliveries()[0].Err, context.DeadlineExceeded)
}
