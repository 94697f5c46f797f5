package routing_test

import (
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/routing"
)

// refRouter is the naive reference: it keeps plain maps and, for every decision, sorts every
// task and scans every agent. It shares no code with the Router; the oracle tests require
// both to make the same decisions.
type refRouter struct {
	cfg    routing.Config // with defaults filled in by newRef
	agents []*refAgent    // in registration order
	tasks  map[string]*refTask
	rrLast int
	seq    int
}

type refAgent struct {
	routing.Agent
	seq     int
	load    map[routing.Channel]int
	work    map[string]*refTask
	matcher language.Matcher
}

type refTask struct {
	routing.Task
	state routing.State
	agent *refAgent
	step  int
	// candidates counts the agents eligible when the holder was chosen; 0 when by hand.
	candidates int
	expires    time.Time
	manual     bool
	forced     bool
}

func newRef(cfg routing.Config) *refRouter {
	if len(cfg.Steps) == 0 {
		cfg.Steps = []routing.Step{{}}
	}
	if cfg.OfferTimeout == 0 {
		cfg.OfferTimeout = 30 * time.Second
	}
	if cfg.OfflineGrace == 0 {
		cfg.OfflineGrace = 2 * time.Minute
	}
	if cfg.PreferredAgentWait == 0 {
		cfg.PreferredAgentWait = 30 * time.Second
	}
	if cfg.LanguageConfidence == language.No {
		cfg.LanguageConfidence = language.High
	}
	if cfg.Weights.NoDeadline == 0 {
		cfg.Weights.NoDeadline = 24 * time.Hour
	}
	return &refRouter{cfg: cfg, tasks: map[string]*refTask{}}
}

// matchers caches a matcher per list of languages: the scenarios draw from a few lists,
// and building a matcher costs more than a whole routing decision.
var matchers = struct {
	sync.Mutex
	m map[string]language.Matcher
}{m: map[string]language.Matcher{}}

func matcherFor(tags []language.Tag) language.Matcher {
	key := fmt.Sprint(tags)
	matchers.Lock()
	defer matchers.Unlock()
	m, ok := matchers.m[key]
	if !ok {
		m = language.NewMatcher(tags)
		matchers.m[key] = m
	}
	return m
}

func (r *refRouter) agent(id string) *refAgent {
	for _, a := range r.agents {
		if a.ID == id {
			return a
		}
	}
	return nil
}

func (r *refRouter) addAgent(a routing.Agent, now time.Time) {
	if a.Line == 0 {
		a.Line = 1
	}
	if a.PresenceSince.IsZero() {
		a.PresenceSince = now
	}
	r.seq++
	ra := &refAgent{Agent: a, seq: r.seq, load: map[routing.Channel]int{}, work: map[string]*refTask{}}
	if len(a.Languages) > 0 {
		ra.matcher = matcherFor(a.Languages)
	}
	r.agents = append(r.agents, ra)
}

func (r *refRouter) enqueue(t routing.Task, now time.Time) {
	if t.QueuedAt.IsZero() {
		t.QueuedAt = now
	}
	t.Exclude = slices.Clone(t.Exclude)
	r.tasks[t.ID] = &refTask{Task: t, state: routing.Queued}
}

// before is the documented queue order, written out in full.
func (r *refRouter) before(a, b *refTask) bool {
	if r.cfg.Less != nil {
		if r.cfg.Less(&a.Task, &b.Task) {
			return true
		}
		if r.cfg.Less(&b.Task, &a.Task) {
			return false
		}
	} else if w := r.cfg.Weights; w.Priority != 0 || w.Slack != 0 || w.Age != 0 {
		score := func(t *refTask) float64 {
			due := t.Deadline
			if due.IsZero() {
				due = t.QueuedAt.Add(w.NoDeadline)
			}
			return float64(t.Priority)*w.Priority - float64(t.QueuedAt.UnixNano())/1e9*w.Age - float64(due.UnixNano())/1e9*w.Slack
		}
		if sa, sb := score(a), score(b); sa != sb {
			return sa > sb
		}
	} else {
		if a.Priority != b.Priority {
			return a.Priority > b.Priority
		}
		if !a.Deadline.Equal(b.Deadline) {
			if a.Deadline.IsZero() {
				return false
			}
			if b.Deadline.IsZero() {
				return true
			}
			return a.Deadline.Before(b.Deadline)
		}
	}
	if !a.QueuedAt.Equal(b.QueuedAt) {
		return a.QueuedAt.Before(b.QueuedAt)
	}
	return a.ID < b.ID
}

