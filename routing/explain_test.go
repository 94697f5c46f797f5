package routing_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/routing"
)

func TestExplainWaitingTaskCountsWhyAgentsCannotTakeIt(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	for i := range 12 {
		a := chatAgent(fmt.Sprintf("a%02d", i), map[string]int{"billing": 3 + i%3})
		a.Capacity[routing.ChannelChat] = 1
		a.Languages = []language.Tag{language.English}
		if i < 9 {
			a.Presence = routing.Offline
		}
		addAgents(t, r, a)
	}
	addAgents(t, r, chatAgent("junior", map[string]int{"billing": 1}))
	for i := range 3 {
		require.NoError(t, r.Enqueue(routing.Task{ID: fmt.Sprintf("busy%d", i), Channel: routing.ChannelChat}))
		require.NoError(t, r.Assign(fmt.Sprintf("busy%d", i), fmt.Sprintf("a%02d", 9+i), false))
	}
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat, Language: language.AmericanEnglish,
		Required: []routing.SkillReq{{Skill: "billing", Level: 3}}}))
	assert.Empty(t, r.Dispatch(clk.t))
	ex, err := r.Explain("t", clk.t.Add(90*time.Second))
	require.NoError(t, err)
	assert.Equal(t, routing.Queued, ex.State)
	assert.Equal(t, []string{
		"waiting 1m30s; matching rules: strict skill match",
		"needs skill billing at level 3 or higher: 12 agents have it; 9 are offline, 3 are at full chat capacity now",
		"needs language en-US: 12 agents speak it; 9 are offline, 3 are at full chat capacity now",
		"all requirements together: 12 agents meet them; 9 are offline, 3 are at full chat capacity now; none can take it now",
	}, ex.Lines)
}

func TestExplainAssignment(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	a := chatAgent("x", map[string]int{"billing": 3, "sql": 1})
	a.Name = "Xenia"
	addAgents(t, r, a, chatAgent("y", map[string]int{"billing": 4}))
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat,
		Required: []routing.SkillReq{{Skill: "billing", Level: 3}}, Preferred: []routing.SkillReq{{Skill: "sql", Level: 1}}}))
	require.Len(t, r.Dispatch(clk.t), 1)
	require.NoError(t, r.Accept("t", "x"))
	ex, err := r.Explain("t", clk.t)
	require.NoError(t, err)
	assert.Equal(t, "x", ex.AgentID)
	assert.Equal(t, []string{
		"assigned to x (Xenia), chosen by longest idle among 2 agents who could take it (strict skill match)",
		"idle longest: had not received work before",
		"requirements: billing at level 3 or higher",
		"has 1 of 1 preferred skills",
	}, ex.Lines)
	_, err = r.Explain("nope", clk.t)
	assert.ErrorIs(t, err, routing.ErrNotFound)
}

func TestStatsCountQueueAndAgents(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	away := chatAgent("away", nil)
	away.Presence = routing.Away
	addAgents(t, r, chatAgent("x", map[string]int{"billing": 3}), away, routing.Agent{ID: "off", Presence: routing.Offline})
	tasks := []routing.Task{
		{ID: "a", Channel: routing.ChannelEmail, Priority: 1, Required: []routing.SkillReq{{Skill: "billing", Level: 1}}, QueuedAt: t0.Add(-5 * time.Minute)},
		{ID: "b", Channel: routing.ChannelEmail, Priority: 1, Required: []routing.SkillReq{{Skill: "billing", Level: 1}, {Skill: "sql", Level: 1}}},
		{ID: "c", Channel: routing.ChannelChat, Priority: 0},
	}
	for _, tk := range tasks {
		require.NoError(t, r.Enqueue(tk))
	}
	require.Len(t, r.Dispatch(clk.t), 1)
	s := r.Stats(clk.t)
	assert.Equal(t, 2, s.Waiting)
	assert.Equal(t, 1, s.Offered)
	assert.Equal(t, 0, s.Assigned)
	assert.Equal(t, map[int]int{1: 2}, s.WaitingByPriority)
	assert.Equal(t, map[routing.Channel]int{routing.ChannelEmail: 2}, s.WaitingByChannel)
	assert.Equal(t, map[string]int{"billing": 2, "sql": 1}, s.WaitingBySkill)
	assert.Equal(t, 5*time.Minute, s.LongestWait)
	assert.Equal(t, "a", s.LongestWaitingTask)
	assert.Equal(t, map[routing.Presence]int{routing.Available: 1, routing.Away: 1, routing.Offline: 1}, s.AgentsByPresence)
	assert.Equal(t, map[routing.Channel]int{routing.ChannelChat: 1}, s.ReadyByChannel)
}

func TestNextWake(t *testing.T) {
	r, clk := setup(t, routing.Config{Steps: relaxSteps})
	_, ok := r.NextWake(clk.t)
	assert.False(t, ok)
	addAgents(t, r, chatAgent("x", nil))
	require.NoError(t, r.Enqueue(routing.Task{ID: "offered", Channel: routing.ChannelChat}))
	require.Len(t, r.Dispatch(clk.t), 1)
	require.NoError(t, r.Enqueue(routing.Task{ID: "waits", Channel: routing.ChannelEmail, QueuedAt: t0.Add(-50 * time.Second)}))
	wake, ok := r.NextWake(clk.t)
	require.True(t, ok)
	assert.Equal(t, t0.Add(10*time.Second), wake, "the waiting task reaches step 1")
	clk.t = t0.Add(20 * time.Second)
	wake, _ = r.NextWake(clk.t)
	assert.Equal(t, t0.Add(30*time.Second), wake, "the offer expires")
}

