package metrics

import "slices"

// cell accumulates the KPIs of one group inside a report. It holds only what its tickets
// brought: counters, the hours of week that occurred, the SLA metrics seen, and per duration
// KPI the values themselves (up to ExactLimit) or a sketch. Stats is the copy handed out.
type cell struct {
	tickets, everSolved, solved, reopened int
	fcr                                   [3]int
	csatAnswers, csatPositive             int
	cesAnswers, cesSum                    int
	hours                                 hourCounts
	sla                                   []slaCount
	// dists holds the report's duration KPIs (ReportConfig.Durations, in order) on the wall
	// clock, then the same on the Calendar when the report has one.
	dists []dist
}

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

func (sh *shape) newCell() *cell {
	n := len(sh.kpis)
	if sh.hasCal {
		n *= 2
	}
	c := &cell{dists: make([]dist, n)}
	for i := range c.dists {
		c.dists[i].alpha = sh.alpha
	}
	return c
}

// add folds the parts roles of a valid record into c; how is the hour of week of r.Created.
func (c *cell) add(sh *shape, r *Record, cal Calendar, how int, roles role) {
	if roles&roleTicket != 0 {
		c.addTicket(r, how)
	}
	if roles&roleFirstSolve != 0 && !r.FirstSolved.IsZero() {
		c.everSolved++
		for v := range FCRVariant(3) {
			if FirstContactResolved(r, v) {
				c.fcr[v]++
			}
		}
		if r.Reopens > 0 {
			c.reopened++
		}
	}
	for _, o := range r.SLA {
		if roles&slaRole(r, o.Metric) == 0 {
			continue
		}
		s := c.slaOf(o.Metric)
		if o.Met {
			s.Met++
		} else {
			s.Breached++
		}
	}
	for i, k := range sh.kpis {
		if roles&durationRole[k] == 0 {
			continue
		}
		if d, ok := k.of(r, nil); ok {
			c.dists[i].add(d)
		}
		if sh.hasCal {
			if d, ok := k.of(r, cal); ok {
				c.dists[len(sh.kpis)+i].add(d)
			}
		}
	}
}

func (c *cell) addTicket(r *Record, how int) {
	c.tickets++
	c.hours.add(how, 1)
	if !r.Solved.IsZero() {
		c.solved++
	}
	if r.CSAT > 0 {
		c.csatAnswers++
		if r.CSAT >= 4 {
			c.csatPositive++
		}
	}
	if r.CES > 0 {
		c.cesAnswers++
		c.cesSum += r.CES
	}
}

// warm reads the memory of c that adding a record writes, and returns a sum of what it read
// so that the reads are kept. Reports call it for several records before adding any, so that
// the reads overlap.
func (c *cell) warm() int {
	n := c.tickets + len(c.sla)
	if len(c.sla) > 0 {
		n += c.sla[len(c.sla)-1].Met
	}
	if k := len(c.hours.sparse); k > 0 {
		n += int(c.hours.sparse[k/2])
	}
	for i := range c.dists {
		if k := len(c.dists[i].vals); k > 0 {
			n += int(c.dists[i].vals[k-1])
		}
	}
	return n
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

// merge adds o's counts and values into c; both come from reports with the same shape.
func (c *cell) merge(o *cell) {
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
	c.hours.merge(&o.hours)
	for _, s := range o.sla {
		t := c.slaOf(s.metric)
		t.Met += s.Met
		t.Breached += s.Breached
	}
	for i := range c.dists {
		c.dists[i].merge(&o.dists[i])
	}
}

func (c *cell) clone() *cell {
	d := *c
	d.hours = c.hours.clone()
	d.sla = slices.Clone(c.sla)
	d.dists = slices.Clone(c.dists)
	for i := range d.dists {
		d.dists[i] = d.dists[i].clone()
	}
	return &d
}

// stats returns a copy of c's KPIs as Stats.
func (c *cell) stats(sh *shape) *Stats {
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
		s.wall[k] = c.dists[i].clone()
		s.wall[k].sort()
		if sh.hasCal {
			s.business[k] = c.dists[len(sh.kpis)+i].clone()
			s.business[k].sort()
		}
	}
	return s
}

// hourCounts counts tickets by hour of week. While few hours occurred and every count fits
// in 24 bits it keeps only those hours, each as hour<<24 | count, sorted by hour: 4 bytes an
// hour that occurred instead of 8 for each of the 168. Past maxSparseHours hours, or a count
// past 24 bits, it moves to a full array, by then a small part of what the group holds.
type hourCounts struct {
	sparse []uint32
	dense  *[HoursPerWeek]int
}

const (
	hourCountMax   = 1<<24 - 1
	maxSparseHours = 64
)

func (h *hourCounts) add(hour, n int) {
	if h.dense == nil {
		key := uint32(hour) << 24
		lo, hi := 0, len(h.sparse) // the first entry of an hour ≥ hour
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if h.sparse[m] < key {
				lo = m + 1
			} else {
				hi = m
			}
		}
		found := lo < len(h.sparse) && h.sparse[lo]>>24 == uint32(hour)
		switch {
		case found && int(h.sparse[lo]&hourCountMax)+n <= hourCountMax:
			h.sparse[lo] += uint32(n)
			return
		case !found && n <= hourCountMax && len(h.sparse) < maxSparseHours:
			h.sparse = slices.Insert(h.sparse, lo, key|uint32(n))
			return
		}
		a := h.array()
		h.dense, h.sparse = &a, nil
	}
	h.dense[hour] += n
}

func (h *hourCounts) array() [HoursPerWeek]int {
	if h.dense != nil {
		return *h.dense
	}
	var a [HoursPerWeek]int
	for _, e := range h.sparse {
		a[e>>24] = int(e & hourCountMax)
	}
	return a
}

func (h *hourCounts) merge(o *hourCounts) {
	if o.dense != nil {
		for hour, n := range o.dense {
			if n > 0 {
				h.add(hour, n)
			}
		}
		return
	}
	for _, e := range o.sparse {
		h.add(int(e>>24), int(e&hourCountMax))
	}
}

func (h hourCounts) clone() hourCounts {
	h.sparse = slices.Clone(h.sparse)
	if h.dense != nil {
		a := *h.dense
		h.dense = &a
	}
	return h
}
