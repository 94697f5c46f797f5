package routing

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// SnapshotVersion is the format version written by Snapshot and read by Restore.
const SnapshotVersion = 1

// Snapshot is the whole routing state as plain data: it encodes with encoding/json (or any
// encoder of exported fields) so a host can persist it and Restore it after a restart.
type Snapshot struct {
	Version int             `json:"version"` // must equal SnapshotVersion
	Agents  []AgentSnapshot `json:"agents"`  // in registration order
	Tasks   []TaskSnapshot  `json:"tasks"`   // queued tasks in service order, then the rest by ID
	// RoundRobinLast is the sequence number of the agent round robin chose last.
	RoundRobinLast uint64 `json:"round_robin_last"`
}

// AgentSnapshot is one agent in a Snapshot.
type AgentSnapshot struct {
	Agent Agent  `json:"agent"` // profile, presence and last work
	Seq   uint64 `json:"seq"`   // registration order, for round robin; unique, non-zero
}

// TaskSnapshot is one live task in a Snapshot. Load is not stored: Restore derives it from
// the offered and assigned tasks.
// The fields mean what they mean in TaskInfo.
type TaskSnapshot struct {
	Task       Task      `json:"task"`               // the task with its exclusions
	State      State     `json:"state"`              // Queued, Offered or Assigned
	AgentID    string    `json:"agent_id,omitempty"` // holder unless Queued
	Step       int       `json:"step"`               // matched step, or ManualStep
	Strategy   Strategy  `json:"strategy"`           // strategy that chose the holder
	Candidates int       `json:"candidates"`         // eligible agents at that time
	OfferedAt  time.Time `json:"offered_at"`         // when offered or assigned by hand
	ExpiresAt  time.Time `json:"expires_at"`         // offer expiry, if Offered
	AcceptedAt time.Time `json:"accepted_at"`        // when accepted, if Assigned
	Manual     bool      `json:"manual,omitempty"`   // assigned by hand
	Forced     bool      `json:"forced,omitempty"`   // assigned by hand past capacity or presence
	Reason     string    `json:"reason,omitempty"`   // why the strategy chose the holder, for Explain
	OfferNo    uint64    `json:"offer_no,omitempty"` // the current offer's Offer.No, if Offered
}

// Snapshot returns a deep copy of the state: agents, queued, offered and assigned tasks.
func (r *Router) Snapshot() Snapshot {
	r = r.orEmpty()
	r.lock()
	defer r.mu.Unlock()
	s := Snapshot{Version: SnapshotVersion, RoundRobinLast: r.rrLast}
	for _, a := range r.agents {
		s.Agents = append(s.Agents, AgentSnapshot{Agent: cloneAgent(a.a), Seq: a.seq})
	}
	slices.SortFunc(s.Agents, func(x, y AgentSnapshot) int { return cmp.Compare(x.Seq, y.Seq) })
	for _, t := range r.queue {
		s.Tasks = append(s.Tasks, t.snapshot())
	}
	var rest []TaskSnapshot
	for _, t := range r.tasks {
		if t.state != Queued {
			rest = append(rest, t.snapshot())
		}
	}
	slices.SortFunc(rest, func(x, y TaskSnapshot) int { return strings.Compare(x.Task.ID, y.Task.ID) })
	s.Tasks = append(s.Tasks, rest...)
	return s
}

func (t *taskRec) snapshot() TaskSnapshot {
	i := t.info()
	s := TaskSnapshot{
		Task: i.Task, State: i.State, AgentID: i.AgentID, Step: i.Step, Strategy: i.Strategy,
		Candidates: i.Candidates, OfferedAt: i.OfferedAt, ExpiresAt: i.ExpiresAt,
		AcceptedAt: i.AcceptedAt, Manual: i.Manual, Forced: i.Forced, OfferNo: t.offerNo,
	}
	if t.state != Queued && !t.manual {
		s.Reason = t.strategyReason()
	}
	return s
}

