package routing_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/routing"
)

// historyAgent speaks English and takes billing chats; it is the one agent present while
// finishTasks runs.
func historyAgent(id string) routing.Agent {
	a := chatAgent(id, map[string]int{"billing": 3})
	a.Languages = []language.Tag{language.English}
	return a
}

// finishTasks runs n tasks with names never seen before (channel, required and preferred
// skills, language) through every way a task leaves the Router: cancelled while queued,
// declined then cancelled, accepted then completed, forced onto agent "a" on a channel it
// does not list then completed.
func finishTasks(t testing.TB, r *routing.Router, clk *clock, n int) {
	for i := range n {
		id := fmt.Sprintf("t%d", i)
		task := routing.Task{ID: id, Channel: routing.Channel(fmt.Sprintf("ch%d", i)),
			Required:  []routing.SkillReq{{Skill: fmt.Sprintf("req%d", i), Level: 1}},
			Preferred: []routing.SkillReq{{Skill: fmt.Sprintf("pref%d", i)}},
			Language:  language.Make(fmt.Sprintf("en-x-h%d", i))}
		switch i % 4 {
		case 1, 2: // an offer the agent can take: billing chat with new preferred skills
			task.Channel, task.Required = routing.ChannelChat, []routing.SkillReq{{Skill: "billing", Level: 1}}
		}
		require.NoError(t, r.Enqueue(task))
		offers := r.Dispatch(clk.t)
		_, err := r.Explain(id, clk.t)
		require.NoError(t, err)
		switch i % 4 {
		case 0:
			require.Empty(t, offers)
		case 1:
			require.Len(t, offers, 1)
			require.NoError(t, r.Decline(id, "a"))
		case 2:
			require.Len(t, offers, 1)
			require.NoError(t, r.Accept(id, "a"))
		case 3:
			require.NoError(t, r.Assign(id, "a", true))
		}
		if i%4 >= 2 {
			_, err = r.Complete(id)
		} else {
			_, err = r.Cancel(id)
		}
		require.NoError(t, err)
	}
}

// TestFinishedTasksLeaveNoNamesBehind: the Router interned every channel and skill name it
// ever saw and kept them after the tasks left, so memory and the cost of adding an agent
// grew with the history. After finished tasks its tables are those of a Router that never
// saw them, and a new agent holds slots only for its own channels.
func TestFinishedTasksLeaveNoNamesBehind(t *testing.T) {
	fresh, _ := setup(t, routing.Config{})
	addAgents(t, fresh, historyAgent("a"))
	r, clk := setup(t, routing.Config{})
	addAgents(t, r, historyAgent("a"))

	finishTasks(t, r, clk, 400)

	want := routing.TableSizes(fresh)
	got := routing.TableSizes(r)
	assert.LessOrEqual(t, got.Speaks, routing.SpeaksCacheLimit, "cached language answers")
	assert.LessOrEqual(t, got.Room, 64, "room left in the tables")
	got.Speaks, want.Speaks, got.Room, want.Room = 0, 0, 0, 0
	assert.Equal(t, want, got)
	addAgents(t, r, historyAgent("b"))
	assert.Equal(t, 1, routing.TableSizes(r).AgentChannelSlots, "channel slots of the new agent")
	require.NoError(t, routing.CheckIndex(r))
}

// TestEmptyRouterForgetsEveryName: once its last agent and task are gone, a Router's name
// tables are empty again.
func TestEmptyRouterForgetsEveryName(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	addAgents(t, r, historyAgent("a"))
	finishTasks(t, r, clk, 50)
	require.NoError(t, r.RemoveAgent("a"))
	got := routing.TableSizes(r)
	assert.LessOrEqual(t, got.Room, 64, "room left in the tables")
	got.Room = 0
	assert.Equal(t, routing.Tables{}, got)
}

