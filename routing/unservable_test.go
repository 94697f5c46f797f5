package routing_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/routing"
)

// stuckOf returns the task IDs and reasons Unservable lists.
func stuckOf(r *routing.Router, now time.Time) map[string]routing.Reason {
	out := map[string]routing.Reason{}
	for _, s := range r.Unservable(now) {
		out[s.TaskID] = s.Reason
	}
	return out
}

// A web ticket waited forever with agents who take only chat and email, and Explain
// blamed "web capacity" of agents who had none.
func TestTaskOnChannelNoAgentTakesIsReportedUntilAnAgentTakesIt(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	addAgents(t, r, chatAgent("x", nil))
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelWebForm}))
	assert.Empty(t, r.Dispatch(clk.t))

	stuck := r.Unservable(clk.t)
	require.Len(t, stuck, 1)
	assert.Equal(t, routing.Stuck{TaskID: "t", Channel: routing.ChannelWebForm, Reason: routing.NoCapacity,
		Text: "no agent could ever take it: no agent has capacity on web at all"}, stuck[0])
	ex, err := r.Explain("t", clk.t)
	require.NoError(t, err)
	assert.Equal(t, routing.NoCapacity, ex.Unservable)
	assert.Equal(t, []string{
		"waiting 0s; matching rules: strict skill match",
		"no agent could ever take it: no agent has capacity on web at all",
		"all requirements together: 1 agent meets them; 1 has no capacity on web at all; none can take it now",
	}, ex.Lines)
	s := r.Stats(clk.t)
	assert.Equal(t, 1, s.Unservable)
	assert.Equal(t, map[routing.Reason]int{routing.NoCapacity: 1}, s.UnservableByReason)

	web := chatAgent("w", nil)
	web.Capacity = map[routing.Channel]int{routing.ChannelWebForm: 2}
	addAgents(t, r, web)
	assert.Empty(t, r.Unservable(clk.t), "an agent with web capacity can take it")
	s = r.Stats(clk.t)
	assert.Equal(t, 0, s.Unservable)
	assert.Empty(t, s.UnservableByReason)
	assert.Equal(t, []string{"w"}, agentsOf(r.Dispatch(clk.t)))
}

// Agents at their capacity now are not the same as agents without the channel: the first
// task waits, it is not reported.
func TestTaskWaitingForFullAgentsIsNotUnservable(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	a := chatAgent("x", nil)
	a.Capacity[routing.ChannelChat] = 1
	addAgents(t, r, a)
	for _, id := range []string{"a", "b"} {
		require.NoError(t, r.Enqueue(routing.Task{ID: id, Channel: routing.ChannelChat}))
	}
	require.Len(t, r.Dispatch(clk.t), 1)
	assert.Empty(t, r.Unservable(clk.t))
	ex, err := r.Explain("b", clk.t)
	require.NoError(t, err)
	assert.Zero(t, ex.Unservable)
	assert.Contains(t, ex.Lines, "all requirements together: 1 agent meets them; 1 is at full chat capacity now; none can take it now")
}

