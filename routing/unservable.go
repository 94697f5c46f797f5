package routing

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Reason says why no agent could ever take a waiting task. Each names the first requirement,
// in the order of the constants, that no agent meets together with the ones before it, under
// the task's current relaxation step or any later one. It encodes as text (the name String
// returns), and decoding rejects any other name. The zero value means some agent could take
// the task.
type Reason uint8

// Reasons a task is never served.
const (
	// NoCapacity: no agent has capacity on the task's channel (every agent lists it with
	// capacity 0, or not at all).
	NoCapacity Reason = iota + 1
	// NoSkill: no agent with capacity on the channel has the required skills at the
	// required levels, even as lowered by the relaxation steps still to come.
	NoSkill
	// NoLanguage: of those, no agent speaks the task's language.
	NoLanguage
	// NoLine: of those, no agent is in the task's line (or the lines a step allows).
	NoLine
	// NoTeam: of those, no agent is in one of the task's teams.
	NoTeam
	// AllExcluded: every agent who meets the requirements declined the task, let its offer
	// time out, or is in its Exclude list.
	AllExcluded
	// AllOffline: every agent who could take the task is Offline. Unlike the others this
	// ends as soon as one of them signs in.
	AllOffline
)

var reasonNames = [...]string{"", "no capacity", "no skill", "no language", "no line", "no team",
	"all excluded", "all offline"}

// String returns the reason's name, e.g. "no capacity"; the zero Reason is "".
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return fmt.Sprintf("reason(%d)", uint8(r))
}

// MarshalText encodes the reason by name, the zero Reason as ""; an unknown value is an
// ErrInvalid error.
func (r Reason) MarshalText() ([]byte, error) {
	if int(r) >= len(reasonNames) {
		return nil, invalid("Reason", "unknown value %d", uint8(r))
	}
	return []byte(r.String()), nil
}

// UnmarshalText decodes a name written by MarshalText; an unknown name is an ErrInvalid error.
func (r *Reason) UnmarshalText(b []byte) error {
	i := slices.Index(reasonNames[:], string(b))
	if i < 0 {
		return invalid("Reason", "unknown name %q", string(b))
	}
	*r = Reason(i)
	return nil
}

// Stuck is a waiting task that no agent could ever take, as listed by Router.Unservable.
type Stuck struct {
	TaskID  string  // the waiting task
	Channel Channel // its channel
	Reason  Reason  // why no agent could take it; never zero
	// Text says the same in plain words for a person, e.g. "no agent could ever take it:
	// no agent has capacity on web at all".
	Text string
}

// Unservable lists, in service order, the waiting tasks that no agent could ever take at
// now: no agent has capacity on the task's channel, or none of those has its skills, speaks
// its language, is in its line or team, or has not declined it; or every agent who could
// take it is Offline. Only the current relaxation step and the later ones count, as the
// task never returns to an earlier one.
//
// The verdict follows the agents: adding an agent who could take a task, or giving an
// agent the missing capacity or skill, or bringing one online, makes the task servable
// again, and the next call no longer lists it. A host reports each task once by
// remembering what the previous call listed. A task's verdict is cached until an agent
// is added, changed, removed, or goes offline or online, or the task reaches its next
// step or is declined; working it out scans the agents until one could take the task. A
// zero now is Config.Now().
func (r *Router) Unservable(now time.Time) []Stuck {
	r = r.orEmpty()
	r.lock()
	defer r.mu.Unlock()
	now = r.at(now)
	var out []Stuck
	for _, t := range r.queue {
		if why := r.judge(t, now); why != 0 {
			out = append(out, Stuck{TaskID: t.t.ID, Channel: t.t.Channel, Reason: why, Text: r.stuckText(t, why)})
		}
	}
	return out
}

// stages is the number of requirements reach checks; an agent who passes them all could
// take the task.
const stages = int(AllOffline)

// reach returns how many of the requirements, in the order of the Reason constants, the
// agent meets before the first one it does not (stages when it meets them all), at step st
// with the effective requirements reqs.
func (r *Router) reach(t *taskRec, st *Step, reqs []skillLevel, a *agentRec) int {
	switch {
	case a.capacityAt(t.ch) == 0:
		return 0
	case !hasLevels(a, reqs):
		return 1
	case t.t.Language != language.Und && !r.speaks(a, t.t.Language):
		return 2
	case t.t.Line > 0 && (a.a.Line < t.t.Line || a.a.Line > t.t.Line+st.ExtraLines):
		return 3
	case len(t.t.Teams) > 0 && !st.AnyTeam && !sharesTeam(t.t.Teams, a.a.Teams):
		return 4
	case t.excludes(a.a.ID):
		return 5
	case a.a.Presence == Offline:
		return 6
	}
	return stages
}

