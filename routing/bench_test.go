package routing_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/supportkit/supportkit/routing"
)

// engine is what the benchmark drives: the Router or the naive reference.
type engine interface {
	enqueue(t routing.Task, now time.Time)
	dispatch(now time.Time) []routing.Offer
	accept(taskID, agentID string, now time.Time)
	complete(id string)
	cancel(id string)
}

type routerEngine struct {
	r   *routing.Router
	clk *clock
}

func (e routerEngine) enqueue(t routing.Task, now time.Time) {
	if err := e.r.Enqueue(t); err != nil {
		panic(err)
	}
}
func (e routerEngine) dispatch(now time.Time) []routing.Offer { return e.r.Dispatch(now) }
func (e routerEngine) accept(taskID, agentID string, now time.Time) {
	e.clk.t = now
	if err := e.r.Accept(taskID, agentID); err != nil {
		panic(err)
	}
}
func (e routerEngine) complete(id string) {
	if _, err := e.r.Complete(id); err != nil {
		panic(err)
	}
}
func (e routerEngine) cancel(id string) {
	if _, err := e.r.Cancel(id); err != nil {
		panic(err)
	}
}

type refEngine struct{ r *refRouter }

func (e refEngine) enqueue(t routing.Task, now time.Time)  { e.r.enqueue(t, now) }
func (e refEngine) dispatch(now time.Time) []routing.Offer { return e.r.dispatch(now) }
func (e refEngine) accept(taskID, agentID string, now time.Time) {
	if !e.r.accept(taskID, agentID, now) {
		panic("accept")
	}
}
func (e refEngine) complete(id string) { e.r.complete(id) }
func (e refEngine) cancel(id string)   { e.r.cancel(id) }

// benchWorld is the benchmark population: n agents over 100 skills (8 each, levels 0-5),
// 20% available with chat 3 and email 5, and a pool of tasks needing 1-3 skills taken from
// an available agent's profile (at or below that agent's level), so every task has at
// least one qualified agent somewhere.
type benchWorld struct {
	agents []routing.Agent
	tasks  []routing.Task
}

func newBenchWorld(n int) benchWorld {
	rng := rand.New(rand.NewPCG(uint64(n), 42))
	var w benchWorld
	for i := range n {
		a := routing.Agent{ID: fmt.Sprintf("agent%05d", i), Skills: map[string]int{},
			Capacity: map[routing.Channel]int{routing.ChannelChat: 3, routing.ChannelEmail: 5}}
		for len(a.Skills) < 8 {
			a.Skills[fmt.Sprintf("skill%02d", rng.IntN(100))] = rng.IntN(6)
		}
		if rng.IntN(5) == 0 {
			a.Presence = routing.Available
		}
		w.agents = append(w.agents, a)
	}
	for range 4096 {
		a := w.agents[rng.IntN(n)]
		for a.Presence != routing.Available {
			a = w.agents[rng.IntN(n)]
		}
		t := routing.Task{Channel: routing.ChannelChat, Priority: rng.IntN(3)}
		if rng.IntN(3) == 0 {
			t.Channel = routing.ChannelEmail
		}
		for s, lvl := range a.Skills {
			if len(t.Required) == 1+rng.IntN(3) {
				break
			}
			t.Required = append(t.Required, routing.SkillReq{Skill: s, Level: max(0, lvl-rng.IntN(3))})
		}
		w.tasks = append(w.tasks, t)
	}
	return w
}

// runDecisions is the measured loop. One assignment decision is: Enqueue one task, then
// Dispatch chooses its agent and commits the offer. The Accept of that offer and the
// Complete of the oldest task in progress (which keep about a third of the capacity in use)
// are timed too; a task no agent can take right now is cancelled so the queue stays empty
// and each Dispatch makes exactly one decision.
func runDecisions(b *testing.B, w benchWorld, e engine) {
	runDecisionsAtLoad(b, w, e, 1.0/3)
}

// runDecisionsAtLoad is runDecisions keeping the given share of the available capacity in
// use.
func runDecisionsAtLoad(b *testing.B, w benchWorld, e engine, load float64) {
	now := t0
	inProgress := make([]string, 0, 1<<14)
	head := 0
	keep := int(float64(len(w.agents)/5*8) * load) // of the 8 slots of each available agent
	step := func(i int) bool {
		t := w.tasks[i%len(w.tasks)]
		t.ID = "task" + strconv.Itoa(i)
		now = now.Add(time.Millisecond)
		e.enqueue(t, now)
		offers := e.dispatch(now)
		if len(offers) == 0 {
			e.cancel(t.ID)
			return false
		}
		e.accept(t.ID, offers[0].AgentID, now)
		inProgress = append(inProgress, t.ID)
		if len(inProgress)-head > keep {
			e.complete(inProgress[head])
			head++
		}
		if head > 1<<13 {
			inProgress = append(inProgress[:0], inProgress[head:]...)
			head = 0
		}
		return true
	}
	i := 0
	for ; len(inProgress)-head < keep && i < 4*keep; i++ {
		step(i)
	}
	b.ReportAllocs()
	matched, first := 0, i
	start := time.Now()
	for b.Loop() {
		if step(i) {
			matched++
		}
		i++
	}
	elapsed := time.Since(start)
	ops := i - first
	b.ReportMetric(float64(ops)/elapsed.Seconds(), "decisions/s")
	b.ReportMetric(float64(matched)/float64(ops), "matched/op")
}

// newBenchRouter makes a Router with cfg on a fresh clock and adds the world's agents.
func newBenchRouter(b *testing.B, w benchWorld, cfg routing.Config) (*routing.Router, *clock) {
	clk := &clock{t: t0}
	cfg.Now = clk.Now
	r, err := routing.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	for _, a := range w.agents {
		if err := r.AddAgent(a); err != nil {
			b.Fatal(err)
		}
	}
	return r, clk
}

// BenchmarkDispatch compares the Router with the naive reference at 1k and 10k agents.
func BenchmarkDispatch(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		w := newBenchWorld(n)
		b.Run(fmt.Sprintf("agents=%d/router", n), func(b *testing.B) {
			r, clk := newBenchRouter(b, w, routing.Config{})
			runDecisions(b, w, routerEngine{r: r, clk: clk})
		})
		b.Run(fmt.Sprintf("agents=%d/naive", n), func(b *testing.B) {
			ref := newRef(routing.Config{})
			for _, a := range w.agents {
				ref.addAgent(a, t0)
			}
			runDecisions(b, w, refEngine{r: ref})
		})
	}
}

// BenchmarkDispatchStrategies measures each strategy at 10k agents, same workload.
func BenchmarkDispatchStrategies(b *testing.B) {
	w := newBenchWorld(10000)
	for _, s := range []routing.Strategy{routing.LongestIdle, routing.LeastLoaded, routing.RoundRobin, routing.BestSkill, routing.HostScore} {
		b.Run(s.String(), func(b *testing.B) {
			r, clk := newBenchRouter(b, w, routing.Config{Strategy: s, Score: hostScore})
			runDecisions(b, w, routerEngine{r: r, clk: clk})
		})
	}
}

// BenchmarkDispatchSaturated keeps 90% of the capacity in use, so most candidates are full:
// the candidate lists hold only agents with room, and the cost stays low.
func BenchmarkDispatchSaturated(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		w := newBenchWorld(n)
		b.Run(fmt.Sprintf("agents=%d/router", n), func(b *testing.B) {
			r, clk := newBenchRouter(b, w, routing.Config{})
			runDecisionsAtLoad(b, w, routerEngine{r: r, clk: clk}, 0.9)
		})
	}
}
