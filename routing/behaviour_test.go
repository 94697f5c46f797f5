package routing_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/routing"
)

func TestRoundRobinIsFairWithinOne(t *testing.T) {
	for _, tc := range []struct {
		name    string
		agents  int
		tasks   int
		offline string // an agent that must be skipped
		full    string // an agent with no chat capacity, skipped too
	}{
		{name: "even", agents: 4, tasks: 40},
		{name: "uneven", agents: 5, tasks: 23},
		{name: "skips offline", agents: 5, tasks: 22, offline: "a2"},
		{name: "skips full", agents: 6, tasks: 31, full: "a4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, clk := setup(t, routing.Config{Strategy: routing.RoundRobin})
			counts := map[string]int{}
			for i := range tc.agents {
				a := chatAgent(fmt.Sprintf("a%d", i), map[string]int{"billing": 3})
				if a.ID == tc.offline {
					a.Presence = routing.Offline
				}
				if a.ID == tc.full {
					a.Capacity[routing.ChannelChat] = 0
				}
				addAgents(t, r, a)
			}
			for i := range tc.tasks {
				id := fmt.Sprintf("t%02d", i)
				require.NoError(t, r.Enqueue(routing.Task{ID: id, Channel: routing.ChannelChat,
					Required: []routing.SkillReq{{Skill: "billing", Level: 2}}}))
				offers := r.Dispatch(clk.t)
				require.Len(t, offers, 1)
				counts[offers[0].AgentID]++
				require.NoError(t, r.Accept(id, offers[0].AgentID))
				_, err := r.Complete(id)
				require.NoError(t, err)
				clk.t = clk.t.Add(time.Second)
			}
			lo, hi := tc.tasks, 0
			for i := range tc.agents {
				id := fmt.Sprintf("a%d", i)
				if id == tc.offline || id == tc.full {
					assert.Zero(t, counts[id], "skipped agent %s got work", id)
					continue
				}
				lo, hi = min(lo, counts[id]), max(hi, counts[id])
			}
			assert.LessOrEqual(t, hi-lo, 1, "counts %v", counts)
		})
	}
}

func TestLongestIdleOrder(t *testing.T) {
	for _, tc := range []struct {
		name string
		idle map[string]time.Duration // agent -> time since last work; -1 never worked
		want []string
	}{
		{name: "never worked first", idle: map[string]time.Duration{"a": time.Minute, "b": -1, "c": 3 * time.Minute},
			want: []string{"b", "c", "a"}},
		{name: "ties go to the smaller ID", idle: map[string]time.Duration{"z": time.Minute, "y": time.Minute, "x": 2 * time.Minute},
			want: []string{"x", "y", "z"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, clk := setup(t, routing.Config{})
			for id, d := range tc.idle {
				a := chatAgent(id, nil)
				a.Capacity[routing.ChannelChat] = 1
				if d >= 0 {
					a.LastWork = t0.Add(-d)
				}
				addAgents(t, r, a)
			}
			for i := range tc.want {
				require.NoError(t, r.Enqueue(routing.Task{ID: fmt.Sprintf("t%d", i), Channel: routing.ChannelChat,
					QueuedAt: t0.Add(time.Duration(i) * time.Second)}))
			}
			clk.t = t0.Add(time.Minute)
			offers := r.Dispatch(clk.t)
			assert.Equal(t, tc.want, agentsOf(offers))
		})
	}
}

