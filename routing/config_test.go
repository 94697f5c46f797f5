package routing_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/routing"
)

// TestNewRejectsWeightsThatAreNotNumbers: New accepted NaN and infinite weights, and the
// queue then served in insertion order.
func TestNewRejectsWeightsThatAreNotNumbers(t *testing.T) {
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		for _, field := range []string{"Priority", "Slack", "Age"} {
			w := routing.Weights{Priority: 1}
			switch field {
			case "Priority":
				w.Priority = v
			case "Slack":
				w.Slack = v
			case "Age":
				w.Age = v
			}
			t.Run(fmt.Sprintf("%s=%v", field, v), func(t *testing.T) {
				r, err := routing.New(routing.Config{Weights: w})
				assert.Nil(t, r)
				require.ErrorIs(t, err, routing.ErrInvalid)
				var ve *routing.ValidationError
				require.True(t, errors.As(err, &ve))
				assert.Equal(t, "Weights."+field, ve.Field)
			})
		}
	}
}

func TestNewRejectsOtherBadSettings(t *testing.T) {
	for name, cfg := range map[string]routing.Config{
		"negative NoDeadline":         {Weights: routing.Weights{Age: 1, NoDeadline: -time.Hour}},
		"unknown language confidence": {LanguageConfidence: language.Exact + 1},
		// Below language.No every agent would speak every language.
		"negative language confidence": {LanguageConfidence: language.No - 1},
		"too many steps":               {Steps: manySteps(routing.MaxSteps + 1)},
		"negative tick interval":       {TickInterval: -time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := routing.New(cfg)
			var ve *routing.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.ErrorIs(t, err, routing.ErrInvalid)
		})
	}
	_, err := routing.New(routing.Config{Steps: manySteps(routing.MaxSteps)})
	assert.NoError(t, err, "MaxSteps steps")
}

func manySteps(n int) []routing.Step {
	steps := make([]routing.Step, n)
	for i := range steps {
		steps[i].After = time.Duration(i) * time.Minute
	}
	return steps
}

// extremeWeights are finite weights whose products with times and priorities overflow.
var extremeWeights = []float64{0, 1, -1, 600, 1e-300, 1e300, -1e300, math.MaxFloat64, -math.MaxFloat64,
	math.SmallestNonzeroFloat64}

// TestWeightedQueueOrderDoesNotDependOnArrival is the property that a score that can
// overflow into NaN breaks: for any finite weights and any tasks, the queue order is a
// total order of the tasks, the same whatever order they arrived in.
func TestWeightedQueueOrderDoesNotDependOnArrival(t *testing.T) {
	seeds := 300
	if testing.Short() {
		seeds = 60
	}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 14))
		pick := func() float64 { return extremeWeights[rng.IntN(len(extremeWeights))] }
		w := routing.Weights{Priority: pick(), Slack: pick(), Age: pick()}
		tasks := weightedTasks(rng)
		var queues [2][]string
		for i := range queues {
			r, err := routing.New(routing.Config{Weights: w})
			require.NoError(t, err)
			for _, k := range rng.Perm(len(tasks)) {
				require.NoError(t, r.Enqueue(tasks[k]))
			}
			require.NoError(t, routing.CheckIndex(r), "seed %d weights %+v", seed, w)
			queues[i] = r.Queue()
		}
		require.Equal(t, queues[0], queues[1], "seed %d weights %+v", seed, w)
	}
}

// weightedTasks returns tasks with priorities, deadlines and queue times from the
// ordinary to the extreme (year 1 to year 9999, priorities near the int limits).
func weightedTasks(rng *rand.Rand) []routing.Task {
	times := []time.Time{t0, t0.Add(time.Minute), t0.Add(-time.Hour), time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), t0.Add(time.Nanosecond)}
	prios := []int{0, 1, 2, -5, math.MaxInt64, math.MinInt64}
	tasks := make([]routing.Task, 12)
	for i := range tasks {
		tasks[i] = routing.Task{ID: fmt.Sprintf("t%02d", i), Channel: routing.ChannelChat,
			Priority: prios[rng.IntN(len(prios))], QueuedAt: times[rng.IntN(len(times))]}
		if rng.IntN(2) == 0 {
			tasks[i].Deadline = times[rng.IntN(len(times))]
		}
	}
	return tasks
}

