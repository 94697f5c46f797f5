package routing

import (
	"slices"
	"time"
)

// Stats summarizes the queue and the agents, for dashboards and KPI records. Every map is
// non-nil and lists only non-zero counts.
type Stats struct {
	Waiting  int // queued tasks; 0 with an empty queue
	Offered  int // tasks offered and not yet accepted
	Assigned int // accepted tasks, by Dispatch and Accept or by Assign

	WaitingByPriority map[int]int     // queued tasks per priority
	WaitingByChannel  map[Channel]int // queued tasks per channel
	// WaitingBySkill counts waiting tasks per required skill (a task needing two skills
	// counts under both).
	WaitingBySkill map[string]int
	// LongestWait is how long the longest-waiting task has waited at now; zero with an
	// empty queue.
	LongestWait time.Duration
	// LongestWaitingTask is the ID of that task (the smaller ID on a tie); empty with an
	// empty queue.
	LongestWaitingTask string
	// Unservable counts the waiting tasks that no agent could ever take (see
	// Router.Unservable); 0 when some agent could take each.
	Unservable int
	// UnservableByReason counts those tasks per reason.
	UnservableByReason map[Reason]int

	AgentsByPresence map[Presence]int // agents per presence
	// ReadyByChannel counts available agents who could be offered a task on the channel
	// now (free capacity, not held by an exclusive task).
	ReadyByChannel map[Channel]int
	// AgentsWithoutCapacity lists, sorted, the agents who can never be offered work because
	// they have capacity 0 (or no entry) on every channel; such an agent takes work only by
	// a forced Assign. Nil when every agent has capacity somewhere.
	AgentsWithoutCapacity []string
}

// Stats returns queue and agent statistics at now. It costs one pass over the queue and the
// agents, plus the work of judging the waiting tasks whose verdict is not cached (see
// Unservable). A zero now is Config.Now().
func (r *Router) Stats(now time.Time) Stats {
	r = r.orEmpty()
	r.lock()
	defer r.mu.Unlock()
	now = r.at(now)
	s := Stats{
		Waiting:           len(r.queue),
		Offered:           len(r.offered),
		Assigned:          len(r.tasks) - len(r.queue) - len(r.offered),
		WaitingByPriority: make(map[int]int),
		WaitingByChannel:  make(map[Channel]int),
		WaitingBySkill:    make(map[string]int),
		AgentsByPresence:  make(map[Presence]int),
		ReadyByChannel:    make(map[Channel]int),

		UnservableByReason: make(map[Reason]int),
	}
	for _, t := range r.queue {
		s.WaitingByPriority[t.t.Priority]++
		s.WaitingByChannel[t.t.Channel]++
		for _, q := range t.t.Required {
			s.WaitingBySkill[q.Skill]++
		}
		w := now.Sub(t.t.QueuedAt)
		if s.LongestWaitingTask == "" || w > s.LongestWait || (w == s.LongestWait && t.t.ID < s.LongestWaitingTask) {
			s.LongestWait, s.LongestWaitingTask = w, t.t.ID
		}
		if why := r.judge(t, now); why != 0 {
			s.Unservable++
			s.UnservableByReason[why]++
		}
	}
	for _, a := range r.agents {
		s.AgentsByPresence[a.a.Presence]++
		if !a.hasCapacity() {
			s.AgentsWithoutCapacity = append(s.AgentsWithoutCapacity, a.a.ID)
		}
	}
	slices.Sort(s.AgentsWithoutCapacity)
	for ch, n := range r.chans.data {
		if n > 0 {
			s.ReadyByChannel[r.chans.names[ch]] = n
		}
	}
	return s
}
