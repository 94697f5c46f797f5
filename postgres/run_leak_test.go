package postgres_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/ticket"
)

// A Desk's Run over PostgreSQL leaves no goroutine behind once it returned, whether its
// context ended while it waited on the feed or while it read it.
func TestRunOverPostgreSQLLeavesNoGoroutineBehind(t *testing.T) {
	st := newSetup(t, nil)
	cfg := chaosParts(t, st.pool, postgres.Config{Schema: st.schema, PollInterval: 50 * time.Millisecond}, "desk")
	before := runtime.NumGoroutine()
	for round := range 10 {
		d, err := supportkit.New(cfg)
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- d.Run(ctx) }()
		_, err = d.Tickets().Create(context.Background(), ticket.NewTicket{Subject: "Printer jams", Description: "It jams.",
			Requester: ticket.Requester{ID: "cust-1"}})
		require.NoError(t, err)
		time.Sleep(time.Duration(round) * 7 * time.Millisecond)
		cancel()
		select {
		case err := <-done:
			assert.ErrorIs(t, err, context.Canceled)
		case <-time.After(5 * time.Second):
			t.Fatalf("round %d: Run did not return", round)
		}
	}
	n := runtime.NumGoroutine()
	// A connection whose query was cancelled is closed by the driver in a goroutine of its
	// own, which may wait up to 15 seconds for the server to take the cancel request.
	for deadline := time.Now().Add(20 * time.Second); n > before && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, n, before, "goroutines left after Run returned")
}
