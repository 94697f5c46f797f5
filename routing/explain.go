package routing

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Explanation says why a task waits, or why it went to its agent, in plain sentences.
type Explanation struct {
	TaskID  string   // the task explained
	State   State    // its state at the time of the call
	AgentID string   // the holder when Offered or Assigned
	Step    int      // relaxation step in force (queued) or recorded (offered, assigned)
	Lines   []string // the sentences, most general first
}

// String joins the lines with newlines.
func (e Explanation) String() string { return strings.Join(e.Lines, "\n") }

// Explain describes a live task at now. For a waiting task it counts, for each requirement
// in force, how many agents meet it and why those are not taking it (presence, capacity),
// for example "needs skill billing >= 3: 12 agents have it; 9 offline; 3 at chat capacity".
// For an offered or assigned task it says who holds it, how the agent was chosen and at
// which step. It scans every agent. Errors: ErrNotFound.
func (r *Router) Explain(taskID string, now time.Time) (Explanation, error) {
	r.lock()
	defer r.mu.Unlock()
	t, ok := r.tasks[taskID]
	if !ok {
		return Explanation{}, notFound("task", taskID)
	}
	e := Explanation{TaskID: taskID, State: t.state, Step: t.step}
	if t.state != Queued {
		e.AgentID = t.agent.a.ID
		e.Lines = r.explainHeld(t)
		return e, nil
	}
	e.Step = stepAt(r.cfg.Steps, now.Sub(t.t.QueuedAt))
	e.Lines = r.explainWaiting(t, now)
	return e, nil
}

func (r *Router) explainHeld(t *taskRec) []string {
	a := t.agent
	who := a.a.ID
	if a.a.Name != "" {
		who = fmt.Sprintf("%s (%s)", a.a.ID, a.a.Name)
	}
	verb := "offered to"
	if t.state == Assigned {
		verb = "assigned to"
	}
	var lines []string
	switch {
	case t.manual && t.forced:
		lines = append(lines, fmt.Sprintf("%s %s manually, forced past presence or capacity", verb, who))
	case t.manual:
		lines = append(lines, fmt.Sprintf("%s %s manually", verb, who))
	default:
		lines = append(lines, fmt.Sprintf("%s %s by %s among %d eligible agents at relaxation step %d",
			verb, who, t.strategy, t.candidates, t.step), t.strategyReason())
	}
	if t.step >= 0 {
		lines = append(lines, describeStep(r.cfg.Steps[t.step], t.step))
	}
	if n := len(t.pref); n > 0 {
		met := 0
		for _, q := range t.pref {
			if a.level(q.id) >= q.level {
				met++
			}
		}
		lines = append(lines, fmt.Sprintf("has %d of %d preferred skills", met, n))
	}
	if t.t.Reassigned {
		lines = append(lines, "reassigned after the previous agent went offline")
	}
	if t.state == Offered {
		lines = append(lines, "offer expires at "+t.expiresAt.Format(time.RFC3339))
	}
	return lines
}

// strategyReason says what made the strategy pick the agent.
func (t *taskRec) strategyReason() string {
	if t.whyText != "" {
		return t.whyText
	}
	w := t.why
	switch t.strategy {
	case LeastLoaded:
		return fmt.Sprintf("had %d of %d %s slots free, the largest share", w.free, w.cap, t.t.Channel)
	case RoundRobin:
		return "next in round-robin order"
	case BestSkill:
		return fmt.Sprintf("highest total level on the required skills: %d", w.skill)
	case HostScore:
		return fmt.Sprintf("highest host score: %g", w.score)
	}
	if w.idleSince.IsZero() {
		return "idle longest: had not received work before"
	}
	return "idle longest: last received work at " + w.idleSince.Format(time.RFC3339)
}

func describeStep(s Step, i int) string {
	var parts []string
	if s.RequirePreferred {
		parts = append(parts, "preferred skills required")
	}
	if s.LowerLevels > 0 {
		parts = append(parts, fmt.Sprintf("levels lowered by %d", s.LowerLevels))
	}
	if s.ExtraLines > 0 {
		parts = append(parts, fmt.Sprintf("up to %d lines above", s.ExtraLines))
	}
	if s.AnyTeam {
		parts = append(parts, "any team")
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing relaxed")
	}
	return fmt.Sprintf("step %d (from %s): %s", i, s.After, strings.Join(parts, ", "))
}

// funnel counts agents meeting one requirement and why they cannot take the task.
type funnel struct {
	have, offline, away, busy, full int
}

