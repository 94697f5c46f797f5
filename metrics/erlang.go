package metrics

import (
	"math"
	"time"
)

// ErlangB returns the Erlang B blocking probability of traffic erlangs offered to agents
// servers with no queue. It uses the stable recursion B(0) = 1,
// B(k) = a·B(k−1) / (k + a·B(k−1)), never factorials or powers, so it neither overflows nor
// loses precision at large loads. It returns a *ValidationError wrapping ErrInvalid when
// agents is outside 0..MaxErlangs or traffic outside (0, MaxErlangs].
func ErlangB(agents int, traffic float64) (float64, error) {
	if err := validTraffic(agents, 0, traffic); err != nil {
		return 0, err
	}
	return erlangB(agents, traffic), nil
}

func erlangB(n int, a float64) float64 {
	b := 1.0
	for k := 1; k <= n; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// ErlangC returns the probability that a contact waits, for traffic erlangs offered to agents
// servers with an unlimited queue (M/M/N): C = N·B / (N − a·(1 − B)) with B = ErlangB(N, a).
// It returns 1 when agents ≤ traffic (the queue grows without bound and everyone waits), and a
// *ValidationError wrapping ErrInvalid when agents is outside 1..MaxErlangs or traffic outside
// (0, MaxErlangs].
func ErlangC(agents int, traffic float64) (float64, error) {
	if err := validTraffic(agents, 1, traffic); err != nil {
		return 0, err
	}
	return erlangC(agents, traffic, erlangB(agents, traffic)), nil
}

// erlangC returns C(n, a) given b = B(n, a).
func erlangC(n int, a, b float64) float64 {
	if float64(n) <= a {
		return 1
	}
	return float64(n) * b / (float64(n) - a*(1-b))
}

// MaxErlangs bounds the traffic and the agents the staffing functions accept, so that every
// call finishes in well under a second: the Erlang B recursion is linear in the agents, an
// Erlang A evaluation is linear in the agents plus the queue lengths it sums, and AgentsFor
// needs a few dozen evaluations (about 0.3–0.6 s for Erlang A at 1,000,000 erlangs).
const MaxErlangs = 1_000_000

func validTraffic(agents, minAgents int, traffic float64) error {
	if agents < minAgents || agents > MaxErlangs {
		return invalid("agents", "%d is outside %d..%d", agents, minAgents, MaxErlangs)
	}
	if !(traffic > 0 && traffic <= MaxErlangs) {
		return invalid("traffic", "%v erlangs; traffic must be positive and at most %d", traffic, MaxErlangs)
	}
	return nil
}

// Queue describes contacts arriving at a pool of agents: calls or chats, or tickets treated
// as a queue.
type Queue struct {
	// Arrivals is the mean number of contacts per Interval (Poisson arrivals).
	Arrivals float64
	// Interval is the period Arrivals counts over. Default: one hour.
	Interval time.Duration
	// AHT is the mean handle time (exponentially distributed); it must be positive.
	AHT time.Duration
	// Patience is the mean time a waiting contact stays before abandoning (exponential).
	// Zero means contacts never abandon (Erlang C); a positive value selects Erlang A.
	Patience time.Duration
}

// Traffic returns the offered load in erlangs: Arrivals · AHT / Interval.
func (q Queue) Traffic() float64 {
	iv := q.Interval
	if iv == 0 {
		iv = time.Hour
	}
	return q.Arrivals * float64(q.AHT) / float64(iv)
}

func (q Queue) validate() error {
	switch {
	case !(q.Arrivals >= 0) || math.IsInf(q.Arrivals, 1):
		return invalid("Arrivals", "%v is not a finite non-negative number", q.Arrivals)
	case q.Interval < 0:
		return invalid("Interval", "is negative")
	case q.AHT <= 0:
		return invalid("AHT", "must be positive")
	case q.Patience < 0:
		return invalid("Patience", "is negative")
	}
	return nil
}

// QueueStats are the steady-state figures of a queue served by Agents agents.
type QueueStats struct {
	Agents  int     // agents on the queue
	Traffic float64 // offered load in erlangs
	// PWait is the probability that a contact waits at all.
	PWait float64
	// ServiceLevel is the share of all contacts answered within the threshold given
	// (abandoned contacts count as not answered).
	ServiceLevel float64
	// ASA is the average speed of answer: the mean wait over all contacts, including those
	// answered at once (and, under Erlang A, the time abandoned contacts waited).
	ASA time.Duration
	// Occupancy is the carried load per agent: the share of time agents are busy.
	Occupancy float64
	// PAbandon is the probability that a contact abandons (0 under Erlang C).
	PAbandon float64
}

// Evaluate returns the figures of q served by agents agents, with the service level measured
// against answerWithin. Without Patience it uses Erlang C (M/M/N):
// ServiceLevel = 1 − C·e^(−(N−a)·t/AHT), ASA = C·AHT/(N−a), Occupancy = a/N. With Patience
// it uses Erlang A (M/M/N+M): the exact stationary distribution of the birth-death chain
// with abandonment rate 1/Patience per waiting contact gives PWait and the mean queue, hence
// PAbandon and ASA by Little's law, Occupancy = a·(1 − PAbandon)/N, and ServiceLevel counts
// the contacts answered within t (those who abandon first do not count as answered). It
// returns a *ValidationError wrapping ErrInvalid for an invalid queue, no arrivals, agents
// outside 1..MaxErlangs, a negative threshold, or, under Erlang C, agents ≤ traffic (the
// queue never clears).
func (q Queue) Evaluate(agents int, answerWithin time.Duration) (QueueStats, error) {
	if err := q.validate(); err != nil {
		return QueueStats{}, err
	}
	a := q.Traffic()
	if err := validTraffic(agents, 1, a); err != nil {
		return QueueStats{}, err
	}
	if answerWithin < 0 {
		return QueueStats{}, invalid("answerWithin", "is negative")
	}
	if q.Patience > 0 {
		s, _ := erlangA(agents, a, float64(q.AHT)/float64(q.Patience), answerWithin.Seconds()/q.AHT.Seconds(), q.AHT)
		return s, nil
	}
	if float64(agents) <= a {
		return QueueStats{}, invalid("agents", "%d agents for %.2f erlangs: the queue never clears", agents, a)
	}
	return erlangCStats(agents, a, erlangB(agents, a), answerWithin, q.AHT), nil
}

func erlangCStats(n int, a, b float64, t, aht time.Duration) QueueStats {
	c := erlangC(n, a, b)
	free := float64(n) - a
	return QueueStats{
		Agents:       n,
		Traffic:      a,
		PWait:        c,
		ServiceLevel: 1 - c*math.Exp(-free*t.Seconds()/aht.Seconds()),
		ASA:          time.Duration(c * float64(aht) / free),
		Occupancy:    a / float64(n),
	}
}

// Target is a staffing goal.
type Target struct {
	// ServiceLevel is the share of contacts to answer within AnswerWithin, in (0, 1).
	// Default 0.8.
	ServiceLevel float64
	// AnswerWithin is the service-level threshold. Default 20 seconds.
	AnswerWithin time.Duration
	// MaxASA, when positive, also bounds the average speed of answer. Default: no bound.
	MaxASA time.Duration
	// MaxOccupancy, when positive, bounds agent occupancy, e.g. 0.85. Default: no bound.
	MaxOccupancy float64
	// MaxAbandon, when positive, bounds the abandonment probability (Erlang A). Default: none.
	MaxAbandon float64
	// Shrinkage is the share of paid time agents are not on the queue (breaks, meetings,
	// training, absence), in [0, 1). Default 0.
	Shrinkage float64
}

func (t Target) withDefaults() (Target, error) {
	if t.ServiceLevel == 0 {
		t.ServiceLevel = 0.8
	}
	if t.AnswerWithin == 0 {
		t.AnswerWithin = 20 * time.Second
	}
	switch {
	case !(t.ServiceLevel > 0 && t.ServiceLevel < 1):
		return t, invalid("ServiceLevel", "%v is outside (0, 1)", t.ServiceLevel)
	case t.AnswerWithin < 0:
		return t, invalid("AnswerWithin", "durations must not be negative")
	case t.MaxASA < 0:
		return t, invalid("MaxASA", "durations must not be negative")
	case !(t.MaxOccupancy >= 0 && t.MaxOccupancy <= 1):
		return t, invalid("MaxOccupancy", "%v is outside [0, 1]", t.MaxOccupancy)
	case !(t.MaxAbandon >= 0 && t.MaxAbandon < 1):
		return t, invalid("MaxAbandon", "%v is outside [0, 1)", t.MaxAbandon)
	case !(t.Shrinkage >= 0 && t.Shrinkage < 1):
		return t, invalid("Shrinkage", "%v is outside [0, 1)", t.Shrinkage)
	}
	return t, nil
}

func (t Target) met(s QueueStats) bool {
	return s.ServiceLevel >= t.ServiceLevel &&
		(t.MaxASA <= 0 || s.ASA <= t.MaxASA) &&
		(t.MaxOccupancy <= 0 || s.Occupancy <= t.MaxOccupancy) &&
		(t.MaxAbandon <= 0 || s.PAbandon <= t.MaxAbandon)
}

// Plan is a staffing answer: the figures at the smallest number of agents on the queue that
// meets the target, and the people to schedule once shrinkage is allowed for.
type Plan struct {
	QueueStats
	// Scheduled = ⌈Agents / (1 − Shrinkage)⌉.
	Scheduled int
}

// maxAgentsOverLoad bounds the staffing search; no target needs this many agents above the load.
const maxAgentsOverLoad = 100000

// MaxStaffingTerms bounds the work of one AgentsFor call, and of one PlanWeek call for its
// whole week: the queue lengths its Erlang A evaluations may sum in all (about 150 ns each,
// so well under a second). Realistic queues stay far below it (a Patience of 12 handle times
// at MaxErlangs sums about 1.5 million); a Patience of many thousand handle times at a large
// load goes past it.
const MaxStaffingTerms = 1 << 22

// work counts the queue lengths summed so far by one staffing call.
type work struct{ terms int }

// AgentsFor returns the smallest number of agents on the queue that meets target t. With no
// arrivals it returns a zero Plan (no one needed). It returns a *ValidationError wrapping
// ErrInvalid for an invalid queue or target, or traffic above MaxErlangs, and a *LimitError
// wrapping ErrLimit when the Erlang A search would sum more than MaxStaffingTerms queue
// lengths.
func AgentsFor(q Queue, t Target) (Plan, error) { return agentsFor(q, t, &work{}) }

func agentsFor(q Queue, t Target, w *work) (Plan, error) {
	if err := q.validate(); err != nil {
		return Plan{}, err
	}
	t, err := t.withDefaults()
	if err != nil {
		return Plan{}, err
	}
	a := q.Traffic()
	if a == 0 {
		return Plan{}, nil
	}
	if a > MaxErlangs {
		return Plan{}, invalid("traffic", "%v erlangs is above %d", a, MaxErlangs)
	}
	if q.Patience > 0 {
		return agentsForA(q, t, a, w)
	}
	// Erlang C: step B(n) up from n = 1; only n > a can meet a target.
	b := 1.0
	for n := 1; n <= int(a)+maxAgentsOverLoad; n++ {
		b = a * b / (float64(n) + a*b)
		if float64(n) <= a {
			continue
		}
		if s := erlangCStats(n, a, b, t.AnswerWithin, q.AHT); t.met(s) {
			return plan(s, t.Shrinkage), nil
		}
	}
	return Plan{}, invalid("target", "not reachable")
}

func plan(s QueueStats, shrinkage float64) Plan {
	need := float64(s.Agents) / (1 - shrinkage)
	// guard against 10/(1-0.5) = 20.000000000000004 style rounding
	return Plan{QueueStats: s, Scheduled: int(math.Ceil(need - 1e-9))}
}

// agentsForA searches the Erlang A staffing: every figure the target bounds improves as
// agents are added, so it gallops from the load (where the answer usually lies within a few
// square roots of it) in doubling steps to a bracket, then bisects it. Each evaluation is
// linear in the agents plus the queue lengths summed, so a search costs a few dozen of them.
//
// Every evaluation adds the queue lengths it summed to w; once w holds more than
// MaxStaffingTerms the search stops with a *LimitError.
func agentsForA(q Queue, t Target, a float64, w *work) (Plan, error) {
	theta := float64(q.AHT) / float64(q.Patience)
	tt := t.AnswerWithin.Seconds() / q.AHT.Seconds()
	over := false
	eval := func(n int) QueueStats {
		if w.terms > MaxStaffingTerms {
			over = true
			return QueueStats{} // meets no target
		}
		s, terms := erlangA(n, a, theta, tt, q.AHT)
		w.terms += terms
		return s
	}
	limit := func() error { return &LimitError{Limit: "MaxStaffingTerms", Max: MaxStaffingTerms} }
	start := max(1, int(math.Ceil(a)))
	lo, hi := 0, start // lo fails (or is zero agents), hi meets
	if t.met(eval(start)) {
		for step := 1; start-step > 0; step *= 2 {
			if !t.met(eval(start - step)) {
				lo = start - step
				break
			}
			hi = start - step
		}
	} else {
		lo = start
		for step := 1; ; step *= 2 {
			if over {
				return Plan{}, limit()
			}
			if start+step > int(a)+maxAgentsOverLoad {
				return Plan{}, invalid("target", "not reachable")
			}
			if t.met(eval(start + step)) {
				hi = start + step
				break
			}
			lo = start + step
		}
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if t.met(eval(mid)) {
			hi = mid
		} else {
			lo = mid
		}
	}
	best := eval(hi)
	if over {
		return Plan{}, limit()
	}
	return plan(best, t.Shrinkage), nil
}
