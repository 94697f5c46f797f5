package supportkit_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// shortKeyLedger is a Ledger that refuses keys over 100 bytes, as a database's index
// refuses keys over its limit.
type shortKeyLedger struct {
	supportkit.MemoryLedger
	claims atomic.Int64
}

func (l *shortKeyLedger) Claim(ctx context.Context, c supportkit.Claim) (supportkit.ClaimResult, error) {
	l.claims.Add(1)
	if len(c.Key) > 100 {
		return supportkit.ClaimResult{}, fmt.Errorf("%w: key too long", ticket.ErrInvalid)
	}
	return l.MemoryLedger.Claim(ctx, c)
}

// shortKeyBatchLedger is shortKeyLedger as a BatchLedger, refusing a whole batch that holds
// a key it refuses, as the BatchLedger contract says.
type shortKeyBatchLedger struct {
	shortKeyLedger
}

func (l *shortKeyBatchLedger) ClaimBatch(ctx context.Context, claims []supportkit.Claim) ([]supportkit.ClaimResult, error) {
	for _, c := range claims {
		if len(c.Key) > 100 {
			return nil, fmt.Errorf("%w: key too long", ticket.ErrInvalid)
		}
	}
	out := make([]supportkit.ClaimResult, len(claims))
	for i, c := range claims {
		var err error
		if out[i], err = l.Claim(ctx, c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (l *shortKeyBatchLedger) DoneBatch(ctx context.Context, keys []string, owner string) error {
	for _, k := range keys {
		if err := l.Done(ctx, k, owner); err != nil {
			return err
		}
	}
	return nil
}

// A delivery whose key the Ledger refuses as invalid can never be claimed: it counts as a
// failed call and ends Failed after RetryPolicy.Attempts, instead of being claimed again
// and again for as long as the Desk runs.
func TestDeliveryTheLedgerRefusesEndsFailed(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	router, err := routing.New(routing.Config{Now: clock.Now})
	require.NoError(t, err)
	long := strings.Repeat("a", 100) // the host's router takes any ID
	require.NoError(t, router.AddAgent(routing.Agent{ID: long, Presence: routing.Available,
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 1}}))
	ledger := &shortKeyLedger{}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Router: router, Ledger: ledger,
		Retry: supportkit.RetryPolicy{First: time.Second, Max: time.Second, Attempts: 3},
		Hooks: supportkit.Hooks{OnOffered: func(context.Context, routing.Offer, ticket.Ticket) error { return nil }}})
	require.NoError(t, err)
	_, err = d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Printer jams", Description: "It jams.",
		Channel: ticket.ChannelEmail, Requester: customer})
	require.NoError(t, err)
	for range 20 {
		d.Tick(ctx)
		clock.set(clock.Now().Add(time.Second))
	}
	var offered []supportkit.Delivery
	for _, dl := range d.Deliveries() {
		if dl.Hook == "OnOffered" {
			offered = append(offered, dl)
		}
	}
	require.Len(t, offered, 1)
	assert.True(t, offered[0].Failed, "failed for good: %+v", offered[0])
	assert.ErrorIs(t, offered[0].Err, ticket.ErrInvalid)
	assert.LessOrEqual(t, ledger.claims.Load(), int64(3))
}

// A key a BatchLedger refuses refuses its whole batch: the deliveries retried with it are
// then claimed one by one, and delivered, instead of failing with it.
func TestRefusedKeyDoesNotHoldBackItsBatch(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	router, err := routing.New(routing.Config{Now: clock.Now, OfferTimeout: time.Hour})
	require.NoError(t, err)
	require.NoError(t, router.AddAgent(routing.Agent{ID: strings.Repeat("a", 100), Presence: routing.Available,
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 1}}))
	breaches := map[string]int{}
	down := true
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Router: router, Ledger: &shortKeyBatchLedger{},
		Policies: calendarPolicies(t), Retry: supportkit.RetryPolicy{First: time.Second, Max: time.Second, Attempts: 3},
		Hooks: supportkit.Hooks{
			OnOffered: func(context.Context, routing.Offer, ticket.Ticket) error { return nil },
			OnBreach: func(_ context.Context, tk ticket.Ticket, _ sla.ClockResult) error {
				if down {
					return assert.AnError
				}
				breaches[tk.ID.String()]++
				return nil
			},
		}})
	require.NoError(t, err)
	for range 2 {
		_, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Printer jams", Description: "It jams.",
			Channel: ticket.ChannelEmail, Requester: customer})
		require.NoError(t, err)
	}
	d.Tick(ctx)
	clock.set(clock.Now().Add(2 * time.Hour))
	d.Tick(ctx) // both breach; their calls fail
	down = false
	for range 6 {
		clock.set(clock.Now().Add(2 * time.Second))
		d.Tick(ctx) // the breaches and the offer are retried together
	}
	assert.Len(t, breaches, 2, "both first-response breaches delivered")
	for id, n := range breaches {
		assert.Equal(t, 1, n, "breach of %s", id)
	}
	left := d.Deliveries()
	require.NotEmpty(t, left)
	for _, dl := range left {
		assert.Equal(t, "OnOffered", dl.Hook, "only offers are left")
		assert.True(t, dl.Failed, "%s failed for good", dl.Key)
	}
}
