package supportkit_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// TestTwoDesksSharingALedgerNeverDeliverTwice: two Desks over one store and one ledger,
// each following the other's writes through the feed, with writes, clock checks and feed
// reads racing on both. Every occurrence is delivered once, by one of them.
func TestTwoDesksSharingALedgerNeverDeliverTwice(t *testing.T) {
	twoDesksDeliverOnce(t, supportkit.NewMemoryLedger())
}

// The same with a BatchLedger: each Desk claims and records the warnings of a CheckClocks
// together.
func TestTwoDesksSharingABatchLedgerNeverDeliverTwice(t *testing.T) {
	ledger := &batchLedger{}
	twoDesksDeliverOnce(t, ledger)
	_, _, claimBatches, _ := ledger.calls()
	assert.NotEmpty(t, claimBatches, "the batches were used")
}

func twoDesksDeliverOnce(t *testing.T, ledger supportkit.Ledger) {
	ctx := context.Background()
	store := ticket.NewMemoryStore()
	clock := &fakeClock{now: start}
	policies := oddPolicies(t)
	var mu sync.Mutex
	calls := map[string]int{}
	add := func(key string) { mu.Lock(); calls[key]++; mu.Unlock() }
	desk := func(name string) *supportkit.Desk {
		d, err := supportkit.New(supportkit.Config{Store: store, Feed: store, Ledger: ledger, Instance: name,
			Now: clock.Now, Policies: policies, Hooks: supportkit.Hooks{
				OnBreachWarning: func(_ context.Context, tk ticket.Ticket, c sla.ClockResult, w sla.WarningHit) error {
					add(fmt.Sprintf("warning %s %s %d %d", tk.ID, c.Metric, c.Cycles, w.Index))
					return nil
				},
				OnBreach: func(_ context.Context, tk ticket.Ticket, c sla.ClockResult) error {
					add(fmt.Sprintf("breach %s %s %d", tk.ID, c.Metric, c.Cycles))
					return nil
				},
				OnSolved: func(_ context.Context, tk ticket.Ticket) error { add(fmt.Sprintf("solved %s", tk.ID)); return nil },
			}})
		require.NoError(t, err)
		return d
	}
	desks := []*supportkit.Desk{desk("a"), desk("b")}
	var idMu sync.Mutex
	var ids []uuid.UUID
	rounds := 120
	if testing.Short() {
		rounds = 40
	}
	for round := range rounds {
		clock.set(start.Add(time.Duration(round) * time.Minute))
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(round), uint64(w)))
				d := desks[r.IntN(2)]
				switch {
				case round < rounds/2 && r.IntN(2) == 0:
					tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Assignee: agent.ID})
					require.NoError(t, err)
					idMu.Lock()
					ids = append(ids, tk.ID)
					idMu.Unlock()
				default:
					idMu.Lock()
					if len(ids) == 0 {
						idMu.Unlock()
						return
					}
					id := ids[r.IntN(len(ids))]
					idMu.Unlock()
					if r.IntN(3) == 0 {
						_, _ = d.Tickets().Solve(ctx, agent, id) // refused when solved already
					} else {
						_, err := d.Tickets().Comment(ctx, agent, id, ticket.NewComment{Body: "on it", Public: r.IntN(2) == 0})
						require.NoError(t, err)
					}
				}
			})
		}
		for _, d := range desks {
			wg.Go(func() {
				assert.NoError(t, d.Follow(ctx))
				assert.NoError(t, d.CheckClocks(ctx, clock.Now()))
			})
		}
		wg.Wait()
	}
	end := start.Add(time.Duration(rounds)*time.Minute + 4*time.Hour)
	clock.set(end)
	for _, d := range desks {
		require.NoError(t, d.Follow(ctx))
		require.NoError(t, d.CheckClocks(ctx, end))
	}

	want := map[string]int{}
	for _, id := range ids {
		events, err := store.Events(ctx, id, 0)
		require.NoError(t, err)
		for _, e := range events {
			if e.Kind == ticket.EventStatusChanged && e.ToStatus == ticket.StatusSolved {
				want[fmt.Sprintf("solved %s", id)] = 1
			}
		}
		for o := range expectedPoints(t, policies, id, events, end) {
			if o.index < 0 {
				want[fmt.Sprintf("breach %s %s %d", id, o.metric, o.cycle)] = 1
			} else {
				want[fmt.Sprintf("warning %s %s %d %d", id, o.metric, o.cycle, o.index)] = 1
			}
		}
	}
	require.NotEmpty(t, want)
	assert.Equal(t, want, calls, "each occurrence delivered exactly once over both Desks")
}
