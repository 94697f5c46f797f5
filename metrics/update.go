package metrics

import (
	"math/bits"
	"time"
)

// update is one part of a record (see Report.parts) waiting to be applied to its group: what
// cell.apply needs of the record, without the record.
type update struct {
	cell  int32    // the group's number in Report.cells
	sla   int32    // the record's SLA outcomes: bucket.sla[sla : sla+nsla]
	durs  int32    // the record's duration KPIs: bucket.durs[durs:], as measures.d
	has   uint32   // measures.has
	nsla  uint8    // at most MaxSLAMetrics
	how   uint8    // hour of week of Created
	roles role     // the roles credited to the group
	flags recFlags // what the record is
	csat  int8
	ces   int8
}

// recFlags are the facts about a record that a group's counters need.
type recFlags uint8

const (
	flagSolved      recFlags = 1 << iota // Solved is set
	flagFirstSolved                      // FirstSolved is set
	flagReopened                         // Reopens > 0
	flagFCR                              // FirstContactResolved under FCRVariant 0; the next bits for 1 and 2
)

func flagsOf(r *Record) recFlags {
	var f recFlags
	if !r.Solved.IsZero() {
		f |= flagSolved
	}
	if !r.FirstSolved.IsZero() {
		f |= flagFirstSolved
	}
	if r.Reopens > 0 {
		f |= flagReopened
	}
	for v := range FCRVariant(3) {
		if FirstContactResolved(r, v) {
			f |= flagFCR << v
		}
	}
	return f
}

// updates holds the records AddAll has let through but not yet applied to their groups.
// Applying a record reads and writes its group's memory, which in a report of many groups is
// far from the processor's caches. Updates wait in buckets of bucketCells groups (numbered
// in the order they were opened), and are applied bucket by bucket when many have gathered:
// the groups of a bucket fit in the processor's nearer caches, so a group's memory is read
// once for all the updates it has in the bucket, and the cost of a record hardly grows with
// the number of groups. A group receives its records in the order they came, so its figures
// are those of adding them one at a time.
type updates struct {
	buckets []bucket
	used    []int32 // the buckets that hold updates
	n       int     // the updates waiting
}

// bucket holds the waiting updates of groups numbered k·bucketCells to (k+1)·bucketCells−1,
// in the order they came, with their SLA outcomes and duration KPIs.
type bucket struct {
	ups  []update
	sla  []recOutcome
	durs []time.Duration
}

// bucketCells is the number of groups of a bucket: 256 groups of a few hundred bytes each
// that records write, well within a processor's second-level cache.
const bucketCells = 256

// maxUpdates returns how many updates wait, in a report of cells groups, before they are
// applied: several per group, so that a group's memory is read once for several of its
// records, within bounds on the memory they take (about 50 bytes each).
func maxUpdates(cells int) int { return min(max(8*cells, 1<<12), 1<<17) }

// enqueue adds the updates of rec, credited in parts to the groups numbered cells, with
// hour of week how and duration KPIs m; r.mu is held.
func (r *Report) enqueue(rec *Record, outs []recOutcome, m *measures, how int, parts []part, cells []int32) {
	q := &r.pend
	u := update{has: m.has, nsla: uint8(len(rec.SLA)), how: uint8(how), flags: flagsOf(rec),
		csat: int8(rec.CSAT), ces: int8(rec.CES)}
	for j, p := range parts {
		k := int(cells[j] / bucketCells)
		if k >= len(q.buckets) {
			q.buckets = append(q.buckets, make([]bucket, k+1-len(q.buckets))...)
		}
		b := &q.buckets[k]
		if len(b.ups) == 0 {
			q.used = append(q.used, int32(k))
		}
		u.cell, u.roles, u.sla, u.durs = cells[j], p.roles, int32(len(b.sla)), int32(len(b.durs))
		for _, o := range outs { // a loop: a few elements copy faster than by memmove
			b.sla = append(b.sla, o)
		}
		for _, d := range m.d[:r.sh.dists()] {
			b.durs = append(b.durs, d)
		}
		b.ups = append(b.ups, u)
	}
	q.n += len(parts)
	if q.n >= maxUpdates(len(r.cells)) {
		r.flush()
	}
}

