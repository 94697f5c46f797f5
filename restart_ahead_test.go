package supportkit_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/ticket"
)

var errInjected = errors.New("injected")

// listing is a store whose List and Events can be made to fail, that knows how many of its
// List calls run: the reading of the next page that Load does while it applies a page.
type listing struct {
	ticket.Store
	lists    atomic.Int64 // List calls made
	running  atomic.Int64 // List calls running
	list     func(ctx context.Context, call int64) error
	events   func() error
	canceled atomic.Bool // a List call saw its context end
}

func (s *listing) List(ctx context.Context, q ticket.Query) (ticket.Page, error) {
	s.running.Add(1)
	defer s.running.Add(-1)
	if err := s.list(ctx, s.lists.Add(1)); err != nil {
		s.canceled.Store(s.canceled.Load() || ctx.Err() != nil)
		return ticket.Page{}, err
	}
	return s.Store.List(ctx, q)
}

func (s *listing) Events(ctx context.Context, id uuid.UUID, after int64) ([]ticket.Event, error) {
	if err := s.events(); err != nil {
		return nil, err
	}
	return s.Store.Events(ctx, id, after)
}

// storeOf returns a memory store holding n tickets.
func storeOf(t *testing.T, n int) *ticket.MemoryStore {
	mem := ticket.NewMemoryStore()
	svc, err := ticket.NewService(mem, ticket.Config{Now: func() time.Time { return start }})
	require.NoError(t, err)
	for range n {
		_, err := svc.Create(context.Background(), ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Channel: ticket.ChannelEmail})
		require.NoError(t, err)
	}
	return mem
}

// A Load whose listing fails at the third page of 500 tickets has applied the two before,
// and returns the listing's error once no read of it runs.
func TestLoadThatFailsToListAPageAppliesThePagesBefore(t *testing.T) {
	mem := storeOf(t, 1001)
	s := &listing{Store: mem, events: func() error { return nil }, list: func(_ context.Context, call int64) error {
		if call == 3 {
			return errInjected
		}
		return nil
	}}
	d, err := supportkit.New(supportkit.Config{Store: s, Now: func() time.Time { return start }})
	require.NoError(t, err)
	require.ErrorIs(t, d.Load(context.Background()), errInjected)
	assert.Equal(t, int64(0), s.running.Load())
	assert.Len(t, records(d), 1000)
}

// A Load that fails to apply its first page cancels the reading of the second, which it
// started meanwhile, and returns once that read has ended.
func TestLoadThatFailsToApplyAPageCancelsTheReadOfTheNext(t *testing.T) {
	mem := storeOf(t, 501)
	var reads atomic.Int64
	s := &listing{Store: mem, list: func(ctx context.Context, call int64) error {
		if call == 2 {
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	}, events: func() error {
		if reads.Add(1) == 100 {
			return errInjected
		}
		return nil
	}}
	d, err := supportkit.New(supportkit.Config{Store: s, Now: func() time.Time { return start }})
	require.NoError(t, err)
	require.ErrorIs(t, d.Load(context.Background()), errInjected)
	assert.Equal(t, int64(0), s.running.Load())
	assert.True(t, s.canceled.Load(), "the second page was being read, and its read was cancelled")
	assert.Len(t, records(d), 99)
}
