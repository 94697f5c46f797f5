package routing_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/routing"
)

// ledger records what the test did to each task, to prove none is lost or duplicated.
type ledger struct {
	mu        sync.Mutex
	enqueued  map[string]bool
	completed map[string]bool
	cancelled map[string]bool
}

// checkInvariants verifies, from a snapshot, every rule that must hold after any operation.
func checkInvariants(t *testing.T, r *routing.Router, steps []routing.Step, l *ledger) {
	t.Helper()
	require.NoError(t, routing.CheckIndex(r))
	snap := r.Snapshot()
	agents := map[string]routing.Agent{}
	for _, a := range snap.Agents {
		agents[a.Agent.ID] = a.Agent
	}
	type hold struct {
		load   map[routing.Channel]int
		total  int
		forced bool
		excl   bool
	}
	holds := map[string]*hold{}
	live := map[string]bool{}
	for _, ts := range snap.Tasks {
		id := ts.Task.ID
		if live[id] {
			t.Fatalf("task %s appears twice", id)
		}
		live[id] = true
		if ts.State == routing.Queued {
			if ts.AgentID != "" {
				t.Fatalf("queued task %s held by %s", id, ts.AgentID)
			}
			continue
		}
		a, ok := agents[ts.AgentID]
		if !ok {
			t.Fatalf("task %s held by unknown agent %q", id, ts.AgentID)
		}
		h := holds[a.ID]
		if h == nil {
			h = &hold{load: map[routing.Channel]int{}}
			holds[a.ID] = h
		}
		h.load[ts.Task.Channel]++
		h.total++
		h.forced = h.forced || ts.Forced
		h.excl = h.excl || slices.Contains(a.Exclusive, ts.Task.Channel)
		if ts.State == routing.Offered && a.Presence == routing.Offline {
			t.Fatalf("task %s offered to offline agent %s", id, a.ID)
		}
		if ts.Manual {
			continue
		}
		if slices.Contains(ts.Task.Exclude, a.ID) {
			t.Fatalf("task %s held by an excluded agent", id)
		}
		if !meetsAtStep(ts.Task, a, steps[ts.Step]) {
			t.Fatalf("task %s: agent %s misses requirements at step %d", id, a.ID, ts.Step)
		}
	}
	for id, h := range holds {
		a := agents[id]
		for ch, n := range h.load {
			if n > a.Capacity[ch] && !h.forced {
				t.Fatalf("agent %s over %s capacity: %d > %d", id, ch, n, a.Capacity[ch])
			}
		}
		if h.excl && h.total > 1 && !h.forced {
			t.Fatalf("agent %s holds %d tasks with an exclusive one", id, h.total)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for id := range l.enqueued {
		n := 0
		for _, in := range []bool{live[id], l.completed[id], l.cancelled[id]} {
			if in {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("task %s: live=%v completed=%v cancelled=%v", id, live[id], l.completed[id], l.cancelled[id])
		}
	}
	require.Len(t, live, len(l.enqueued)-len(l.completed)-len(l.cancelled))
}

// meetsAtStep checks the task's requirements as relaxed by step st, written independently
// of the Router.
func meetsAtStep(t routing.Task, a routing.Agent, st routing.Step) bool {
	for s, lvl := range required(&t, st) {
		if have, ok := a.Skills[s]; !ok || have < lvl {
			return false
		}
	}
	if t.Line > 0 && (a.Line < t.Line || a.Line > t.Line+st.ExtraLines) {
		return false
	}
	if len(t.Teams) > 0 && !st.AnyTeam && !slices.ContainsFunc(t.Teams, func(tm string) bool { return slices.Contains(a.Teams, tm) }) {
		return false
	}
	return true
}

var knownErrors = []error{routing.ErrNotFound, routing.ErrNotOffered, routing.ErrNotAssigned,
	routing.ErrOfferExpired, routing.ErrOverCapacity, routing.ErrUnavailable}

func requireKnown(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, k := range knownErrors {
		if errors.Is(err, k) {
			return
		}
	}
	t.Fatalf("unexpected error %v", err)
}

// TestInvariantsHoldUnderConcurrentCallers runs a long random workload from several
// goroutines and checks every invariant after each operation.
func TestInvariantsHoldUnderConcurrentCallers(t *testing.T) {
	var now atomic.Int64
	now.Store(t0.UnixNano())
	cfg := routing.Config{Steps: relaxSteps, OfflineGrace: time.Minute,
		Now: func() time.Time { return time.Unix(0, now.Load()).UTC() }}
	r, err := routing.New(cfg)
	require.NoError(t, err)
	const nAgents = 25
	src := newPRNG(99)
	for i := range nAgents {
		require.NoError(t, r.AddAgent(randomAgent(src, fmt.Sprintf("a%d", i))))
	}
	l := &ledger{enqueued: map[string]bool{}, completed: map[string]bool{}, cancelled: map[string]bool{}}
	var gate sync.RWMutex
	workers, ops := 4, 700
	if testing.Short() {
		ops = 300
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for i := range ops {
				var err error
				func() {
					gate.RLock()
					defer gate.RUnlock()
					err = randomOp(r, rng, l, &now, fmt.Sprintf("w%d-%d", w, i), nAgents)
				}()
				requireKnown(t, err)
				func() {
					gate.Lock()
					defer gate.Unlock() // runs even when a check fails and ends the goroutine
					checkInvariants(t, r, relaxSteps, l)
				}()
			}
		}()
	}
	wg.Wait()
}

func randomOp(r *routing.Router, rng *rand.Rand, l *ledger, now *atomic.Int64, id string, nAgents int) error {
	clock := time.Unix(0, now.Load()).UTC()
	pickTask := func() string {
		l.mu.Lock()
		defer l.mu.Unlock()
		for k := range l.enqueued { // map order is random enough here
			if !l.completed[k] && !l.cancelled[k] {
				return k
			}
		}
		return "none"
	}
	agent := fmt.Sprintf("a%d", rng.IntN(nAgents))
	switch rng.IntN(13) {
	case 0, 1, 2:
		task := randomTask(rng, id, clock, nAgents)
		task.QueuedAt = time.Time{}
		l.mu.Lock()
		defer l.mu.Unlock()
		err := r.Enqueue(task)
		if err == nil {
			l.enqueued[id] = true
		}
		return err
	case 3:
		now.Add(int64(rng.IntN(40)) * int64(time.Second))
	case 4:
		r.Dispatch(clock)
	case 5:
		r.Expire(clock)
	case 6:
		return r.SetPresence(agent, routing.Presence(rng.IntN(4)))
	case 7, 8:
		tid := pickTask()
		info, err := r.Task(tid)
		if err != nil {
			return err
		}
		if rng.IntN(3) == 0 {
			return r.Decline(tid, info.AgentID)
		}
		return r.Accept(tid, info.AgentID)
	case 9:
		tid := pickTask()
		l.mu.Lock()
		defer l.mu.Unlock()
		var err error
		if rng.IntN(4) == 0 {
			if _, err = r.Cancel(tid); err == nil {
				l.cancelled[tid] = true
			}
		} else if _, err = r.Complete(tid); err == nil {
			l.completed[tid] = true
		}
		return err
	case 10:
		return r.Assign(pickTask(), agent, rng.IntN(2) == 0)
	case 11:
		if err := r.RemoveAgent(agent); err != nil {
			return err
		}
		return r.AddAgent(randomAgent(rng, agent))
	case 12:
		r.Stats(clock)
		r.NextWake(clock)
		_, err := r.Explain(pickTask(), clock)
		return err
	}
	return nil
}
