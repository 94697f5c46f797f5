package routing

import (
	"math"
	"slices"
	"time"
)

// candidate is an eligible agent with the figures its strategy ranks by.
type candidate struct {
	a     *agentRec
	pref  int     // preferred skills met
	free  int     // spare capacity on the task's channel (LeastLoaded)
	cap   int     // capacity on the task's channel (LeastLoaded)
	skill int     // sum of levels on the requirements (BestSkill)
	score float64 // host score (HostScore)
	ring  uint64  // distance after the round-robin cursor (RoundRobin)
}

// effectiveReqs returns the requirements in force at step st, appended to buf.
func effectiveReqs(t *taskRec, st *Step, buf []skillLevel) []skillLevel {
	add := func(q skillLevel) {
		q.level = max(0, q.level-int8(st.LowerLevels))
		for i := range buf {
			if buf[i].id == q.id {
				buf[i].level = max(buf[i].level, q.level)
				return
			}
		}
		buf = append(buf, q)
	}
	for _, q := range t.req {
		add(q)
	}
	if st.RequirePreferred {
		for _, q := range t.pref {
			add(q)
		}
	}
	return buf
}

// reservedFor returns the agent a task waits for, or "" when any agent may take it.
func (r *Router) reservedFor(t *taskRec, waited time.Duration) string {
	pa := t.t.PreferredAgent
	if pa == "" || r.cfg.PreferredAgentWait < 0 || waited >= r.cfg.PreferredAgentWait || t.excludes(pa) {
		return ""
	}
	return pa
}

// choose picks the agent for a queued task at time now (best.a nil when none). It also
// returns the step in force and how many agents were eligible.
func (r *Router) choose(t *taskRec, now time.Time) (best candidate, step, n int) {
	waited := now.Sub(t.t.QueuedAt)
	step = stepAt(r.cfg.Steps, waited)
	if r.chans.data[t.ch] == 0 {
		return best, step, 0
	}
	st := &r.cfg.Steps[step]
	var buf [8]skillLevel
	reqs := effectiveReqs(t, st, buf[:0])
	if pa := r.reservedFor(t, waited); pa != "" {
		a := r.agents[pa]
		if a == nil || !r.eligible(t, st, reqs, a) {
			return best, step, 0
		}
		r.rank(&best, t, reqs, a)
		return best, step, 1
	}
	var c candidate
	list := r.withRoom
	lvl, top := int8(0), int8(0)
	var lists *[MaxSkillLevel + 1][]*agentRec
	check := reqs // requirements not implied by the list scanned
	if drv := r.driver(reqs); drv >= 0 {
		lists = &r.skills.data[reqs[drv].id].byLevel
		lvl, top = reqs[drv].level, MaxSkillLevel
		list = lists[lvl]
		if !t.extra {
			var buf2 [8]skillLevel
			check = append(buf2[:0], reqs[:drv]...)
			check = append(check, reqs[drv+1:]...)
		}
	}
	idleOnly := r.cfg.Strategy == LongestIdle && len(t.pref) == 0
	for {
		for _, a := range list {
			if !a.ready(t.ch) {
				continue
			}
			if t.extra {
				if !r.meetsProfile(t, st, check, a) {
					continue
				}
			} else if !hasLevels(a, check) {
				continue
			}
			if idleOnly { // the common case, without the general ranking
				if n == 0 || idler(a, best.a) {
					best.a = a
				}
				n++
				continue
			}
			r.rank(&c, t, reqs, a)
			if n == 0 || r.better(&c, &best) {
				best = c
			}
			n++
		}
		if lvl >= top {
			break
		}
		lvl++
		list = lists[lvl]
	}
	return best, step, n
}

// hasLevels reports whether the agent has every skill at the level.
func hasLevels(a *agentRec, reqs []skillLevel) bool {
	for _, q := range reqs {
		if a.level(q.id) < q.level {
			return false
		}
	}
	return true
}

// idler reports whether x has been idle longer than y (ties to the smaller ID).
func idler(x, y *agentRec) bool {
	if !x.a.LastWork.Equal(y.a.LastWork) {
		return x.a.LastWork.Before(y.a.LastWork)
	}
	return x.a.ID < y.a.ID
}

// driver returns the index of the requirement with the fewest available agents, or -1.
func (r *Router) driver(reqs []skillLevel) int {
	best, bestN := -1, math.MaxInt
	for i, q := range reqs {
		n := 0
		for lvl := q.level; lvl <= MaxSkillLevel; lvl++ {
			n += len(r.skills.data[q.id].byLevel[lvl])
		}
		if n < bestN {
			best, bestN = i, n
		}
	}
	return best
}

// eligible reports whether agent a may be offered task t at step st now.
func (r *Router) eligible(t *taskRec, st *Step, reqs []skillLevel, a *agentRec) bool {
	if !a.ready(t.ch) {
		return false
	}
	if !t.extra {
		return hasLevels(a, reqs)
	}
	return r.meetsProfile(t, st, reqs, a)
}

func sharesTeam(want, have []string) bool {
	for _, w := range want {
		if slices.Contains(have, w) {
			return true
		}
	}
	return false
}

// rank computes into c the figures the strategy compares.
func (r *Router) rank(c *candidate, t *taskRec, reqs []skillLevel, a *agentRec) {
	*c = candidate{a: a}
	for _, q := range t.pref {
		if a.level(q.id) >= q.level {
			c.pref++
		}
	}
	switch r.cfg.Strategy {
	case LeastLoaded:
		c.cap = a.capacityAt(t.ch)
		c.free = c.cap - a.loadAt(t.ch)
	case RoundRobin:
		c.ring = a.seq
		if a.seq <= r.rrLast {
			c.ring += r.nextSeq
		}
	case BestSkill:
		for _, q := range reqs {
			c.skill += int(a.level(q.id))
		}
	case HostScore:
		c.score = r.cfg.Score(&t.t, &a.a)
		if math.IsNaN(c.score) {
			c.score = math.Inf(-1)
		}
	}
}

// better reports whether candidate x ranks above y.
func (r *Router) better(x, y *candidate) bool {
	if x.pref != y.pref {
		return x.pref > y.pref
	}
	switch r.cfg.Strategy {
	case LeastLoaded:
		if l, rr := x.free*y.cap, y.free*x.cap; l != rr {
			return l > rr
		}
	case RoundRobin:
		return x.ring < y.ring
	case BestSkill:
		if x.skill != y.skill {
			return x.skill > y.skill
		}
	case HostScore:
		if x.score != y.score {
			return x.score > y.score
		}
	}
	return idler(x.a, y.a)
}
