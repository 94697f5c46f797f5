package supportkit

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// countingClocks is a ClockIndex that counts the tickets it was ever told about.
type countingClocks struct {
	MemoryClockIndex
	told map[uuid.UUID]bool
}

func (c *countingClocks) Set(ctx context.Context, id uuid.UUID, at time.Time) error {
	c.told[id] = true
	return c.MemoryClockIndex.Set(ctx, id, at)
}

// A Desk following a feed that several tenants' Desks write to skips the other tenants'
// tickets without keeping anything of them, however much traffic they have; the same for
// a Sync of another tenant's ticket.
func TestFollowKeepsNothingOfOtherTenants(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	store := ticket.NewMemoryStore()
	policies, err := sla.NewPolicies(sla.Policy{Name: "p", Targets: map[string]sla.Targets{"": {
		FirstResponse: &sla.Target{Within: time.Hour}}}})
	require.NoError(t, err)
	desk := func(tenant string, clocks ClockIndex) *Desk {
		d, err := New(Config{Store: store, Feed: store, Tickets: ticket.Config{Tenant: tenant}, Now: clock,
			Policies: policies, Clocks: clocks})
		require.NoError(t, err)
		return d
	}
	clocks := &countingClocks{told: map[uuid.UUID]bool{}}
	a, b := desk("a", clocks), desk("b", nil)
	own, err := a.Tickets().Create(ctx, ticket.NewTicket{Subject: "s", Requester: ticket.Requester{Email: "ann@example.com"}})
	require.NoError(t, err)
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "x"}
	var theirs []uuid.UUID
	for round := range 3 {
		for range 20 {
			tk, err := b.Tickets().Create(ctx, ticket.NewTicket{Subject: "s", Requester: ticket.Requester{Email: "bob@example.com"}})
			require.NoError(t, err)
			_, err = b.Tickets().Assign(ctx, agent, tk.ID, "x")
			require.NoError(t, err)
			theirs = append(theirs, tk.ID)
		}
		require.NoError(t, a.Follow(ctx))
		assert.Equal(t, 1, a.followerCount(), "round %d: only the tenant's own ticket is followed", round)
	}
	for _, id := range theirs[:5] {
		assert.ErrorIs(t, a.Sync(ctx, id), ticket.ErrNotFound)
	}
	assert.Equal(t, 1, a.followerCount(), "a Sync of another tenant's ticket keeps nothing")
	assert.Len(t, clocks.told, 1, "the clock index hears of the tenant's tickets only")
	assert.True(t, clocks.told[own.ID])
	assert.Equal(t, 1, a.Metrics().Len())
}

// followerCount returns how many tickets the Desk keeps a follower for.
func (d *Desk) followerCount() int {
	d.follow.mu.Lock()
	defer d.follow.mu.Unlock()
	return len(d.follow.ids)
}