func TestRelaxationTiming(t *testing.T) {
	steps := []routing.Step{
		{After: 0, RequirePreferred: true},
		{After: 2 * time.Minute},
		{After: 5 * time.Minute, LowerLevels: 1},
		{After: 10 * time.Minute, LowerLevels: 1, ExtraLines: 1, AnyTeam: true},
	}
	task := routing.Task{ID: "t", Channel: routing.ChannelChat, Line: 1, Teams: []string{"it"},
		Required:  []routing.SkillReq{{Skill: "billing", Level: 3}},
		Preferred: []routing.SkillReq{{Skill: "sql", Level: 2}}}
	for _, tc := range []struct {
		name   string
		agent  routing.Agent
		waited time.Duration
		want   int // step of the offer; -1 no offer
	}{
		{"preferred skills required at first", agent("billing", 3, "sql", 1, 1, "it"), 0, -1},
		{"preferred met at once", agent("billing", 3, "sql", 2, 1, "it"), 0, 0},
		{"just before the drop", agent("billing", 3, "sql", 1, 1, "it"), 2*time.Minute - time.Second, -1},
		{"preferred dropped at 2m", agent("billing", 3, "sql", 1, 1, "it"), 2 * time.Minute, 1},
		{"level 2 waits until 5m", agent("billing", 2, "sql", 0, 1, "it"), 5*time.Minute - time.Second, -1},
		{"level 2 at 5m", agent("billing", 2, "sql", 0, 1, "it"), 5 * time.Minute, 2},
		{"line 2 before 10m", agent("billing", 3, "sql", 3, 2, "it"), 10*time.Minute - time.Second, -1},
		{"line 2 at 10m", agent("billing", 3, "sql", 3, 2, "it"), 10 * time.Minute, 3},
		{"other team at 10m", agent("billing", 3, "sql", 3, 1, "hr"), 10 * time.Minute, 3},
		{"line 3 never", agent("billing", 5, "sql", 5, 3, "it"), time.Hour, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, clk := setup(t, routing.Config{Steps: steps})
			addAgents(t, r, tc.agent)
			tk := task
			tk.QueuedAt = t0
			require.NoError(t, r.Enqueue(tk))
			clk.t = t0.Add(tc.waited)
			offers := r.Dispatch(clk.t)
			if tc.want < 0 {
				assert.Empty(t, offers)
				return
			}
			require.Len(t, offers, 1)
			assert.Equal(t, tc.want, offers[0].Step)
		})
	}
}

func agent(s1 string, l1 int, s2 string, l2 int, line int, team string) routing.Agent {
	a := chatAgent("a", map[string]int{s1: l1, s2: l2})
	a.Line, a.Teams = line, []string{team}
	return a
}

func TestDeclineAndTimeoutRequeueOrder(t *testing.T) {
	for _, tc := range []struct {
		name   string
		giveUp func(r *routing.Router, clk *clock, task, agent string) error
	}{
		{"decline", func(r *routing.Router, _ *clock, task, agent string) error { return r.Decline(task, agent) }},
		{"timeout", func(r *routing.Router, clk *clock, task, agent string) error {
			clk.t = clk.t.Add(30 * time.Second)
			exp := r.Expire(clk.t)
			if len(exp.Offers) != 1 || exp.Offers[0].TaskID != task {
				return fmt.Errorf("expired %v", exp.Offers)
			}
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, clk := setup(t, routing.Config{})
			x := chatAgent("x", nil)
			x.Capacity[routing.ChannelChat] = 1
			addAgents(t, r, x)
			require.NoError(t, r.Enqueue(routing.Task{ID: "old", Channel: routing.ChannelChat, Priority: 1}))
			clk.t = clk.t.Add(time.Second)
			offers := r.Dispatch(clk.t)
			require.Equal(t, []string{"old"}, tasksOf(offers))
			clk.t = clk.t.Add(time.Second)
			require.NoError(t, r.Enqueue(routing.Task{ID: "newer", Channel: routing.ChannelChat, Priority: 1}))
			require.NoError(t, r.Enqueue(routing.Task{ID: "urgent", Channel: routing.ChannelChat, Priority: 2}))
			require.NoError(t, tc.giveUp(r, clk, "old", "x"))
			assert.Equal(t, []string{"urgent", "old", "newer"}, r.Queue())
			info, err := r.Task("old")
			require.NoError(t, err)
			assert.Equal(t, []string{"x"}, info.Task.Exclude)

			y := chatAgent("y", nil)
			y.Capacity[routing.ChannelChat] = 1
			y.LastWork = clk.t // x, idle longer, takes urgent; y, the only other, takes old
			addAgents(t, r, y)
			offers = r.Dispatch(clk.t)
			assert.Equal(t, []routing.Offer{
				{TaskID: "urgent", AgentID: "x", Channel: routing.ChannelChat, OfferedAt: clk.t, ExpiresAt: clk.t.Add(30 * time.Second), No: 2},
				{TaskID: "old", AgentID: "y", Channel: routing.ChannelChat, OfferedAt: clk.t, ExpiresAt: clk.t.Add(30 * time.Second), No: 3},
			}, offers)
		})
	}
}

