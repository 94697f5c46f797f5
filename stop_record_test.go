package supportkit_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/ticket"
)

// A hook that returned nil is recorded delivered even when the context of the call that
// made it ended while the hook ran (a host stopping, a request cancelled): a Desk that
// Loads the store afterwards over the same Ledger does not call the hook again.
func TestHookDoneIsRecordedWhenTheCallersContextEnds(t *testing.T) {
	store, ledger := ticket.NewMemoryStore(), supportkit.NewMemoryLedger()
	clock := &fakeClock{now: start}
	hook := &hookCalls{}
	var stop context.CancelFunc
	desk := func() *supportkit.Desk {
		d, err := supportkit.New(supportkit.Config{Now: clock.Now, Store: store, Ledger: ledger, Instance: "desk",
			Hooks: supportkit.Hooks{OnSolved: func(_ context.Context, tk ticket.Ticket) error {
				if stop != nil {
					stop() // the host stops while the hook runs; the hook still did its work
				}
				return hook.call(tk.ID.String())
			}}})
		require.NoError(t, err)
		return d
	}
	before := desk()
	tk, err := before.Tickets().Create(context.Background(), ticket.NewTicket{Subject: "Printer jams", Description: "It jams.",
		Requester: customer, Assignee: agent.ID})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop = cancel
	_, err = before.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err, "the solve committed before the hook ran")
	stop = nil
	assert.Equal(t, map[string]int{tk.ID.String(): 1}, hook.delivered())

	after := desk()
	require.NoError(t, after.Load(context.Background()))
	after.RetryHooks(context.Background(), clock.Now())
	assert.Equal(t, map[string]int{tk.ID.String(): 1}, hook.delivered(), "the restarted Desk calls the hook again")
	assert.Empty(t, after.Deliveries())
}
