package ticket_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// countingStore counts the conflicts the store reports and the tickets it reads.
type countingStore struct {
	*ticket.MemoryStore
	conflicts atomic.Int64
	reads     atomic.Int64
}

func (s *countingStore) Ticket(ctx context.Context, id uuid.UUID) (ticket.Ticket, error) {
	s.reads.Add(1)
	return s.MemoryStore.Ticket(ctx, id)
}

func (s *countingStore) Update(ctx context.Context, cs ...ticket.Change) ([]ticket.Ticket, error) {
	out, err := s.MemoryStore.Update(ctx, cs...)
	if errors.Is(err, ticket.ErrConflict) {
		s.conflicts.Add(1)
	}
	return out, err
}

// TestServicesSharingAStoreRetryConflicts guards the read-modify-write retry: two Services
// (two processes) race on one ticket, conflicts happen, and no comment is lost.
func TestServicesSharingAStoreRetryConflicts(t *testing.T) {
	store := &countingStore{MemoryStore: ticket.NewMemoryStore()}
	var svcs [2]*ticket.Service
	for i := range svcs {
		svc, err := ticket.NewService(store, ticket.Config{MaxRetries: 1000})
		require.NoError(t, err)
		svcs[i] = svc
	}
	tk, err := svcs[0].Create(ctx, ticket.NewTicket{Subject: "s", Requester: ann})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				_, err := svcs[w%2].Comment(ctx, agent, tk.ID, ticket.NewComment{Body: "x"})
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	cs, err := svcs[1].Comments(ctx, tk.ID)
	require.NoError(t, err)
	assert.Len(t, cs, 400)
	t.Logf("conflicts retried: %d", store.conflicts.Load())
}

// TestConflictIsReturnedAfterMaxRetries guards the bound on retries.
func TestConflictIsReturnedAfterMaxRetries(t *testing.T) {
	store := &alwaysStale{MemoryStore: ticket.NewMemoryStore()}
	svc, err := ticket.NewService(store, ticket.Config{MaxRetries: 3})
	require.NoError(t, err)
	tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "s", Requester: ann})
	require.NoError(t, err)
	_, err = svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: "x"})
	var ce *ticket.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, int64(4), store.calls.Load(), "one try and three retries")
}

type alwaysStale struct {
	*ticket.MemoryStore
	calls atomic.Int64
}

func (s *alwaysStale) Update(ctx context.Context, cs ...ticket.Change) ([]ticket.Ticket, error) {
	s.calls.Add(1)
	return nil, &ticket.ConflictError{ID: cs[0].Ticket.ID, Have: cs[0].Ticket.Version}
}