func (r *refRouter) waiting() []*refTask {
	var out []*refTask
	for _, t := range r.tasks {
		if t.state == routing.Queued {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return r.before(out[i], out[j]) })
	return out
}

func (r *refRouter) step(t *refTask, now time.Time) int {
	s := 0
	for i, st := range r.cfg.Steps {
		if st.After <= now.Sub(t.QueuedAt) {
			s = i
		}
	}
	return s
}

// required returns skill -> minimum level in force at step st.
func required(t *routing.Task, st routing.Step) map[string]int {
	m := map[string]int{}
	put := func(q routing.SkillReq) {
		lvl := max(0, q.Level-st.LowerLevels)
		if old, ok := m[q.Skill]; !ok || lvl > old {
			m[q.Skill] = lvl
		}
	}
	for _, q := range t.Required {
		put(q)
	}
	if st.RequirePreferred {
		for _, q := range t.Preferred {
			put(q)
		}
	}
	return m
}

func (a *refAgent) fits(ch routing.Channel) bool {
	active := 0
	for _, t := range a.work {
		active++
		if slices.Contains(a.Exclusive, t.Channel) {
			return false
		}
	}
	if a.load[ch] >= a.Capacity[ch] {
		return false
	}
	return !slices.Contains(a.Exclusive, ch) || active == 0
}

func (r *refRouter) eligible(t *refTask, st routing.Step, a *refAgent) bool {
	if a.Presence != routing.Available || !a.fits(t.Channel) {
		return false
	}
	for s, lvl := range required(&t.Task, st) {
		have, ok := a.Skills[s]
		if !ok || have < lvl {
			return false
		}
	}
	if slices.Contains(t.Exclude, a.ID) {
		return false
	}
	if t.Line > 0 && (a.Line < t.Line || a.Line > t.Line+st.ExtraLines) {
		return false
	}
	if len(t.Teams) > 0 && !st.AnyTeam {
		shared := false
		for _, tm := range t.Teams {
			shared = shared || slices.Contains(a.Teams, tm)
		}
		if !shared {
			return false
		}
	}
	if t.Language != language.Und {
		if a.matcher == nil {
			return false
		}
		if _, _, c := a.matcher.Match(t.Language); c < r.cfg.LanguageConfidence {
			return false
		}
	}
	return true
}

func (r *refRouter) better(t *refTask, st routing.Step, x, y *refAgent) bool {
	pref := func(a *refAgent) int {
		n := 0
		for _, q := range t.Preferred {
			if lvl, ok := a.Skills[q.Skill]; ok && lvl >= q.Level {
				n++
			}
		}
		return n
	}
	if px, py := pref(x), pref(y); px != py {
		return px > py
	}
	switch r.cfg.Strategy {
	case routing.LeastLoaded:
		fx := float64(x.Capacity[t.Channel]-x.load[t.Channel]) / float64(x.Capacity[t.Channel])
		fy := float64(y.Capacity[t.Channel]-y.load[t.Channel]) / float64(y.Capacity[t.Channel])
		if fx != fy {
			return fx > fy
		}
	case routing.RoundRobin:
		ring := func(a *refAgent) int {
			if a.seq > r.rrLast {
				return a.seq - r.rrLast
			}
			return a.seq + 1_000_000
		}
		return ring(x) < ring(y)
	case routing.BestSkill:
		sum := func(a *refAgent) int {
			n := 0
			for s := range required(&t.Task, st) {
				n += a.Skills[s]
			}
			return n
		}
		if sx, sy := sum(x), sum(y); sx != sy {
			return sx > sy
		}
	case routing.HostScore:
		if sx, sy := r.cfg.Score(&t.Task, &x.Agent), r.cfg.Score(&t.Task, &y.Agent); sx != sy {
			return sx > sy
		}
	}
	if !x.LastWork.Equal(y.LastWork) {
		return x.LastWork.Before(y.LastWork)
	}
	return x.ID < y.ID
}

func (r *refRouter) dispatch(now time.Time) []routing.Offer {
	var offers []routing.Offer
	for _, t := range r.waiting() {
		si := r.step(t, now)
		st := r.cfg.Steps[si]
		waited := now.Sub(t.QueuedAt)
		var best *refAgent
		n := 0
		for _, a := range r.agents {
			if !r.eligible(t, st, a) {
				continue
			}
			reserved := t.PreferredAgent != "" && r.cfg.PreferredAgentWait > 0 &&
				waited < r.cfg.PreferredAgentWait && !slices.Contains(t.Exclude, t.PreferredAgent)
			if reserved && a.ID != t.PreferredAgent {
				continue
			}
			n++
			if best == nil || r.better(t, st, a, best) {
				best = a
			}
		}
		if best == nil {
			continue
		}
		best.load[t.Channel]++
		best.work[t.ID] = t
		best.LastWork = now
		r.rrLast = best.seq
		t.state, t.agent, t.step, t.expires = routing.Offered, best, si, now.Add(r.cfg.OfferTimeout)
		t.manual, t.forced, t.candidates = false, false, n
		offers = append(offers, routing.Offer{TaskID: t.ID, AgentID: best.ID, Channel: t.Channel,
			Step: si, OfferedAt: now, ExpiresAt: t.expires})
	}
	return offers
}

