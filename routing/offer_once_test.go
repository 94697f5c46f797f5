package routing_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/routing"
)

// TestLateAnswerToWithdrawnOfferDoesNotTakeTheNewOne: an offer withdrawn when its agent
// went offline is made again once the agent is back; Accept, which names only the task
// and agent, took the new offer on a late answer to the old one, after the old one had
// timed out. AcceptOffer and DeclineOffer answer only the offer they name.
func TestLateAnswerToWithdrawnOfferDoesNotTakeTheNewOne(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	addAgents(t, r, chatAgent("a", nil))
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat}))
	old := r.Dispatch(clk.t)
	require.Len(t, old, 1)
	require.NoError(t, r.SetPresence("a", routing.Offline))
	require.NoError(t, r.SetPresence("a", routing.Available))
	clk.t = clk.t.Add(40 * time.Second) // the old offer has timed out
	fresh := r.Dispatch(clk.t)
	require.Len(t, fresh, 1)

	assert.ErrorIs(t, r.AcceptOffer(old[0]), routing.ErrNotOffered)
	assert.ErrorIs(t, r.DeclineOffer(old[0]), routing.ErrNotOffered)
	info, err := r.Task("t")
	require.NoError(t, err)
	assert.Equal(t, routing.Offered, info.State, "the new offer is still open")
	assert.Empty(t, info.Task.Exclude)

	require.NoError(t, r.AcceptOffer(fresh[0]))
	assert.ErrorIs(t, r.AcceptOffer(fresh[0]), routing.ErrNotOffered, "accepted twice")
	assert.ErrorIs(t, r.DeclineOffer(fresh[0]), routing.ErrNotOffered, "declined after accept")
}

func TestAnswerToUnknownOrZeroOffer(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	addAgents(t, r, chatAgent("a", nil))
	assert.ErrorIs(t, r.AcceptOffer(routing.Offer{}), routing.ErrNotFound)
	assert.ErrorIs(t, r.DeclineOffer(routing.Offer{}), routing.ErrNotFound)
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat}))
	o := r.Dispatch(clk.t)[0]
	clk.t = o.ExpiresAt
	assert.ErrorIs(t, r.AcceptOffer(o), routing.ErrOfferExpired)
	o.AgentID = "b"
	assert.ErrorIs(t, r.AcceptOffer(o), routing.ErrNotFound)
}

// offerModel says which offers are open: the latest offer of a task, until it is
// accepted, declined, expired or withdrawn.
type offerModel struct {
	open map[routing.Offer]bool
}

func (m *offerModel) closeTask(id string) {
	for o := range m.open {
		if o.TaskID == id {
			delete(m.open, o)
		}
	}
}

func (m *offerModel) closeAgent(id string) {
	for o := range m.open {
		if o.AgentID == id {
			delete(m.open, o)
		}
	}
}

// TestOfferAnswersFollowTheModel is the property for offer "once" state under random
// interleavings of dispatches, late and repeated answers to any offer ever made, expiry,
// presence flaps, manual assignment, completion and cancellation: an answer succeeds
// exactly when the model says the offer is open (and, for an accept, not yet expired),
// and Expire returns exactly the open offers past their expiry.
func TestOfferAnswersFollowTheModel(t *testing.T) {
	seeds := 200
	if testing.Short() {
		seeds = 40
	}
	for seed := range seeds {
		runOfferModel(t, rand.New(rand.NewPCG(uint64(seed), 5)), 150)
	}
}

