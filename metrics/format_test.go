package metrics_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// A P90 from the sketch printed as 693.500h next to an exact 698.017h, a precision the sketch
// does not have: an estimate prints only the digits its accuracy guarantees, an exact figure
// prints exactly.
func TestFormatQuantileShowsOnlyGuaranteedDigits(t *testing.T) {
	for _, c := range []struct {
		d        time.Duration
		accuracy float64
		want     string
	}{
		{693*time.Hour + 30*time.Minute, 0.01, "~690h"},
		{698*time.Hour + time.Minute + 1200*time.Millisecond, 0, "698h1m1.2s"},
		{105 * time.Hour, 0.01, "~105h"},
		{41*time.Minute + 15*time.Second, 0.01, "~41.3m"},
		{2500 * time.Millisecond, 0.01, "~2.50s"},
		{2500 * time.Millisecond, 0.1, "~2.5s"},
		{1500 * time.Microsecond, 0.01, "~1.50ms"},
		{7 * time.Nanosecond, 0.01, "~7ns"},
		{0, 0.01, "0s"},
		{90 * time.Minute, math.NaN(), "1h30m0s"},
	} {
		assert.Equal(t, c.want, metrics.FormatQuantile(c.d, c.accuracy), "%v at %v", c.d, c.accuracy)
	}
}

// Property: the printed estimate is d rounded to a place that is at most twice the error
// bound and more than a fifth of it: rounding adds at most the estimate's own error, and no
// digit finer than that is shown.
func TestFormatQuantileRoundsToTheErrorBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	units := map[string]time.Duration{"h": time.Hour, "m": time.Minute, "s": time.Second,
		"ms": time.Millisecond, "µs": time.Microsecond, "ns": time.Nanosecond}
	for range 2000 {
		d := time.Duration(math.Exp(rng.Float64() * 40))
		accuracy := []float64{0.001, 0.01, 0.02, 0.1}[rng.IntN(4)]
		s := metrics.FormatQuantile(d, accuracy)
		require.True(t, strings.HasPrefix(s, "~"), s)
		num := strings.TrimRight(s[1:], "hmsµn")
		unit := units[s[1+len(num):]]
		require.NotZero(t, unit, s)
		v, err := strconv.ParseFloat(num, 64)
		require.NoError(t, err, s)
		x := float64(d) / float64(unit)
		bound := accuracy * x
		// the place of the last digit: 10^-decimals, or for a whole number the largest power
		// of ten that divides it while at most twice the bound
		place := 1.0
		if i := strings.IndexByte(num, '.'); i >= 0 {
			place = math.Pow10(-(len(num) - i - 1))
		} else {
			for math.Mod(v, place*10) == 0 && place*10 <= 2*bound {
				place *= 10
			}
		}
		assert.LessOrEqual(t, math.Abs(v-x), place/2*(1+1e-9), "%v at %v printed %s", d, accuracy, s)
		if unit > time.Nanosecond {
			assert.LessOrEqual(t, place, 2*bound*(1+1e-9), "%v at %v printed %s", d, accuracy, s)
			assert.Greater(t, place*10, 2*bound*(1-1e-9), "%v at %v printed %s", d, accuracy, s)
		}
	}
}

// A Summary says how accurate its percentiles are: 0 for an exact group, the report's
// accuracy for a sketched one.
func TestSummaryAccuracy(t *testing.T) {
	small := make([]time.Duration, metrics.ExactLimit)
	for i := range small {
		small[i] = time.Duration(i+1) * time.Minute
	}
	s := frtReport(t, metrics.ReportConfig{}, small).Total().Duration(metrics.FRT)
	assert.Zero(t, s.Accuracy)
	assert.Equal(t, s.P90.String(), metrics.FormatQuantile(s.P90, s.Accuracy))
	big := frtReport(t, metrics.ReportConfig{Accuracy: 0.02}, append(small, time.Hour)).Total().Duration(metrics.FRT)
	assert.Equal(t, 0.02, big.Accuracy)
	assert.True(t, strings.HasPrefix(metrics.FormatQuantile(big.P90, big.Accuracy), "~"))
}

// An infinite accuracy once printed "~NaNh". An error bound as large as the figure, or
// larger, leaves one significant digit: never NaN, never "~0h" for a figure that is not zero.
func TestFormatQuantileHugeOrInfiniteAccuracy(t *testing.T) {
	for _, c := range []struct {
		d        time.Duration
		accuracy float64
		want     string
	}{
		{693*time.Hour + 30*time.Minute, math.Inf(1), "~700h"},
		{693*time.Hour + 30*time.Minute, 10, "~700h"},
		{693*time.Hour + 30*time.Minute, math.MaxFloat64, "~700h"},
		{693*time.Hour + 30*time.Minute, 1, "~700h"},
		{-(41*time.Minute + 15*time.Second), math.Inf(1), "~-40m"},
		{960 * time.Millisecond, math.Inf(1), "~1000ms"},
		{7 * time.Nanosecond, math.Inf(1), "~7ns"},
		{0, math.Inf(1), "0s"},
		{90 * time.Minute, math.Inf(-1), "1h30m0s"},
	} {
		assert.Equal(t, c.want, metrics.FormatQuantile(c.d, c.accuracy), "%v at %v", c.d, c.accuracy)
	}
}
