package routing_test

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/routing"
)

// taskView is what the oracle compares for each live task.
type taskView struct {
	State      routing.State
	AgentID    string
	Step       int
	Reassigned bool
	Exclude    []string
	Forced     bool
	Candidates int
}

func (r *refRouter) view() map[string]taskView {
	out := map[string]taskView{}
	for id, t := range r.tasks {
		v := taskView{State: t.state, Reassigned: t.Reassigned, Exclude: slices.Clone(t.Exclude)}
		if t.agent != nil {
			v.AgentID, v.Step, v.Forced, v.Candidates = t.agent.ID, t.step, t.forced, t.candidates
		}
		sort.Strings(v.Exclude)
		out[id] = v
	}
	return out
}

// routerView reads every live task of the Router as Task would return it.
func routerView(r *routing.Router) map[string]taskView {
	out := map[string]taskView{}
	routing.EachTask(r, func(t routing.TaskInfo) {
		v := taskView{State: t.State, Reassigned: t.Task.Reassigned, Exclude: t.Task.Exclude}
		if t.AgentID != "" {
			v.AgentID, v.Step, v.Forced, v.Candidates = t.AgentID, t.Step, t.Forced, t.Candidates
		}
		sort.Strings(v.Exclude)
		out[t.Task.ID] = v
	})
	return out
}

func (v taskView) equal(w taskView) bool {
	return v.State == w.State && v.AgentID == w.AgentID && v.Step == w.Step && v.Reassigned == w.Reassigned &&
		v.Forced == w.Forced && v.Candidates == w.Candidates && slices.Equal(v.Exclude, w.Exclude)
}

func sameOffer(a, b routing.Offer) bool {
	return a.TaskID == b.TaskID && a.AgentID == b.AgentID && a.Channel == b.Channel && a.Step == b.Step &&
		a.OfferedAt.Equal(b.OfferedAt) && a.ExpiresAt.Equal(b.ExpiresAt)
}

// requireSameTasks compares the views, printing the difference only when they differ.
func requireSameTasks(t testing.TB, want, got map[string]taskView, msgAndArgs ...any) {
	t.Helper()
	if !maps.EqualFunc(want, got, taskView.equal) {
		require.Equal(t, want, got, msgAndArgs...)
	}
}

