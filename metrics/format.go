package metrics

import (
	"math"
	"strconv"
	"time"
)

// FormatQuantile prints a duration figure d known within relative error accuracy, such as a
// percentile of a Summary with its Accuracy, so that it shows no digit finer than the
// accuracy supports.
//
// An exact figure (accuracy 0) prints exactly, as time.Duration's String does: "698h1m1.2s".
// An estimate prints as "~", then d in the largest unit among h, m, s, ms, µs and ns that it
// reaches, rounded to the largest power of ten of that unit whose half is at most the error
// bound accuracy·d, so that rounding adds no more than the estimate's own error (the printed
// figure is within twice accuracy of the exact one): a P90 of 693h30m within 1% (±6.9h)
// prints as "~690h", 105h within 1% as "~105h", 41m15s within 1% (±25s) as "~41.3m". The
// place is never coarser than d's leading digit, so an estimate always shows one significant
// digit: an accuracy so large that the error bound passes d itself, up to +Inf, prints d to
// one significant digit (693h30m prints as "~700h"). A negative or NaN accuracy counts as
// exact.
func FormatQuantile(d time.Duration, accuracy float64) string {
	if !(accuracy > 0) || d == 0 {
		return d.String()
	}
	unit, name := durationUnit(d)
	x := float64(d) / float64(unit)
	// the place of the last digit printed: 10^exp units, at most twice the error bound and
	// at most the leading digit's (an infinite bound, or one that overflows, stops there)
	exp := int(math.Min(math.Floor(math.Log10(2*accuracy*math.Abs(x))), math.Floor(math.Log10(math.Abs(x)))))
	if unit == time.Nanosecond {
		exp = max(exp, 0) // nothing finer than a nanosecond
	}
	place := math.Pow10(exp)
	v := math.Round(x/place) * place
	return "~" + strconv.FormatFloat(v, 'f', max(0, -exp), 64) + name
}

// durationUnit returns the largest unit that |d| reaches, and its symbol.
func durationUnit(d time.Duration) (time.Duration, string) {
	a := d
	if a < 0 {
		a = -a // the most negative Duration stays negative and falls through to ns
	}
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}, {time.Microsecond, "µs"}} {
		if a >= u.unit {
			return u.unit, u.name
		}
	}
	return time.Nanosecond, "ns"
}
