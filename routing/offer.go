package routing

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Dispatch walks the queue in service order and offers each waiting task to the best
// eligible agent, as long as capacity allows. It returns the offers made, in queue order;
// each expires Config.OfferTimeout after now. Tasks no agent can take stay queued. A zero
// now is Config.Now().
func (r *Router) Dispatch(now time.Time) []Offer {
	r = r.orEmpty()
	r.lock()
	defer r.mu.Unlock()
	now = r.at(now)
	var offers []Offer
	kept := r.queue[:0]
	for _, t := range r.queue {
		best, step, n := r.choose(t, now)
		a := best.a
		if a == nil {
			kept = append(kept, t)
			continue
		}
		r.attach(t, a)
		t.state = Offered
		t.step, t.strategy, t.candidates = step, r.cfg.Strategy, n
		t.why = choice{idleSince: a.a.LastWork, free: best.free, cap: best.cap, skill: best.skill, score: best.score}
		t.offeredAt, t.expiresAt = now, now.Add(r.cfg.OfferTimeout)
		r.offers++
		t.offerNo = r.offers
		r.offered[t.t.ID] = t
		r.rrLast = a.seq
		a.a.LastWork = now
		offers = append(offers, t.offer())
	}
	clear(r.queue[len(kept):])
	r.queue = shrink(kept)
	return offers
}

func (t *taskRec) offer() Offer {
	return Offer{
		TaskID: t.t.ID, AgentID: t.agent.a.ID, Channel: t.t.Channel, Step: t.step,
		OfferedAt: t.offeredAt, ExpiresAt: t.expiresAt, No: t.offerNo,
	}
}

// attach gives a task to an agent, taking one unit of capacity.
func (r *Router) attach(t *taskRec, a *agentRec) {
	r.markReady(a, -1)
	a.addLoad(t.ch, 1)
	a.work[t.t.ID] = t
	r.markReady(a, 1)
	t.agent = a
}

// release takes an offered or assigned task from its agent, freeing the capacity.
func (r *Router) release(t *taskRec) {
	a := t.agent
	r.markReady(a, -1)
	a.addLoad(t.ch, -1)
	delete(a.work, t.t.ID)
	r.markReady(a, 1)
	if a.active == 0 {
		delete(r.offline, a.a.ID)
	}
	delete(r.offered, t.t.ID)
	t.agent = nil
}

// offeredTo returns the task if it is offered to the agent.
func (r *Router) offeredTo(taskID, agentID string) (*taskRec, error) {
	t, ok := r.tasks[taskID]
	if !ok {
		return nil, notFound("task", taskID)
	}
	if _, ok := r.agents[agentID]; !ok {
		return nil, notFound("agent", agentID)
	}
	if t.state != Offered || t.agent.a.ID != agentID {
		return nil, fmt.Errorf("%w: task %q is %s", ErrNotOffered, taskID, t.state)
	}
	return t, nil
}

// Accept records that the agent accepted the task's current offer to it. Errors:
// ErrNotFound for an unknown task or agent, ErrNotOffered when the task is not offered to
// this agent, ErrOfferExpired when Config.Now() is at or after the offer's expiry. A host
// that delivers offers late, or more than once, should answer with AcceptOffer, which
// accepts only the offer it names.
func (r *Router) Accept(taskID, agentID string) error {
	if r == nil {
		return errNilRouter()
	}
	r.lock()
	defer r.mu.Unlock()
	t, err := r.offeredTo(taskID, agentID)
	if err != nil {
		return err
	}
	return r.accept(t)
}

// AcceptOffer is Accept for this very offer. Besides Accept's errors it returns
// ErrNotOffered when the task is no longer offered under o (it was withdrawn because the
// agent went offline, or timed out, and the task was offered again, even to the same
// agent), so a late answer to an old offer never takes a newer one. An offer is named by
// its TaskID, AgentID, OfferedAt and No.
func (r *Router) AcceptOffer(o Offer) error {
	if r == nil {
		return errNilRouter()
	}
	r.lock()
	defer r.mu.Unlock()
	t, err := r.current(o)
	if err != nil {
		return err
	}
	return r.accept(t)
}