func TestOfflineGrace(t *testing.T) {
	for _, tc := range []struct {
		name         string
		after        time.Duration
		backOnline   bool
		wantReturned bool
	}{
		{"kept within grace", 2*time.Minute - time.Second, false, false},
		{"returned at grace", 2 * time.Minute, false, true},
		{"kept when back before grace", 3 * time.Minute, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, clk := setup(t, routing.Config{})
			addAgents(t, r, chatAgent("x", nil))
			for _, id := range []string{"accepted", "open"} {
				require.NoError(t, r.Enqueue(routing.Task{ID: id, Channel: routing.ChannelChat}))
			}
			require.Len(t, r.Dispatch(clk.t), 2)
			require.NoError(t, r.Accept("accepted", "x"))
			clk.t = clk.t.Add(time.Second)
			require.NoError(t, r.SetPresence("x", routing.Offline))
			open, err := r.Task("open")
			require.NoError(t, err)
			assert.Equal(t, routing.Queued, open.State, "open offers return at once")
			assert.Empty(t, open.Task.Exclude, "going offline is not a decline")
			if tc.backOnline {
				clk.t = clk.t.Add(time.Minute)
				require.NoError(t, r.SetPresence("x", routing.Available))
			}
			exp := r.Expire(t0.Add(time.Second + tc.after))
			info, err := r.Task("accepted")
			require.NoError(t, err)
			if !tc.wantReturned {
				assert.Empty(t, exp.Reassigned)
				assert.Equal(t, routing.Assigned, info.State)
				return
			}
			assert.Equal(t, []string{"accepted"}, exp.Reassigned)
			assert.Equal(t, routing.Queued, info.State)
			assert.True(t, info.Task.Reassigned)
			ag, err := r.Agent("x")
			require.NoError(t, err)
			assert.Empty(t, ag.Load)
		})
	}
}

func TestPreferredAgentIsWaitedFor(t *testing.T) {
	r, clk := setup(t, routing.Config{PreferredAgentWait: time.Minute})
	busy := chatAgent("prev", nil)
	busy.Presence = routing.Busy
	addAgents(t, r, busy, chatAgent("other", nil))
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat, PreferredAgent: "prev"}))
	assert.Empty(t, r.Dispatch(clk.t.Add(59*time.Second)), "reserved for prev")
	require.NoError(t, r.SetPresence("prev", routing.Available))
	offers := r.Dispatch(clk.t.Add(59 * time.Second))
	assert.Equal(t, []string{"prev"}, agentsOf(offers))
	require.NoError(t, r.Decline("t", "prev"))
	offers = r.Dispatch(clk.t.Add(59 * time.Second))
	assert.Equal(t, []string{"other"}, agentsOf(offers), "a declined preference lapses")
}

func TestPreferredAgentWaitEnds(t *testing.T) {
	r, clk := setup(t, routing.Config{PreferredAgentWait: time.Minute})
	addAgents(t, r, chatAgent("other", nil))
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat, PreferredAgent: "gone"}))
	assert.Empty(t, r.Dispatch(clk.t.Add(59*time.Second)))
	assert.Equal(t, []string{"other"}, agentsOf(r.Dispatch(clk.t.Add(time.Minute))))
}

func TestExclusiveChannelIsHandledAlone(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	a := routing.Agent{ID: "x", Presence: routing.Available, Exclusive: []routing.Channel{routing.ChannelPhone},
		Capacity: map[routing.Channel]int{routing.ChannelChat: 3, routing.ChannelPhone: 1}}
	addAgents(t, r, a)
	require.NoError(t, r.Enqueue(routing.Task{ID: "call", Channel: routing.ChannelPhone, Priority: 1}))
	require.NoError(t, r.Enqueue(routing.Task{ID: "chat", Channel: routing.ChannelChat}))
	assert.Equal(t, []string{"call"}, tasksOf(r.Dispatch(clk.t)), "nothing else while on a call")
	require.NoError(t, r.Accept("call", "x"))
	assert.Empty(t, r.Dispatch(clk.t))
	_, err := r.Complete("call")
	require.NoError(t, err)
	assert.Equal(t, []string{"chat"}, tasksOf(r.Dispatch(clk.t)))
	require.NoError(t, r.Enqueue(routing.Task{ID: "call2", Channel: routing.ChannelPhone}))
	assert.Empty(t, r.Dispatch(clk.t), "no call while chatting")
}

