package routing

import (
	"math"
	"slices"
	"sort"
	"time"

	"golang.org/x/text/language"
)

// taskRec is the Router's record of a live task.
type taskRec struct {
	t     Task
	state State
	ch    int32        // interned channel
	req   []skillLevel // interned required skills
	pref  []skillLevel // interned preferred skills
	key   float64      // weighted order score
	extra bool         // has an exclusion, line, team or language restriction
	agent *agentRec    // holder when Offered or Assigned

	excluded map[string]struct{} // t.Exclude as a set, once it is long (see excludes)

	step       int
	strategy   Strategy
	candidates int
	offeredAt  time.Time
	offerNo    uint64 // the current offer's Offer.No; 0 when none
	expiresAt  time.Time
	acceptedAt time.Time
	manual     bool
	forced     bool
	why        choice // the chosen agent's figures at the decision
	whyText    string // the rendered reason, when restored from a snapshot

	// The cached verdict of judge: stuck, as worked out for Router.gen judgedGen, step
	// judgedStep and judgedExcl exclusions; witness is an agent who could take the task
	// when stuck is 0 ("" before the first verdict).
	stuck      Reason
	witness    string
	judgedGen  uint64
	judgedStep int
	judgedExcl int
}

// choice keeps the figures the strategy compared for the chosen agent, for Explain.
type choice struct {
	idleSince time.Time // the agent's LastWork before the offer
	free, cap int       // spare and total capacity on the channel (LeastLoaded)
	skill     int       // sum of levels on the requirements (BestSkill)
	score     float64   // host score (HostScore)
}

func (t *taskRec) setExtra() {
	t.extra = len(t.t.Exclude) > 0 || t.t.Line > 0 || len(t.t.Teams) > 0 || t.t.Language != language.Und
}

// shortExclude is the longest exclusion list searched in place; a longer one is indexed by
// a set, so checking a candidate costs the same however many agents declined the task.
const shortExclude = 16

// excludes reports whether the task must not be offered to agent id.
func (t *taskRec) excludes(id string) bool {
	if t.excluded != nil {
		_, ok := t.excluded[id]
		return ok
	}
	return slices.Contains(t.t.Exclude, id)
}

// exclude adds agent id to the task's exclusions.
func (t *taskRec) exclude(id string) {
	if t.excludes(id) {
		return
	}
	t.t.Exclude = append(t.t.Exclude, id)
	t.extra = true
	t.indexExclude()
}

// indexExclude builds or extends the exclusion set once the list is long.
func (t *taskRec) indexExclude() {
	if len(t.t.Exclude) <= shortExclude {
		return
	}
	if t.excluded == nil {
		t.excluded = make(map[string]struct{}, len(t.t.Exclude))
		for _, id := range t.t.Exclude {
			t.excluded[id] = struct{}{}
		}
	}
	t.excluded[t.t.Exclude[len(t.t.Exclude)-1]] = struct{}{}
}

// weighted reports whether Config.Weights orders the queue.
func (r *Router) weighted() bool {
	w := r.cfg.Weights
	return w.Priority != 0 || w.Slack != 0 || w.Age != 0
}

// orderKey computes the weighted score without the term every task shares (now), so it
// does not change while tasks wait. Each term is clamped (see Weights), so the score is
// always a number and the queue order a total one.
func (r *Router) orderKey(t *Task) float64 {
	w := r.cfg.Weights
	due := t.Deadline
	if due.IsZero() {
		due = t.QueuedAt.Add(w.NoDeadline)
	}
	return term(float64(t.Priority), w.Priority) - term(seconds(t.QueuedAt), w.Age) - term(seconds(due), w.Slack)
}

// maxTerm bounds each term of the weighted score, so that their sum stays finite.
const maxTerm = math.MaxFloat64 / 4

// term returns x*w held within ±maxTerm; x and w are finite, so the product is never NaN.
func term(x, w float64) float64 {
	return min(max(x*w, -maxTerm), maxTerm)
}

// seconds returns t as seconds since the Unix epoch, for any year (UnixNano overflows
// outside 1678-2262).
func seconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}

// before reports whether task a is served before task b.
func (r *Router) before(a, b *taskRec) bool {
	switch {
	case r.cfg.Less != nil:
		if r.cfg.Less(&a.t, &b.t) {
			return true
		}
		if r.cfg.Less(&b.t, &a.t) {
			return false
		}
	case r.weighted():
		if a.key != b.key {
			return a.key > b.key
		}
	default:
		if a.t.Priority != b.t.Priority {
			return a.t.Priority > b.t.Priority
		}
		ad, bd := a.t.Deadline, b.t.Deadline
		if !ad.Equal(bd) {
			if ad.IsZero() || bd.IsZero() {
				return bd.IsZero()
			}
			return ad.Before(bd)
		}
	}
	if !a.t.QueuedAt.Equal(b.t.QueuedAt) {
		return a.t.QueuedAt.Before(b.t.QueuedAt)
	}
	return a.t.ID < b.t.ID
}