// flush applies every waiting update to its group; r.mu is held.
func (r *Report) flush() {
	q := &r.pend
	if q.n == 0 {
		return
	}
	for _, k := range q.used {
		b := &q.buckets[k]
		for i := range b.ups {
			u := &b.ups[i]
			r.cells[u.cell].apply(&r.sh, &r.vals, u, b, r.slaIDs.list)
		}
		b.ups, b.sla, b.durs = b.ups[:0], b.sla[:0], b.durs[:0]
	}
	q.used, q.n = q.used[:0], 0
}

// release drops the memory of the updates once they are applied, which a large AddAll grows
// to a few MiB, so that an idle report holds only its groups.
func (q *updates) release() { *q = updates{} }

// apply folds u into c, whose values vs holds; b holds u's outcomes and durations, and
// metrics the names of the outcomes' metrics by number.
func (c *cell) apply(sh *shape, vs *valueStore, u *update, b *bucket, metrics []SLAMetric) {
	if u.roles&roleTicket != 0 {
		c.addTicket(u)
	}
	if u.roles&roleFirstSolve != 0 && u.flags&flagFirstSolved != 0 {
		c.everSolved++
		for v := range c.fcr {
			if u.flags&(flagFCR<<v) != 0 {
				c.fcr[v]++
			}
		}
		if u.flags&flagReopened != 0 {
			c.reopened++
		}
	}
	for _, o := range b.sla[u.sla : u.sla+int32(u.nsla)] {
		if u.roles&o.role == 0 {
			continue
		}
		s := c.slaOf(metrics[o.id])
		if o.met {
			s.Met++
		} else {
			s.Breached++
		}
	}
	d := b.durs[u.durs:]
	n := len(sh.kpis)
	for i, k := range sh.kpis {
		if u.roles&durationRole[k] == 0 {
			continue
		}
		if u.has&(1<<i) != 0 {
			c.dist(i).add(vs, sh.alpha, d[i])
		}
		if u.has&(1<<(n+i)) != 0 {
			c.dist(n+i).add(vs, sh.alpha, d[n+i])
		}
	}
}

func (c *cell) addTicket(u *update) {
	c.tickets++
	c.hours.add(int(u.how), 1)
	if u.flags&flagSolved != 0 {
		c.solved++
	}
	if u.csat > 0 {
		c.csatAnswers++
		if u.csat >= 4 {
			c.csatPositive++
		}
	}
	if u.ces > 0 {
		c.cesAnswers++
		c.cesSum += int(u.ces)
	}
}

// slaSet is what a report knows, without reading a group's memory, of the SLA metric names
// the group holds once the waiting updates are applied: the names among the first 64 the
// report numbered, and how many names in all.
type slaSet struct {
	mask uint64 // bit i: the name numbered i
	n    int    // names in all, numbered below 64 or not
}

// recOutcome is an SLA outcome of a record: the number of its metric in Report.slaIDs (-1
// while it has none, before the record is let in), the role that carries it, and whether it
// was met.
type recOutcome struct {
	id   int32
	role role
	met  bool
}

// outcomesOf puts in k the SLA outcomes of rec, whose times are t, in a buffer of r's that
// the next call reuses. It returns whether their metric names are well-formed and distinct,
// as Record.Validate checks, looking first among the names r has numbered (all well-formed).
func (r *Report) outcomesOf(rec *Record, t *recordTimes, k *target) (valid bool) {
	if len(rec.SLA) > MaxSLAMetrics {
		return false // before the loop below, quadratic in the outcomes
	}
	outs := r.outs[:0]
	valid = true
	for i, o := range rec.SLA {
		id, ok := r.slaID(o.Metric, false)
		if !ok {
			id = -1
			valid = valid && o.Metric.Valid()
		}
		for _, p := range rec.SLA[:i] {
			valid = valid && p.Metric != o.Metric
		}
		outs = append(outs, recOutcome{id: id, role: slaRoleAt(t, o.Metric), met: o.Met})
	}
	r.outs, k.outs = outs, outs
	return valid
}

// unnumbered returns how many of the SLA outcomes outs have no number yet.
func unnumbered(outs []recOutcome) int {
	n := 0
	for _, o := range outs {
		if o.id < 0 {
			n++
		}
	}
	return n
}