func TestUnservableNamesTheFirstRequirementNoAgentMeets(t *testing.T) {
	en := []language.Tag{language.English}
	agent := func(id string, mod func(*routing.Agent)) routing.Agent {
		a := chatAgent(id, map[string]int{"billing": 3})
		a.Languages, a.Line, a.Teams = en, 1, []string{"it"}
		if mod != nil {
			mod(&a)
		}
		return a
	}
	task := routing.Task{ID: "t", Channel: routing.ChannelChat, Required: []routing.SkillReq{{Skill: "billing", Level: 3}},
		Language: language.English, Line: 1, Teams: []string{"it"}}
	for _, tc := range []struct {
		name  string
		agent routing.Agent
		task  func(*routing.Task)
		want  routing.Reason
		text  string
	}{
		{"servable", agent("x", nil), nil, 0, ""},
		{"capacity 0 on the channel", agent("x", func(a *routing.Agent) { a.Capacity[routing.ChannelChat] = 0 }), nil,
			routing.NoCapacity, "no agent has capacity on chat at all"},
		{"exclusive channel without capacity", agent("x", func(a *routing.Agent) {
			a.Capacity = map[routing.Channel]int{routing.ChannelEmail: 1}
			a.Exclusive = []routing.Channel{routing.ChannelChat}
		}), nil, routing.NoCapacity, "no agent has capacity on chat at all"},
		{"a misspelt channel", agent("x", nil), func(t *routing.Task) { t.Channel = "Chat" }, routing.NoCapacity,
			`no agent has capacity on Chat at all ("Chat" is not one of the ticket channels email, phone, chat, web, social, messenger, api)`},
		{"skill level too low", agent("x", func(a *routing.Agent) { a.Skills["billing"] = 2 }), nil,
			routing.NoSkill, "no agent with chat capacity has billing at level 3 or higher"},
		{"skill missing", agent("x", func(a *routing.Agent) { a.Skills = nil }), func(t *routing.Task) {
			t.Required = append(t.Required, routing.SkillReq{Skill: "sql"})
		}, routing.NoSkill, "no agent with chat capacity has billing at level 3 or higher and sql at any level"},
		{"language", agent("x", func(a *routing.Agent) { a.Languages = []language.Tag{language.Russian} }), nil,
			routing.NoLanguage, "no agent with chat capacity and the skills speaks en"},
		{"no languages at all", agent("x", func(a *routing.Agent) { a.Languages = nil }), nil,
			routing.NoLanguage, "no agent with chat capacity and the skills speaks en"},
		{"line", agent("x", func(a *routing.Agent) { a.Line = 2 }), nil,
			routing.NoLine, "no agent with chat capacity, the skills and the language is in line 1"},
		{"team", agent("x", func(a *routing.Agent) { a.Teams = []string{"hr"} }), func(t *routing.Task) { t.Teams = []string{"it", "fin"} },
			routing.NoTeam, "no agent who meets the other requirements is in team it or fin"},
		{"excluded", agent("x", nil), func(t *routing.Task) { t.Exclude = []string{"x"} },
			routing.AllExcluded, "every agent who could take it has declined it, let an offer time out or is excluded"},
		{"offline", agent("x", func(a *routing.Agent) { a.Presence = routing.Offline }), nil,
			routing.AllOffline, ""},
		{"away is not offline", agent("x", func(a *routing.Agent) { a.Presence = routing.Away }), nil, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, clk := setup(t, routing.Config{})
			addAgents(t, r, tc.agent)
			tk := task
			if tc.task != nil {
				tc.task(&tk)
			}
			require.NoError(t, r.Enqueue(tk))
			ex, err := r.Explain("t", clk.t)
			require.NoError(t, err)
			assert.Equal(t, tc.want, ex.Unservable)
			stuck := r.Unservable(clk.t)
			if tc.want == 0 {
				assert.Empty(t, stuck)
				assert.NotContains(t, ex.String(), "no agent could ever")
				return
			}
			require.Len(t, stuck, 1)
			assert.Equal(t, tc.want, stuck[0].Reason)
			if tc.want == routing.AllOffline {
				assert.Equal(t, "no agent can take it until one signs in: every agent who could is offline", stuck[0].Text)
			} else {
				assert.Equal(t, "no agent could ever take it: "+tc.text, stuck[0].Text)
			}
			assert.Equal(t, stuck[0].Text, ex.Lines[1], "Explain says it second, after the waiting time")
			assert.Equal(t, map[routing.Reason]int{tc.want: 1}, r.Stats(clk.t).UnservableByReason)
		})
	}
}