// describe renders the funnel, e.g. "12 agents have it, 9 are offline, 3 are at chat
// capacity".
func (f funnel) describe(one, many string, ch Channel) string {
	var b strings.Builder
	if f.have == 1 {
		fmt.Fprintf(&b, "1 agent %s", one)
	} else {
		fmt.Fprintf(&b, "%d agents %s", f.have, many)
	}
	for _, p := range []struct {
		n    int
		what string
	}{{f.offline, "offline"}, {f.away, "away"}, {f.busy, "busy"}, {f.full, "at " + string(ch) + " capacity"}} {
		switch {
		case p.n == 1:
			fmt.Fprintf(&b, ", 1 is %s", p.what)
		case p.n > 1:
			fmt.Fprintf(&b, ", %d are %s", p.n, p.what)
		}
	}
	return b.String()
}

func (r *Router) count(f *funnel, a *agentRec, ch int32) {
	f.have++
	switch {
	case a.a.Presence == Offline:
		f.offline++
	case a.a.Presence == Away:
		f.away++
	case a.a.Presence == Busy:
		f.busy++
	case !a.fits(ch):
		f.full++
	}
}

func (r *Router) explainWaiting(t *taskRec, now time.Time) []string {
	waited := now.Sub(t.t.QueuedAt)
	step := stepAt(r.cfg.Steps, waited)
	st := &r.cfg.Steps[step]
	reqs := effectiveReqs(t, st, nil)
	lines := []string{fmt.Sprintf("waiting %s; %s", waited.Round(time.Second), describeStep(*st, step))}
	if step+1 < len(r.cfg.Steps) {
		lines = append(lines, fmt.Sprintf("next step at %s of waiting", r.cfg.Steps[step+1].After))
	}
	ch := t.t.Channel
	agents := r.sortedAgents()
	for _, q := range reqs {
		var f funnel
		for _, a := range agents {
			if a.level(q.id) >= q.level {
				r.count(&f, a, t.ch)
			}
		}
		lines = append(lines, fmt.Sprintf("needs skill %s >= %d: %s",
			r.skills.names[q.id], q.level, f.describe("has it", "have it", ch)))
	}
	if t.t.Language != language.Und {
		var f funnel
		for _, a := range agents {
			if r.speaks(a, t.t.Language) {
				r.count(&f, a, t.ch)
			}
		}
		lines = append(lines, fmt.Sprintf("needs language %s: %s", t.t.Language, f.describe("speaks it", "speak it", ch)))
	}
	if t.t.Line > 0 {
		lines = append(lines, fmt.Sprintf("needs line %d to %d", t.t.Line, t.t.Line+st.ExtraLines))
	}
	if len(t.t.Teams) > 0 && !st.AnyTeam {
		lines = append(lines, "needs team "+strings.Join(t.t.Teams, " or "))
	}
	if len(t.t.Exclude) > 0 {
		lines = append(lines, "excluded (declined or timed out): "+strings.Join(t.t.Exclude, ", "))
	}
	if pa := r.reservedFor(t, waited); pa != "" {
		lines = append(lines, fmt.Sprintf("reserved for preferred agent %s until %s", pa,
			t.t.QueuedAt.Add(r.cfg.PreferredAgentWait).Format(time.RFC3339)))
	}
	var all funnel
	eligibleNow := 0
	for _, a := range agents {
		if r.meetsProfile(t, st, reqs, a) {
			r.count(&all, a, t.ch)
			if r.eligible(t, st, reqs, a) {
				eligibleNow++
			}
		}
	}
	lines = append(lines, fmt.Sprintf("all requirements: %s; %d can take it now",
		all.describe("meets them", "meet them", ch), eligibleNow))
	return lines
}

// meetsProfile reports whether the agent meets the task's requirements at the step,
// ignoring presence and capacity.
func (r *Router) meetsProfile(t *taskRec, st *Step, reqs []skillLevel, a *agentRec) bool {
	for _, q := range reqs {
		if a.level(q.id) < q.level {
			return false
		}
	}
	if t.excludes(a.a.ID) {
		return false
	}
	if t.t.Line > 0 && (a.a.Line < t.t.Line || a.a.Line > t.t.Line+st.ExtraLines) {
		return false
	}
	if len(t.t.Teams) > 0 && !st.AnyTeam && !sharesTeam(t.t.Teams, a.a.Teams) {
		return false
	}
	return t.t.Language == language.Und || r.speaks(a, t.t.Language)
}

func (r *Router) sortedAgents() []*agentRec {
	out := make([]*agentRec, 0, len(r.agents))
	for _, a := range r.agents {
		out = append(out, a)
	}
	slices.SortFunc(out, func(x, y *agentRec) int { return compareStrings(x.a.ID, y.a.ID) })
	return out
}