// TestTablesShrinkAfterManyLiveNames: with thousands of tasks and agents alive at once,
// each with names of its own, the tables grow; once they are gone, in any order, the
// tables are back to the size of a Router that never saw them, with no more than a
// little spare room (a Go map or slice keeps its room after deletes unless rebuilt).
func TestTablesShrinkAfterManyLiveNames(t *testing.T) {
	fresh, _ := setup(t, routing.Config{})
	addAgents(t, fresh, historyAgent("a"))
	want := routing.TableSizes(fresh)
	r, clk := setup(t, routing.Config{})
	addAgents(t, r, historyAgent("a"))
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 2000
	for i := range n {
		a := chatAgent(fmt.Sprintf("b%d", i), map[string]int{fmt.Sprintf("as%d", i): 1})
		a.Capacity[routing.Channel(fmt.Sprintf("ac%d", i))] = 1
		addAgents(t, r, a)
		require.NoError(t, r.Enqueue(routing.Task{ID: fmt.Sprintf("t%d", i), Channel: routing.Channel(fmt.Sprintf("ch%d", i%700)),
			Required: []routing.SkillReq{{Skill: fmt.Sprintf("s%d", i)}}, Preferred: []routing.SkillReq{{Skill: "billing"}}}))
	}
	require.NoError(t, r.Enqueue(routing.Task{ID: "chat", Channel: routing.ChannelChat}))
	require.Len(t, r.Dispatch(clk.t), 1)
	require.Greater(t, routing.TableSizes(r).Room, 2*n)
	for _, i := range rng.Perm(2 * n) {
		if i < n {
			_, err := r.Cancel(fmt.Sprintf("t%d", i))
			require.NoError(t, err)
		} else {
			require.NoError(t, r.RemoveAgent(fmt.Sprintf("b%d", i-n)))
		}
		if i%97 == 0 {
			require.NoError(t, routing.CheckIndex(r))
		}
	}
	_, err := r.Cancel("chat")
	require.NoError(t, err)
	require.NoError(t, routing.CheckIndex(r))
	got := routing.TableSizes(r)
	assert.LessOrEqual(t, got.Room, 64, "room left in the tables")
	got.Room, want.Room = 0, 0
	assert.Equal(t, want, got)
}

// BenchmarkAddAgentAfterFinishedTasks measures adding an agent and routing one task to it
// on a fresh Router and on one that has finished 100,000 tasks with distinct channel and
// skill names: the two must cost the same. retained-B/op reports the heap the history
// left behind.
func BenchmarkAddAgentAfterFinishedTasks(b *testing.B) {
	for _, n := range []int{0, 100_000} {
		b.Run(fmt.Sprintf("finished=%d", n), func(b *testing.B) {
			before := heapInUse()
			r, clk := setup(b, routing.Config{})
			addAgents(b, r, historyAgent("a"))
			finishTasks(b, r, clk, n)
			retained := heapInUse() - before
			i := 0
			for b.Loop() {
				id := fmt.Sprintf("new%d", i)
				i++
				if err := r.AddAgent(historyAgent(id)); err != nil {
					b.Fatal(err)
				}
				routeOne(b, r, clk, id)
				if err := r.RemoveAgent(id); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(retained), "retained-B")
		})
	}
}

// routeOne takes agent "a" away, routes one billing chat to agent id and completes it.
func routeOne(b *testing.B, r *routing.Router, clk *clock, id string) {
	if err := r.SetPresence("a", routing.Away); err != nil {
		b.Fatal(err)
	}
	if err := r.Enqueue(routing.Task{ID: "task-" + id, Channel: routing.ChannelChat}); err != nil {
		b.Fatal(err)
	}
	offers := r.Dispatch(clk.t)
	if len(offers) != 1 || offers[0].AgentID != id {
		b.Fatalf("offers %v", offers)
	}
	if err := r.Accept(offers[0].TaskID, id); err != nil {
		b.Fatal(err)
	}
	if _, err := r.Complete(offers[0].TaskID); err != nil {
		b.Fatal(err)
	}
	if err := r.SetPresence("a", routing.Available); err != nil {
		b.Fatal(err)
	}
}

