package metrics

import (
	"math"
	"slices"
	"time"
)

// ExactLimit is the number of values of one duration KPI in one group (and one clock) up to
// which a report keeps every value, so that its percentiles are exact. Past it the values go
// to a Sketch and percentiles are within the report's Accuracy. Whether a group's figures are
// exact depends only on its count: a merge of two exact groups stays exact while their
// counts add up to ExactLimit or less, and otherwise folds both into a sketch, the same one a
// single pass builds.
const ExactLimit = 128

// Summary describes the distribution of one duration KPI over a group of tickets, measured
// by Clock. The sum behind Mean and Total is kept exactly, to the nanosecond, at any number
// of tickets (a 128-bit accumulator, enough for 2^64 tickets of the longest Duration). Mean
// is that sum divided by Count, rounded toward zero; it always fits a Duration. Total is the
// exact sum while it fits a Duration (about 292 years); beyond that it saturates at the
// largest Duration and TotalSeconds, which never overflows, gives the sum (to float64
// precision).
//
// # Percentiles
//
// For n sorted values x₀ ≤ … ≤ xₙ₋₁ two definitions of the q-percentile are in common use,
// and they differ most in small groups:
//
//   - Interpolated: with h = q·(n − 1), x_⌊h⌋ + (h − ⌊h⌋)·(x_⌊h⌋₊₁ − x_⌊h⌋). This is
//     PostgreSQL's percentile_cont, the spreadsheet function PERCENTILE (PERCENTILE.INC)
//     and NumPy's default. The median of an even count is the mean of the two middle values.
//   - Nearest rank, the lower quantile: x_⌈q·n⌉₋₁ (x₀ for q = 0), the smallest value that at
//     least a share q of the values do not exceed; always one of the values. This is
//     PostgreSQL's percentile_disc. The median of an even count is the lower middle value.
//
// P50, P90 and P95 (and Stats.Quantile) are interpolated; Stats.DiscreteQuantile gives the
// nearest rank. Up to ExactLimit tickets both are exact: interpolated ones are rounded to
// the nanosecond, nearest-rank ones are values of the group. Above it they come from the
// group's sketch, within its relative accuracy (Accuracy, the report's; 1% by default) of
// the exact figure, and are rounded to the millisecond. Print them with FormatQuantile, which
// shows no more digits than that accuracy guarantees.
//
// Count is zero when no ticket of the group has the KPI ("no data"): every field but Clock is
// then zero, so a P50 of 0 is a measurement only when Count > 0. Check Count before printing.
type Summary struct {
	Clock        Clock         // how the durations were measured: ClockWall or ClockBusiness
	Count        int           // tickets that have the KPI
	Total        time.Duration // exact sum, saturated at the largest Duration
	TotalSeconds float64       // the sum in seconds (float64 precision), never saturated
	Mean         time.Duration // sum / Count, rounded toward zero
	P50          time.Duration // median
	P90          time.Duration // 90th percentile
	P95          time.Duration // 95th percentile
	Exact        bool          // whether the percentiles are exact (Count ≤ ExactLimit)
	// Accuracy is the relative error bound of the percentiles: 0 when they are exact, else
	// the report's Accuracy (a P90 of 10h at 0.01 lies within 9h54m and 10h06m).
	Accuracy float64
}

// dist is one duration KPI's figures as Stats holds them: an exact sum, and either every
// value (up to ExactLimit, sorted) or a quantile sketch of seconds.
type dist struct {
	sum   sum128
	vals  []time.Duration // every value while there are at most ExactLimit; sorted
	sk    *Sketch         // nil while the values are kept
	alpha float64         // accuracy of the sketch; 0 when the report does not keep the KPI
}

func (d *dist) count() int {
	if d.sk != nil {
		return int(d.sk.Count())
	}
	return len(d.vals)
}

// blockLen is the number of values in a block of a valueStore: 128 bytes, two cache lines.
const blockLen = 16

// pageBlocks is the number of blocks a valueStore allocates at a time.
const pageBlocks = 256

// valueBlock holds up to blockLen values of one distribution.
type valueBlock [blockLen]time.Duration

// valueStore holds the kept values of the distributions of a report's groups, in blocks of
// blockLen values cut from pages of pageBlocks blocks. A distribution takes a block when it
// fills its last one, and gives its blocks back when it turns into a sketch. Values are
// never moved as a group grows, and a report of many small groups makes no allocation per
// group's values, only one per page.
type valueStore struct {
	pages [][]valueBlock
	next  int32   // the number of blocks cut from pages
	free  []int32 // blocks given back, to hand out again
}

func (s *valueStore) block(id int32) *valueBlock {
	return &s.pages[id/pageBlocks][id%pageBlocks]
}

// take returns the number of a block that no distribution holds.
func (s *valueStore) take() int32 {
	if n := len(s.free); n > 0 {
		id := s.free[n-1]
		s.free = s.free[:n-1]
		return id
	}
	if int(s.next) == len(s.pages)*pageBlocks {
		s.pages = append(s.pages, make([]valueBlock, pageBlocks))
	}
	s.next++
	return s.next - 1
}

