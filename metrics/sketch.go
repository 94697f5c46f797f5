package metrics

import (
	"math"
	"slices"
)

// DefaultAccuracy is the relative accuracy of the sketches a report keeps when
// ReportConfig.Accuracy is zero: quantiles within 1% of the exact value.
const DefaultAccuracy = 0.01

// minIndexable is the smallest value the sketch tells apart from zero; smaller non-negative
// values are counted in the zero bucket and reported as 0.
const minIndexable = 1e-9

// MinAccuracy is the smallest relative accuracy a Sketch (and ReportConfig.Accuracy) accepts:
// finer sketches would need millions of buckets for values of ordinary spread.
const MinAccuracy = 1e-4

// maxBins bounds a sketch's buckets (8 bytes each, so 512 KiB). Above it the lowest buckets
// are collapsed into one. At DefaultAccuracy every float64 value fits in fewer buckets, so
// collapsing only happens at accuracies finer than about 0.006.
const maxBins = 1 << 16

// Sketch is a mergeable quantile sketch for non-negative values with relative accuracy alpha
// (the DDSketch design). Buckets are intervals of values whose ends are within a factor
// γ = (1+α)/(1−α) of each other; a bucket is reported as 2·lo·hi/(lo+hi) for its ends lo and
// hi, which is within a factor α of every value in it. Hence Quantile(q) is within relative
// error α of the exact q-quantile of the values added, by linear interpolation (see
// Quantile). Memory depends on the spread of the values, not their number: values from 1 s
// to 10 years need about 1,000 buckets at α = 0.01, and no set of float64 values needs more
// than about 37,000.
//
// The bucket of x > 0 is i = ⌈m·f(x)⌉, where f approximates log₂ without a logarithm: for
// x = (1+s)·2^e with 0 ≤ s < 1 (the exponent and mantissa of the float64),
// f(x) = e + (6/35)s³ − (3/5)s² + (10/7)s, a cubic that rises from 0 to 1 over each power
// of two. Over a bucket f rises by 1/m, and ln x by at most 1/(m·min((1+s)·P′(s))) where P
// is the cubic; m is chosen so that this is ln γ. That takes about 1% more buckets than
// bucket ⌈log_γ x⌉ and makes adding a value several times cheaper.
//
// A sketch never keeps more than 65,536 buckets (512 KiB). When the values span more buckets
// than that (possible only with alpha below about 0.006, e.g. from 1 s to 10 years at
// alpha = 1e-4), the lowest buckets are collapsed into the lowest kept one, as DDSketch's
// collapsing store does: quantiles whose value lies within a factor γ^65535 of the largest
// value keep the alpha guarantee; lower ones are reported as the lowest kept bucket's value,
// an overestimate. Two sketches with the same alpha merge exactly: the merged sketch
// equals one fed with both streams, collapsing included.
//
// A Sketch is not safe for concurrent use; Report guards its sketches with its own lock.
type Sketch struct {
	alpha    float64
	mult     float64  // m: buckets per unit of f (see logApprox)
	bins     []uint64 // bins[k] counts bucket offset+k
	offset   int
	zero     uint64
	count    uint64
	sum      float64
	min, max float64
}

// The cubic P(s) = ((cubicA·s + cubicB)·s + cubicC)·s of f, with P(0) = 0, P(1) = 1 and
// P′ > 0 on [0, 1].
const (
	cubicA = 6.0 / 35
	cubicB = -3.0 / 5
	cubicC = 10.0 / 7
)

// cubicSlope is a lower bound of (1+s)·P′(s) over [0, 1], the rate at which f rises with
// ln x: its least value on a fine grid, lowered by a margin far wider than the grid can miss
// ((1+s)·P′(s) changes by less than 3·10⁻⁶ between two points of the grid).
var cubicSlope = func() float64 {
	lo := math.Inf(1)
	const n = 1 << 20
	for k := 0; k <= n; k++ {
		s := float64(k) / n
		lo = min(lo, (1+s)*((3*cubicA*s+2*cubicB)*s+cubicC))
	}
	return lo * (1 - 1e-4)
}()

// multiplier returns m for accuracy alpha: a bucket spans at most ln γ of ln x.
func multiplier(alpha float64) float64 {
	return 1 / (math.Log((1+alpha)/(1-alpha)) * cubicSlope)
}

