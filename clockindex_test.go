package supportkit_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// countingStore records which tickets are read.
type countingStore struct {
	*ticket.MemoryStore
	mu   sync.Mutex
	read map[uuid.UUID]bool
}

func (s *countingStore) Ticket(ctx context.Context, id uuid.UUID) (ticket.Ticket, error) {
	s.mu.Lock()
	s.read[id] = true
	s.mu.Unlock()
	return s.MemoryStore.Ticket(ctx, id)
}

// reads returns how many distinct tickets were read since the last call.
func (s *countingStore) reads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.read)
	clear(s.read)
	return n
}

// TestCheckClocksReadsOnlyTheDueTickets: with many open tickets and a few due, a check
// reads the due ones only, as the clock index gives them.
func TestCheckClocksReadsOnlyTheDueTickets(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	store := &countingStore{MemoryStore: ticket.NewMemoryStore(), read: map[uuid.UUID]bool{}}
	var warned atomic.Int64
	d, err := supportkit.New(supportkit.Config{Store: store, Now: clock.Now, Policies: calendarPolicies(t),
		Hooks: supportkit.Hooks{OnBreachWarning: func(context.Context, ticket.Ticket, sla.ClockResult, sla.WarningHit) error {
			warned.Add(1)
			return nil
		}}})
	require.NoError(t, err)
	for i := range 500 {
		clock.set(start.Add(time.Duration(i) * time.Second))
		_, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer})
		require.NoError(t, err)
	}
	// The first response warning (50% of an hour) of the first three tickets is reached
	// at 09:30:00, :01 and :02.
	store.reads()
	require.NoError(t, d.CheckClocks(ctx, start.Add(30*time.Minute+2*time.Second+time.Nanosecond)))
	assert.Equal(t, int64(3), warned.Load())
	assert.Equal(t, 3, store.reads(), "only the due tickets are read")
	next, ok := d.NextWake(ctx, clock.Now())
	require.True(t, ok)
	assert.Equal(t, start.Add(30*time.Minute+3*time.Second+time.Nanosecond), next)
}
