package supportkit_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// settledGoroutines waits until at most want goroutines run, and returns how many do.
func settledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(3 * time.Second); n > want && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}
	return n
}

// Run leaves no goroutine behind once it returned, however its context ended: while it
// waits, while it follows the feed, or while a hook that waits for its ctx runs.
func TestRunLeavesNoGoroutineBehind(t *testing.T) {
	store := ticket.NewMemoryStore()
	ledger, lease := supportkit.NewMemoryLedger(), &supportkit.MemoryLease{}
	policies, err := sla.NewPolicies(sla.Policy{Name: "fast", Targets: map[string]sla.Targets{"": {
		FirstResponse: &sla.Target{Within: 20 * time.Millisecond, Warnings: []sla.Warning{{Percent: 50}}},
	}}})
	require.NoError(t, err)
	before := runtime.NumGoroutine()
	for round := range 20 {
		d, err := supportkit.New(supportkit.Config{Store: store, Feed: store, Ledger: ledger, Lease: lease, Policies: policies,
			Routing: &routing.Config{OfferTimeout: time.Second}, LeaseFor: time.Second,
			Hooks: supportkit.Hooks{OnBreach: func(ctx context.Context, _ ticket.Ticket, _ sla.ClockResult) error {
				<-ctx.Done() // a slow host: returns when told to
				return ctx.Err()
			}}})
		require.NoError(t, err)
		_, err = d.AddAgent(routing.Agent{ID: "a1", Presence: routing.Available,
			Capacity: map[routing.Channel]int{routing.ChannelEmail: 5}})
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- d.Run(ctx) }()
		_, err = d.Tickets().Create(context.Background(), ticket.NewTicket{Subject: "Printer jams", Description: "It jams.",
			Channel: ticket.ChannelEmail, Requester: customer})
		require.NoError(t, err)
		time.Sleep(time.Duration(round) * 3 * time.Millisecond)
		cancel()
		select {
		case err := <-done:
			assert.ErrorIs(t, err, context.Canceled)
		case <-time.After(5 * time.Second):
			t.Fatalf("round %d: Run did not return", round)
		}
	}
	assert.LessOrEqual(t, settledGoroutines(before), before, "goroutines left after Run returned")
}