// acc accumulates one duration KPI of a group inside a report: an exact sum, and either
// every value (up to ExactLimit, in the order they came, in blocks of the report's
// valueStore) or a quantile sketch of seconds, made only when the values pass ExactLimit. It
// takes one cache line.
type acc struct {
	sum    sum128
	n      int32                        // the values kept; 0 once there is a sketch
	blocks [ExactLimit / blockLen]int32 // the blocks of the values kept, in order
	sk     *Sketch                      // nil until the values pass ExactLimit
}

func (a *acc) add(vs *valueStore, alpha float64, v time.Duration) {
	a.sum.add(int64(v))
	switch {
	case a.sk != nil:
		a.sk.add(v.Seconds())
	case a.n < ExactLimit:
		a.keep(vs, v)
	default:
		a.fold(vs, alpha)
		a.sk.add(v.Seconds())
	}
}

// keep appends v to the values kept; there are fewer than ExactLimit.
func (a *acc) keep(vs *valueStore, v time.Duration) {
	b, k := a.n/blockLen, a.n%blockLen
	if k == 0 {
		a.blocks[b] = vs.take()
	}
	vs.block(a.blocks[b])[k] = v
	a.n++
}

// values calls f with each value kept, in the order they came.
func (a *acc) values(vs *valueStore, f func(time.Duration)) {
	for i := int32(0); i < a.n; i += blockLen {
		for _, v := range vs.block(a.blocks[i/blockLen])[:min(blockLen, a.n-i)] {
			f(v)
		}
	}
}

// fold moves the values kept into a new sketch and gives their blocks back.
func (a *acc) fold(vs *valueStore, alpha float64) {
	a.sk, _ = NewSketch(alpha) // the report checked alpha
	a.values(vs, func(v time.Duration) { a.sk.add(v.Seconds()) })
	for i := int32(0); i < a.n; i += blockLen {
		vs.free = append(vs.free, a.blocks[i/blockLen])
	}
	a.n = 0
}

// merge adds o's values, held in ovs; both come from reports with the same settings.
func (a *acc) merge(vs *valueStore, alpha float64, o *acc, ovs *valueStore) {
	a.sum.merge(o.sum)
	if a.sk == nil && o.sk == nil && a.n+o.n <= ExactLimit {
		o.values(ovs, func(v time.Duration) { a.keep(vs, v) })
		return
	}
	if a.sk == nil {
		a.fold(vs, alpha)
	}
	if o.sk != nil {
		_ = a.sk.Merge(o.sk) // same accuracy: checked by Report.Merge
		return
	}
	o.values(ovs, func(v time.Duration) { a.sk.add(v.Seconds()) })
}

// dist returns a copy of a's figures, the values kept sorted.
func (a *acc) dist(vs *valueStore, alpha float64) dist {
	d := dist{sum: a.sum, alpha: alpha}
	if a.sk != nil {
		d.sk = a.sk.Clone()
		return d
	}
	d.vals = make([]time.Duration, 0, a.n)
	a.values(vs, func(v time.Duration) { d.vals = append(d.vals, v) })
	slices.Sort(d.vals)
	return d
}

// quantile returns the q-percentile by linear interpolation (see Summary); ok is false when
// there are no values or q is outside [0, 1]. The values must be sorted.
func (d *dist) quantile(q float64) (time.Duration, bool) {
	if d.sk != nil {
		v, ok := d.sk.Quantile(q)
		return time.Duration(v * float64(time.Second)), ok
	}
	n := len(d.vals)
	if n == 0 || !(q >= 0 && q <= 1) {
		return 0, false
	}
	h := q * float64(n-1)
	lo := int(h)
	v := d.vals[lo]
	if frac := h - float64(lo); frac > 0 {
		v += time.Duration(math.Round(frac * float64(d.vals[lo+1]-v)))
	}
	return v, true
}

// discrete returns the nearest-rank q-percentile (see Summary); ok is false when there are
// no values or q is outside [0, 1]. The values must be sorted.
func (d *dist) discrete(q float64) (time.Duration, bool) {
	if d.sk != nil {
		v, ok := d.sk.DiscreteQuantile(q)
		return time.Duration(v * float64(time.Second)), ok
	}
	n := len(d.vals)
	if n == 0 || !(q >= 0 && q <= 1) {
		return 0, false
	}
	return d.vals[nearestRank(q, uint64(n))], true
}

// nearestRank returns the 0-based rank of the nearest-rank q-percentile of n values:
// ⌈q·n⌉ − 1, at least 0.
func nearestRank(q float64, n uint64) uint64 {
	r := math.Ceil(q * float64(n))
	if r < 1 {
		return 0
	}
	return min(uint64(r), n) - 1
}

func (d *dist) summary(c Clock) Summary {
	n := d.count()
	if n == 0 {
		return Summary{Clock: c}
	}
	exact := d.sk == nil
	accuracy := 0.0
	if !exact {
		accuracy = d.alpha
	}
	q := func(p float64) time.Duration {
		v, _ := d.quantile(p)
		if exact {
			return v
		}
		return v.Round(time.Millisecond)
	}
	return Summary{
		Clock: c, Count: n, Total: time.Duration(d.sum.saturated()), TotalSeconds: d.sum.float() / 1e9,
		Mean: time.Duration(d.sum.div(uint64(n))), P50: q(0.5), P90: q(0.9), P95: q(0.95), Exact: exact,
		Accuracy: accuracy,
	}
}