func runOfferModel(t *testing.T, rng *rand.Rand, ops int) {
	r, clk := setup(t, routing.Config{OfferTimeout: 20 * time.Second})
	agents := []string{"a", "b", "c"}
	for _, id := range agents {
		addAgents(t, r, chatAgent(id, nil))
	}
	m := &offerModel{open: map[routing.Offer]bool{}}
	var made []routing.Offer
	next := 0
	for op := range ops {
		agent := agents[rng.IntN(len(agents))]
		switch rng.IntN(9) {
		case 0:
			id := fmt.Sprintf("t%d", next)
			next++
			require.NoError(t, r.Enqueue(routing.Task{ID: id, Channel: routing.ChannelChat}))
		case 1:
			for _, o := range r.Dispatch(clk.t) {
				m.open[o] = true
				made = append(made, o)
			}
		case 2:
			clk.t = clk.t.Add(time.Duration(rng.IntN(15)) * time.Second)
		case 3, 4:
			if len(made) == 0 {
				continue
			}
			o := made[rng.IntN(len(made))]
			accept := rng.IntN(2) == 0
			want := m.open[o] && (!accept || clk.t.Before(o.ExpiresAt))
			var err error
			if accept {
				err = r.AcceptOffer(o)
			} else {
				err = r.DeclineOffer(o)
			}
			require.Equal(t, want, err == nil, "op %d: accept=%v %+v: %v", op, accept, o, err)
			if err == nil {
				delete(m.open, o)
			}
		case 5:
			var want []routing.Offer
			for o := range m.open {
				if !clk.t.Before(o.ExpiresAt) {
					want = append(want, o)
					delete(m.open, o)
				}
			}
			slices.SortFunc(want, func(x, y routing.Offer) int { return strings.Compare(x.TaskID, y.TaskID) })
			got := r.Expire(clk.t).Offers
			require.Equal(t, len(want), len(got), "op %d: expired", op)
			if len(want) > 0 {
				require.Equal(t, want, got, "op %d: expired", op)
			}
		case 6:
			p := routing.Presence(rng.IntN(4))
			require.NoError(t, r.SetPresence(agent, p))
			if p == routing.Offline {
				m.closeAgent(agent)
			}
		case 7:
			id := fmt.Sprintf("t%d", rng.IntN(next+1))
			if r.Assign(id, agent, true) == nil {
				m.closeTask(id)
			}
		case 8:
			id := fmt.Sprintf("t%d", rng.IntN(next+1))
			var err error
			if rng.IntN(2) == 0 {
				_, err = r.Complete(id)
			} else {
				_, err = r.Cancel(id)
			}
			if err == nil {
				m.closeTask(id)
			}
		}
	}
	require.NoError(t, routing.CheckIndex(r))
}

// TestRacingAnswersToOneOfferSucceedOnce races an accept, a decline, an expiry and a
// withdrawal of the same offer from separate goroutines: at most one answer wins, and the
// task ends where that answer put it.
func TestRacingAnswersToOneOfferSucceedOnce(t *testing.T) {
	rounds := 300
	if testing.Short() {
		rounds = 60
	}
	r, clk := setup(t, routing.Config{})
	addAgents(t, r, chatAgent("a", nil))
	for i := range rounds {
		id := fmt.Sprintf("t%d", i)
		require.NoError(t, r.Enqueue(routing.Task{ID: id, Channel: routing.ChannelChat}))
		offers := r.Dispatch(clk.t)
		require.Len(t, offers, 1)
		o := offers[0]
		var accepted, declined, expired bool
		var wg sync.WaitGroup
		wg.Add(4)
		go func() { defer wg.Done(); accepted = r.AcceptOffer(o) == nil }()
		go func() { defer wg.Done(); declined = r.DeclineOffer(o) == nil }()
		go func() { defer wg.Done(); expired = len(r.Expire(o.ExpiresAt).Offers) == 1 }()
		go func() { defer wg.Done(); _ = r.SetPresence("a", routing.Offline) }()
		wg.Wait()
		wins := 0
		for _, w := range []bool{accepted, declined, expired} {
			if w {
				wins++
			}
		}
		require.LessOrEqual(t, wins, 1, "round %d: accepted %v declined %v expired %v", i, accepted, declined, expired)
		info, err := r.Task(id)
		require.NoError(t, err)
		switch {
		case accepted:
			require.Equal(t, routing.Assigned, info.State)
		case declined || expired:
			require.Equal(t, []string{"a"}, info.Task.Exclude)
			require.Equal(t, routing.Queued, info.State)
		default: // withdrawn before any answer
			require.Equal(t, routing.Queued, info.State)
			require.Empty(t, info.Task.Exclude)
		}
		_, err = r.Cancel(id)
		require.NoError(t, err)
		require.NoError(t, r.SetPresence("a", routing.Available))
		require.NoError(t, routing.CheckIndex(r))
	}
}