// logApprox returns f(x) for a normal float64 x > 0 (see Sketch).
func logApprox(x float64) float64 {
	b := math.Float64bits(x)
	e := float64(int(b>>52&0x7ff) - 1023)
	s := math.Float64frombits(b&(1<<52-1)|1023<<52) - 1
	return e + ((cubicA*s+cubicB)*s+cubicC)*s
}

// expApprox is the inverse of logApprox: the x with f(x) = y.
func expApprox(y float64) float64 {
	e := math.Floor(y)
	t := y - e
	// solve P(s) = t by Newton's method from s = t; P rises with a slope between 0.74 and
	// 1.43, so a few steps reach float64 precision, and the bracket [lo, hi] keeps each step
	// inside [0, 1]
	s, lo, hi := t, 0.0, 1.0
	for range 8 {
		p := ((cubicA*s+cubicB)*s+cubicC)*s - t
		if p > 0 {
			hi = s
		} else {
			lo = s
		}
		s -= p / ((3*cubicA*s+2*cubicB)*s + cubicC)
		if !(s >= lo && s <= hi) {
			s = (lo + hi) / 2
		}
	}
	return math.Ldexp(1+s, int(e))
}

// bucketValue returns the value reported for the bucket (lo, hi]: 2·lo·hi/(lo+hi), within a
// factor (hi−lo)/(hi+lo) of both ends, computed so that it cannot overflow.
func bucketValue(lo, hi float64) float64 { return 2 / (1/lo + 1/hi) }

// NewSketch returns an empty sketch with relative accuracy alpha, MinAccuracy ≤ alpha < 1.
// It returns a *ValidationError wrapping ErrInvalid for any other alpha.
func NewSketch(alpha float64) (*Sketch, error) {
	if !(alpha >= MinAccuracy && alpha < 1) {
		return nil, invalid("alpha", "%v is outside [%v, 1)", alpha, MinAccuracy)
	}
	return &Sketch{alpha: alpha, mult: multiplier(alpha)}, nil
}

// RelativeAccuracy returns the sketch's alpha.
func (s *Sketch) RelativeAccuracy() float64 { return s.alpha }

// Add counts x. Negative, NaN and infinite values return a *ValidationError wrapping
// ErrInvalid and leave the sketch unchanged, as does any value added to a zero Sketch (one
// not made by NewSketch, which has no accuracy).
func (s *Sketch) Add(x float64) error {
	if s.mult == 0 {
		return invalid("alpha", "the sketch has no accuracy; make it with NewSketch")
	}
	if !(x >= 0) || math.IsInf(x, 1) {
		return invalid("value", "%v is not a finite non-negative number", x)
	}
	s.add(x)
	return nil
}

func (s *Sketch) add(x float64) {
	if s.count == 0 || x < s.min {
		s.min = x
	}
	if s.count == 0 || x > s.max {
		s.max = x
	}
	s.count++
	s.sum += x
	if x < minIndexable {
		s.zero++
		return
	}
	i := int(math.Ceil(logApprox(x) * s.mult))
	if k := i - s.offset; k >= 0 && k < len(s.bins) {
		s.bins[k]++
		return
	}
	s.grow(i, i)
	s.bins[max(i, s.offset)-s.offset]++
}

// grow makes room for bucket indexes lo..hi, keeping at most maxBins buckets: indexes below
// the kept range count in its lowest bucket (see collapse).
func (s *Sketch) grow(lo, hi int) {
	if len(s.bins) == 0 {
		lo = max(lo, hi-maxBins+1)
		s.offset = lo
		s.bins = make([]uint64, hi-lo+1, min(hi-lo+1+64, maxBins))
		return
	}
	hi = max(hi, s.offset+len(s.bins)-1)
	floor := hi - maxBins + 1
	if floor > s.offset {
		s.collapse(floor)
	}
	if lo < s.offset && s.offset > floor {
		n := min(s.offset-lo+32, s.offset-floor) // head room for the next smaller values
		s.bins = slices.Insert(s.bins, 0, make([]uint64, n)...)
		s.offset -= n
	}
	if end := s.offset + len(s.bins); hi >= end {
		s.bins = append(s.bins, make([]uint64, hi-end+1)...)
	}
}