func TestLanguageIsMatchedNotCompared(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	gb := chatAgent("gb", nil)
	gb.Languages = []language.Tag{language.BritishEnglish}
	ru := chatAgent("ru", nil)
	ru.Languages = []language.Tag{language.Russian}
	addAgents(t, r, gb, ru)
	for i, tag := range []string{"en-US", "ru-RU", "de"} {
		require.NoError(t, r.Enqueue(routing.Task{ID: fmt.Sprint(i), Channel: routing.ChannelChat,
			Language: language.MustParse(tag), QueuedAt: t0.Add(time.Duration(i))}))
	}
	offers := r.Dispatch(clk.t)
	assert.Equal(t, []string{"0", "1"}, tasksOf(offers))
	assert.Equal(t, []string{"gb", "ru"}, agentsOf(offers))
}

func TestStrategiesPickTheDocumentedAgent(t *testing.T) {
	for _, tc := range []struct {
		cfg  routing.Config
		want string
		why  string
	}{
		{routing.Config{Strategy: routing.LongestIdle}, "c", "idle longest: last received work at 2026-03-02T08:57:00Z"},
		{routing.Config{Strategy: routing.LeastLoaded}, "b", "had 9 of 10 chat slots free, the largest share"},
		{routing.Config{Strategy: routing.BestSkill}, "a", "highest total level on the required skills: 5"},
		{routing.Config{Strategy: routing.HostScore, Score: func(_ *routing.Task, a *routing.Agent) float64 {
			return float64(len(a.Name))
		}}, "b", "highest host score: 12"},
	} {
		t.Run(tc.cfg.Strategy.String(), func(t *testing.T) {
			r, clk := setup(t, tc.cfg)
			a := chatAgent("a", map[string]int{"billing": 5}) // best skill, busiest
			b := chatAgent("b", map[string]int{"billing": 3}) // largest share of spare capacity
			b.Capacity[routing.ChannelChat], b.Name = 10, "longest name"
			c := chatAgent("c", map[string]int{"billing": 3}) // idle longest
			addAgents(t, r, a, b, c)
			for _, hold := range []struct {
				task, agent string
				ago         time.Duration
			}{{"h1", "a", time.Minute}, {"h2", "a", time.Minute}, {"h3", "b", 2 * time.Minute}, {"h4", "c", 3 * time.Minute}} {
				clk.t = t0.Add(-hold.ago)
				require.NoError(t, r.Enqueue(routing.Task{ID: hold.task, Channel: routing.ChannelChat}))
				require.NoError(t, r.Assign(hold.task, hold.agent, false))
			}
			clk.t = t0
			require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat,
				Required: []routing.SkillReq{{Skill: "billing", Level: 1}}}))
			assert.Equal(t, []string{tc.want}, agentsOf(r.Dispatch(clk.t)))
			ex, err := r.Explain("t", clk.t)
			require.NoError(t, err)
			assert.Equal(t, tc.why, ex.Lines[1])
		})
	}
}

func TestPreferredSkillsRankFirst(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	idle := chatAgent("idle", map[string]int{"billing": 3})
	sql := chatAgent("sql", map[string]int{"billing": 3, "sql": 4})
	sql.LastWork = t0
	addAgents(t, r, idle, sql)
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat,
		Required: []routing.SkillReq{{Skill: "billing", Level: 3}}, Preferred: []routing.SkillReq{{Skill: "sql", Level: 3}}}))
	assert.Equal(t, []string{"sql"}, agentsOf(r.Dispatch(clk.t)))
}

func TestQueueOrder(t *testing.T) {
	tasks := []routing.Task{
		{ID: "low-old", Priority: 0, QueuedAt: t0},
		{ID: "high-late-deadline", Priority: 1, QueuedAt: t0.Add(time.Minute), Deadline: t0.Add(time.Hour)},
		{ID: "high-soon", Priority: 1, QueuedAt: t0.Add(2 * time.Minute), Deadline: t0.Add(10 * time.Minute)},
		{ID: "high-no-deadline", Priority: 1, QueuedAt: t0},
		{ID: "high-b", Priority: 1, QueuedAt: t0.Add(3 * time.Minute), Deadline: t0.Add(10 * time.Minute)},
		{ID: "high-a", Priority: 1, QueuedAt: t0.Add(3 * time.Minute), Deadline: t0.Add(10 * time.Minute)},
	}
	for _, tc := range []struct {
		name string
		cfg  routing.Config
		want []string
	}{
		{"priority, slack, age, id", routing.Config{},
			[]string{"high-soon", "high-a", "high-b", "high-late-deadline", "high-no-deadline", "low-old"}},
		{"weights favour age", routing.Config{Weights: routing.Weights{Age: 1}},
			[]string{"high-no-deadline", "low-old", "high-late-deadline", "high-soon", "high-a", "high-b"}},
		{"host order", routing.Config{Less: func(a, b *routing.Task) bool { return a.ID > b.ID }},
			[]string{"low-old", "high-soon", "high-no-deadline", "high-late-deadline", "high-b", "high-a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := setup(t, tc.cfg)
			for _, tk := range tasks {
				tk.Channel = routing.ChannelEmail
				require.NoError(t, r.Enqueue(tk))
			}
			assert.Equal(t, tc.want, r.Queue())
		})
	}
}

