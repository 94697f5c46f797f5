package routing_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/routing"
)

// Offers were named by task, agent and time only, so when a withdrawn offer was made again
// at the same instant (a host dispatching on a coarse clock), a late answer to the old offer
// took the new one. Each offer now has its own number.
func TestLateAnswerToAnOfferRemadeAtTheSameInstantIsRefused(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, answer := range []struct {
		name string
		do   func(r *routing.Router, o routing.Offer) error
	}{
		{"accept", (*routing.Router).AcceptOffer},
		{"decline", (*routing.Router).DeclineOffer},
	} {
		t.Run(answer.name, func(t *testing.T) {
			r, err := routing.New(routing.Config{Now: func() time.Time { return t0 }})
			require.NoError(t, err)
			require.NoError(t, r.AddAgent(routing.Agent{ID: "a", Capacity: map[routing.Channel]int{routing.ChannelEmail: 1}}))
			require.NoError(t, r.Enqueue(routing.Task{ID: "t1", Channel: routing.ChannelEmail}))
			old := r.Dispatch(t0)
			require.Len(t, old, 1)
			require.NoError(t, r.SetPresence("a", routing.Offline)) // withdraws the offer
			require.NoError(t, r.SetPresence("a", routing.Available))
			again := r.Dispatch(t0)
			require.Len(t, again, 1)
			assert.NotEqual(t, old[0].No, again[0].No)

			assert.ErrorIs(t, answer.do(r, old[0]), routing.ErrNotOffered)
			info, err := r.Task("t1")
			require.NoError(t, err)
			assert.Equal(t, routing.Offered, info.State, "the new offer stands")
			require.NoError(t, answer.do(r, again[0]))
		})
	}
}

// An offer made before a Snapshot can be answered after Restore, and offers made after it
// get numbers of their own.
func TestOfferNumbersSurviveSnapshotAndRestore(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r, err := routing.New(routing.Config{Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	require.NoError(t, r.AddAgent(routing.Agent{ID: "a", Capacity: map[routing.Channel]int{routing.ChannelEmail: 2}}))
	require.NoError(t, r.Enqueue(routing.Task{ID: "t1", Channel: routing.ChannelEmail}))
	first := r.Dispatch(t0)
	require.Len(t, first, 1)

	restored, err := routing.New(routing.Config{Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	require.NoError(t, restored.Restore(r.Snapshot()))
	require.NoError(t, restored.Enqueue(routing.Task{ID: "t2", Channel: routing.ChannelEmail}))
	second := restored.Dispatch(t0)
	require.Len(t, second, 1)
	assert.Greater(t, second[0].No, first[0].No)
	require.NoError(t, restored.AcceptOffer(first[0]))
	require.NoError(t, restored.AcceptOffer(second[0]))
}