// "Ever" is judged again when the agents change: giving the one agent the missing skill,
// bringing an offline agent back, or removing the only capable agent.
func TestUnservableIsJudgedAgainWhenAgentsChange(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	task := routing.Task{ID: "t", Channel: routing.ChannelChat, Required: []routing.SkillReq{{Skill: "billing", Level: 3}}}
	require.NoError(t, r.Enqueue(task))
	assert.Equal(t, map[string]routing.Reason{"t": routing.NoCapacity}, stuckOf(r, clk.t), "no agents at all")

	addAgents(t, r, chatAgent("x", map[string]int{"billing": 1}))
	assert.Equal(t, map[string]routing.Reason{"t": routing.NoSkill}, stuckOf(r, clk.t))
	require.NoError(t, r.UpdateAgent(chatAgent("x", map[string]int{"billing": 3})))
	assert.Empty(t, stuckOf(r, clk.t), "the agent learned the skill")

	require.NoError(t, r.SetPresence("x", routing.Offline))
	assert.Equal(t, map[string]routing.Reason{"t": routing.AllOffline}, stuckOf(r, clk.t))
	require.NoError(t, r.SetPresence("x", routing.Busy))
	assert.Empty(t, stuckOf(r, clk.t), "busy agents come back; only offline ones are reported")

	require.NoError(t, r.RemoveAgent("x"))
	assert.Equal(t, map[string]routing.Reason{"t": routing.NoCapacity}, stuckOf(r, clk.t))
}

// Declining a task is remembered: once every capable agent has declined, the task is
// reported.
func TestTaskDeclinedByEveryCapableAgentIsUnservable(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	addAgents(t, r, chatAgent("x", nil), chatAgent("y", nil))
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat}))
	for range 2 {
		offers := r.Dispatch(clk.t)
		require.Len(t, offers, 1)
		assert.Empty(t, stuckOf(r, clk.t))
		require.NoError(t, r.DeclineOffer(offers[0]))
	}
	assert.Equal(t, map[string]routing.Reason{"t": routing.AllExcluded}, stuckOf(r, clk.t))
	addAgents(t, r, chatAgent("z", nil))
	assert.Empty(t, stuckOf(r, clk.t))
}

// A task that a later relaxation step lets an agent take is not reported; once it has
// passed every step that would, it is.
func TestUnservableCountsOnlyTheStepsStillToCome(t *testing.T) {
	r, clk := setup(t, routing.Config{Steps: []routing.Step{{}, {After: time.Minute, LowerLevels: 1}, {After: 2 * time.Minute}}})
	addAgents(t, r, chatAgent("x", map[string]int{"billing": 2}))
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat,
		Required: []routing.SkillReq{{Skill: "billing", Level: 3}}}))
	require.NoError(t, r.SetPresence("x", routing.Away)) // keeps the task waiting through step 1
	assert.Empty(t, stuckOf(r, clk.t), "step 1 lowers the level to 2")
	assert.Empty(t, stuckOf(r, clk.t.Add(time.Minute)))
	assert.Equal(t, map[string]routing.Reason{"t": routing.NoSkill}, stuckOf(r, clk.t.Add(2*time.Minute)),
		"step 2 requires level 3 again, and no later step lowers it")
	ex, err := r.Explain("t", clk.t.Add(2*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, "waiting 2m0s; matching rules: strict skill match, after 2m0s of waiting", ex.Lines[0])
}

// Restore brings the tasks back unjudged; they are judged against the restored agents.
func TestUnservableAfterRestore(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelEmail}))
	assert.Equal(t, map[string]routing.Reason{"t": routing.NoCapacity}, stuckOf(r, clk.t))
	snap := r.Snapshot()
	a := chatAgent("x", nil)
	a.Capacity[routing.ChannelEmail] = 1
	snap.Agents = append(snap.Agents, routing.AgentSnapshot{Agent: a, Seq: 1})
	require.NoError(t, r.Restore(snap))
	assert.Empty(t, stuckOf(r, clk.t))
}