func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// TestNamesFollowLiveAgentsAndTasks is the property for tables keyed by caller-chosen
// names: under random operations on agents and tasks whose skill and channel names come
// from a large pool, every name's count of users matches the live agents and tasks after
// each operation (CheckIndex counts them by brute force), and once every task and agent
// is gone the tables are empty.
func TestNamesFollowLiveAgentsAndTasks(t *testing.T) {
	seeds := 60
	if testing.Short() {
		seeds = 15
	}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 11))
		r, clk := setup(t, routing.Config{})
		name := func(prefix string, n int) string { return fmt.Sprintf("%s%d", prefix, rng.IntN(n)) }
		agent := func() routing.Agent {
			a := routing.Agent{ID: name("a", 8), Skills: map[string]int{}, Capacity: map[routing.Channel]int{},
				Presence: routing.Presence(rng.IntN(4))}
			for range rng.IntN(4) {
				a.Skills[name("s", 40)] = rng.IntN(6)
			}
			for range rng.IntN(3) {
				a.Capacity[routing.Channel(name("c", 12))] = rng.IntN(3)
			}
			if rng.IntN(3) == 0 {
				a.Exclusive = []routing.Channel{routing.Channel(name("c", 12))}
			}
			return a
		}
		for op := range 150 {
			task := name("t", 30)
			switch rng.IntN(9) {
			case 0, 1:
				a := agent()
				if r.AddAgent(a) != nil {
					require.NoError(t, r.UpdateAgent(a))
				}
			case 2:
				_ = r.RemoveAgent(name("a", 8))
			case 3, 4:
				tk := routing.Task{ID: task, Channel: routing.Channel(name("c", 12))}
				for i := range rng.IntN(3) {
					tk.Required = append(tk.Required, routing.SkillReq{Skill: fmt.Sprintf("s%d", i*13+rng.IntN(13)), Level: rng.IntN(3)})
				}
				if rng.IntN(2) == 0 {
					tk.Preferred = []routing.SkillReq{{Skill: name("s", 40)}}
				}
				_ = r.Enqueue(tk)
			case 5:
				for _, o := range r.Dispatch(clk.t) {
					if rng.IntN(2) == 0 {
						require.NoError(t, r.AcceptOffer(o))
					} else {
						require.NoError(t, r.DeclineOffer(o))
					}
				}
			case 6:
				if _, err := r.Complete(task); err != nil {
					_, _ = r.Cancel(task)
				}
			case 7:
				_ = r.Assign(task, name("a", 8), true)
			case 8:
				_ = r.SetPresence(name("a", 8), routing.Presence(rng.IntN(4)))
				clk.t = clk.t.Add(time.Duration(rng.IntN(200)) * time.Second)
				r.Expire(clk.t)
			}
			require.NoError(t, routing.CheckIndex(r), "seed %d op %d", seed, op)
		}
		snap := r.Snapshot()
		for _, ts := range snap.Tasks {
			_, err := r.Cancel(ts.Task.ID)
			require.NoError(t, err)
		}
		for _, as := range snap.Agents {
			require.NoError(t, r.RemoveAgent(as.Agent.ID))
		}
		got := routing.TableSizes(r)
		assert.LessOrEqual(t, got.Room, 64, "seed %d: room left in the tables", seed)
		got.Room = 0
		require.Equal(t, routing.Tables{}, got, "seed %d", seed)
	}
}

// TestTasksOnChannelsPastTheSixtyFourthAreOffered: agents keep a bit mask of the channels
// they can take now for the first 64 channel ids and check the others one by one; with
// more channels than that alive, a task on a late channel is offered all the same, and a
// freed id is reused for a new channel.
func TestTasksOnChannelsPastTheSixtyFourthAreOffered(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	for i := range 64 { // channel ids 0-63; "video" gets 64
		require.NoError(t, r.Enqueue(routing.Task{ID: fmt.Sprintf("w%d", i), Channel: routing.Channel(fmt.Sprintf("waiting%d", i))}))
	}
	late := routing.Agent{ID: "late", Presence: routing.Available, Capacity: map[routing.Channel]int{"video": 2}}
	addAgents(t, r, late)
	require.NoError(t, r.Enqueue(routing.Task{ID: "v", Channel: "video"}))
	assert.Equal(t, []string{"v"}, tasksOf(r.Dispatch(clk.t)))
	assert.Equal(t, map[routing.Channel]int{"video": 1}, r.Stats(clk.t).ReadyByChannel)
	require.NoError(t, routing.CheckIndex(r))

	_, err := r.Cancel("w3")
	require.NoError(t, err)
	addAgents(t, r, routing.Agent{ID: "fax", Presence: routing.Available, Capacity: map[routing.Channel]int{"fax": 1}})
	require.NoError(t, r.Enqueue(routing.Task{ID: "f", Channel: "fax"}))
	assert.Equal(t, []string{"f"}, tasksOf(r.Dispatch(clk.t)))
	require.NoError(t, routing.CheckIndex(r))
}

// TestFreedNamesAreReused: the id of a forgotten name goes to the next new name, so the
// tables stay as large as the names alive at once, even when the forgotten names are not
// the last ones interned.
func TestFreedNamesAreReused(t *testing.T) {
	skillAgent := func(i int, skill string) routing.Agent {
		return routing.Agent{ID: fmt.Sprintf("x%d", i), Skills: map[string]int{skill: 1}}
	}
	for name, drop := range map[string][]int{
		"first freed":               {0},
		"first freed, tail cut off": {0, 2, 3, 4, 5, 6, 7, 8, 9},
		"middle freed":              {4},
	} {
		t.Run(name, func(t *testing.T) {
			r, _ := setup(t, routing.Config{})
			for i := range 10 {
				addAgents(t, r, skillAgent(i, fmt.Sprintf("s%d", i)))
			}
			for _, i := range drop {
				require.NoError(t, r.RemoveAgent(fmt.Sprintf("x%d", i)))
			}
			slots := routing.TableSizes(r).SkillSlots
			addAgents(t, r, skillAgent(10, "new"))
			assert.Equal(t, slots, routing.TableSizes(r).SkillSlots, "a freed id is reused")
			assert.Equal(t, 10-len(drop)+1, routing.TableSizes(r).Skills)
			require.NoError(t, routing.CheckIndex(r))
		})
	}
}
