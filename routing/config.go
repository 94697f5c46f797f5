package routing

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/text/language"
)

// Strategy chooses one agent among those eligible for a task. Whatever the strategy, an agent
// who has more of the task's preferred skills ranks first. It encodes as text, the name
// String returns ("longest idle"), and decoding rejects any other name.
type Strategy uint8

// Strategies. The zero value is LongestIdle.
const (
	// LongestIdle picks the agent whose LastWork is earliest (never worked first); ties go to
	// the smaller agent ID.
	LongestIdle Strategy = iota
	// LeastLoaded picks the agent with the largest share of spare capacity on the task's
	// channel ((capacity-load)/capacity); ties go to the longest idle.
	LeastLoaded
	// RoundRobin cycles through agents in the order they were added, skipping those who are
	// not eligible (offline, full, lacking a skill); among agents eligible for every task the
	// counts of offers differ by at most one.
	RoundRobin
	// BestSkill picks the agent with the highest sum of levels on the task's required skills;
	// ties go to the longest idle.
	BestSkill
	// HostScore picks the agent with the highest Config.Score; ties go to the longest idle.
	HostScore
)

var strategyNames = [...]string{"longest idle", "least loaded", "round robin", "best skill", "host score"}

// String returns the strategy's name, e.g. "longest idle".
func (s Strategy) String() string {
	if int(s) < len(strategyNames) {
		return strategyNames[s]
	}
	return fmt.Sprintf("strategy(%d)", uint8(s))
}