func TestManualAssignmentOverCapacityOnlyWhenForced(t *testing.T) {
	r, _ := setup(t, routing.Config{})
	x := chatAgent("x", nil)
	x.Capacity[routing.ChannelChat] = 1
	addAgents(t, r, x)
	for _, id := range []string{"t1", "t2"} {
		require.NoError(t, r.Enqueue(routing.Task{ID: id, Channel: routing.ChannelChat}))
	}
	require.NoError(t, r.Assign("t1", "x", false))
	require.ErrorIs(t, r.Assign("t2", "x", false), routing.ErrOverCapacity)
	require.NoError(t, r.Assign("t2", "x", true))
	info, err := r.Task("t2")
	require.NoError(t, err)
	assert.True(t, info.Manual)
	assert.True(t, info.Forced)
	assert.Equal(t, routing.ManualStep, info.Step)
	ag, err := r.Agent("x")
	require.NoError(t, err)
	assert.Equal(t, map[routing.Channel]int{routing.ChannelChat: 2}, ag.Load)
	ex, err := r.Explain("t2", t0)
	require.NoError(t, err)
	assert.Contains(t, ex.String(), "by hand, past presence or capacity")
}

func TestReassigningAForcedTaskToItsHolderKeepsItForced(t *testing.T) {
	r, _ := setup(t, routing.Config{})
	x := chatAgent("x", nil)
	x.Capacity[routing.ChannelChat] = 1
	addAgents(t, r, x)
	for _, id := range []string{"t1", "t2"} {
		require.NoError(t, r.Enqueue(routing.Task{ID: id, Channel: routing.ChannelChat}))
	}
	require.NoError(t, r.Assign("t1", "x", false))
	require.NoError(t, r.Assign("t2", "x", true))
	require.NoError(t, r.Assign("t2", "x", false))
	info, err := r.Task("t2")
	require.NoError(t, err)
	assert.True(t, info.Forced, "x is still over capacity")
}

// Dispatch, Expire and Stats have no error to return, and took a zero time as the year 1:
// offers that expired at once in year 1 and never by the clock, a longest wait of minus two
// thousand years. The zero time now reads Config.Now.
func TestZeroTimeIsTheRoutersClock(t *testing.T) {
	r, clk := setup(t, routing.Config{OfferTimeout: 30 * time.Second})
	require.NoError(t, r.Enqueue(routing.Task{ID: "t1", Channel: routing.ChannelChat}))
	clk.t = clk.t.Add(10 * time.Minute)

	s := r.Stats(time.Time{})
	assert.Equal(t, 10*time.Minute, s.LongestWait)
	assert.Equal(t, "t1", s.LongestWaitingTask)
	assert.Len(t, r.Unservable(time.Time{}), 1, "no agent at all")

	addAgents(t, r, chatAgent("ann", nil))
	offers := r.Dispatch(time.Time{})
	require.Len(t, offers, 1)
	assert.Equal(t, clk.t, offers[0].OfferedAt)
	assert.Equal(t, clk.t.Add(30*time.Second), offers[0].ExpiresAt)
	wake, ok := r.NextWake(time.Time{})
	require.True(t, ok)
	assert.Equal(t, offers[0].ExpiresAt, wake)
	_, err := r.Explain("t1", time.Time{})
	require.NoError(t, err)

	assert.Empty(t, r.Expire(time.Time{}).Offers, "the offer is still open by the clock")
	clk.t = clk.t.Add(30 * time.Second)
	exp := r.Expire(time.Time{})
	require.Len(t, exp.Offers, 1)
	assert.Equal(t, "t1", exp.Offers[0].TaskID)
}
