package metrics

import (
	"math"
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
		for x := lo; x <= hi; x *= s.gamma {
			s.add(x)
		}
		s.add(hi)
		bound := sketchBuckets(alpha)
		if len(s.bins) > bound || len(s.bins) < bound-2 {
			t.Errorf("alpha %v: %d buckets used, bound %d", alpha, len(s.bins), bound)
		}
	}
}
