package supportkit_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/ticket"
)

// brokenFeed is a store's feed whose Changes fail while broken is set, though Wait finds
// entries to read (a page that times out, while the cheaper look for entries does not).
type brokenFeed struct {
	*ticket.MemoryStore
	broken atomic.Bool
	reads  atomic.Int64
}

func (f *brokenFeed) Changes(ctx context.Context, after ticket.Cursor, limit int) ([]ticket.FeedEntry, error) {
	if f.broken.Load() {
		f.reads.Add(1)
		return nil, errors.New("statement timeout")
	}
	return f.MemoryStore.Changes(ctx, after, limit)
}

func (f *brokenFeed) Marks(ctx context.Context, after ticket.Cursor, limit int) ([]ticket.FeedMark, error) {
	if f.broken.Load() {
		f.reads.Add(1)
		return nil, errors.New("statement timeout")
	}
	return f.MemoryStore.Marks(ctx, after, limit)
}

// A feed that keeps failing is read again after RetryPolicy.First, not at once: Run does
// not spin on it, hammering the store.
func TestRunWaitsBeforeReadingAFailingFeedAgain(t *testing.T) {
	store := ticket.NewMemoryStore()
	feed := &brokenFeed{MemoryStore: store}
	d, err := supportkit.New(supportkit.Config{Store: store, Feed: feed, Retry: supportkit.RetryPolicy{First: 100 * time.Millisecond}})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	time.Sleep(50 * time.Millisecond) // loaded
	feed.broken.Store(true)
	_, err = d.Tickets().Create(context.Background(), ticket.NewTicket{Subject: "Printer jams", Description: "It jams.", Requester: customer})
	require.NoError(t, err)
	time.Sleep(500 * time.Millisecond)
	reads := feed.reads.Load()
	feed.broken.Store(false)
	assert.LessOrEqual(t, reads, int64(10), "reads of a failing feed in half a second")
	assert.Eventually(t, func() bool { return d.Cursor() != "" }, 5*time.Second, 10*time.Millisecond, "read once it works again")
	cancel()
	<-done
}
