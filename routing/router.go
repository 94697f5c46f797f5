package routing

import (
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
)

// Router assigns tasks to agents. It is an in-process engine: the host adds agents and
// tasks, calls Dispatch (or Run) to make offers, and reports accepts, declines, completions
// and presence changes. A Router is safe for concurrent use; every method takes one lock.
// Nothing runs in the background unless the host calls Run. The zero Router is an empty
// Router with the default Config, like New(Config{}).
//
// A nil *Router holds nothing and never panics: every method with an error result returns
// an ErrInvalid error (a *ValidationError with Field "Router") and changes nothing, Run
// included, which returns at once; every other method answers as an empty Router does.
//
// Memory and the cost of each call follow the live agents and tasks: the names of skills
// and channels are forgotten once no agent or live task uses them.
type Router struct {
	mu  sync.Mutex
	cfg Config

	agents     map[string]*agentRec // nil until the Router is initialized
	tasks      map[string]*taskRec  // live tasks: queued, offered or assigned
	offered    map[string]*taskRec  // tasks in the Offered state
	offline    map[string]*agentRec
	agentsPeak int // most entries agents held since it was made (see shrinkMap)
	tasksPeak  int // the same for tasks

	skills   interner[string, skillIndex] // skill names, with the agents who can take work now
	chans    interner[Channel, int]       // channel names, with how many agents can take a task on each now
	withRoom []*agentRec                  // agents who can take a task on some channel now

	queue   []*taskRec // queued tasks in service order
	nextSeq uint64
	rrLast  uint64 // seq of the agent last chosen by round robin
	offers  uint64 // the No of the last offer made
	// gen changes whenever an agent is added, changed or removed, or goes offline or
	// online: a task's cached verdict (see judge) holds only for the gen it was made at.
	gen uint64
}

// New returns an empty Router. It returns an ErrInvalid error when cfg breaks a documented
// rule (unknown strategy, HostScore without Score, steps out of order, negative durations).
func New(cfg Config) (*Router, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	r := &Router{cfg: c}
	r.reset()
	return r, nil
}

func (r *Router) reset() {
	r.agents = make(map[string]*agentRec)
	r.tasks = make(map[string]*taskRec)
	r.offered = make(map[string]*taskRec)
	r.offline = make(map[string]*agentRec)
	r.agentsPeak, r.tasksPeak = 0, 0
	r.skills = interner[string, skillIndex]{}
	r.chans = interner[Channel, int]{}
	r.withRoom = nil
	r.queue = nil
	r.nextSeq = 1
	r.rrLast = 0
	r.offers = 0
	r.gen++
}

// lock takes the Router's lock; a zero Router first becomes an empty one with the default
// Config.
func (r *Router) lock() {
	r.mu.Lock()
	if r.agents == nil {
		r.cfg, _ = Config{}.withDefaults() // the zero Config is valid
		r.reset()
	}
}

// orEmpty returns r, or a new zero Router when r is nil, so that the methods without an
// error result answer on a nil *Router as on an empty one.
func (r *Router) orEmpty() *Router {
	if r == nil {
		return new(Router)
	}
	return r
}

// at returns now, or Config.Now() when now is zero: every method that takes the time reads
// the zero time as the Router's clock. Called with r.mu held.
func (r *Router) at(now time.Time) time.Time {
	if now.IsZero() {
		return r.cfg.Now()
	}
	return now
}

// config returns the Router's configuration with defaults applied.
func (r *Router) config() Config {
	r.lock()
	defer r.mu.Unlock()
	return r.cfg
}

// shrinkMap is called after each delete from m: it records in *peak the most entries m has
// held and returns a copy of m once it holds under a quarter of them, since a Go map keeps
// its room after deletes.
func shrinkMap[K comparable, V any](m map[K]V, peak *int) map[K]V {
	*peak = max(*peak, len(m)+1)
	if *peak <= 64 || 4*len(m) >= *peak {
		return m
	}
	c := make(map[K]V, len(m))
	for k, v := range m {
		c[k] = v
	}
	*peak = len(c)
	return c
}

// AddAgent registers an agent with its presence as given (the zero Presence is Available).
// It returns an ErrInvalid error for a bad field (empty ID, skill level outside 0-5,
// negative capacity, line outside 1-3, unknown presence) and ErrDuplicate when the ID is
// taken. An agent with capacity on no channel is accepted, as UpdateAgent may give it some,
// but is never offered work; Stats.AgentsWithoutCapacity lists it.
func (r *Router) AddAgent(a Agent) error {
	if r == nil {
		return errNilRouter()
	}
	if err := validateAgent(&a); err != nil {
		return err
	}
	r.lock()
	defer r.mu.Unlock()
	if _, ok := r.agents[a.ID]; ok {
		return ErrDuplicate
	}
	if a.PresenceSince.IsZero() {
		a.PresenceSince = r.cfg.Now()
	}
	r.insertAgent(cloneAgent(a), 0)
	return nil
}

// insertAgent indexes a validated, cloned agent; seq 0 takes the next sequence number.
func (r *Router) insertAgent(a Agent, seq uint64) *agentRec {
	if seq == 0 {
		seq = r.nextSeq
	}
	r.nextSeq = max(r.nextSeq, seq+1)
	rec := &agentRec{a: a, seq: seq, roomPos: -1, available: a.Presence == Available,
		work: make(map[string]*taskRec)}
	r.setProfile(rec)
	r.agents[a.ID] = rec
	r.markReady(rec, 1)
	r.gen++
	return rec
}

