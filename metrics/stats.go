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

// String returns the KPI's short name.
func (k DurationKPI) String() string {
	switch k {
	case FRT:
		return "first response"
	case FirstResolution:
		return "first resolution"
	case FullResolution:
		return "full resolution"
	case RequesterWait:
		return "requester wait"
	case AgentWork:
		return "agent work"
	}
	return "unknown"
}

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

// Summary describes the distribution of one duration KPI over a group of tickets. The sum
// behind Mean and Total is kept exactly, to the nanosecond, at any number of tickets (a
// 128-bit accumulator, enough for 2^64 tickets of the longest Duration). Mean is that sum divided by Count, rounded toward zero; it always fits a
// Duration. Total is the exact sum while it fits a Duration (about 292 years); beyond that it
// saturates at the largest Duration and TotalSeconds, which never overflows, gives the sum
// (to float64 precision). P50, P90 and P95 come from the group's sketch (within its relative
// accuracy of the exact lower quantile, then rounded to the millisecond). All fields are zero
// when Count is zero.
type Summary struct {
	Count        int           // tickets that have the KPI
	Total        time.Duration // exact sum, saturated at the largest Duration
	TotalSeconds float64       // the sum in seconds (float64 precision), never saturated
	Mean         time.Duration // sum / Count, rounded toward zero
	P50          time.Duration // median, from the sketch
	P90          time.Duration // 90th percentile, from the sketch
	P95          time.Duration // 95th percentile, from the sketch
}

// dist is one duration KPI's accumulator: an exact sum and a quantile sketch of seconds.
type dist struct {
	sum sum128
	sk  *Sketch
}

func (d *dist) add(v time.Duration) {
	d.sum.add(int64(v))
	d.sk.add(v.Seconds())
}

func (d *dist) merge(o *dist) {
	d.sum.merge(o.sum)
	_ = d.sk.Merge(o.sk) // same accuracy: checked by Report.Merge
}

func (d *dist) summary() Summary {
	if d.sk == nil {
		return Summary{}
	}
	n := int(d.sk.Count())
	if n == 0 {
		return Summary{}
	}
	q := func(p float64) time.Duration {
		v, _ := d.sk.Quantile(p)
		return time.Duration(v * float64(time.Second)).Round(time.Millisecond)
	}
	return Summary{
		Count: n, Total: time.Duration(d.sum.saturated()), TotalSeconds: d.sum.float() / 1e9,
		Mean: time.Duration(d.sum.div(uint64(n))), P50: q(0.5), P90: q(0.9), P95: q(0.95),
	}
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
// holds a NaN. A Stats returned by a Report is a copy owned by the caller; it is not safe for
// concurrent mutation.
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
	// SLA counts the outcomes of each SLA metric, by name (at most MaxSLAMetrics names).
	SLA map[string]SLACount

	kpis     []DurationKPI      // the duration KPIs kept, shared with the report
	wall     [numDurations]dist // sketch nil for KPIs not kept
	business [numDurations]dist // used when the report has a Calendar
	hasCal   bool
}

func newStats(alpha float64, kpis []DurationKPI, hasCal bool) *Stats {
	s := &Stats{SLA: map[string]SLACount{}, kpis: kpis, hasCal: hasCal}
	for _, k := range kpis {
		s.wall[k].sk, _ = NewSketch(alpha)
		if hasCal {
			s.business[k].sk, _ = NewSketch(alpha)
		}
	}
	return s
}

// add folds a valid record into s; how is the hour of week of r.Created.
func (s *Stats) add(r *Record, cal Calendar, how int) {
	s.Tickets++
	s.HourOfWeek[how]++
	if !r.FirstSolved.IsZero() {
		s.EverSolved++
		for v := range FCRVariant(3) {
			if FirstContactResolved(r, v) {
				s.FCRCount[v]++
			}
		}
	}
	if !r.Solved.IsZero() {
		s.Solved++
	}
	if r.Reopens > 0 {
		s.Reopened++
	}
	if r.CSAT > 0 {
		s.CSATAnswers++
		if r.CSAT >= 4 {
			s.CSATPositive++
		}
	}
	if r.CES > 0 {
		s.CESAnswers++
		s.CESSum += r.CES
	}
	for _, o := range r.SLA {
		c := s.SLA[o.Metric]
		if o.Met {
			c.Met++
		} else {
			c.Breached++
		}
		s.SLA[o.Metric] = c
	}
	for _, k := range s.kpis {
		if d, ok := k.of(r, nil); ok {
			s.wall[k].add(d)
		}
		if s.hasCal {
			if d, ok := k.of(r, cal); ok {
				s.business[k].add(d)
			}
		}
	}
}

