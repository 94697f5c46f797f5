package metrics_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

var quantiles = []float64{0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1}

// checkBound compares every quantile of the sketch with the exact quantile of the sorted
// values by linear interpolation (percentile_cont): |estimate − exact| ≤ alpha·exact.
func checkBound(t *testing.T, s *metrics.Sketch, values []float64) {
	t.Helper()
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	alpha := s.RelativeAccuracy()
	for _, q := range quantiles {
		exact := percentileCont(sorted, q)
		got, ok := s.Quantile(q)
		require.True(t, ok)
		assert.LessOrEqual(t, math.Abs(got-exact), alpha*exact*(1+1e-9), "q=%v exact=%v got=%v", q, exact, got)
	}
}

func TestSketchRelativeErrorBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gens := map[string]func() float64{
		"uniform":     func() float64 { return rng.Float64() * 3600 },
		"exponential": func() float64 { return rng.ExpFloat64() * 600 },
		"lognormal":   func() float64 { return math.Exp(rng.NormFloat64()*2 + 6) },
		// Pareto with shape 1.1: a heavy tail reaching far beyond the median.
		"pareto": func() float64 { return 30 / math.Pow(1-rng.Float64(), 1/1.1) },
		"with zeros": func() float64 {
			if rng.IntN(5) == 0 {
				return 0
			}
			return rng.ExpFloat64() * 60
		},
	}
	for _, alpha := range []float64{0.01, 0.05} {
		for name, gen := range gens {
			t.Run(name, func(t *testing.T) {
				s, err := metrics.NewSketch(alpha)
				require.NoError(t, err)
				values := make([]float64, 50000)
				for i := range values {
					values[i] = gen()
					require.NoError(t, s.Add(values[i]))
				}
				checkBound(t, s, values)
				mean, ok := s.Mean()
				require.True(t, ok)
				var sum float64
				for _, v := range values {
					sum += v
				}
				assert.InDelta(t, sum/float64(len(values)), mean, 1e-6*mean+1e-9)
			})
		}
	}
}

func TestSketchMergeEqualsOnePass(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	whole, _ := metrics.NewSketch(0.01)
	parts := make([]*metrics.Sketch, 4)
	for i := range parts {
		parts[i], _ = metrics.NewSketch(0.01)
	}
	var values []float64
	for i := range 20000 {
		// each shard sees a different range, so merges must grow bins on both sides
		v := math.Exp(rng.NormFloat64() + float64(i%4)*3)
		values = append(values, v)
		require.NoError(t, whole.Add(v))
		require.NoError(t, parts[i%4].Add(v))
	}
	merged, _ := metrics.NewSketch(0.01)
	for _, i := range []int{2, 0, 3, 1} {
		require.NoError(t, merged.Merge(parts[i]))
	}
	assert.Equal(t, whole.Count(), merged.Count())
	for _, q := range quantiles {
		a, _ := whole.Quantile(q)
		b, _ := merged.Quantile(q)
		assert.Equal(t, a, b, "q=%v", q)
	}
	checkBound(t, merged, values)
}

func TestSketchMemoryDoesNotGrowWithCount(t *testing.T) {
	s, _ := metrics.NewSketch(0.01)
	// warm up over the whole range 1 s .. 1e7 s
	for v := 1.0; v < 1e7; v *= 1.001 {
		require.NoError(t, s.Add(v))
	}
	rng := rand.New(rand.NewPCG(5, 6))
	allocs := testing.AllocsPerRun(1000, func() { _ = s.Add(1 + rng.Float64()*1e7) })
	assert.Zero(t, allocs)
}

func TestSketchBadInput(t *testing.T) {
	for _, alpha := range []float64{0, -0.1, 1, math.NaN()} {
		_, err := metrics.NewSketch(alpha)
		assert.ErrorIs(t, err, metrics.ErrInvalid, "alpha %v", alpha)
	}
	s, _ := metrics.NewSketch(0.01)
	for _, v := range []float64{-1, math.NaN(), math.Inf(1)} {
		assert.ErrorIs(t, s.Add(v), metrics.ErrInvalid)
	}
	assert.Zero(t, s.Count(), "rejected values are not counted")
	_, ok := s.Quantile(0.5)
	assert.False(t, ok, "empty sketch has no quantile")
	_, ok = s.Mean()
	assert.False(t, ok)
	require.NoError(t, s.Add(5))
	for _, q := range []float64{-0.1, 1.1, math.NaN()} {
		_, ok = s.Quantile(q)
		assert.False(t, ok)
	}
	other, _ := metrics.NewSketch(0.02)
	assert.ErrorIs(t, s.Merge(other), metrics.ErrInvalid)
}

func FuzzSketchBound(f *testing.F) {
	f.Add(1.0, 2.0, 3.0, 1000.0, 0.0)
	f.Add(0.5, 1e-12, 1e9, 7.0, 7.0)
	f.Fuzz(func(t *testing.T, a, b, c, d, e float64) {
		s, _ := metrics.NewSketch(0.01)
		var values []float64
		for _, v := range []float64{a, b, c, d, e} {
			if s.Add(v) == nil {
				values = append(values, v)
			}
		}
		if len(values) == 0 {
			return
		}
		sorted := slices.Clone(values)
		slices.Sort(sorted)
		for _, q := range quantiles {
			exact := percentileCont(sorted, q)
			got, _ := s.Quantile(q)
			// values below 1e-9 count as 0 (the zero bucket), which an interpolation may
			// carry into its result: at most 1e-9 beyond the relative bound
			if math.Abs(got-exact) > 0.01*exact*(1+1e-9)+1e-9 {
				t.Fatalf("q=%v exact=%v got=%v", q, exact, got)
			}
		}
	})
}

// The sketch's nearest-rank quantile is within its accuracy of the exact one.
func TestSketchDiscreteQuantile(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 11))
	s, err := metrics.NewSketch(0.02)
	require.NoError(t, err)
	xs := make([]float64, 5000)
	for i := range xs {
		xs[i] = rng.ExpFloat64() * 3600
		require.NoError(t, s.Add(xs[i]))
	}
	slices.Sort(xs)
	for _, q := range []float64{0, 0.01, 0.5, 0.9, 0.999, 1} {
		got, ok := s.DiscreteQuantile(q)
		require.True(t, ok)
		want := percentileDisc(xs, q)
		assert.InDelta(t, want, got, 0.02*want*(1+1e-9), "q=%v", q)
	}
	_, ok := s.DiscreteQuantile(-0.1)
	assert.False(t, ok)
	var empty metrics.Sketch
	_, ok = empty.DiscreteQuantile(0.5)
	assert.False(t, ok)
}
