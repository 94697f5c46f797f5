package routing

import "fmt"

// CheckIndex recomputes every index of r by brute force and reports the first difference.
func CheckIndex(r *Router) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	ready := make([]int, len(r.ready))
	for id, a := range r.agents {
		if err := checkAgent(r, a); err != nil {
			return fmt.Errorf("agent %s: %w", id, err)
		}
		for ch := range a.chans {
			if a.canTake(ch) {
				ready[ch]++
			}
		}
	}
	for ch := range ready {
		if ready[ch] != r.ready[ch] {
			return fmt.Errorf("ready[%s] = %d, want %d", r.chanNames[ch], r.ready[ch], ready[ch])
		}
	}
	inQueue := map[*taskRec]bool{}
	for i, t := range r.queue {
		if t.state != Queued || r.tasks[t.t.ID] != t || inQueue[t] {
			return fmt.Errorf("queue[%d] %s is %s", i, t.t.ID, t.state)
		}
		if i > 0 && !r.before(r.queue[i-1], t) {
			return fmt.Errorf("queue out of order at %d", i)
		}
		inQueue[t] = true
	}
	offered := 0
	for id, t := range r.tasks {
		switch t.state {
		case Queued:
			if !inQueue[t] {
				return fmt.Errorf("task %s queued but not in the queue", id)
			}
		case Offered, Assigned:
			if t.agent == nil || t.agent.work[id] != t || r.agents[t.agent.a.ID] != t.agent {
				return fmt.Errorf("task %s not held by its agent", id)
			}
			if t.state == Offered {
				offered++
				if r.offered[id] != t {
					return fmt.Errorf("task %s missing from offered", id)
				}
			}
		default:
			return fmt.Errorf("task %s in state %s", id, t.state)
		}
	}
	if offered != len(r.offered) {
		return fmt.Errorf("offered has %d, want %d", len(r.offered), offered)
	}
	return nil
}

func checkAgent(r *Router, a *agentRec) error {
	avail := false // listed: can take a task on some channel now
	for ch := range a.chans {
		avail = avail || a.canTake(ch)
	}
	if (a.roomPos >= 0) != avail || (avail && r.withRoom[a.roomPos] != a) {
		return fmt.Errorf("available list position %d", a.roomPos)
	}
	for i, s := range a.skills {
		list := r.skills[s.id].byLevel[s.level]
		if (a.skillPos[i] >= 0) != avail || (avail && list[a.skillPos[i]] != a) {
			return fmt.Errorf("skill %s list position %d", r.skillNames[s.id], a.skillPos[i])
		}
	}
	load := map[int]int{}
	var active, excl int32
	for _, t := range a.work {
		load[t.ch]++
		active++
		if a.isExclusive(t.ch) {
			excl++
		}
	}
	if a.available != (a.a.Presence == Available) {
		return fmt.Errorf("available flag %v", a.available)
	}
	for ch := range max(len(a.chans), len(r.chanNames)) {
		if a.loadAt(ch) != load[ch] {
			return fmt.Errorf("load[%s] = %d, want %d", r.chanNames[ch], a.loadAt(ch), load[ch])
		}
	}
	if active != a.active || excl != a.exclusiveActive {
		return fmt.Errorf("active %d/%d, want %d/%d", a.active, a.exclusiveActive, active, excl)
	}
	if _, ok := r.offline[a.a.ID]; ok != (a.a.Presence == Offline && a.active > 0 && hasAssigned(a)) {
		return fmt.Errorf("offline set membership %v", ok)
	}
	return nil
}

func hasAssigned(a *agentRec) bool {
	for _, t := range a.work {
		if t.state == Assigned {
			return true
		}
	}
	return false
}