// newSLAMetrics returns how many metric names of res s has not seen.
func (s *Stats) newSLAMetrics(res []SLAResult) int {
	n := 0
	for _, o := range res {
		if _, ok := s.SLA[o.Metric]; !ok {
			n++
		}
	}
	return n
}

// merge adds o's counts into s; both come from reports with the same settings.
func (s *Stats) merge(o *Stats) {
	s.Tickets += o.Tickets
	s.EverSolved += o.EverSolved
	s.Solved += o.Solved
	s.Reopened += o.Reopened
	for v := range s.FCRCount {
		s.FCRCount[v] += o.FCRCount[v]
	}
	s.CSATAnswers += o.CSATAnswers
	s.CSATPositive += o.CSATPositive
	s.CESAnswers += o.CESAnswers
	s.CESSum += o.CESSum
	for h := range s.HourOfWeek {
		s.HourOfWeek[h] += o.HourOfWeek[h]
	}
	for m, c := range o.SLA {
		t := s.SLA[m]
		s.SLA[m] = SLACount{Met: t.Met + c.Met, Breached: t.Breached + c.Breached}
	}
	for _, k := range s.kpis {
		s.wall[k].merge(&o.wall[k])
		if s.hasCal {
			s.business[k].merge(&o.business[k])
		}
	}
}

func (s *Stats) clone() *Stats {
	c := *s
	c.SLA = maps.Clone(s.SLA)
	for _, k := range s.kpis {
		c.wall[k].sk = s.wall[k].sk.Clone()
		if s.hasCal {
			c.business[k].sk = s.business[k].sk.Clone()
		}
	}
	return &c
}

// Duration summarises duration KPI k in calendar time. It returns a zero Summary when the
// report does not keep k (ReportConfig.Durations).
func (s *Stats) Duration(k DurationKPI) Summary {
	if k < 0 || k >= numDurations {
		return Summary{}
	}
	return s.wall[k].summary()
}

// BusinessDuration summarises duration KPI k in business hours of the report's Calendar;
// ok is false when the report has no Calendar.
func (s *Stats) BusinessDuration(k DurationKPI) (sum Summary, ok bool) {
	if !s.hasCal || k < 0 || k >= numDurations {
		return Summary{}, false
	}
	return s.business[k].summary(), true
}

// Quantile returns the q-quantile of duration KPI k in calendar time, within the report's
// relative accuracy; ok is false when no ticket has the KPI, the report does not keep it, or q
// is outside [0, 1].
func (s *Stats) Quantile(k DurationKPI, q float64) (d time.Duration, ok bool) {
	if k < 0 || k >= numDurations || s.wall[k].sk == nil {
		return 0, false
	}
	v, ok := s.wall[k].sk.Quantile(q)
	return time.Duration(v * float64(time.Second)), ok
}

// AHT is average handle time: Σ AgentWorkTime / (tickets with handle time). ok is false
// when no ticket has handle time or the report does not keep AgentWork.
func (s *Stats) AHT() (time.Duration, bool) {
	sum := s.wall[AgentWork].summary()
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

// SLAAttainment = Met / (Met + Breached) for SLA metric m.
func (s *Stats) SLAAttainment(m string) (float64, bool) {
	c := s.SLA[m]
	return ratio(c.Met, c.Met+c.Breached)
}

// SLAMetrics returns the SLA metric names seen, sorted.
func (s *Stats) SLAMetrics() []string { return sortedKeys(s.SLA) }

func ratio(num, den int) (float64, bool) {
	if den <= 0 {
		return 0, false
	}
	return float64(num) / float64(den), true
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
