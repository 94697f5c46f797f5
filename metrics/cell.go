package metrics

import (
	"slices"
	"time"
)

// cell accumulates the KPIs of one group inside a report. It holds only what its tickets
// brought: counters, counts by hour of week (a byte each until a count needs more), the SLA
// metrics seen, and per duration KPI the values themselves (up to ExactLimit, in blocks of
// the report's valueStore) or a sketch. Stats is the copy handed out.
//
// The fields most records write come first, so that they share few cache lines.
type cell struct {
	tickets, everSolved, solved, reopened int
	fcr                                   [3]int
	csatAnswers, csatPositive             int
	sla                                   []slaCount // in slaIn while there are at most len(slaIn)
	slaIn                                 [inlineSLA]slaCount
	// The report's duration KPIs (ReportConfig.Durations, in order) on the wall clock, then
	// the same on the Calendar when the report has one: the first inlineDists in the cell
	// itself, the others in more.
	inline             [inlineDists]acc
	more               []acc
	cesAnswers, cesSum int
	hours              hourCounts
}

// inlineDists is how many distributions a cell holds in itself, so that a report of a KPI
// or two reaches its values with one pointer fewer.
const inlineDists = 2

// inlineSLA is how many SLA metrics a cell holds in itself before it moves them to memory of
// their own: records mostly bring first_response and resolution, whose counts then share the
// cell's cache lines.
const inlineSLA = 2

// slaCount is the outcomes of one SLA metric in a cell.
type slaCount struct {
	metric SLAMetric
	SLACount
}

// shape is what every cell of a report has in common: its duration KPIs and their accuracy.
type shape struct {
	kpis   []DurationKPI
	alpha  float64
	hasCal bool
}

// dists returns the number of distributions of a cell: the KPIs, twice with a Calendar.
func (sh *shape) dists() int {
	if sh.hasCal {
		return 2 * len(sh.kpis)
	}
	return len(sh.kpis)
}

func (sh *shape) newCell() *cell {
	n := sh.dists()
	c := &cell{}
	c.sla = c.slaIn[:0]
	if n > inlineDists {
		c.more = make([]acc, n-inlineDists)
	}
	return c
}

// dist returns the i-th distribution of c.
func (c *cell) dist(i int) *acc {
	if i < inlineDists {
		return &c.inline[i]
	}
	return &c.more[i-inlineDists]
}

// measures are a record's duration KPIs, measured once for all the groups it is credited to.
type measures struct {
	d   [2 * numDurations]time.Duration // as the cell's distributions: wall clock, then Calendar
	has uint32                          // bit i: d[i] is measured
}

// measure returns r's duration KPIs in the order of a cell's distributions; t holds r's
// times.
func (sh *shape) measure(r *Record, t *recordTimes, cal Calendar) measures {
	var m measures
	n := len(sh.kpis)
	for i, k := range sh.kpis {
		if d, ok := k.wall(r, t); ok {
			m.d[i], m.has = d, m.has|1<<i
		}
		if sh.hasCal {
			if d, ok := k.of(r, cal); ok {
				m.d[n+i], m.has = d, m.has|1<<(n+i)
			}
		}
	}
	return m
}

// slaOf returns the counts of metric m, adding them when c has none.
func (c *cell) slaOf(m SLAMetric) *SLACount {
	for i := range c.sla {
		if c.sla[i].metric == m {
			return &c.sla[i].SLACount
		}
	}
	c.sla = append(c.sla, slaCount{metric: m})
	return &c.sla[len(c.sla)-1].SLACount
}

func (c *cell) hasSLA(m SLAMetric) bool {
	return slices.ContainsFunc(c.sla, func(s slaCount) bool { return s.metric == m })
}

// newSLAMetrics returns how many of the metrics of r's outcomes in roles c has not seen.
func (c *cell) newSLAMetrics(r *Record, roles role) int {
	n := 0
	for _, o := range r.SLA {
		if roles&slaRole(r, o.Metric) != 0 && !c.hasSLA(o.Metric) {
			n++
		}
	}
	return n
}

// merge adds o's counts and values into c; both come from reports with the same shape, and
// vs and ovs hold their values.
func (c *cell) merge(sh *shape, vs *valueStore, o *cell, ovs *valueStore) {
	c.tickets += o.tickets
	c.everSolved += o.everSolved
	c.solved += o.solved
	c.reopened += o.reopened
	for v := range c.fcr {
		c.fcr[v] += o.fcr[v]
	}
	c.csatAnswers += o.csatAnswers
	c.csatPositive += o.csatPositive
	c.cesAnswers += o.cesAnswers
	c.cesSum += o.cesSum
	for h, n := range o.hours.array() {
		if n > 0 {
			c.hours.add(h, n)
		}
	}
	for _, s := range o.sla {
		t := c.slaOf(s.metric)
		t.Met += s.Met
		t.Breached += s.Breached
	}
	for i := range sh.dists() {
		c.dist(i).merge(vs, sh.alpha, o.dist(i), ovs)
	}
}

// stats returns a copy of c's KPIs as Stats; vs holds c's values.
func (c *cell) stats(sh *shape, vs *valueStore) *Stats {
	s := &Stats{
		Tickets: c.tickets, EverSolved: c.everSolved, Solved: c.solved, Reopened: c.reopened,
		FCRCount: c.fcr, CSATAnswers: c.csatAnswers, CSATPositive: c.csatPositive,
		CESAnswers: c.cesAnswers, CESSum: c.cesSum, HourOfWeek: c.hours.array(),
		SLA: make(map[SLAMetric]SLACount, len(c.sla)), hasCal: sh.hasCal,
	}
	for _, o := range c.sla {
		s.SLA[o.metric] = o.SLACount
	}
	for i, k := range sh.kpis {
		s.wall[k] = c.dist(i).dist(vs, sh.alpha)
		if sh.hasCal {
			s.business[k] = c.dist(len(sh.kpis)+i).dist(vs, sh.alpha)
		}
	}
	return s
}

// hourCounts counts tickets by hour of week: a byte an hour (168 bytes) while every count
// is below 256, then a full array, by then a small part of what the group holds (a count of
// 256 needs 256 tickets).
type hourCounts struct {
	small [HoursPerWeek]uint8
	wide  *[HoursPerWeek]int
}

func (h *hourCounts) add(hour, n int) {
	if h.wide == nil {
		if v := int(h.small[hour]) + n; v <= 0xff {
			h.small[hour] = uint8(v)
			return
		}
		a := h.array()
		h.wide, h.small = &a, [HoursPerWeek]uint8{}
	}
	h.wide[hour] += n
}

func (h *hourCounts) array() [HoursPerWeek]int {
	if h.wide != nil {
		return *h.wide
	}
	var a [HoursPerWeek]int
	for i, n := range h.small {
		a[i] = int(n)
	}
	return a
}