// TestWeightedOrderFollowsTheScoreForOrdinaryWeights: the clamp only ties tasks whose
// terms overflow; with ordinary weights the score orders the queue as documented.
func TestWeightedOrderFollowsTheScoreForOrdinaryWeights(t *testing.T) {
	r, err := routing.New(routing.Config{Weights: routing.Weights{Priority: 1e6, Age: 1}})
	require.NoError(t, err)
	require.NoError(t, r.Enqueue(routing.Task{ID: "old-low", Channel: routing.ChannelChat, QueuedAt: t0}))
	require.NoError(t, r.Enqueue(routing.Task{ID: "new-high", Channel: routing.ChannelChat, Priority: 1, QueuedAt: t0.Add(time.Hour)}))
	require.NoError(t, r.Enqueue(routing.Task{ID: "older-low", Channel: routing.ChannelChat, QueuedAt: t0.Add(-time.Hour)}))
	require.NoError(t, r.Enqueue(routing.Task{ID: "far-future", Channel: routing.ChannelChat, Priority: 1,
		QueuedAt: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}))
	assert.Equal(t, []string{"new-high", "older-low", "old-low", "far-future"}, r.Queue())
}

// TestHostScoreNaNRanksLast: a host score that returns NaN at run time must not corrupt
// the choice: NaN ranks below every number, whatever order the agents were added in.
func TestHostScoreNaNRanksLast(t *testing.T) {
	score := func(_ *routing.Task, a *routing.Agent) float64 {
		switch a.ID {
		case "b":
			return -1e300
		case "d":
			return math.Inf(-1)
		}
		return math.NaN()
	}
	for _, order := range [][]string{{"a", "b", "c", "d"}, {"d", "c", "b", "a"}, {"c", "a", "d", "b"}} {
		r, clk := setup(t, routing.Config{Strategy: routing.HostScore, Score: score})
		for _, id := range order {
			addAgents(t, r, chatAgent(id, nil))
		}
		require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat}))
		offers := r.Dispatch(clk.t)
		require.Len(t, offers, 1)
		assert.Equal(t, "b", offers[0].AgentID, "agents added in order %v", order)
	}
}

// TestWeightedOrderCountsFractionsOfASecond: the age and slack terms count time to the
// nanosecond's share of a second, so a task queued half a second earlier is served first.
func TestWeightedOrderCountsFractionsOfASecond(t *testing.T) {
	r, err := routing.New(routing.Config{Weights: routing.Weights{Age: 1}})
	require.NoError(t, err)
	for i, d := range []time.Duration{700, 200, 1100, 0, 900} {
		require.NoError(t, r.Enqueue(routing.Task{ID: fmt.Sprintf("t%d", i), Channel: routing.ChannelChat,
			QueuedAt: t0.Add(d * time.Millisecond), Deadline: t0.Add(time.Hour)}))
	}
	assert.Equal(t, []string{"t3", "t1", "t0", "t4", "t2"}, r.Queue())
}

// TestHostOrderThatIsNotAnOrderStillWorks: a host Less that is not a strict weak order
// (here: everything comes first) gives some queue order, but every task can still be
// found, cancelled and dispatched; nothing panics.
func TestHostOrderThatIsNotAnOrderStillWorks(t *testing.T) {
	r, clk := setup(t, routing.Config{Less: func(a, b *routing.Task) bool { return true }})
	addAgents(t, r, chatAgent("a", nil))
	for i := range 6 {
		require.NoError(t, r.Enqueue(routing.Task{ID: fmt.Sprintf("t%d", i), Channel: routing.ChannelChat}))
	}
	for _, id := range []string{"t0", "t3", "t5"} {
		_, err := r.Cancel(id)
		require.NoError(t, err)
		assert.NotContains(t, r.Queue(), id)
	}
	assert.Len(t, r.Queue(), 3)
	assert.Len(t, r.Dispatch(clk.t), 3)
}
