package routing_test

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/routing"
)

// source yields the random choices of a scenario; the oracle test draws them from a seeded
// PRNG and the fuzz test from the fuzzer's bytes.
type source interface {
	IntN(n int) int
}

type byteSource struct {
	b []byte
	i int
}

func (s *byteSource) IntN(n int) int {
	if s.i >= len(s.b) {
		return 0
	}
	v := int(s.b[s.i])
	s.i++
	return v % n
}

var (
	t0         = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	skillPool  = []string{"billing", "network", "mobile", "sql", "security"}
	langPool   = []language.Tag{language.English, language.BritishEnglish, language.Russian, language.German, language.BrazilianPortuguese, language.EuropeanPortuguese}
	chanPool   = []routing.Channel{routing.ChannelChat, routing.ChannelEmail, routing.ChannelPhone}
	teamPool   = []string{"it", "hr"}
	relaxSteps = []routing.Step{
		{After: 0, RequirePreferred: true},
		{After: time.Minute},
		{After: 2 * time.Minute, LowerLevels: 1},
		{After: 4 * time.Minute, LowerLevels: 2, ExtraLines: 1, AnyTeam: true},
	}
)

// hostScore is a deterministic scorer used by both routers under HostScore.
func hostScore(t *routing.Task, a *routing.Agent) float64 {
	h := fnv.New32a()
	h.Write([]byte(a.ID))
	return float64(h.Sum32()%7) + float64(a.Skills["billing"]) - float64(t.Priority)
}

// scenarioConfig picks a configuration: each strategy, with and without relaxation, with
// the default, weighted and host queue orders.
func scenarioConfig(src source) routing.Config {
	cfg := routing.Config{Strategy: routing.Strategy(src.IntN(5))}
	if cfg.Strategy == routing.HostScore {
		cfg.Score = hostScore
	}
	if src.IntN(2) == 0 {
		cfg.Steps = relaxSteps
	}
	switch src.IntN(4) {
	case 0:
		cfg.Weights = routing.Weights{Priority: 600, Slack: 1, Age: 2}
	case 1:
		cfg.Less = func(a, b *routing.Task) bool { return len(a.Required) > len(b.Required) }
	}
	if src.IntN(3) == 0 {
		cfg.OfflineGrace = time.Duration(1+src.IntN(3)) * time.Minute
	}
	return cfg
}

func randomAgent(src source, id string) routing.Agent {
	a := routing.Agent{ID: id, Name: "Agent " + id, Skills: map[string]int{},
		Capacity: map[routing.Channel]int{}, Line: src.IntN(4), Presence: routing.Presence(src.IntN(4))}
	for _, s := range skillPool {
		if src.IntN(2) == 0 {
			a.Skills[s] = src.IntN(6)
		}
	}
	for _, l := range langPool {
		if src.IntN(3) == 0 {
			a.Languages = append(a.Languages, l)
		}
	}
	for _, tm := range teamPool {
		if src.IntN(2) == 0 {
			a.Teams = append(a.Teams, tm)
		}
	}
	a.Capacity[routing.ChannelChat] = src.IntN(4)
	a.Capacity[routing.ChannelEmail] = src.IntN(6)
	a.Capacity[routing.ChannelPhone] = src.IntN(2)
	if src.IntN(2) == 0 {
		a.Exclusive = []routing.Channel{routing.ChannelPhone}
	}
	if src.IntN(4) == 0 {
		a.LastWork = t0.Add(-time.Duration(src.IntN(5)) * time.Minute)
	}
	return a
}

func randomTask(src source, id string, now time.Time, agents int) routing.Task {
	t := routing.Task{ID: id, Channel: chanPool[src.IntN(len(chanPool))], Priority: src.IntN(3)}
	used := map[string]bool{}
	for range src.IntN(3) {
		s := skillPool[src.IntN(len(skillPool))]
		if !used[s] {
			used[s] = true
			t.Required = append(t.Required, routing.SkillReq{Skill: s, Level: src.IntN(6)})
		}
	}
	if src.IntN(2) == 0 {
		s := skillPool[src.IntN(len(skillPool))]
		if !used[s] {
			t.Preferred = append(t.Preferred, routing.SkillReq{Skill: s, Level: src.IntN(6)})
		}
	}
	if src.IntN(3) == 0 {
		t.Language = langPool[src.IntN(len(langPool))]
	}
	if src.IntN(4) == 0 {
		t.Line = 1 + src.IntN(3)
	}
	if src.IntN(4) == 0 {
		t.Teams = []string{teamPool[src.IntN(len(teamPool))]}
	}
	if src.IntN(2) == 0 {
		t.Deadline = now.Add(time.Duration(src.IntN(20)) * time.Minute)
	}
	if src.IntN(3) == 0 {
		t.QueuedAt = now.Add(-time.Duration(src.IntN(6)) * time.Minute)
	}
	if src.IntN(6) == 0 {
		t.PreferredAgent = fmt.Sprintf("a%d", src.IntN(agents))
	}
	return t
}

// clock is a settable time source for Config.Now.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

// newPRNG returns a seeded source for scenario number i.
func newPRNG(i int) source { return rand.New(rand.NewPCG(uint64(i), 0x5eed)) }