// keepSLA starts keeping slaSets, from the names the groups hold. Until a report has
// numbered more than MaxSLAMetrics names, no group can hold more, since every name a group
// holds is numbered: the report then checks no group's names, and reads no group's slaSet
// for each record.
func (r *Report) keepSLA() {
	r.flush()
	r.slaKept = true
	for i := range r.cells {
		r.resetSLA(int32(i))
	}
}

// mergedSLA numbers the SLA metric names of group ci, into which a group of another report
// was merged, and sets its slaSet when the report keeps them.
func (r *Report) mergedSLA(ci int32) {
	if r.slaKept {
		r.resetSLA(ci)
		return
	}
	for _, m := range r.cells[ci].sla {
		r.slaIDs.id(m.metric, true)
	}
	if len(r.slaIDs.list) > MaxSLAMetrics {
		r.keepSLA()
	}
}

// slaNews returns the names of the SLA outcomes outs in roles that group ci does not hold,
// as bits of their numbers, and how many more names it does not hold that have no number
// yet; exact is false when a name's number is past 63, so that only the group's memory
// knows.
func (r *Report) slaNews(outs []recOutcome, roles role, ci int32) (mask uint64, unnumbered int, exact bool) {
	held := r.slaSets[ci].mask
	for _, o := range outs {
		switch {
		case roles&o.role == 0:
		case o.id < 0:
			unnumbered++
		case o.id >= 64:
			return 0, 0, false
		case held&(1<<o.id) == 0:
			mask |= 1 << o.id
		}
	}
	return mask, unnumbered, true
}

// slaFits reports whether group ci can take the SLA outcomes outs of rec in roles without
// holding more than MaxSLAMetrics names; r.mu is held.
func (r *Report) slaFits(rec *Record, outs []recOutcome, roles role, ci int32) bool {
	mask, unnumbered, exact := r.slaNews(outs, roles, ci)
	if exact {
		return r.slaSets[ci].n+bits.OnesCount64(mask)+unnumbered <= MaxSLAMetrics
	}
	r.flush()
	c := r.cells[ci]
	return c.newSLAMetrics(rec, roles)+len(c.sla) <= MaxSLAMetrics
}

// noteSLA records in group ci's slaSet, when the report keeps them, the names of the SLA
// outcomes outs of rec in roles, numbering the new ones; it returns false when a name's number is past 63, when only the
// group's memory knows whether the group held it.
func (r *Report) noteSLA(rec *Record, outs []recOutcome, roles role, ci int32) bool {
	if !r.slaKept {
		for i := range outs {
			if o := &outs[i]; o.id < 0 && roles&o.role != 0 {
				o.id, _ = r.slaID(rec.SLA[i].Metric, true)
			}
		}
		return true
	}
	s := &r.slaSets[ci]
	exact := true
	for i := range outs {
		o := &outs[i]
		if roles&o.role == 0 {
			continue
		}
		if o.id < 0 {
			o.id, _ = r.slaID(rec.SLA[i].Metric, true)
		}
		if o.id >= 64 {
			exact = false
		} else if s.mask&(1<<o.id) == 0 {
			s.mask |= 1 << o.id
			s.n++
		}
	}
	return exact
}

// resetSLA sets group ci's slaSet from the names it holds; no update of it may be waiting.
func (r *Report) resetSLA(ci int32) {
	s := slaSet{n: len(r.cells[ci].sla)}
	for _, m := range r.cells[ci].sla {
		if id, _ := r.slaIDs.id(m.metric, true); id < 64 {
			s.mask |= 1 << id
		}
	}
	r.slaSets[ci] = s
}

// slaID returns the number of SLA metric m in r.slaIDs, as values.id does, looking first
// among the few names that came last: records mostly repeat the same names.
func (r *Report) slaID(m SLAMetric, add bool) (int32, bool) {
	for _, e := range r.recentSLA {
		if e.metric == m && e.set {
			return e.id, true
		}
	}
	id, ok := r.slaIDs.id(m, add)
	if ok {
		copy(r.recentSLA[1:], r.recentSLA[:len(r.recentSLA)-1])
		r.recentSLA[0] = recentSLA{metric: m, id: id, set: true}
	}
	return id, ok
}

// recentSLA is an SLA metric name and its number in Report.slaIDs.
type recentSLA struct {
	metric SLAMetric
	id     int32
	set    bool
}