// judge returns why no agent could ever take the queued task at now, or 0 when some agent
// could. A servable verdict remembers an agent who could take the task and holds while
// that agent still could (a check of one agent); an unservable one is cached until the
// agents change (Router.gen), the task reaches another step or gains an exclusion.
func (r *Router) judge(t *taskRec, now time.Time) Reason {
	step := stepAt(r.cfg.Steps, now.Sub(t.t.QueuedAt))
	if t.stuck == 0 && t.witness != "" {
		if a := r.agents[t.witness]; a != nil && r.couldTake(t, step, a) {
			return 0
		}
	}
	if t.stuck != 0 && t.judgedGen == r.gen && t.judgedStep == step && t.judgedExcl == len(t.t.Exclude) {
		return t.stuck
	}
	t.judgedGen, t.judgedStep, t.judgedExcl = r.gen, step, len(t.t.Exclude)
	t.stuck, t.witness = r.verdict(t, step)
	return t.stuck
}

// couldTake reports whether agent a meets every requirement of the task at step from or a
// later one.
func (r *Router) couldTake(t *taskRec, from int, a *agentRec) bool {
	var buf [8]skillLevel
	for i := from; i < len(r.cfg.Steps); i++ {
		st := &r.cfg.Steps[i]
		if r.reach(t, st, effectiveReqs(t, st, buf[:0]), a) == stages {
			return true
		}
	}
	return false
}

// verdict works out what judge caches: the task is servable when some agent meets every
// requirement at step from or a later one (that agent's ID is returned too); otherwise the
// reason is the requirement no agent gets past at the last step, where the task ends up.
func (r *Router) verdict(t *taskRec, from int) (Reason, string) {
	steps := r.cfg.Steps[from:]
	reqs := make([][]skillLevel, len(steps))
	for i := range steps {
		reqs[i] = effectiveReqs(t, &steps[i], nil)
	}
	last, deepest := len(steps)-1, 0
	for _, a := range r.agents {
		for i := range steps {
			k := r.reach(t, &steps[i], reqs[i], a)
			if k == stages {
				return 0, a.a.ID
			}
			if i == last {
				deepest = max(deepest, k)
			}
		}
	}
	return Reason(deepest + 1), ""
}

// stuckText renders a reason in plain words.
func (r *Router) stuckText(t *taskRec, why Reason) string {
	ch := t.t.Channel
	last := r.cfg.Steps[len(r.cfg.Steps)-1]
	var s string
	switch why {
	case NoCapacity:
		s = fmt.Sprintf("no agent has capacity on %s at all", ch)
		if !ch.Standard() {
			s += fmt.Sprintf(" (%q is not one of the ticket channels %s)", string(ch), channelList())
		}
	case NoSkill:
		var need []string
		for _, q := range effectiveReqs(t, &last, nil) {
			need = append(need, skillWords(r.skills.names[q.id], q.level))
		}
		s = fmt.Sprintf("no agent with %s capacity has %s", ch, strings.Join(need, " and "))
	case NoLanguage:
		s = fmt.Sprintf("no agent with %s capacity and the skills speaks %s", ch, t.t.Language)
	case NoLine:
		s = fmt.Sprintf("no agent with %s capacity, the skills and the language is in %s", ch,
			lineWords(t.t.Line, last.ExtraLines))
	case NoTeam:
		s = fmt.Sprintf("no agent who meets the other requirements is in team %s", strings.Join(t.t.Teams, " or "))
	case AllExcluded:
		s = "every agent who could take it has declined it, let an offer time out or is excluded"
	case AllOffline:
		return "no agent can take it until one signs in: every agent who could is offline"
	}
	return "no agent could ever take it: " + s
}

func channelList() string {
	var names []string
	for _, c := range Channels() {
		names = append(names, string(c))
	}
	return strings.Join(names, ", ")
}

// lineWords names the lines a task accepts, e.g. "line 1" or "lines 1 to 2".
func lineWords(line, extra int) string {
	if extra == 0 {
		return fmt.Sprintf("line %d", line)
	}
	return fmt.Sprintf("lines %d to %d", line, min(line+extra, 3))
}
