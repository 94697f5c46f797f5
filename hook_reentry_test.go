package supportkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/ticket"
)

// Hooks may call the Desk: a hook called for a write another Desk made, found while
// Follow reads the feed, may ask the Desk how far it has read it, or read it further.
func TestHookFoundThroughTheFeedMayCallTheDesk(t *testing.T) {
	ctx := context.Background()
	store, ledger := ticket.NewMemoryStore(), supportkit.NewMemoryLedger()
	writer, err := supportkit.New(supportkit.Config{Store: store, Feed: store, Ledger: ledger, Instance: "writer"})
	require.NoError(t, err)
	var reader *supportkit.Desk
	called := make(chan ticket.Cursor, 1)
	reader, err = supportkit.New(supportkit.Config{Store: store, Feed: store, Ledger: ledger, Instance: "reader",
		Hooks: supportkit.Hooks{OnSolved: func(ctx context.Context, _ ticket.Ticket) error {
			c := reader.Cursor()
			if err := reader.Follow(ctx); err != nil {
				return err
			}
			called <- c
			return nil
		}}})
	require.NoError(t, err)
	tk, err := writer.Tickets().Create(ctx, ticket.NewTicket{Subject: "Printer jams", Description: "It jams.",
		Requester: customer, Assignee: agent.ID})
	require.NoError(t, err)
	_, err = writer.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- reader.Follow(ctx) }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Follow deadlocked on a hook that called the Desk")
	}
	require.Len(t, called, 1)
}