// UpdateAgent replaces an agent's profile (Name, Skills, Languages, Line, Teams, Capacity,
// Exclusive); presence and LastWork are kept (use SetPresence). Current work stays with the
// agent even if the new capacity is lower. Errors: ErrNotFound, ErrInvalid.
func (r *Router) UpdateAgent(a Agent) error {
	if r == nil {
		return errNilRouter()
	}
	if err := validateAgent(&a); err != nil {
		return err
	}
	r.lock()
	defer r.mu.Unlock()
	rec, ok := r.agents[a.ID]
	if !ok {
		return notFound("agent", a.ID)
	}
	c := cloneAgent(a)
	c.Presence, c.PresenceSince, c.LastWork = rec.a.Presence, rec.a.PresenceSince, rec.a.LastWork
	r.markReady(rec, -1)
	r.indexReady(rec, false)
	rec.a = c
	r.setProfile(rec)
	r.markReady(rec, 1)
	r.gen++
	return nil
}

// RemoveAgent removes an agent. Its open offers return to the queue and its accepted tasks
// return flagged Reassigned. Errors: ErrNotFound.
func (r *Router) RemoveAgent(id string) error {
	if r == nil {
		return errNilRouter()
	}
	r.lock()
	defer r.mu.Unlock()
	rec, ok := r.agents[id]
	if !ok {
		return notFound("agent", id)
	}
	for _, t := range sortedWork(rec) {
		reassigned := t.state == Assigned
		r.release(t)
		t.t.Reassigned = t.t.Reassigned || reassigned
		r.enqueue(t)
	}
	r.markReady(rec, -1)
	r.indexReady(rec, false)
	r.releaseProfile(rec)
	delete(r.agents, id)
	r.agents = shrinkMap(r.agents, &r.agentsPeak)
	delete(r.offline, id)
	r.gen++
	return nil
}

// SetPresence changes an agent's presence and records the time (Config.Now). Going offline
// returns the agent's open offers to the queue at once; accepted tasks return after
// Config.OfflineGrace (see Expire) unless the agent comes back first. Setting the current
// presence again changes nothing. Errors: ErrNotFound, ErrInvalid for an unknown presence.
func (r *Router) SetPresence(id string, p Presence) error {
	if r == nil {
		return errNilRouter()
	}
	if !p.valid() {
		return invalid("Presence", "unknown value %d", uint8(p))
	}
	r.lock()
	defer r.mu.Unlock()
	rec, ok := r.agents[id]
	if !ok {
		return notFound("agent", id)
	}
	if rec.a.Presence == p {
		return nil
	}
	now := r.cfg.Now()
	if (rec.a.Presence == Offline) != (p == Offline) {
		r.gen++
	}
	r.markReady(rec, -1)
	rec.a.Presence, rec.a.PresenceSince = p, now
	rec.available = p == Available
	r.markReady(rec, 1)
	delete(r.offline, id)
	if p != Offline {
		return nil
	}
	for _, t := range sortedWork(rec) {
		if t.state == Offered {
			r.release(t)
			r.enqueue(t)
		}
	}
	if rec.active > 0 {
		r.offline[id] = rec
		r.returnAfterGrace(rec, now)
	}
	return nil
}

// Speaks reports whether some agent, whatever its presence, lists a language of tag's base
// language (an agent with ru-RU speaks ru). It is false for language.Und.
func (r *Router) Speaks(tag language.Tag) bool {
	r = r.orEmpty()
	if tag == language.Und {
		return false
	}
	base, _ := tag.Base()
	r.lock()
	defer r.mu.Unlock()
	for _, rec := range r.agents {
		for _, l := range rec.a.Languages {
			if b, _ := l.Base(); b == base {
				return true
			}
		}
	}
	return false
}

// Agent returns a copy of the agent with its current load. Errors: ErrNotFound.
func (r *Router) Agent(id string) (AgentInfo, error) {
	if r == nil {
		return AgentInfo{}, errNilRouter()
	}
	r.lock()
	defer r.mu.Unlock()
	rec, ok := r.agents[id]
	if !ok {
		return AgentInfo{}, notFound("agent", id)
	}
	info := AgentInfo{Agent: cloneAgent(rec.a), Load: make(map[Channel]int)}
	for _, t := range sortedWork(rec) {
		info.Load[t.t.Channel]++
		if t.state == Offered {
			info.Offered = append(info.Offered, t.t.ID)
		} else {
			info.Tasks = append(info.Tasks, t.t.ID)
		}
	}
	return info, nil
}

// sortedWork returns the agent's tasks ordered by ID, for deterministic processing.
func sortedWork(a *agentRec) []*taskRec {
	out := make([]*taskRec, 0, len(a.work))
	for _, t := range a.work {
		out = append(out, t)
	}
	slices.SortFunc(out, func(x, y *taskRec) int { return strings.Compare(x.t.ID, y.t.ID) })
	return out
}

// returnAfterGrace requeues the accepted tasks of an offline agent once the grace period
// since it went offline has passed; it returns their IDs.
func (r *Router) returnAfterGrace(a *agentRec, now time.Time) []string {
	if now.Before(a.a.PresenceSince.Add(r.cfg.OfflineGrace)) {
		return nil
	}
	var ids []string
	for _, t := range sortedWork(a) {
		if t.state != Assigned {
			continue
		}
		r.release(t)
		t.t.Reassigned = true
		r.enqueue(t)
		ids = append(ids, t.t.ID)
	}
	delete(r.offline, a.a.ID)
	return ids
}
