package routing

import (
	"fmt"
	"slices"
)

// CheckIndex recomputes every index of r by brute force and reports the first difference.
func CheckIndex(r *Router) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.agents == nil {
		return nil // a zero Router before its first call
	}
	ready := make([]int, len(r.chans.data))
	for id, a := range r.agents {
		if err := checkAgent(r, a); err != nil {
			return fmt.Errorf("agent %s: %w", id, err)
		}
		for _, s := range a.slots {
			if a.canTake(s.id) {
				ready[s.id]++
			}
		}
	}
	for ch := range ready {
		if ready[ch] != r.chans.data[ch] {
			return fmt.Errorf("ready[%s] = %d, want %d", r.chans.names[ch], r.chans.data[ch], ready[ch])
		}
	}
	if err := checkNames(r); err != nil {
		return err
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
	for _, s := range a.slots {
		avail = avail || a.canTake(s.id)
	}
	if (a.roomPos >= 0) != avail || (avail && r.withRoom[a.roomPos] != a) {
		return fmt.Errorf("available list position %d", a.roomPos)
	}
	for i, s := range a.skills {
		list := r.skills.data[s.id].byLevel[s.level]
		if (a.skillPos[i] >= 0) != avail || (avail && list[a.skillPos[i]] != a) {
			return fmt.Errorf("skill %s list position %d", r.skills.names[s.id], a.skillPos[i])
		}
	}
	load := map[int32]int{}
	var active, excl int32
	for _, t := range a.work {
		load[t.ch]++
		active++
		if s := a.slot(t.ch); s != nil && s.exclusive {
			excl++
		}
	}
	if a.available != (a.a.Presence == Available) {
		return fmt.Errorf("available flag %v", a.available)
	}
	for i, s := range a.slots {
		name := r.chans.names[s.id]
		if int(s.load) != load[s.id] || a.a.Capacity[name] != int(s.capacity) ||
			s.exclusive != slices.Contains(a.a.Exclusive, name) || a.slot(s.id) != &a.slots[i] {
			return fmt.Errorf("slot %s = %+v, want load %d", name, s, load[s.id])
		}
	}
	for ch := range a.a.Capacity {
		if id, ok := r.chans.ids[ch]; !ok || a.slot(id) == nil {
			return fmt.Errorf("no slot for channel %s", ch)
		}
	}
	for _, ch := range a.a.Exclusive {
		if id, ok := r.chans.ids[ch]; !ok || a.slot(id) == nil {
			return fmt.Errorf("no slot for exclusive channel %s", ch)
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

// eachChannel calls fn once for each channel the agent lists in Capacity or Exclusive.
func eachChannel(a Agent, fn func(Channel)) {
	for ch := range a.Capacity {
		fn(ch)
	}
	for i, ch := range a.Exclusive {
		if _, ok := a.Capacity[ch]; !ok && !slices.Contains(a.Exclusive[:i], ch) {
			fn(ch)
		}
	}
}

// checkNames counts the holders of every skill and channel name by brute force and
// compares them with the interned tables.
func checkNames(r *Router) error {
	skills, chans := map[string]int32{}, map[Channel]int32{}
	for _, a := range r.agents {
		for name := range a.a.Skills {
			skills[name]++
		}
		eachChannel(a.a, func(ch Channel) { chans[ch]++ })
	}
	for _, t := range r.tasks {
		chans[t.t.Channel]++
		for _, q := range t.t.Required {
			skills[q.Skill]++
		}
		for _, q := range t.t.Preferred {
			skills[q.Skill]++
		}
	}
	if err := checkInterner(&r.skills, skills, func(s skillIndex) bool {
		return !slices.ContainsFunc(s.byLevel[:], func(l []*agentRec) bool { return l != nil })
	}); err != nil {
		return fmt.Errorf("skills: %w", err)
	}
	if err := checkInterner(&r.chans, chans, func(n int) bool { return n == 0 }); err != nil {
		return fmt.Errorf("channels: %w", err)
	}
	return nil
}

func checkInterner[K comparable, D any](n *interner[K, D], want map[K]int32, zero func(D) bool) error {
	if len(n.ids) != len(want) {
		return fmt.Errorf("%d names, want %d", len(n.ids), len(want))
	}
	for name, refs := range want {
		id, ok := n.ids[name]
		if !ok || n.names[id] != name || n.refs[id] != refs {
			return fmt.Errorf("%v: id %d known %v, refs %d, want %d", name, id, ok, n.refs[id], refs)
		}
	}
	var zk K
	for id := range n.refs {
		if n.refs[id] == 0 && (n.names[id] != zk || !zero(n.data[id])) {
			return fmt.Errorf("free id %d keeps %v", id, n.names[id])
		}
	}
	if end := len(n.refs); end > 0 && n.refs[end-1] == 0 {
		return fmt.Errorf("free id %d at the end", end-1)
	}
	return nil
}

// Tables counts the entries of the Router's name tables.
type Tables struct {
	Skills, Channels         int // names interned
	SkillSlots, ChannelSlots int // ids in use or free
	AgentChannelSlots        int // most channel slots held by one agent
	Speaks                   int // most cached language answers held by one agent
	// Room is the most entries any table has room for: the peak a map recorded since it
	// was made, or a slice's capacity.
	Room int
}

// TableSizes returns the sizes of r's name tables.
func TableSizes(r *Router) Tables {
	r.lock()
	defer r.mu.Unlock()
	t := Tables{Skills: r.skills.live(), Channels: r.chans.live(),
		SkillSlots: len(r.skills.names), ChannelSlots: len(r.chans.names)}
	for _, a := range r.agents {
		t.AgentChannelSlots = max(t.AgentChannelSlots, len(a.slots))
		t.Speaks = max(t.Speaks, len(a.speaks))
	}
	t.Room = max(r.skills.peak, r.chans.peak, cap(r.skills.names), cap(r.chans.names), cap(r.skills.free),
		cap(r.chans.free), r.tasksPeak, r.agentsPeak, cap(r.queue), cap(r.withRoom))
	for _, s := range r.skills.data {
		for _, l := range s.byLevel {
			t.Room = max(t.Room, cap(l))
		}
	}
	return t
}

// SpeaksCacheLimit is the most language answers an agent caches.
const SpeaksCacheLimit = maxSpeaks

// EachTask calls fn with the record of every live task, as Task returns it.
func EachTask(r *Router, fn func(TaskInfo)) {
	r.lock()
	defer r.mu.Unlock()
	for _, t := range r.tasks {
		fn(t.info())
	}
}
