package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// sketchBuckets is the bound NewReport multiplies by MaxGroups: check it against sketches fed
// the extreme durations (1 ns and the longest Duration) and every bucket between, at several
// accuracies, including those where the sketch's own cap applies.
func TestSketchBucketsBoundsDurationSketches(t *testing.T) {
	for _, alpha := range []float64{0.5, 0.1, DefaultAccuracy, 0.005, 1e-3, MinAccuracy} {
		s, err := NewSketch(alpha)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := time.Nanosecond.Seconds(), time.Duration(math.MaxInt64).Seconds()
		gamma := (1 + alpha) / (1 - alpha)
		for x := lo; x <= hi; x *= gamma {
			s.add(x)
		}
		s.add(hi)
		bound := sketchBuckets(alpha)
		if len(s.bins) > bound || len(s.bins) < bound-2 {
			t.Errorf("alpha %v: %d buckets used, bound %d", alpha, len(s.bins), bound)
		}
	}
}

// Every value's bucket is reported within the accuracy of the value, at bucket edges and
// powers of two too, and the inverse of the bucket mapping is its inverse.
func TestSketchBucketValueWithinAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 13))
	for _, alpha := range []float64{0.5, 0.1, DefaultAccuracy, 1e-3, MinAccuracy} {
		s, err := NewSketch(alpha)
		if err != nil {
			t.Fatal(err)
		}
		xs := []float64{minIndexable, 1, 2, 4, 0.5, 3, math.MaxFloat64 / 4, 1e300}
		for range 20000 {
			xs = append(xs, math.Exp(rng.Float64()*120-20))
		}
		for i := -5; i < 5; i++ { // values at the edges of buckets
			xs = append(xs, expApprox(float64(i)/s.mult), math.Nextafter(expApprox(float64(i)/s.mult), math.Inf(1)))
		}
		for _, x := range xs {
			i := math.Ceil(logApprox(x) * s.mult)
			lo, hi := expApprox((i-1)/s.mult), expApprox(i/s.mult)
			if math.IsInf(hi, 1) {
				continue // past the largest float64: the sketch reports its largest value
			}
			if v := bucketValue(lo, hi); math.Abs(v-x) > alpha*x*(1+1e-9) {
				t.Fatalf("alpha %v: x %v in (%v, %v] reported as %v", alpha, x, lo, hi, v)
			}
			if y := logApprox(x); math.Abs(expApprox(y)-x) > 1e-11*x {
				t.Fatalf("expApprox(logApprox(%v)) = %v", x, expApprox(y))
			}
		}
	}
}
