package supportkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// A hook that runs longer than the Lease's hold during a Tick lets the hold lapse and
// another Desk take over; the Tick's dispatch must then see that it no longer leads, not
// offer tickets as of the instant the Tick began, when the other Desk dispatches too.
func TestSlowHookInTickDoesNotDispatchOnALapsedLease(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	lease := &supportkit.MemoryLease{}
	offered := 0
	var tookOver bool
	d, err := supportkit.New(supportkit.Config{
		Now: clock.Now, Routing: &routing.Config{}, Policies: calendarPolicies(t), Lease: lease, Instance: "a",
		Hooks: supportkit.Hooks{
			OnBreachWarning: func(ctx context.Context, _ ticket.Ticket, _ sla.ClockResult, _ sla.WarningHit) error {
				// A minute passes; meanwhile the other Desk takes the lapsed lease.
				clock.set(clock.Now().Add(time.Minute))
				var err error
				tookOver, err = lease.Acquire(ctx, "b", clock.Now(), clock.Now().Add(30*time.Second))
				return err
			},
			OnOffered: func(context.Context, routing.Offer, ticket.Ticket) error {
				offered++
				return nil
			},
		},
	})
	require.NoError(t, err)
	_, err = d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Channel: ticket.ChannelEmail})
	require.NoError(t, err)

	// The Desk takes the lease at 09:29:55 (until 09:30:25, renewed from 09:30:05 on).
	clock.set(start.Add(29*time.Minute + 55*time.Second))
	got, err := d.Dispatch(ctx, clock.Now())
	require.NoError(t, err)
	require.Empty(t, got, "no agent yet")
	require.True(t, d.Leading())
	_, err = d.AddAgent(routing.Agent{ID: "agent-1", Name: "Alex Kim", Presence: routing.Available,
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 5}})
	require.NoError(t, err)

	// At 09:30:01 the first-response warning is due; its hook returns at 09:31:01.
	clock.set(start.Add(30*time.Minute + time.Second))
	d.Tick(ctx)
	require.True(t, tookOver, "the warning's hook ran and the other Desk took the lease")
	assert.Zero(t, offered, "the Desk offered a ticket while the other Desk held the lease")
	assert.False(t, d.Leading())
}
