package supportkit_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/ticket"
)

// A hook that always fails holds at most RetryPolicy.KeepFailed Failed deliveries, however
// many tickets it fails for: the oldest are let go and counted, the newest kept, and each
// held one is still redelivered.
func TestFailedDeliveriesHeldAreBounded(t *testing.T) {
	ctx := context.Background()
	const keep, tickets = 5, 60
	fail := true
	d, err := supportkit.New(supportkit.Config{Retry: supportkit.RetryPolicy{Attempts: 1, KeepFailed: keep},
		Hooks: supportkit.Hooks{OnSolved: func(context.Context, ticket.Ticket) error {
			if fail {
				return errors.New("down")
			}
			return nil
		}}})
	require.NoError(t, err)
	var keys []string
	for i := range tickets {
		tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: fmt.Sprint("T", i), Description: "x", Requester: customer, Assignee: agent.ID})
		require.NoError(t, err)
		tk, err = d.Tickets().Solve(ctx, agent, tk.ID)
		require.NoError(t, err)
		keys = append(keys, fmt.Sprintf("solved/%s/%d", tk.ID, tk.LastEventSeq))
		assert.LessOrEqual(t, len(d.Deliveries()), keep)
	}
	var held []string
	for _, dl := range d.Deliveries() {
		assert.True(t, dl.Failed)
		held = append(held, dl.Key)
	}
	assert.ElementsMatch(t, keys[tickets-keep:], held, "the newest are kept")
	assert.Equal(t, int64(tickets-keep), d.DroppedDeliveries())
	assert.ErrorIs(t, d.Redeliver(ctx, keys[0]), supportkit.ErrNoDelivery, "let go")
	fail = false
	for _, k := range held {
		require.NoError(t, d.Redeliver(ctx, k))
	}
	assert.Empty(t, d.Deliveries())
	assert.Equal(t, int64(tickets-keep), d.DroppedDeliveries())
}

func TestRetryPolicyRejectsANegativeKeepFailed(t *testing.T) {
	_, err := supportkit.New(supportkit.Config{Retry: supportkit.RetryPolicy{KeepFailed: -1}})
	assert.ErrorIs(t, err, ticket.ErrInvalid)
}