// Restore replaces the Router's whole state with the snapshot. The snapshot is checked in
// full first: on any error (ErrInvalid for a bad version, agent, task or state, a task
// naming an unknown agent, a duplicate ID) the Router is left as it was.
func (r *Router) Restore(s Snapshot) error {
	if r == nil {
		return errNilRouter()
	}
	if s.Version != SnapshotVersion {
		return invalid("Version", "%d, want %d", s.Version, SnapshotVersion)
	}
	fresh := &Router{cfg: r.config()}
	fresh.reset()
	if err := fresh.load(s); err != nil {
		return err
	}
	r.lock()
	defer r.mu.Unlock()
	r.agents, r.tasks, r.offered, r.offline = fresh.agents, fresh.tasks, fresh.offered, fresh.offline
	r.agentsPeak, r.tasksPeak = fresh.agentsPeak, fresh.tasksPeak
	r.skills, r.chans, r.withRoom = fresh.skills, fresh.chans, fresh.withRoom
	r.queue, r.nextSeq, r.rrLast, r.offers = fresh.queue, fresh.nextSeq, fresh.rrLast, fresh.offers
	r.gen++ // the restored tasks are unjudged (gen 0); r.gen is never 0
	return nil
}

// load fills an empty Router from a snapshot.
func (r *Router) load(s Snapshot) error {
	for i, as := range s.Agents {
		a := as.Agent
		if err := validateAgent(&a); err != nil {
			return fmt.Errorf("Agents[%d]: %w", i, err)
		}
		if _, ok := r.agents[a.ID]; ok {
			return fmt.Errorf("Agents[%d]: %w", i, ErrDuplicate)
		}
		if as.Seq == 0 || as.Seq < r.nextSeq || as.Seq >= 1<<62 {
			return invalid(fmt.Sprintf("Agents[%d].Seq", i), "must be non-zero, increasing and below 2^62")
		}
		r.insertAgent(cloneAgent(a), as.Seq)
	}
	r.rrLast = s.RoundRobinLast
	for i, ts := range s.Tasks {
		if err := r.loadTask(ts); err != nil {
			return fmt.Errorf("Tasks[%d]: %w", i, err)
		}
	}
	// Sorted once rather than inserted one by one, which costs a pass over the queue per
	// task when the snapshot lists them out of order.
	slices.SortFunc(r.queue, func(a, b *taskRec) int {
		if r.before(a, b) {
			return -1
		}
		if r.before(b, a) {
			return 1
		}
		return 0
	})
	for _, a := range r.agents {
		if a.a.Presence == Offline && a.active > 0 {
			r.offline[a.a.ID] = a
		}
	}
	return nil
}

func (r *Router) loadTask(ts TaskSnapshot) error {
	t := ts.Task
	if err := validateTask(&t); err != nil {
		return err
	}
	if _, ok := r.tasks[t.ID]; ok {
		return ErrDuplicate
	}
	if t.QueuedAt.IsZero() {
		return invalid("Task.QueuedAt", "must be set")
	}
	rec := r.newTaskRec(cloneTask(t))
	if ts.State == Queued {
		rec.state = Queued
		r.queue = append(r.queue, rec)
		r.tasks[t.ID] = rec
		return nil
	}
	if ts.State != Offered && ts.State != Assigned {
		return invalid("State", "%s is not a live state", ts.State)
	}
	a, ok := r.agents[ts.AgentID]
	if !ok {
		return notFound("agent", ts.AgentID)
	}
	if ts.Step != ManualStep && (ts.Step < 0 || ts.Step >= len(r.cfg.Steps)) {
		return invalid("Step", "%d outside the relaxation policy", ts.Step)
	}
	if ts.State == Offered && a.a.Presence == Offline {
		return invalid("State", "task offered to offline agent %q", a.a.ID)
	}
	r.attach(rec, a)
	rec.state = ts.State
	rec.step, rec.strategy, rec.candidates = ts.Step, ts.Strategy, ts.Candidates
	rec.offeredAt, rec.expiresAt, rec.acceptedAt = ts.OfferedAt, ts.ExpiresAt, ts.AcceptedAt
	rec.offerNo, r.offers = ts.OfferNo, max(r.offers, ts.OfferNo)
	rec.manual, rec.forced, rec.whyText = ts.Manual, ts.Forced, ts.Reason
	r.tasks[t.ID] = rec
	if rec.state == Offered {
		r.offered[t.ID] = rec
	}
	return nil
}