// The oracle judges each task by Dispatch alone: a task is servable when, on a fresh
// Router, one of the agents who is not offline, made available and idle, is offered it at
// the time of the current step or of a later one. The reason is the first requirement, in
// the documented order, that no agent (available and idle) passes at the last step when
// the task carries it and the ones before it.
func TestUnservableAgreesWithDispatchOnFreshRouters(t *testing.T) {
	configs := []routing.Config{{}, {Steps: []routing.Step{{}, {After: time.Minute, LowerLevels: 1},
		{After: 2 * time.Minute, LowerLevels: 2, ExtraLines: 1, AnyTeam: true}}}}
	rng := rand.New(rand.NewPCG(12, 3))
	runs := 1000
	seen := map[routing.Reason]int{}
	for run := range runs {
		cfg := configs[run%2]
		r, clk := setup(t, cfg)
		var agents []routing.Agent
		for i := range rng.IntN(4) {
			a := stuckAgent(rng, fmt.Sprintf("a%d", i))
			agents = append(agents, a)
			addAgents(t, r, a)
		}
		task := stuckTask(rng, agents)
		require.NoError(t, r.Enqueue(task))
		now := clk.t.Add(time.Duration(rng.IntN(4)) * 45 * time.Second)
		got := stuckOf(r, now)["t"]
		want := oracleReason(t, cfg, agents, task, now)
		require.Equal(t, want, got, "run %d: agents %+v task %+v", run, agents, task)
		seen[got]++
	}
	for why := routing.Reason(0); why <= routing.AllOffline; why++ {
		assert.NotZero(t, seen[why], "the runs reach %q: %v", why, seen)
	}
}

func stuckAgent(rng *rand.Rand, id string) routing.Agent {
	a := routing.Agent{ID: id, Skills: map[string]int{}, Line: 1 + rng.IntN(3),
		Capacity: map[routing.Channel]int{}, Presence: []routing.Presence{routing.Available, routing.Away,
			routing.Busy, routing.Offline, routing.Offline}[rng.IntN(5)]}
	for _, s := range []string{"a", "b"} {
		if rng.IntN(3) > 0 {
			a.Skills[s] = rng.IntN(6)
		}
	}
	for _, l := range []language.Tag{language.English, language.Russian} {
		if rng.IntN(3) > 0 {
			a.Languages = append(a.Languages, l)
		}
	}
	for _, tm := range []string{"it", "hr"} {
		if rng.IntN(2) == 0 {
			a.Teams = append(a.Teams, tm)
		}
	}
	for _, ch := range []routing.Channel{routing.ChannelChat, routing.ChannelEmail} {
		if rng.IntN(3) > 0 {
			a.Capacity[ch] = rng.IntN(3)
		}
	}
	if rng.IntN(4) == 0 {
		a.Exclusive = []routing.Channel{routing.ChannelChat}
	}
	return a
}

func stuckTask(rng *rand.Rand, agents []routing.Agent) routing.Task {
	task := routing.Task{ID: "t", QueuedAt: t0,
		Channel: []routing.Channel{routing.ChannelChat, routing.ChannelEmail, routing.ChannelWebForm}[rng.IntN(3)]}
	if task.Channel == routing.ChannelWebForm && rng.IntN(2) == 0 {
		task.Channel = routing.ChannelChat
	}
	for _, s := range []string{"a", "b"} {
		if rng.IntN(2) == 0 {
			task.Required = append(task.Required, routing.SkillReq{Skill: s, Level: rng.IntN(6)})
		}
	}
	task.Language = []language.Tag{language.Und, language.English, language.Russian}[rng.IntN(3)]
	task.Line = rng.IntN(4)
	if rng.IntN(2) == 0 {
		task.Teams = []string{[]string{"it", "hr"}[rng.IntN(2)]}
	}
	for _, a := range agents {
		if rng.IntN(4) == 0 {
			task.Exclude = append(task.Exclude, a.ID)
		}
	}
	return task
}

