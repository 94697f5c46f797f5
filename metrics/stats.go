package metrics

import (
	"maps"
	"math"
	"math/bits"
	"slices"
	"time"
)

// DurationKPI names a per-ticket duration that reports summarise.
type DurationKPI int

const (
	// FRT is FirstResponseTime: FirstReply − Created.
	FRT DurationKPI = iota
	// FirstResolution is FirstResolutionTime: FirstSolved − Created.
	FirstResolution
	// FullResolution is FullResolutionTime: Solved − Created.
	FullResolution
	// RequesterWait is RequesterWaitTime: resolution time minus time pending on the customer.
	RequesterWait
	// AgentWork is AgentWorkTime: the sum of handle-time segments; its mean is AHT.
	AgentWork
	numDurations
)

func (k DurationKPI) of(r *Record, cal Calendar) (time.Duration, bool) {
	switch k {
	case FRT:
		return FirstResponseTime(r, cal)
	case FirstResolution:
		return FirstResolutionTime(r, cal)
	case FullResolution:
		return FullResolutionTime(r, cal)
	case RequesterWait:
		return RequesterWaitTime(r, cal)
	case AgentWork:
		return AgentWorkTime(r, cal)
	}
	return 0, false
}

// wall returns k.of(r, nil), the KPI on the wall clock; t holds r's times.
func (k DurationKPI) wall(r *Record, t *recordTimes) (time.Duration, bool) {
	var end instant
	switch k {
	case FRT:
		end = t.firstReply
	case FirstResolution:
		end = t.firstSolved
	case FullResolution:
		end = t.solved
	default:
		return k.of(r, nil)
	}
	if end.zero() {
		return 0, false
	}
	return wallBetween(t.created, end), true
}

// sum128 is an exact 128-bit sum (hi:lo) of non-negative int64 values: every duration KPI
// is at least zero.
type sum128 struct {
	hi uint64
	lo uint64
}

func (s *sum128) add(v int64) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, uint64(v), 0)
	s.hi += carry
}

func (s *sum128) merge(o sum128) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, o.lo, 0)
	s.hi += o.hi + carry
}

// saturated returns the sum, or the largest int64 when it does not fit.
func (s sum128) saturated() int64 {
	if s.hi == 0 && s.lo <= math.MaxInt64 {
		return int64(s.lo)
	}
	return math.MaxInt64
}

// float returns the sum rounded to a float64.
func (s sum128) float() float64 { return float64(s.hi)*0x1p64 + float64(s.lo) }

// div returns the sum divided by n > 0, rounded toward zero. A sum of n int64 values
// divided by n always fits an int64 (and hi < n, so bits.Div64 cannot overflow).
func (s sum128) div(n uint64) int64 {
	q, _ := bits.Div64(s.hi, s.lo, n)
	return int64(q)
}

// SLACount counts the decided outcomes of one SLA metric.
type SLACount struct {
	Met      int // tickets whose outcome was met
	Breached int // tickets whose outcome was breached
}

// Stats holds the KPIs of one group of tickets. Counters are exported; the methods give the
// rates, each returning ok == false (and 0) when its denominator is zero, so a report never
// holds a NaN. In a report grouped by team that credits measures to the owner when they
// happened (the default Attribution), a group's Tickets, Solved, CSAT, CES, AgentWork and
// most SLA outcomes are those of the tickets it owns now, while FRT, EverSolved, FCRCount,
// Reopened, the resolution times and the first_response and resolution SLA outcomes are
// those of the first replies and solves it made (see AttributeWhenItHappened). A
// Stats returned by a Report is a copy owned by the caller; it is not safe for concurrent
// mutation.
type Stats struct {
	Tickets      int    // records counted (created tickets)
	EverSolved   int    // records with FirstSolved set
	Solved       int    // records with Solved set (solved now)
	Reopened     int    // records with Reopens > 0
	FCRCount     [3]int // indexed by FCRVariant: solved tickets resolved at first contact
	CSATAnswers  int    // records with a CSAT answer
	CSATPositive int    // answers of 4 or 5
	CESAnswers   int    // records with a CES answer
	CESSum       int    // sum of the CES answers
	// HourOfWeek counts tickets by creation hour in the report's zone; index 0 is Monday
	// 00:00–01:00, 167 is Sunday 23:00–24:00.
	HourOfWeek [168]int
	// SLA counts the outcomes of each SLA metric (at most MaxSLAMetrics metrics).
	SLA map[SLAMetric]SLACount

	wall     [numDurations]dist // alpha 0 for KPIs not kept
	business [numDurations]dist // kept only when the report has a Calendar
	hasCal   bool
}

// role is a part of a record that a report may credit to an owner other than the ticket's
// current one (see Attribution).
type role uint8

const (
	roleTicket     role = 1 << iota // counts, answers, AgentWork, other SLA outcomes: Record's owner
	roleReply                       // FRT and the first_response outcome: OwnerAtFirstReply
	roleFirstSolve                  // EverSolved, FCR, Reopened, FirstResolution: OwnerAtFirstSolve
	roleSolve                       // FullResolution, RequesterWait, the resolution outcome: OwnerAtSolve
	allRoles       = roleTicket | roleReply | roleFirstSolve | roleSolve
)

// durationRole is the role that carries duration KPI k.
var durationRole = [numDurations]role{FRT: roleReply, FirstResolution: roleFirstSolve,
	FullResolution: roleSolve, RequesterWait: roleSolve, AgentWork: roleTicket}