// pick returns a random task ID in the given state (any live task when state is 0).
func (r *refRouter) pick(src source, state routing.State) string {
	var ids []string
	for id, t := range r.tasks {
		if state == 0 || t.state == state {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return "none"
	}
	sort.Strings(ids)
	return ids[src.IntN(len(ids))]
}

func (r *refRouter) holder(id string) string {
	if t := r.tasks[id]; t != nil && t.agent != nil {
		return t.agent.ID
	}
	return "a0"
}

// runScenario drives the Router and the reference with the same random operations and
// fails at the first difference in an offer, an error or a task's state.
func runScenario(t testing.TB, src source, ops int) {
	cfg := scenarioConfig(src)
	clk := &clock{t: t0}
	cfg.Now = clk.Now
	r, err := routing.New(cfg)
	require.NoError(t, err)
	ref := newRef(cfg)
	nAgents := 2 + src.IntN(10)
	for i := range nAgents {
		a := randomAgent(src, fmt.Sprintf("a%d", i))
		require.NoError(t, r.AddAgent(a))
		ref.addAgent(a, clk.t)
	}
	next := 0
	for op := range ops {
		var what string
		switch src.IntN(13) {
		case 0, 1, 2:
			task := randomTask(src, fmt.Sprintf("t%03d", next), clk.t, nAgents)
			next++
			what = "enqueue " + task.ID
			require.NoError(t, r.Enqueue(task))
			ref.enqueue(task, clk.t)
		case 3:
			clk.t = clk.t.Add(time.Duration(src.IntN(91)) * time.Second)
			what = "advance"
		case 4, 5:
			what = "dispatch"
			want := ref.dispatch(clk.t)
			got := r.Dispatch(clk.t)
			if !slices.EqualFunc(want, got, sameOffer) {
				require.Equal(t, want, got, "op %d: dispatch", op)
			}
		case 6:
			id := fmt.Sprintf("a%d", src.IntN(nAgents))
			p := routing.Presence(src.IntN(4))
			what = fmt.Sprintf("presence %s %s", id, p)
			require.NoError(t, r.SetPresence(id, p))
			ref.setPresence(id, p, clk.t)
		case 7:
			id := ref.pick(src, routing.Offered)
			agent := ref.holder(id)
			if src.IntN(5) == 0 {
				agent = fmt.Sprintf("a%d", src.IntN(nAgents))
			}
			what = "accept " + id + " by " + agent
			ok := ref.accept(id, agent, clk.t)
			require.Equal(t, ok, r.Accept(id, agent) == nil, "op %d: %s", op, what)
		case 8:
			id := ref.pick(src, routing.Offered)
			agent := ref.holder(id)
			what = "decline " + id
			ok := ref.decline(id, agent)
			require.Equal(t, ok, r.Decline(id, agent) == nil, "op %d: %s", op, what)
		case 9:
			what = "expire"
			exp, re := ref.expire(clk.t)
			got := r.Expire(clk.t)
			var gotIDs []string
			for _, o := range got.Offers {
				gotIDs = append(gotIDs, o.TaskID)
			}
			require.Equal(t, exp, gotIDs, "op %d: expired offers", op)
			require.Equal(t, re, got.Reassigned, "op %d: reassigned", op)
		case 10:
			id := ref.pick(src, routing.State(src.IntN(4)))
			what = "complete " + id
			ok := ref.complete(id)
			_, err := r.Complete(id)
			require.Equal(t, ok, err == nil, "op %d: %s", op, what)
		case 11:
			id := ref.pick(src, 0)
			if src.IntN(3) == 0 {
				what = "cancel " + id
				ok := ref.cancel(id)
				_, err := r.Cancel(id)
				require.Equal(t, ok, err == nil, "op %d: %s", op, what)
				break
			}
			agent := fmt.Sprintf("a%d", src.IntN(nAgents))
			force := src.IntN(2) == 0
			what = fmt.Sprintf("assign %s to %s force=%v", id, agent, force)
			ok := ref.assign(id, agent, force, clk.t)
			require.Equal(t, ok, r.Assign(id, agent, force) == nil, "op %d: %s", op, what)
		case 12:
			id := fmt.Sprintf("a%d", src.IntN(nAgents))
			a := randomAgent(src, id)
			if src.IntN(2) == 0 {
				what = "update " + id
				require.NoError(t, r.UpdateAgent(a))
				ref.updateAgent(a)
				break
			}
			what = "replace " + id
			require.NoError(t, r.RemoveAgent(id))
			ref.removeAgent(id)
			require.NoError(t, r.AddAgent(a))
			ref.addAgent(a, clk.t)
		}
		if op%4 == 3 || op == ops-1 {
			requireSameTasks(t, ref.view(), routerView(r), "op %d: state after %s", op, what)
			require.NoError(t, routing.CheckIndex(r), "op %d: index after %s", op, what)
		}
	}
}

// TestRouterMatchesNaiveReference runs thousands of random scenarios (agents, skills,
// languages, presence changes, arrivals, declines, timeouts, manual assignments) through the
// Router and the naive reference and requires the same decisions.
func TestRouterMatchesNaiveReference(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 300
	}
	for i := range n {
		src := newPRNG(i)
		ok := t.Run(fmt.Sprintf("seed%d", i), func(t *testing.T) { runScenario(t, src, 120) })
		if !ok {
			return
		}
	}
}

// FuzzRouterMatchesNaiveReference lets the fuzzer choose the operations.
func FuzzRouterMatchesNaiveReference(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add([]byte("offers, declines and timeouts: a routing scenario from plain bytes"))
	f.Add(make([]byte, 64))
	f.Fuzz(func(t *testing.T, b []byte) {
		runScenario(t, &byteSource{b: b}, len(b))
	})
}