// MarshalText encodes the strategy by the name String returns; an unknown value is an
// ErrInvalid error.
func (s Strategy) MarshalText() ([]byte, error) {
	if int(s) >= len(strategyNames) {
		return nil, invalid("Strategy", "unknown value %d", uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalJSON decodes a JSON string as UnmarshalText does, and also a JSON number, as
// snapshots written before strategies were encoded by name hold; an unknown name or number
// is an ErrInvalid error.
func (s *Strategy) UnmarshalJSON(b []byte) error {
	var n uint8
	if err := json.Unmarshal(b, &n); err == nil {
		if int(n) >= len(strategyNames) {
			return invalid("Strategy", "unknown value %d", n)
		}
		*s = Strategy(n)
		return nil
	}
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return invalid("Strategy", "neither a name nor a number: %s", b)
	}
	return s.UnmarshalText([]byte(name))
}

// UnmarshalText decodes a name written by MarshalText; an unknown name is an ErrInvalid error.
func (s *Strategy) UnmarshalText(b []byte) error {
	i := slices.Index(strategyNames[:], string(b))
	if i < 0 {
		return invalid("Strategy", "unknown name %q", string(b))
	}
	*s = Strategy(i)
	return nil
}

// Step is one relaxation step: the matching rules in force once a task has waited After.
// Each step states its rules in full; they do not accumulate.
type Step struct {
	// After is the waiting time from which the step applies: 0 for the first step, then
	// increasing.
	After time.Duration
	// RequirePreferred treats the task's preferred skills as required at this step.
	// Default false: preferred skills only rank agents.
	RequirePreferred bool
	// LowerLevels lowers every required minimum level by this much (not below 0); 0 to 5.
	// Default 0: the levels as the task gives them.
	LowerLevels int
	// ExtraLines lets agents up to this many lines above the task's Line take it; 0 to 2.
	// Default 0: the task's line only.
	ExtraLines int
	// AnyTeam drops the task's team restriction. Default false: the task's teams only.
	AnyTeam bool
}

// Weights order the queue by a score instead of the default lexicographic order:
// score = Priority*Priority + Age*waited seconds - Slack*slack seconds, highest first, where
// slack is the time left to the deadline (a task without one counts as due
// NoDeadline after it was queued). The order does not change as time passes, since every
// task ages at the same rate. Each weight must be finite; each of the three terms is held
// within ±math.MaxFloat64/4, so extreme weights tie tasks rather than overflow the score.
type Weights struct {
	Priority   float64       // score per priority level; default 0
	Slack      float64       // score lost per second of slack; default 0
	Age        float64       // score per second waited; default 0
	NoDeadline time.Duration // deadline assumed for tasks without one; defaults to 24h, not negative
}

// Config configures a Router. The zero value gives the documented defaults.
type Config struct {
	// Strategy chooses among eligible agents. Defaults to LongestIdle.
	Strategy Strategy
	// Score rates an agent for a task under HostScore (higher is better). It is called with
	// the Router's lock held, must be fast, must not call the Router and must not keep or
	// modify its arguments. Required when Strategy is HostScore. A NaN score ranks below
	// every other, as -Inf does.
	Score func(t *Task, a *Agent) float64
	// Steps is the relaxation policy, in increasing After, the first with After 0, at most
	// MaxSteps. Defaults to one step that relaxes nothing.
	Steps []Step
	// Weights, when any weight is non-zero, orders the queue by score. By default the queue
	// is ordered by Priority (highest first), then Deadline (earliest first, none last).
	// A weight that is NaN or infinite is an ErrInvalid error.
	Weights Weights
	// Less, when set, orders the queue instead of the default or Weights: it reports
	// whether a is served before b. It must be a strict weak ordering that depends only on
	// the tasks (not the clock), and is called with the Router's lock held.
	Less func(a, b *Task) bool
	// Ties in every order go to the earlier QueuedAt, then the smaller ID.

	// OfferTimeout is how long an offer stays open. Defaults to 30s.
	OfferTimeout time.Duration
	// OfflineGrace is how long an offline agent keeps accepted tasks before they return to
	// the queue, flagged Reassigned. Defaults to 2m; negative means at once.
	OfflineGrace time.Duration
	// PreferredAgentWait is how long a task waits for its PreferredAgent before any agent
	// may take it. Defaults to 30s; negative ignores PreferredAgent.
	PreferredAgentWait time.Duration
	// LanguageConfidence is the lowest language.Matcher confidence at which an agent speaks
	// the task's language: language.Low, High or Exact. Defaults to language.High (zero,
	// language.No, selects the default).
	LanguageConfidence language.Confidence
	// TickInterval is how often Run dispatches and expires. Defaults to 1s.
	TickInterval time.Duration
	// Now reads the clock, also for a zero time passed to a method that takes the time
	// (Dispatch, Expire, Stats, NextWake, Unservable, Explain). Defaults to time.Now.
	Now func() time.Time
	// Logger receives debug records of Run's ticks. The zero value, like zerolog.Nop(),
	// writes nothing.
	Logger zerolog.Logger
}

func (c Config) withDefaults() (Config, error) {
	if c.Strategy > HostScore {
		return c, invalid("Strategy", "unknown value %d", uint8(c.Strategy))
	}
	if c.Strategy == HostScore && c.Score == nil {
		return c, invalid("Score", "required by the HostScore strategy")
	}
	if len(c.Steps) == 0 {
		c.Steps = []Step{{}}
	} else {
		c.Steps = append([]Step(nil), c.Steps...)
	}
	if err := validateSteps(c.Steps); err != nil {
		return c, err
	}
	if err := validateWeights(&c.Weights); err != nil {
		return c, err
	}
	if c.OfferTimeout == 0 {
		c.OfferTimeout = 30 * time.Second
	}
	if c.OfferTimeout < 0 {
		return c, invalid("OfferTimeout", "negative")
	}
	if c.OfflineGrace == 0 {
		c.OfflineGrace = 2 * time.Minute
	}
	if c.OfflineGrace < 0 {
		c.OfflineGrace = 0
	}
	if c.PreferredAgentWait == 0 {
		c.PreferredAgentWait = 30 * time.Second
	}
	if c.LanguageConfidence == language.No {
		c.LanguageConfidence = language.High
	}
	if c.LanguageConfidence < language.No || c.LanguageConfidence > language.Exact {
		return c, invalid("LanguageConfidence", "unknown value %d", int(c.LanguageConfidence))
	}
	if c.TickInterval == 0 {
		c.TickInterval = time.Second
	}
	if c.TickInterval < 0 {
		return c, invalid("TickInterval", "negative")
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}

// MaxSteps is the most relaxation steps a Config may have.
const MaxSteps = 32

func validateSteps(steps []Step) error {
	if len(steps) > MaxSteps {
		return invalid("Steps", "%d steps, at most %d", len(steps), MaxSteps)
	}
	for i, s := range steps {
		f := fmt.Sprintf("Steps[%d]", i)
		switch {
		case i == 0 && s.After != 0:
			return invalid(f, "the first step must start at 0")
		case i > 0 && s.After <= steps[i-1].After:
			return invalid(f, "After must increase")
		case s.LowerLevels < 0 || s.LowerLevels > MaxSkillLevel:
			return invalid(f, "LowerLevels %d outside 0-%d", s.LowerLevels, MaxSkillLevel)
		case s.ExtraLines < 0 || s.ExtraLines > 2:
			return invalid(f, "ExtraLines %d outside 0-2", s.ExtraLines)
		}
	}
	return nil
}

// validateWeights rejects weights that are not finite and fills in NoDeadline.
func validateWeights(w *Weights) error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"Priority", w.Priority}, {"Slack", w.Slack}, {"Age", w.Age}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return invalid("Weights."+f.name, "%v is not a finite number", f.v)
		}
	}
	if w.NoDeadline < 0 {
		return invalid("Weights.NoDeadline", "negative")
	}
	if w.NoDeadline == 0 {
		w.NoDeadline = 24 * time.Hour
	}
	return nil
}

// stepAt returns the index of the step in force after waiting w.
func stepAt(steps []Step, w time.Duration) int {
	i := 0
	for i+1 < len(steps) && steps[i+1].After <= w {
		i++
	}
	return i
}
