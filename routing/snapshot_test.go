package routing_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/routing"
)

// busyRouter builds a Router with queued, offered, assigned and forced tasks and an offline
// agent inside its grace period.
func busyRouter(t *testing.T, cfg routing.Config) (*routing.Router, *clock) {
	r, clk := setup(t, cfg)
	src := newPRNG(7)
	for i := range 12 {
		addAgents(t, r, randomAgent(src, fmt.Sprintf("a%d", i)))
	}
	for i := range 40 {
		require.NoError(t, r.Enqueue(randomTask(src, fmt.Sprintf("t%02d", i), clk.t, 12)))
		if i%5 == 4 {
			clk.t = clk.t.Add(20 * time.Second)
			for j, o := range r.Dispatch(clk.t) {
				if j%2 == 0 {
					require.NoError(t, r.Accept(o.TaskID, o.AgentID))
				}
			}
		}
	}
	require.NoError(t, r.Assign("t39", "a0", true))
	for _, id := range []string{"a1", "a2", "a3"} {
		require.NoError(t, r.SetPresence(id, routing.Offline))
	}
	return r, clk
}

func TestSnapshotRestoreKeepsEveryTask(t *testing.T) {
	cfg := routing.Config{Steps: relaxSteps, Strategy: routing.RoundRobin}
	r, clk := busyRouter(t, cfg)
	snap := r.Snapshot()
	data, err := json.Marshal(snap)
	require.NoError(t, err)
	var decoded routing.Snapshot
	require.NoError(t, json.Unmarshal(data, &decoded))

	restored, _ := setup(t, cfg)
	require.NoError(t, restored.Restore(decoded))
	require.NoError(t, routing.CheckIndex(restored))
	again, err := json.Marshal(restored.Snapshot())
	require.NoError(t, err)
	assert.JSONEq(t, string(data), string(again))

	states := map[routing.State]int{}
	for _, ts := range decoded.Tasks {
		states[ts.State]++
	}
	assert.Len(t, decoded.Tasks, 40, "every live task is in the snapshot")
	assert.Positive(t, states[routing.Queued])
	assert.Positive(t, states[routing.Assigned])

	// Both routers now behave the same.
	for range 8 {
		clk.t = clk.t.Add(40 * time.Second)
		assert.Equal(t, r.Expire(clk.t), restored.Expire(clk.t))
		assert.Equal(t, r.Dispatch(clk.t), restored.Dispatch(clk.t))
	}
}

func TestRestoreFailureLeavesStateUnchanged(t *testing.T) {
	r, _ := busyRouter(t, routing.Config{})
	before := r.Snapshot()
	bad := r.Snapshot()
	bad.Agents[3].Agent.Skills = map[string]int{"sql": 9}
	err := r.Restore(bad)
	assert.ErrorIs(t, err, routing.ErrInvalid)
	assert.Equal(t, before, r.Snapshot())
}

// FuzzRestore feeds arbitrary JSON to Restore: it must never panic, and either succeed with
// consistent indexes or fail leaving the Router unchanged.
func FuzzRestore(f *testing.F) {
	r, err := routing.New(routing.Config{Now: func() time.Time { return t0 }})
	if err != nil {
		f.Fatal(err)
	}
	require.NoError(f, r.AddAgent(chatAgent("x", map[string]int{"sql": 2})))
	require.NoError(f, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat}))
	r.Dispatch(t0)
	good, err := json.Marshal(r.Snapshot())
	require.NoError(f, err)
	f.Add(good)
	f.Add([]byte(`{"version":1,"agents":[{"agent":{"ID":"a","Capacity":{"chat":-1}},"seq":1}]}`))
	f.Add([]byte(`{"version":1,"tasks":[{"task":{"ID":"t","Channel":"chat"},"state":"offered","agent_id":"a"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s routing.Snapshot
		if json.Unmarshal(data, &s) != nil {
			return
		}
		r, err := routing.New(routing.Config{Now: func() time.Time { return t0 }})
		require.NoError(t, err)
		require.NoError(t, r.AddAgent(chatAgent("keep", nil)))
		before := r.Snapshot()
		if err := r.Restore(s); err != nil {
			require.Equal(t, before, r.Snapshot())
			return
		}
		require.NoError(t, routing.CheckIndex(r))
		r.Dispatch(t0)
		r.Expire(t0.Add(time.Hour))
		require.NoError(t, routing.CheckIndex(r))
	})
}

// TestRestoreOrdersTheQueueWhateverTheSnapshotOrder: Restore inserted queued tasks one by
// one, a pass over the queue each when the snapshot lists them out of order; it now
// sorts them once. The queue is the same whatever order the snapshot lists its tasks in.
func TestRestoreOrdersTheQueueWhateverTheSnapshotOrder(t *testing.T) {
	for _, cfg := range []routing.Config{{}, {Weights: routing.Weights{Priority: 600, Age: 1}},
		{Less: func(a, b *routing.Task) bool { return a.ID > b.ID }}} {
		r, clk := setup(t, cfg)
		rng := rand.New(rand.NewPCG(3, 4))
		for i := range 500 {
			require.NoError(t, r.Enqueue(routing.Task{ID: fmt.Sprintf("t%03d", i), Channel: routing.ChannelChat,
				Priority: rng.IntN(3), QueuedAt: clk.t.Add(time.Duration(rng.IntN(100)) * time.Second)}))
		}
		want := r.Queue()
		snap := r.Snapshot()
		rng.Shuffle(len(snap.Tasks), func(i, j int) { snap.Tasks[i], snap.Tasks[j] = snap.Tasks[j], snap.Tasks[i] })
		require.NoError(t, r.Restore(snap))
		assert.Equal(t, want, r.Queue())
		require.NoError(t, routing.CheckIndex(r))
	}
}