// slaRole returns the role that carries r's outcome of SLA metric m.
func slaRole(r *Record, m SLAMetric) role {
	switch {
	case m == SLAFirstResponse && !r.FirstReply.IsZero():
		return roleReply
	case m == SLAResolution && !r.Solved.IsZero():
		return roleSolve
	}
	return roleTicket
}

// slaRoleAt is slaRole for a record whose times are t.
func slaRoleAt(t *recordTimes, m SLAMetric) role {
	switch {
	case m == SLAFirstResponse && !t.firstReply.zero():
		return roleReply
	case m == SLAResolution && !t.solved.zero():
		return roleSolve
	}
	return roleTicket
}

// Duration summarises duration KPI k in wall-clock time (Summary.Clock is ClockWall). It
// returns a zero Summary, with its Clock, when the report does not keep k
// (ReportConfig.Durations).
func (s *Stats) Duration(k DurationKPI) Summary {
	if k < 0 || k >= numDurations {
		return Summary{Clock: ClockWall}
	}
	return s.wall[k].summary(ClockWall)
}

// BusinessDuration summarises duration KPI k in business hours of the report's Calendar
// (Summary.Clock is ClockBusiness); ok is false when the report has no Calendar.
func (s *Stats) BusinessDuration(k DurationKPI) (sum Summary, ok bool) {
	if !s.hasCal || k < 0 || k >= numDurations {
		return Summary{Clock: ClockBusiness}, false
	}
	return s.business[k].summary(ClockBusiness), true
}

// HasCalendar reports whether the report that made s had a Calendar, so that
// BusinessDuration answers.
func (s *Stats) HasCalendar() bool { return s.hasCal }

// Quantile returns the q-percentile of duration KPI k in wall-clock time, by linear
// interpolation (see Summary): exact up to ExactLimit tickets, within the report's relative
// accuracy above. ok is false when no ticket has the KPI, the report does not keep it, or q
// is outside [0, 1].
func (s *Stats) Quantile(k DurationKPI, q float64) (d time.Duration, ok bool) {
	if k < 0 || k >= numDurations {
		return 0, false
	}
	return s.wall[k].quantile(q)
}

// BusinessQuantile is Quantile in business hours of the report's Calendar; ok is also false
// when the report has no Calendar.
func (s *Stats) BusinessQuantile(k DurationKPI, q float64) (d time.Duration, ok bool) {
	if !s.hasCal || k < 0 || k >= numDurations {
		return 0, false
	}
	return s.business[k].quantile(q)
}

// DiscreteQuantile returns the nearest-rank q-percentile of duration KPI k in wall-clock
// time, PostgreSQL's percentile_disc (see Summary): one of the group's values while it has at
// most ExactLimit of them, within the report's relative accuracy above. ok is false when no
// ticket has the KPI, the report does not keep it, or q is outside [0, 1].
func (s *Stats) DiscreteQuantile(k DurationKPI, q float64) (d time.Duration, ok bool) {
	if k < 0 || k >= numDurations {
		return 0, false
	}
	return s.wall[k].discrete(q)
}

// BusinessDiscreteQuantile is DiscreteQuantile in business hours of the report's Calendar;
// ok is also false when the report has no Calendar.
func (s *Stats) BusinessDiscreteQuantile(k DurationKPI, q float64) (d time.Duration, ok bool) {
	if !s.hasCal || k < 0 || k >= numDurations {
		return 0, false
	}
	return s.business[k].discrete(q)
}

// AHT is average handle time: Σ AgentWorkTime / (tickets with handle time). ok is false
// when no ticket has handle time or the report does not keep AgentWork.
func (s *Stats) AHT() (time.Duration, bool) {
	sum := s.wall[AgentWork].summary(ClockWall)
	return sum.Mean, sum.Count > 0
}

// ResolutionRate = Solved / Tickets: the share of tickets solved now.
func (s *Stats) ResolutionRate() (float64, bool) { return ratio(s.Solved, s.Tickets) }

// ReopenRate = Reopened / EverSolved: the share of solved tickets reopened at least once.
func (s *Stats) ReopenRate() (float64, bool) { return ratio(s.Reopened, s.EverSolved) }

// FCR = FCRCount[v] / EverSolved: first contact resolution under variant v.
func (s *Stats) FCR(v FCRVariant) (float64, bool) {
	if v < 0 || int(v) >= len(s.FCRCount) {
		return 0, false
	}
	return ratio(s.FCRCount[v], s.EverSolved)
}

// CSAT = CSATPositive / CSATAnswers: the share of satisfaction answers that are 4 or 5 on
// the 1–5 scale.
func (s *Stats) CSAT() (float64, bool) { return ratio(s.CSATPositive, s.CSATAnswers) }

// CES = CESSum / CESAnswers: the mean customer-effort answer on the 1–7 scale.
func (s *Stats) CES() (float64, bool) { return ratio(s.CESSum, s.CESAnswers) }

// SLAAttainment = Met / (Met + Breached) for SLA metric m; ok is false when no outcome of m
// was recorded.
func (s *Stats) SLAAttainment(m SLAMetric) (float64, bool) {
	c := s.SLA[m]
	return ratio(c.Met, c.Met+c.Breached)
}

// SLAMetrics returns the SLA metric names seen, sorted.
func (s *Stats) SLAMetrics() []SLAMetric { return sortedKeys(s.SLA) }

func ratio(num, den int) (float64, bool) {
	if den <= 0 {
		return 0, false
	}
	return float64(num) / float64(den), true
}

func sortedKeys[K ~string, V any](m map[K]V) []K { return slices.Sorted(maps.Keys(m)) }
