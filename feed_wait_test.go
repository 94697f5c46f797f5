package supportkit_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/ticket"
)

// earlyFeed is a memory store whose Wait returns once without an event, as the contract
// allows (a PostgreSQL feed does when its poll interval passes).
type earlyFeed struct {
	*ticket.MemoryStore
	early atomic.Bool
}

func (f *earlyFeed) Wait(ctx context.Context, after ticket.Cursor) error {
	if f.early.CompareAndSwap(false, true) {
		return nil
	}
	return f.MemoryStore.Wait(ctx, after)
}

// A Feed.Wait that returns with nothing new must not stop Run from following the feed:
// a write through another Desk afterwards still reaches the running Desk.
func TestRunFollowsAfterAWaitWithoutEvents(t *testing.T) {
	store := ticket.NewMemoryStore()
	feed := &earlyFeed{MemoryStore: store}
	running, err := supportkit.New(supportkit.Config{Store: store, Feed: feed})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- running.Run(ctx) }()
	defer func() { cancel(); <-done }()
	require.Eventually(t, feed.early.Load, 5*time.Second, time.Millisecond)
	time.Sleep(20 * time.Millisecond) // Run has followed the empty feed

	other, err := supportkit.New(supportkit.Config{Store: store, Feed: store})
	require.NoError(t, err)
	_, err = other.Tickets().Create(context.Background(), ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return running.Metrics().Len() == 1 }, 5*time.Second, time.Millisecond)
}