func TestRunDeliversOffersUntilCancelled(t *testing.T) {
	r, err := routing.New(routing.Config{TickInterval: time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, r.AddAgent(chatAgent("x", nil)))
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat}))
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var got []routing.Offer
	done := make(chan error)
	go func() {
		done <- r.Run(ctx, func(o routing.Offer) {
			require.NoError(t, r.Accept(o.TaskID, o.AgentID)) // deliver may call back into the Router
			mu.Lock()
			got = append(got, o)
			mu.Unlock()
			cancel()
		})
	}()
	require.True(t, errors.Is(<-done, context.Canceled))
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 1)
	info, err := r.Task("t")
	require.NoError(t, err)
	assert.Equal(t, routing.Assigned, info.State)
}

func TestRemoveAgentReturnsWork(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	addAgents(t, r, chatAgent("x", nil))
	for _, id := range []string{"a", "b"} {
		require.NoError(t, r.Enqueue(routing.Task{ID: id, Channel: routing.ChannelChat}))
	}
	require.Len(t, r.Dispatch(clk.t), 2)
	require.NoError(t, r.Accept("a", "x"))
	require.NoError(t, r.RemoveAgent("x"))
	assert.Equal(t, []string{"a", "b"}, r.Queue())
	info, err := r.Task("a")
	require.NoError(t, err)
	assert.True(t, info.Task.Reassigned)
	require.NoError(t, routing.CheckIndex(r))
}

func TestUpdateAgentReindexesSkills(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	addAgents(t, r, chatAgent("x", map[string]int{"billing": 1}))
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat,
		Required: []routing.SkillReq{{Skill: "billing", Level: 3}}}))
	assert.Empty(t, r.Dispatch(clk.t))
	require.NoError(t, r.UpdateAgent(chatAgent("x", map[string]int{"billing": 3})))
	require.NoError(t, routing.CheckIndex(r))
	assert.Equal(t, []string{"x"}, agentsOf(r.Dispatch(clk.t)))
}

// A support lead reads Explain: plain words for the rules in force, the lines, teams,
// exclusions and a reserved agent, and for the one agent who could take a task.
func TestExplainSpeaksPlainly(t *testing.T) {
	steps := []routing.Step{{RequirePreferred: true}, {After: 5 * time.Minute, LowerLevels: 1, ExtraLines: 1, AnyTeam: true}}
	r, clk := setup(t, routing.Config{Steps: steps})
	x := chatAgent("x", map[string]int{"billing": 2})
	x.Line, x.Name = 2, "Xenia"
	declined := chatAgent("d", map[string]int{"billing": 3})
	addAgents(t, r, x, declined)
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat, Line: 1, Teams: []string{"it"},
		Required: []routing.SkillReq{{Skill: "billing", Level: 3}}, PreferredAgent: "p", Exclude: []string{"d"}}))
	assert.Empty(t, r.Dispatch(clk.t))
	ex, err := r.Explain("t", clk.t.Add(time.Second))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"waiting 1s; matching rules: preferred skills required too",
		"the rules change at 5m0s of waiting",
		"needs skill billing at level 3 or higher: 1 agent has it",
		"needs line 1",
		"needs team it",
		"not offered again to (declined or timed out): d",
		"kept for preferred agent p until 2026-03-02T09:00:30Z",
		"all requirements together: 0 agents meet them; none can take it now",
	}, ex.Lines)
	assert.Zero(t, ex.Unservable, "x can take it from the second step")

	offers := r.Dispatch(clk.t.Add(5 * time.Minute))
	require.Equal(t, []string{"x"}, agentsOf(offers))
	ex, err = r.Explain("t", clk.t.Add(5*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"offered to x (Xenia), the only agent who could take it (skill levels lowered by 1, the next line too, any team, after 5m0s of waiting)",
		"requirements: lines 1 to 2, billing at level 2 or higher",
		"offer expires at 2026-03-02T09:05:30Z",
	}, ex.Lines)
	assert.Equal(t, 1, ex.Step)
}

func TestExplainOfferListsTeamLineAndLanguage(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	a := chatAgent("x", nil)
	a.Teams, a.Languages = []string{"it"}, []language.Tag{language.Russian}
	addAgents(t, r, a)
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat, Line: 1, Teams: []string{"it", "hr"},
		Language: language.Russian, Required: []routing.SkillReq{{Skill: "vpn"}}}))
	require.NoError(t, r.UpdateAgent(routing.Agent{ID: "x", Teams: a.Teams, Languages: a.Languages,
		Skills: map[string]int{"vpn": 0}, Capacity: a.Capacity}))
	require.Len(t, r.Dispatch(clk.t), 1)
	ex, err := r.Explain("t", clk.t)
	require.NoError(t, err)
	assert.Equal(t, "requirements: line 1, team it or hr, vpn at any level, language ru", ex.Lines[1])
}
