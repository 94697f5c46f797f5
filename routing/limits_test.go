package routing_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/routing"
)

func skillsN(n int) map[string]int {
	m := map[string]int{}
	for i := range n {
		m[fmt.Sprintf("s%d", i)] = i % 6
	}
	return m
}

func reqsN(n, from int) []routing.SkillReq {
	out := make([]routing.SkillReq, n)
	for i := range out {
		out[i] = routing.SkillReq{Skill: fmt.Sprintf("s%d", from+i)}
	}
	return out
}

func namesN(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("n%d", i)
	}
	return out
}

func channelsN(n int) map[routing.Channel]int {
	m := map[routing.Channel]int{}
	for i := range n {
		m[routing.Channel(fmt.Sprintf("c%d", i))] = 1
	}
	return m
}

// TestAgentAndTaskSizesAreBounded: every list on an agent or a task multiplies into the
// work of each decision (requirements x profile x candidates), and nothing bounded them.
// At its limit each is accepted; one more is an ErrInvalid error naming the field.
func TestAgentAndTaskSizesAreBounded(t *testing.T) {
	langs := func(n int) []language.Tag {
		out := make([]language.Tag, n)
		for i := range out {
			out[i] = language.Make(fmt.Sprintf("en-x-l%d", i))
		}
		return out
	}
	agents := map[string]func(n int) routing.Agent{
		"Skills":    func(n int) routing.Agent { return routing.Agent{ID: "x", Skills: skillsN(n)} },
		"Languages": func(n int) routing.Agent { return routing.Agent{ID: "x", Languages: langs(n)} },
		"Teams":     func(n int) routing.Agent { return routing.Agent{ID: "x", Teams: namesN(n)} },
		"Capacity":  func(n int) routing.Agent { return routing.Agent{ID: "x", Capacity: channelsN(n)} },
	}
	limits := map[string]int{"Skills": routing.MaxAgentSkills, "Languages": routing.MaxLanguages,
		"Teams": routing.MaxTeams, "Capacity": routing.MaxChannels}
	for field, build := range agents {
		t.Run("agent "+field, func(t *testing.T) {
			r, _ := setup(t, routing.Config{})
			require.NoError(t, r.AddAgent(build(limits[field])))
			err := r.UpdateAgent(build(limits[field] + 1))
			var ve *routing.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, field, ve.Field)
			assert.ErrorIs(t, r.AddAgent(func() routing.Agent { a := build(limits[field] + 1); a.ID = "y"; return a }()), routing.ErrInvalid)
		})
	}
	t.Run("agent channels counted with Exclusive", func(t *testing.T) {
		r, _ := setup(t, routing.Config{})
		a := routing.Agent{ID: "x", Capacity: channelsN(routing.MaxChannels - 1),
			Exclusive: []routing.Channel{"c0", "phone", "phone"}}
		require.NoError(t, r.AddAgent(a), "a channel in both, and one listed twice, count once")
		a.Exclusive = append(a.Exclusive, "video")
		assert.ErrorIs(t, r.UpdateAgent(a), routing.ErrInvalid)
	})
	tasks := map[string]struct {
		at, over routing.Task
	}{
		"Required": {
			at:   routing.Task{Required: reqsN(routing.MaxTaskSkills-2, 0), Preferred: reqsN(2, 100)},
			over: routing.Task{Required: reqsN(routing.MaxTaskSkills-1, 0), Preferred: reqsN(2, 100)}},
		"Teams": {at: routing.Task{Teams: namesN(routing.MaxTeams)}, over: routing.Task{Teams: namesN(routing.MaxTeams + 1)}},
	}
	for field, tc := range tasks {
		t.Run("task "+field, func(t *testing.T) {
			r, _ := setup(t, routing.Config{})
			tc.at.ID, tc.at.Channel = "at", routing.ChannelChat
			tc.over.ID, tc.over.Channel = "over", routing.ChannelChat
			require.NoError(t, r.Enqueue(tc.at))
			err := r.Enqueue(tc.over)
			var ve *routing.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, field, ve.Field)
		})
	}
}

// TestHugeTaskIsRejectedBeforeItsQuadraticCheck: the duplicate-skill check compared every
// pair of requirements, so 200,000 of them took minutes before any error.
func TestHugeTaskIsRejectedBeforeItsQuadraticCheck(t *testing.T) {
	r, _ := setup(t, routing.Config{})
	err := r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat, Required: reqsN(200_000, 0)})
	assert.ErrorIs(t, err, routing.ErrInvalid)
}

// TestEveryDeclineExcludesTheAgentForGood is the property of declined-by sets past the
// length searched in place: with n agents declining one task in turn, each is offered it
// exactly once, and then nobody is.
func TestEveryDeclineExcludesTheAgentForGood(t *testing.T) {
	for _, n := range []int{1, 15, 16, 17, 40} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			r, clk := setup(t, routing.Config{})
			for i := range n {
				addAgents(t, r, chatAgent(fmt.Sprintf("a%02d", i), nil))
			}
			require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat}))
			seen := map[string]bool{}
			for range n {
				offers := r.Dispatch(clk.t)
				require.Len(t, offers, 1)
				require.False(t, seen[offers[0].AgentID], "%s offered the task twice", offers[0].AgentID)
				seen[offers[0].AgentID] = true
				require.NoError(t, r.Decline("t", offers[0].AgentID))
			}
			assert.Empty(t, r.Dispatch(clk.t))
			info, err := r.Task("t")
			require.NoError(t, err)
			assert.Len(t, info.Task.Exclude, n)
			// A restored task with a long exclusion list keeps excluding.
			require.NoError(t, r.Restore(r.Snapshot()))
			assert.Empty(t, r.Dispatch(clk.t))
		})
	}
}