func (r *Router) accept(t *taskRec) error {
	now := r.cfg.Now()
	if !now.Before(t.expiresAt) {
		return fmt.Errorf("%w: task %q expired at %s", ErrOfferExpired, t.t.ID, t.expiresAt.Format(time.RFC3339))
	}
	t.state = Assigned
	t.acceptedAt = now
	delete(r.offered, t.t.ID)
	return nil
}

// current returns the task of an offer that is still open.
func (r *Router) current(o Offer) (*taskRec, error) {
	t, err := r.offeredTo(o.TaskID, o.AgentID)
	if err != nil {
		return nil, err
	}
	if !t.offeredAt.Equal(o.OfferedAt) || t.offerNo != o.No {
		return nil, fmt.Errorf("%w: task %q was offered again at %s", ErrNotOffered, o.TaskID,
			t.offeredAt.Format(time.RFC3339Nano))
	}
	return t, nil
}

// Decline records that the agent turned the task's current offer down: the task returns
// to the queue in its original place (ahead of newer tasks of the same priority) and is
// never offered to that agent again. Errors: ErrNotFound, ErrNotOffered.
func (r *Router) Decline(taskID, agentID string) error {
	if r == nil {
		return errNilRouter()
	}
	r.lock()
	defer r.mu.Unlock()
	t, err := r.offeredTo(taskID, agentID)
	if err != nil {
		return err
	}
	r.requeueExcluding(t)
	return nil
}

// DeclineOffer is Decline for this very offer: it returns ErrNotOffered, changing nothing,
// when the task is no longer offered under o (see AcceptOffer).
func (r *Router) DeclineOffer(o Offer) error {
	if r == nil {
		return errNilRouter()
	}
	r.lock()
	defer r.mu.Unlock()
	t, err := r.current(o)
	if err != nil {
		return err
	}
	r.requeueExcluding(t)
	return nil
}

func (r *Router) requeueExcluding(t *taskRec) {
	id := t.agent.a.ID
	r.release(t)
	t.exclude(id)
	r.enqueue(t)
}

// Expired reports what Expire returned to the queue.
type Expired struct {
	// Offers that timed out; their tasks are queued again, excluding the agent.
	Offers []Offer
	// Reassigned lists tasks taken back from agents offline longer than Config.OfflineGrace.
	Reassigned []string
}

// Expire times out offers whose expiry is at or before now and takes back the accepted
// tasks of agents who have been offline for Config.OfflineGrace. Both kinds of task return
// to the queue in their original place. Results are sorted by task ID. A zero now is
// Config.Now().
func (r *Router) Expire(now time.Time) Expired {
	r = r.orEmpty()
	r.lock()
	defer r.mu.Unlock()
	now = r.at(now)
	var out Expired
	for _, t := range r.offered {
		if !now.Before(t.expiresAt) {
			out.Offers = append(out.Offers, t.offer())
		}
	}
	slices.SortFunc(out.Offers, func(x, y Offer) int { return strings.Compare(x.TaskID, y.TaskID) })
	for _, o := range out.Offers {
		r.requeueExcluding(r.tasks[o.TaskID])
	}
	ids := make([]string, 0, len(r.offline))
	for id := range r.offline {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		out.Reassigned = append(out.Reassigned, r.returnAfterGrace(r.agents[id], now)...)
	}
	slices.Sort(out.Reassigned)
	return out
}

// Complete records that the assigned task is done: the agent's capacity is freed and the
// task leaves the Router. It returns the final record with State Completed. Errors:
// ErrNotFound, ErrNotAssigned when the task is queued or only offered.
func (r *Router) Complete(taskID string) (TaskInfo, error) {
	if r == nil {
		return TaskInfo{}, errNilRouter()
	}
	r.lock()
	defer r.mu.Unlock()
	t, ok := r.tasks[taskID]
	if !ok {
		return TaskInfo{}, notFound("task", taskID)
	}
	if t.state != Assigned {
		return TaskInfo{}, fmt.Errorf("%w: task %q is %s", ErrNotAssigned, taskID, t.state)
	}
	info := t.final(Completed)
	r.release(t)
	r.forget(t)
	return info, nil
}

