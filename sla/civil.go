package sla

import (
	"slices"
	"time"
)

// Civil time is the wall clock read as if it were UTC: nanoseconds since 1970-01-01 00:00
// on the wall clock. Day k covers civil [k*dayNs, (k+1)*dayNs). The functions here measure
// open time on that DST-free line; zone.go maps it to real instants.

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// daysFromCivil returns the number of days from 1970-01-01 to y-m-d (proleptic Gregorian).
func daysFromCivil(y int, m time.Month, d int) int64 {
	yy := int64(y)
	if m <= time.February {
		yy--
	}
	era := floorDiv(yy, 400)
	yoe := yy - era*400
	mp := (int64(m) + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (int, time.Month, int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), time.Month(m), int(d)
}

// yearStarts holds the day of January 1 of each year from firstYear on.
const firstYear = 1798

var yearStarts = func() []int64 {
	out := make([]int64, 0, 2254-firstYear)
	for y := firstYear; y < 2254; y++ {
		out = append(out, daysFromCivil(y, time.January, 1))
	}
	return out
}()

// dayOfYear returns the year of day z and the 0-based day within it; ok is false outside
// the table.
func dayOfYear(z int64) (year, doy int, ok bool) {
	i := int(floorDiv((z-yearStarts[0])*400, 146097)) // close to the number of years since firstYear
	if i < 0 || i >= len(yearStarts)-1 {
		return 0, 0, false
	}
	for i > 0 && yearStarts[i] > z {
		i--
	}
	for i+1 < len(yearStarts) && yearStarts[i+1] <= z {
		i++
	}
	if i+1 >= len(yearStarts) {
		return 0, 0, false
	}
	return firstYear + i, int(z - yearStarts[i]), true
}

// weekday of day z; 1970-01-01 was a Thursday.
func weekday(z int64) time.Weekday {
	return time.Weekday((z%7 + 7 + 4) % 7)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// civilOpen returns the open time in civil [x, y).
func (c *Calendar) civilOpen(x, y int64) int64 {
	if x >= y {
		return 0
	}
	dx, dy := floorDiv(x, dayNs), floorDiv(y, dayNs)
	lo := dx + 1 // first day whose intervals all start at or after x
	if x == dx*dayNs {
		lo = dx
	}
	hi := dy - 1 // days before hi end their intervals by y
	var total int64
	if lo < hi {
		total += c.fullDays(lo, hi)
		for k := dx - 1; k < lo; k++ {
			total += c.clip(k, x, y)
		}
		for k := hi; k <= dy; k++ {
			total += c.clip(k, x, y)
		}
		return total
	}
	for k := dx - 1; k <= dy; k++ {
		total += c.clip(k, x, y)
	}
	return total
}

// clip returns the open time of day k's intervals within civil [x, y).
func (c *Calendar) clip(k, x, y int64) int64 {
	base := k * dayNs
	var total int64
	for _, sp := range c.plan(k).spans {
		s, e := max(base+sp.s, x), min(base+sp.e, y)
		if e > s {
			total += e - s
		}
	}
	return total
}

// fullDays returns the total open time of the intervals of days [lo, hi): whole weeks at
// once, then the deviations of holidays and dated entries.
func (c *Calendar) fullDays(lo, hi int64) int64 {
	n := hi - lo
	weeks := n / 7
	total := weeks * c.weekTotal
	for k := lo + weeks*7; k < hi; k++ {
		total += c.week[weekday(k)].total
	}
	if len(c.specDays) > 0 {
		i, _ := slices.BinarySearch(c.specDays, lo)
		j, _ := slices.BinarySearch(c.specDays, hi)
		total += c.specDev[j] - c.specDev[i]
	}
	if len(c.annual) > 0 {
		y0, _, _ := civilFromDays(lo)
		y1, _, _ := civilFromDays(hi - 1)
		for y := y0; y <= y1; y++ {
			for i := range c.annual {
				a := &c.annual[i]
				if a.month == time.February && a.day == 29 && !isLeap(y) {
					continue
				}
				k := daysFromCivil(y, a.month, a.day)
				if k >= lo && k < hi {
					total += a.plan.total - c.week[weekday(k)].total
				}
			}
		}
	}
	return total
}

// civilForward returns the smallest y >= x with civilOpen(x, y) == d, for d > 0. It
// reports false when that lies beyond limit.
func (c *Calendar) civilForward(x, d, limit int64) (int64, bool) {
	f := func(k int64) int64 { return c.civilOpen(x, k*dayNs) }
	lo := floorDiv(x, dayNs) // f(lo) == 0 < d
	maxDay := floorDiv(limit, dayNs) + 2
	guess := lo + 1 + (d/c.weekTotal)*7
	if p := guess - 14; p > lo && f(p) < d {
		lo = p
	}
	hi, step := max(guess, lo+1), int64(7)
	for f(hi) < d {
		if hi > maxDay {
			return 0, false
		}
		lo, hi = hi, hi+step
		step *= 2
	}
	for hi-lo > 1 { // invariant: f(lo) < d <= f(hi)
		mid := lo + (hi-lo)/2
		if f(mid) < d {
			lo = mid
		} else {
			hi = mid
		}
	}
	// y lies in day lo = hi-1: walk the intervals of days lo-1 and lo.
	need := d - f(lo)
	from, to := max(x, lo*dayNs), hi*dayNs
	for k := lo - 1; k <= lo; k++ {
		base := k * dayNs
		for _, sp := range c.plan(k).spans {
			s, e := max(base+sp.s, from), min(base+sp.e, to)
			if e <= s {
				continue
			}
			if e-s >= need {
				y := s + need
				return y, y <= limit
			}
			need -= e - s
		}
	}
	return 0, false // unreachable when the invariant holds
}

// civilBackward returns the largest x <= y with civilOpen(x, y) == d, for d > 0. It reports
// false when that lies before limit.
func (c *Calendar) civilBackward(y, d, limit int64) (int64, bool) {
	g := func(k int64) int64 { return c.civilOpen(k*dayNs, y) }
	hi := floorDiv(y, dayNs) + 1 // g(hi) == 0 < d
	minDay := floorDiv(limit, dayNs) - 2
	guess := hi - 1 - (d/c.weekTotal)*7
	if p := guess + 14; p < hi && g(p) < d {
		hi = p
	}
	lo, step := min(guess, hi-1), int64(7)
	for g(lo) < d {
		if lo < minDay {
			return 0, false
		}
		hi, lo = lo, lo-step
		step *= 2
	}
	for hi-lo > 1 { // invariant: g(lo) >= d > g(hi)
		mid := lo + (hi-lo)/2
		if g(mid) >= d {
			lo = mid
		} else {
			hi = mid
		}
	}
	// x lies in day lo: walk the intervals of days lo and lo-1 backwards.
	need := d - g(hi)
	from, to := lo*dayNs, min(y, hi*dayNs)
	for k := lo; k >= lo-1; k-- {
		base := k * dayNs
		spans := c.plan(k).spans
		for i := len(spans) - 1; i >= 0; i-- {
			s, e := max(base+spans[i].s, from), min(base+spans[i].e, to)
			if e <= s {
				continue
			}
			if e-s >= need {
				x := e - need
				return x, x >= limit
			}
			need -= e - s
		}
	}
	return 0, false
}

// openAt reports whether civil instant x lies in an open interval.
func (c *Calendar) openAt(x int64) bool {
	dx := floorDiv(x, dayNs)
	for k := dx - 1; k <= dx; k++ {
		base := k * dayNs
		for _, sp := range c.plan(k).spans {
			if base+sp.s <= x && x < base+sp.e {
				return true
			}
		}
	}
	return false
}

// openBefore reports whether the civil instant just before x lies in an open interval.
func (c *Calendar) openBefore(x int64) bool { return c.openAt(x - 1) }