// enqueue puts a task into the queue in order and marks it Queued.
func (r *Router) enqueue(t *taskRec) {
	t.state = Queued
	t.agent = nil
	t.step, t.strategy, t.candidates = 0, 0, 0
	t.offeredAt, t.expiresAt, t.acceptedAt = time.Time{}, time.Time{}, time.Time{}
	t.manual, t.forced = false, false
	t.why, t.whyText = choice{}, ""
	i := sort.Search(len(r.queue), func(i int) bool { return r.before(t, r.queue[i]) })
	r.queue = append(r.queue, nil)
	copy(r.queue[i+1:], r.queue[i:])
	r.queue[i] = t
	r.tasks[t.t.ID] = t
}

// dequeue takes a queued task out of the queue.
func (r *Router) dequeue(t *taskRec) {
	i := sort.Search(len(r.queue), func(i int) bool { return !r.before(r.queue[i], t) })
	if i >= len(r.queue) || r.queue[i] != t {
		// A host ordering that is not a strict weak order can misplace tasks; find it anyway.
		for i = range r.queue {
			if r.queue[i] == t {
				break
			}
		}
	}
	copy(r.queue[i:], r.queue[i+1:])
	r.queue[len(r.queue)-1] = nil
	r.queue = shrink(r.queue[:len(r.queue)-1])
}

// Enqueue adds a task to the queue. A zero QueuedAt is set to Config.Now(). It returns an
// ErrInvalid error for a bad field (empty ID or channel, skill level outside 0-5, a skill
// listed twice, line outside 0-3) and ErrDuplicate when a live task has the same ID.
func (r *Router) Enqueue(t Task) error {
	if r == nil {
		return errNilRouter()
	}
	if err := validateTask(&t); err != nil {
		return err
	}
	r.lock()
	defer r.mu.Unlock()
	if _, ok := r.tasks[t.ID]; ok {
		return ErrDuplicate
	}
	if t.QueuedAt.IsZero() {
		t.QueuedAt = r.cfg.Now()
	}
	t = cloneTask(t)
	t.Reassigned = false
	r.enqueue(r.newTaskRec(t))
	return nil
}

// newTaskRec makes the record of a task, interning its channel and skills; forget
// releases them when the task leaves the Router.
func (r *Router) newTaskRec(t Task) *taskRec {
	rec := &taskRec{t: t, ch: r.chans.acquire(t.Channel)}
	rec.req = r.internReqs(t.Required)
	rec.pref = r.internReqs(t.Preferred)
	rec.key = r.orderKey(&rec.t)
	rec.setExtra()
	rec.indexExclude()
	return rec
}

func (r *Router) internReqs(reqs []SkillReq) []skillLevel {
	if len(reqs) == 0 {
		return nil
	}
	out := make([]skillLevel, len(reqs))
	for i, q := range reqs {
		out[i] = skillLevel{id: r.skills.acquire(q.Skill), level: int8(q.Level)}
	}
	return out
}

// forget drops a task that has left the queue and its agent: the record and the names it
// interned.
func (r *Router) forget(t *taskRec) {
	delete(r.tasks, t.t.ID)
	r.tasks = shrinkMap(r.tasks, &r.tasksPeak)
	r.chans.release(t.ch)
	for _, q := range t.req {
		r.skills.release(q.id)
	}
	for _, q := range t.pref {
		r.skills.release(q.id)
	}
}

// Task returns a copy of a live task and its routing record. Errors: ErrNotFound (also for
// completed and cancelled tasks, which leave the Router).
func (r *Router) Task(id string) (TaskInfo, error) {
	if r == nil {
		return TaskInfo{}, errNilRouter()
	}
	r.lock()
	defer r.mu.Unlock()
	t, ok := r.tasks[id]
	if !ok {
		return TaskInfo{}, notFound("task", id)
	}
	return t.info(), nil
}

func (t *taskRec) info() TaskInfo {
	info := TaskInfo{
		Task: cloneTask(t.t), State: t.state, Step: t.step, Strategy: t.strategy,
		Candidates: t.candidates, OfferedAt: t.offeredAt, ExpiresAt: t.expiresAt,
		AcceptedAt: t.acceptedAt, Manual: t.manual, Forced: t.forced,
	}
	if t.agent != nil {
		info.AgentID = t.agent.a.ID
	}
	return info
}

// Queue returns the IDs of the waiting tasks in the order they are served.
func (r *Router) Queue() []string {
	r = r.orEmpty()
	r.lock()
	defer r.mu.Unlock()
	ids := make([]string, len(r.queue))
	for i, t := range r.queue {
		ids[i] = t.t.ID
	}
	return ids
}