// TestTaskExcludingManyAgentsGoesToTheOthers: an exclusion list given at Enqueue, long or
// short, is honoured, including for the preferred agent.
func TestTaskExcludingManyAgentsGoesToTheOthers(t *testing.T) {
	for _, n := range []int{3, 300} {
		r, clk := setup(t, routing.Config{})
		var exclude []string
		for i := range n {
			exclude = append(exclude, fmt.Sprintf("a%03d", i))
			addAgents(t, r, chatAgent(fmt.Sprintf("a%03d", i), nil))
		}
		addAgents(t, r, chatAgent("free", nil))
		require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat, Exclude: exclude,
			PreferredAgent: "a001"}))
		offers := r.Dispatch(clk.t)
		require.Len(t, offers, 1)
		assert.Equal(t, "free", offers[0].AgentID)
	}
}

// TestSizeLimitsMatchAnIndependentCount is the property for validation of total size:
// for agents and tasks with lists drawn around the limits (with repeated channels), the
// Router accepts exactly those an independent count finds within every limit.
func TestSizeLimitsMatchAnIndependentCount(t *testing.T) {
	r, _ := setup(t, routing.Config{})
	rng := rand.New(rand.NewPCG(8, 9))
	around := func(limit int) int { return max(0, limit-2+rng.IntN(5)) }
	for i := range 300 {
		a := routing.Agent{ID: fmt.Sprintf("a%d", i), Skills: skillsN(around(routing.MaxAgentSkills)),
			Teams: namesN(around(routing.MaxTeams)), Capacity: channelsN(rng.IntN(routing.MaxChannels + 2))}
		for range around(routing.MaxLanguages) {
			a.Languages = append(a.Languages, language.English)
		}
		for range rng.IntN(6) {
			a.Exclusive = append(a.Exclusive, routing.Channel(fmt.Sprintf("c%d", rng.IntN(routing.MaxChannels+3))))
		}
		channels := map[routing.Channel]bool{}
		for ch := range a.Capacity {
			channels[ch] = true
		}
		for _, ch := range a.Exclusive {
			channels[ch] = true
		}
		ok := len(a.Skills) <= routing.MaxAgentSkills && len(a.Teams) <= routing.MaxTeams &&
			len(a.Languages) <= routing.MaxLanguages && len(channels) <= routing.MaxChannels
		err := r.AddAgent(a)
		require.Equal(t, ok, err == nil, "agent %d: %v", i, err)
		if err != nil {
			require.ErrorIs(t, err, routing.ErrInvalid)
		}

		nReq := rng.IntN(routing.MaxTaskSkills + 1)
		task := routing.Task{ID: a.ID, Channel: routing.ChannelChat, Required: reqsN(nReq, 0),
			Preferred: reqsN(around(routing.MaxTaskSkills-nReq), 100), Teams: namesN(around(routing.MaxTeams))}
		ok = len(task.Required)+len(task.Preferred) <= routing.MaxTaskSkills && len(task.Teams) <= routing.MaxTeams
		err = r.Enqueue(task)
		require.Equal(t, ok, err == nil, "task %d: %v", i, err)
	}
}

// TestAgentsWithManySkillsMatchExactly: an agent's skills are searched by halves once
// there are more than 16; Explain counts the agent under a requirement, and Dispatch
// offers it the task, exactly when an independent check finds the skills at their levels.
func TestAgentsWithManySkillsMatchExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for run := range 200 {
		r, clk := setup(t, routing.Config{})
		a := chatAgent("a", map[string]int{})
		for range 17 + rng.IntN(40) {
			a.Skills[fmt.Sprintf("s%d", rng.IntN(100))] = rng.IntN(6)
		}
		addAgents(t, r, a)
		task := routing.Task{ID: "t", Channel: routing.ChannelChat}
		var lines []string
		want := true
		for i := range 1 + rng.IntN(3) {
			q := routing.SkillReq{Skill: fmt.Sprintf("s%d", i*34+rng.IntN(34)), Level: rng.IntN(6)}
			task.Required = append(task.Required, q)
			lvl, ok := a.Skills[q.Skill]
			has := ok && lvl >= q.Level
			want = want && has
			need := fmt.Sprintf("%s at level %d or higher", q.Skill, q.Level)
			if q.Level == 0 {
				need = q.Skill + " at any level"
			}
			line := "needs skill " + need + ": 0 agents have it"
			if has {
				line = "needs skill " + need + ": 1 agent has it"
			}
			lines = append(lines, line)
		}
		require.NoError(t, r.Enqueue(task))
		ex, err := r.Explain("t", clk.t)
		require.NoError(t, err)
		for _, line := range lines {
			assert.Contains(t, ex.Lines, line, "run %d: agent %v", run, a.Skills)
		}
		wantWhy := routing.NoSkill
		if want {
			wantWhy = 0
		}
		assert.Equal(t, wantWhy, ex.Unservable, "run %d: the only agent lacks a skill exactly when the task is unservable", run)
		assert.Equal(t, want, len(r.Dispatch(clk.t)) == 1, "run %d: agent %v task %v", run, a.Skills, task.Required)
	}
}