func (r *refRouter) release(t *refTask) {
	t.agent.load[t.Channel]--
	delete(t.agent.work, t.ID)
	t.agent = nil
	t.state = routing.Queued
}

// accept returns false where the Router must return an error.
func (r *refRouter) accept(taskID, agentID string, now time.Time) bool {
	t := r.tasks[taskID]
	if t == nil || t.state != routing.Offered || t.agent.ID != agentID || !now.Before(t.expires) {
		return false
	}
	t.state = routing.Assigned
	return true
}

func (r *refRouter) decline(taskID, agentID string) bool {
	t := r.tasks[taskID]
	if t == nil || t.state != routing.Offered || t.agent.ID != agentID {
		return false
	}
	r.release(t)
	t.Exclude = append(t.Exclude, agentID)
	return true
}

func (r *refRouter) expire(now time.Time) (expired []string, reassigned []string) {
	for id, t := range r.tasks {
		if t.state == routing.Offered && !now.Before(t.expires) {
			a := t.agent.ID
			r.release(t)
			t.Exclude = append(t.Exclude, a)
			expired = append(expired, id)
		}
	}
	for _, a := range r.agents {
		if a.Presence != routing.Offline || now.Before(a.PresenceSince.Add(r.cfg.OfflineGrace)) {
			continue
		}
		for id, t := range a.work {
			if t.state == routing.Assigned {
				r.release(t)
				t.Reassigned = true
				reassigned = append(reassigned, id)
			}
		}
	}
	sort.Strings(expired)
	sort.Strings(reassigned)
	return expired, reassigned
}

func (r *refRouter) setPresence(id string, p routing.Presence, now time.Time) {
	a := r.agent(id)
	if a.Presence == p {
		return
	}
	a.Presence, a.PresenceSince = p, now
	if p != routing.Offline {
		return
	}
	for _, t := range a.work {
		if t.state == routing.Offered {
			r.release(t)
		}
	}
}

func (r *refRouter) complete(id string) bool {
	t := r.tasks[id]
	if t == nil || t.state != routing.Assigned {
		return false
	}
	r.release(t)
	delete(r.tasks, id)
	return true
}

func (r *refRouter) cancel(id string) bool {
	t := r.tasks[id]
	if t == nil {
		return false
	}
	if t.agent != nil {
		r.release(t)
	}
	delete(r.tasks, id)
	return true
}

// assign mirrors Router.Assign; it returns false where the Router must return an error.
func (r *refRouter) assign(taskID, agentID string, force bool, now time.Time) bool {
	t, a := r.tasks[taskID], r.agent(agentID)
	if t == nil || a == nil {
		return false
	}
	holds := t.agent == a
	fits := holds || a.fits(t.Channel)
	avail := a.Presence == routing.Available
	if !force && (!avail || !fits) {
		return false
	}
	if !holds {
		if t.agent != nil {
			r.release(t)
		}
		a.load[t.Channel]++
		a.work[t.ID] = t
		t.agent = a
	}
	t.state, t.step, t.manual, t.forced = routing.Assigned, routing.ManualStep, true, (holds && t.forced) || !fits || !avail
	t.candidates = 0
	a.LastWork = now
	return true
}

// updateAgent replaces the profile and keeps presence, last work and current work.
func (r *refRouter) updateAgent(a routing.Agent) {
	old := r.agent(a.ID)
	if a.Line == 0 {
		a.Line = 1
	}
	a.Presence, a.PresenceSince, a.LastWork = old.Presence, old.PresenceSince, old.LastWork
	old.Agent = a
	old.matcher = nil
	if len(a.Languages) > 0 {
		old.matcher = matcherFor(a.Languages)
	}
}

// removeAgent gives back the agent's work, accepted tasks flagged Reassigned.
func (r *refRouter) removeAgent(id string) {
	a := r.agent(id)
	for _, t := range a.work {
		if t.state == routing.Assigned {
			t.Reassigned = true
		}
		r.release(t)
	}
	r.agents = slices.DeleteFunc(r.agents, func(x *refAgent) bool { return x == a })
}