// oracleReason works out what Unservable should say from Dispatch on fresh Routers.
func oracleReason(t *testing.T, cfg routing.Config, agents []routing.Agent, task routing.Task, now time.Time) routing.Reason {
	// offered reports whether the agent, available and idle, is offered the task at the
	// time of step s.
	if len(cfg.Steps) == 0 {
		cfg.Steps = []routing.Step{{}}
	}
	offered := func(a routing.Agent, task routing.Task, s int) bool {
		r, err := routing.New(cfg)
		require.NoError(t, err)
		a.Presence = routing.Available
		require.NoError(t, r.AddAgent(a))
		require.NoError(t, r.Enqueue(task))
		return len(r.Dispatch(task.QueuedAt.Add(cfg.Steps[s].After))) == 1
	}
	cur := 0
	for i, st := range cfg.Steps {
		if now.Sub(task.QueuedAt) >= st.After {
			cur = i
		}
	}
	for _, a := range agents {
		for s := cur; s < len(cfg.Steps); s++ {
			if a.Presence != routing.Offline && offered(a, task, s) {
				return 0
			}
		}
	}
	last := len(cfg.Steps) - 1
	partial := routing.Task{ID: task.ID, QueuedAt: task.QueuedAt, Channel: task.Channel}
	for _, add := range []struct {
		why routing.Reason
		add func(*routing.Task)
	}{
		{routing.NoCapacity, func(*routing.Task) {}},
		{routing.NoSkill, func(p *routing.Task) { p.Required = task.Required }},
		{routing.NoLanguage, func(p *routing.Task) { p.Language = task.Language }},
		{routing.NoLine, func(p *routing.Task) { p.Line = task.Line }},
		{routing.NoTeam, func(p *routing.Task) { p.Teams = task.Teams }},
		{routing.AllExcluded, func(p *routing.Task) { p.Exclude = task.Exclude }},
	} {
		add.add(&partial)
		passes := false
		for _, a := range agents {
			passes = passes || offered(a, partial, last)
		}
		if !passes {
			return add.why
		}
	}
	return routing.AllOffline
}

// The verdicts Unservable caches agree, after every change, with those of a copy of the
// Router restored from its snapshot, which judges every task afresh.
func TestUnservableCacheAgreesWithAFreshJudgement(t *testing.T) {
	cfg := routing.Config{Steps: []routing.Step{{}, {After: time.Minute, LowerLevels: 1},
		{After: 2 * time.Minute, LowerLevels: 2, ExtraLines: 1, AnyTeam: true}}}
	rng := rand.New(rand.NewPCG(12, 4))
	for run := range 20 {
		r, clk := setup(t, cfg)
		var agents []routing.Agent
		for step := range 150 {
			switch op := rng.IntN(8); {
			case op == 0 || len(agents) == 0:
				a := stuckAgent(rng, fmt.Sprintf("a%d", step))
				agents = append(agents, a)
				addAgents(t, r, a)
			case op == 1:
				a := stuckAgent(rng, agents[rng.IntN(len(agents))].ID)
				require.NoError(t, r.UpdateAgent(a))
			case op == 2:
				p := routing.Presence(rng.IntN(4))
				require.NoError(t, r.SetPresence(agents[rng.IntN(len(agents))].ID, p))
			case op == 3:
				i := rng.IntN(len(agents))
				require.NoError(t, r.RemoveAgent(agents[i].ID))
				agents = append(agents[:i], agents[i+1:]...)
			case op == 4:
				task := stuckTask(rng, agents)
				task.ID, task.QueuedAt = fmt.Sprintf("t%d", step), clk.t
				require.NoError(t, r.Enqueue(task))
			case op == 5:
				for _, o := range r.Dispatch(clk.t) {
					if rng.IntN(2) == 0 {
						require.NoError(t, r.DeclineOffer(o))
					}
				}
			default:
				clk.t = clk.t.Add(time.Duration(rng.IntN(50)) * time.Second)
			}
			fresh, err := routing.New(cfg)
			require.NoError(t, err)
			require.NoError(t, fresh.Restore(r.Snapshot()))
			require.Equal(t, stuckOf(fresh, clk.t), stuckOf(r, clk.t), "run %d step %d", run, step)
		}
	}
}

// The stuck sentence names the skills as the last relaxation step requires them.
func TestUnservableNamesTheSkillsOfTheLastStep(t *testing.T) {
	r, clk := setup(t, routing.Config{Steps: []routing.Step{{RequirePreferred: true}, {After: time.Minute, LowerLevels: 2}}})
	addAgents(t, r, chatAgent("x", map[string]int{"billing": 1}))
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat,
		Required: []routing.SkillReq{{Skill: "billing", Level: 4}}, Preferred: []routing.SkillReq{{Skill: "sql", Level: 2}}}))
	stuck := r.Unservable(clk.t)
	require.Len(t, stuck, 1)
	assert.Equal(t, "no agent could ever take it: no agent with chat capacity has billing at level 2 or higher", stuck[0].Text)
}
