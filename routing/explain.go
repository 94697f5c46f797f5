package routing

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Explanation says why a task waits, or why it went to its agent, in plain sentences for a
// person (Lines, or String), with the main facts also as fields.
type Explanation struct {
	TaskID  string // the task explained
	State   State  // its state at the time of the call
	AgentID string // the holder when Offered or Assigned; empty when Queued
	// Step is the relaxation step in force (Queued) or recorded with the offer (Offered,
	// Assigned), an index in Config.Steps; ManualStep for a manual assignment.
	Step int
	// Unservable says why no agent could ever take the waiting task (see
	// Router.Unservable); zero when some agent could, and always zero unless Queued.
	Unservable Reason
	Lines      []string // the sentences, most general first
}

// String joins the lines with newlines.
func (e Explanation) String() string { return strings.Join(e.Lines, "\n") }

// Explain describes a live task at now. For a waiting task it says first whether any agent
// could ever take it (see Unservable), then, for each requirement in force, how many agents
// meet it and why those are not taking it (no capacity on the channel at all, presence,
// full capacity now), for example "needs skill billing at level 3 or higher: 12 agents have
// it; 9 are offline, 3 are at full chat capacity now". For an offered or assigned task it
// says who holds it, how the agent was chosen and under which matching rules. It scans
// every agent. A zero now is Config.Now(). Errors: ErrNotFound.
func (r *Router) Explain(taskID string, now time.Time) (Explanation, error) {
	if r == nil {
		return Explanation{}, errNilRouter()
	}
	r.lock()
	defer r.mu.Unlock()
	now = r.at(now)
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
	e.Unservable = r.judge(t, now)
	e.Lines = r.explainWaiting(t, now, e.Unservable)
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
		lines = append(lines, fmt.Sprintf("%s %s by hand, past presence or capacity", verb, who))
	case t.manual:
		lines = append(lines, fmt.Sprintf("%s %s by hand", verb, who))
	case t.candidates == 1:
		lines = append(lines, fmt.Sprintf("%s %s, the only agent who could take it (%s)",
			verb, who, stepWords(r.cfg.Steps, t.step)))
	default:
		lines = append(lines, fmt.Sprintf("%s %s, chosen by %s among %d agents who could take it (%s)",
			verb, who, t.strategy, t.candidates, stepWords(r.cfg.Steps, t.step)), t.strategyReason())
	}
	if t.step >= 0 {
		if needs := r.needsWords(t, &r.cfg.Steps[t.step]); needs != "" {
			lines = append(lines, "requirements: "+needs)
		}
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

// needsWords lists what the task requires at step st, e.g. "line 1, team it, printers at
// level 2 or higher, language en"; "" when it requires nothing.
func (r *Router) needsWords(t *taskRec, st *Step) string {
	var parts []string
	if t.t.Line > 0 {
		parts = append(parts, lineWords(t.t.Line, st.ExtraLines))
	}
	if len(t.t.Teams) > 0 && !st.AnyTeam {
		parts = append(parts, "team "+strings.Join(t.t.Teams, " or "))
	}
	for _, q := range effectiveReqs(t, st, nil) {
		parts = append(parts, skillWords(r.skills.names[q.id], q.level))
	}
	if t.t.Language != language.Und {
		parts = append(parts, "language "+t.t.Language.String())
	}
	return strings.Join(parts, ", ")
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

// stepWords says what the matching rules of step i allow, e.g. "strict skill match" or
// "skill levels lowered by 1, the next line too, after 5m0s of waiting".
func stepWords(steps []Step, i int) string {
	s := steps[i]
	var parts []string
	if s.RequirePreferred {
		parts = append(parts, "preferred skills required too")
	}
	if s.LowerLevels > 0 {
		parts = append(parts, fmt.Sprintf("skill levels lowered by %d", s.LowerLevels))
	}
	switch {
	case s.ExtraLines == 1:
		parts = append(parts, "the next line too")
	case s.ExtraLines > 1:
		parts = append(parts, fmt.Sprintf("up to %d lines above too", s.ExtraLines))
	}
	if s.AnyTeam {
		parts = append(parts, "any team")
	}
	if len(parts) == 0 {
		parts = append(parts, "strict skill match")
	}
	w := strings.Join(parts, ", ")
	if s.After > 0 {
		w += fmt.Sprintf(", after %s of waiting", s.After)
	}
	return w
}

// funnel counts agents meeting one requirement and why they cannot take the task.
type funnel struct {
	have, noCap, offline, away, busy, full int
}

// describe renders the funnel, e.g. "12 agents have it; 9 are offline, 3 are at full chat
// capacity now".
func (f funnel) describe(one, many string, ch Channel) string {
	var b strings.Builder
	if f.have == 1 {
		fmt.Fprintf(&b, "1 agent %s", one)
	} else {
		fmt.Fprintf(&b, "%d agents %s", f.have, many)
	}
	sep := "; "
	for _, p := range []struct {
		n         int
		one, many string // the verb
		what      string
	}{
		{f.noCap, "has", "have", "no capacity on " + string(ch) + " at all"},
		{f.offline, "is", "are", "offline"},
		{f.away, "is", "are", "away"},
		{f.busy, "is", "are", "busy"},
		{f.full, "is", "are", "at full " + string(ch) + " capacity now"},
	} {
		if p.n == 0 {
			continue
		}
		verb := p.many
		if p.n == 1 {
			verb = p.one
		}
		fmt.Fprintf(&b, "%s%d %s %s", sep, p.n, verb, p.what)
		sep = ", "
	}
	return b.String()
}

func (r *Router) count(f *funnel, a *agentRec, ch int32) {
	f.have++
	switch {
	case a.capacityAt(ch) == 0:
		f.noCap++
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

func (r *Router) explainWaiting(t *taskRec, now time.Time, stuck Reason) []string {
	waited := now.Sub(t.t.QueuedAt)
	step := stepAt(r.cfg.Steps, waited)
	st := &r.cfg.Steps[step]
	reqs := effectiveReqs(t, st, nil)
	lines := []string{fmt.Sprintf("waiting %s; matching rules: %s", waited.Round(time.Second), stepWords(r.cfg.Steps, step))}
	if stuck != 0 {
		lines = append(lines, r.stuckText(t, stuck))
	}
	if step+1 < len(r.cfg.Steps) {
		lines = append(lines, fmt.Sprintf("the rules change at %s of waiting", r.cfg.Steps[step+1].After))
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
		lines = append(lines, fmt.Sprintf("needs skill %s: %s",
			skillWords(r.skills.names[q.id], q.level), f.describe("has it", "have it", ch)))
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
		lines = append(lines, "needs "+lineWords(t.t.Line, st.ExtraLines))
	}
	if len(t.t.Teams) > 0 && !st.AnyTeam {
		lines = append(lines, "needs team "+strings.Join(t.t.Teams, " or "))
	}
	if len(t.t.Exclude) > 0 {
		lines = append(lines, "not offered again to (declined or timed out): "+strings.Join(t.t.Exclude, ", "))
	}
	if pa := r.reservedFor(t, waited); pa != "" {
		lines = append(lines, fmt.Sprintf("kept for preferred agent %s until %s", pa,
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
	now2 := "none can take it now"
	if eligibleNow > 0 {
		now2 = fmt.Sprintf("%d can take it now", eligibleNow)
	}
	lines = append(lines, fmt.Sprintf("all requirements together: %s; %s",
		all.describe("meets them", "meet them", ch), now2))
	return lines
}

// skillWords names a skill requirement, e.g. "billing at level 3 or higher", or "billing
// at any level" for level 0.
func skillWords(skill string, level int8) string {
	if level == 0 {
		return skill + " at any level"
	}
	return fmt.Sprintf("%s at level %d or higher", skill, level)
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
	slices.SortFunc(out, func(x, y *agentRec) int { return strings.Compare(x.a.ID, y.a.ID) })
	return out
}