// collapse moves the counts of every bucket below floor into bucket floor, which becomes the
// lowest one kept. The result depends only on the values counted, not their order: the floor
// only rises, and always sits maxBins−1 below the highest bucket.
func (s *Sketch) collapse(floor int) {
	k := floor - s.offset
	if k >= len(s.bins) {
		var c uint64
		for _, v := range s.bins {
			c += v
		}
		s.bins = append(s.bins[:0], c)
		s.offset = floor
		return
	}
	for _, v := range s.bins[:k] {
		s.bins[k] += v
	}
	s.bins = s.bins[k:]
	s.offset = floor
}

// Merge adds every value counted by o to s. The sketches must have the same alpha; otherwise
// Merge returns a *ValidationError wrapping ErrInvalid and s is unchanged; so it does when s
// or o is nil.
func (s *Sketch) Merge(o *Sketch) error {
	if s == nil || o == nil {
		return invalid("sketch", "cannot merge a nil sketch")
	}
	if o.alpha != s.alpha {
		return invalid("alpha", "cannot merge sketches of accuracy %v and %v", s.alpha, o.alpha)
	}
	if o.count == 0 {
		return nil
	}
	if s.count == 0 || o.min < s.min {
		s.min = o.min
	}
	if s.count == 0 || o.max > s.max {
		s.max = o.max
	}
	s.count += o.count
	s.sum += o.sum
	s.zero += o.zero
	if len(o.bins) > 0 {
		s.grow(o.offset, o.offset+len(o.bins)-1)
		for k, c := range o.bins {
			s.bins[max(o.offset+k, s.offset)-s.offset] += c
		}
	}
	return nil
}

// Clone returns an independent copy of s.
func (s *Sketch) Clone() *Sketch {
	c := *s
	c.bins = slices.Clone(s.bins)
	return &c
}

// Count returns the number of values added.
func (s *Sketch) Count() uint64 { return s.count }

// Sum returns the sum of the values added (0 when empty).
func (s *Sketch) Sum() float64 { return s.sum }

// Mean returns the exact mean of the values added; ok is false when the sketch is empty.
func (s *Sketch) Mean() (mean float64, ok bool) {
	if s.count == 0 {
		return 0, false
	}
	return s.sum / float64(s.count), true
}

// Min returns the smallest value added; ok is false when the sketch is empty.
func (s *Sketch) Min() (float64, bool) { return s.min, s.count > 0 }

// Max returns the largest value added; ok is false when the sketch is empty.
func (s *Sketch) Max() (float64, bool) { return s.max, s.count > 0 }

// Quantile returns an estimate of the q-quantile (0 ≤ q ≤ 1) by linear interpolation, the
// definition of PostgreSQL's percentile_cont: with h = q·(n−1), the exact value is
// x₍⌊h⌋₎ + (h−⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎) over the sorted values. The estimate interpolates the
// same way between the sketch's estimates of those two ranks, each within relative error
// alpha, so it is within relative error alpha of the exact value. ok is false when the
// sketch is empty or q is outside [0, 1] (or NaN).
func (s *Sketch) Quantile(q float64) (v float64, ok bool) {
	if s.count == 0 || !(q >= 0 && q <= 1) {
		return 0, false
	}
	h := q * float64(s.count-1)
	lo := uint64(h)
	v = s.rankValue(lo)
	if frac := h - float64(lo); frac > 0 {
		v += frac * (s.rankValue(lo+1) - v)
	}
	return v, true
}

// DiscreteQuantile returns an estimate of the nearest-rank q-quantile (0 ≤ q ≤ 1), the
// definition of PostgreSQL's percentile_disc: the value of rank ⌈q·n⌉ (1-based; the
// smallest value for q = 0) among the n sorted values. The estimate is within relative error
// alpha of that value. ok is false when the sketch is empty or q is outside [0, 1] (or NaN).
func (s *Sketch) DiscreteQuantile(q float64) (v float64, ok bool) {
	if s.count == 0 || !(q >= 0 && q <= 1) {
		return 0, false
	}
	return s.rankValue(nearestRank(q, s.count)), true
}

// rankValue returns the estimate of the value of rank i (0-based) among the sorted values.
func (s *Sketch) rankValue(i uint64) float64 {
	if i < s.zero {
		return 0
	}
	seen := s.zero
	for k, c := range s.bins {
		seen += c
		if seen > i {
			i := float64(s.offset + k)
			lo, hi := expApprox((i-1)/s.mult), expApprox(i/s.mult)
			return min(max(bucketValue(lo, hi), s.min), s.max)
		}
	}
	return s.max
}