// Cancel withdraws a task in any state; an agent holding it gets the capacity back. It
// returns the final record with State Cancelled. Errors: ErrNotFound.
func (r *Router) Cancel(taskID string) (TaskInfo, error) {
	if r == nil {
		return TaskInfo{}, errNilRouter()
	}
	r.lock()
	defer r.mu.Unlock()
	t, ok := r.tasks[taskID]
	if !ok {
		return TaskInfo{}, notFound("task", taskID)
	}
	info := t.final(Cancelled)
	r.detach(t)
	r.forget(t)
	return info, nil
}

// detach takes a task out of the queue or away from its agent.
func (r *Router) detach(t *taskRec) {
	if t.state == Queued {
		r.dequeue(t)
	} else {
		r.release(t)
	}
}

// Assign gives a task to an agent by hand, as accepted at once and recorded Manual with
// Step ManualStep. The task may be queued, offered or assigned to someone else. Without
// force the agent must be Available and have room on the channel; with force the
// assignment goes through anyway and is recorded Forced (a task forced onto an offline
// agent returns to the queue once that agent's offline grace has passed). Errors: ErrNotFound,
// ErrUnavailable, ErrOverCapacity.
func (r *Router) Assign(taskID, agentID string, force bool) error {
	if r == nil {
		return errNilRouter()
	}
	r.lock()
	defer r.mu.Unlock()
	t, ok := r.tasks[taskID]
	if !ok {
		return notFound("task", taskID)
	}
	a, ok := r.agents[agentID]
	if !ok {
		return notFound("agent", agentID)
	}
	holds := t.agent == a
	fits := holds || a.fits(t.ch)
	avail := a.a.Presence == Available
	if !force && !avail {
		return fmt.Errorf("%w: agent %q is %s", ErrUnavailable, agentID, a.a.Presence)
	}
	if !force && !fits {
		return fmt.Errorf("%w: agent %q on %s", ErrOverCapacity, agentID, t.t.Channel)
	}
	now := r.cfg.Now()
	if !holds {
		r.detach(t)
		r.attach(t, a)
	}
	delete(r.offered, taskID)
	t.state = Assigned
	t.step, t.strategy, t.candidates = ManualStep, 0, 0
	t.offeredAt, t.expiresAt, t.acceptedAt = now, time.Time{}, now
	// Re-assigning a forced task to its holder keeps it forced: the load is still over.
	t.manual, t.forced = true, (holds && t.forced) || !fits || !avail
	a.a.LastWork = now
	if a.a.Presence == Offline {
		r.offline[agentID] = a
	}
	return nil
}

// NextWake returns the earliest time from which Dispatch or Expire could act without any
// other call: an offer expiring, an offline grace ending, a waiting task reaching (after
// now) its next relaxation step or the end of its preferred-agent wait. It reports false
// when there is none. It costs one pass over the queue. A zero now is Config.Now().
func (r *Router) NextWake(now time.Time) (time.Time, bool) {
	r = r.orEmpty()
	r.lock()
	defer r.mu.Unlock()
	now = r.at(now)
	var next time.Time
	see := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	for _, t := range r.offered {
		see(t.expiresAt)
	}
	for _, a := range r.offline {
		see(a.a.PresenceSince.Add(r.cfg.OfflineGrace))
	}
	for _, t := range r.queue {
		waited := now.Sub(t.t.QueuedAt)
		if s := stepAt(r.cfg.Steps, waited); s+1 < len(r.cfg.Steps) {
			see(t.t.QueuedAt.Add(r.cfg.Steps[s+1].After))
		}
		if r.reservedFor(t, waited) != "" {
			see(t.t.QueuedAt.Add(r.cfg.PreferredAgentWait))
		}
	}
	return next, !next.IsZero()
}

// final returns the record of a task leaving the Router; the task is not copied because
// the Router drops it.
func (t *taskRec) final(s State) TaskInfo {
	info := TaskInfo{
		Task: t.t, State: s, Step: t.step, Strategy: t.strategy, Candidates: t.candidates,
		OfferedAt: t.offeredAt, ExpiresAt: t.expiresAt, AcceptedAt: t.acceptedAt,
		Manual: t.manual, Forced: t.forced,
	}
	if t.agent != nil {
		info.AgentID = t.agent.a.ID
	}
	return info
}
