package sla

import (
	"iter"
	"math"
	"time"
)

// Span is a stretch of real time [Start, End).
type Span struct {
	// Start is the first instant of the span.
	Start time.Time
	// End is the instant the span ends, excluded.
	End time.Time
}

// Duration returns End - Start.
func (s Span) Duration() time.Duration { return s.End.Sub(s.Start) }

// IsOpen reports whether the calendar is open at t.
func (c *Calendar) IsOpen(t time.Time) bool {
	if c.aroundTheClock() {
		return true
	}
	return c.openNs(toNs(t))
}

func (c *Calendar) openNs(t int64) bool {
	p := c.zone.pieceAt(t)
	if p.flat {
		return c.openBefore(p.at)
	}
	return c.openAt(t + p.off)
}

// Between returns the open time in [a, b), negative when b is before a. Like
// time.Time.Sub, it saturates: open time beyond the largest Duration (about 292 years) is
// returned as math.MaxInt64, or math.MinInt64 when b is before a.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if c.aroundTheClock() {
		return b.Sub(a)
	}
	x, y := toNs(a), toNs(b)
	if y < x {
		d := c.between(y, x)
		if d == math.MaxInt64 {
			return math.MinInt64
		}
		return -time.Duration(d)
	}
	return time.Duration(c.between(x, y))
}

// longSpan is a span of real time whose open time, and the civil arithmetic measuring it,
// fit in an int64 with room to spare (250 years; an int64 holds about 292).
const longSpan = 250 * 365 * 24 * int64(time.Hour)

// between returns the open time in real [a, b), saturated at math.MaxInt64. The supported
// range is 450 years, more than an int64 of nanoseconds holds, so a long span is measured
// in two halves.
func (c *Calendar) between(a, b int64) int64 {
	if uint64(b-a) > uint64(longSpan) { // b-a may wrap; as unsigned it is exact
		mid := a/2 + b/2
		x, y := c.between(a, mid), c.between(mid, b)
		if x > math.MaxInt64-y {
			return math.MaxInt64
		}
		return x + y
	}
	return c.betweenShort(a, b)
}

func (c *Calendar) betweenShort(a, b int64) int64 {
	var total int64
	for t := a; t < b; {
		p := c.zone.pieceAt(t)
		end := min(p.to, b)
		if p.flat {
			if c.openBefore(p.at) {
				total += end - t
			}
		} else {
			total += c.civilOpen(t+p.off, end+p.off)
		}
		t = end
	}
	return total
}

// Add returns the instant at which d of open time has passed since t: the earliest instant
// u with Between(t, u) == d. A negative d counts backwards: the latest instant u with
// Between(u, t) == -d. Add(t, 0) is t. The result is in t's location. When the calendar
// never accumulates d (every later day closed, or d reaching past it), the result is
// clamped to the supported range (year 2250, or 1800 backwards). Every d is accepted,
// math.MinInt64 included.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	if d == 0 {
		return t
	}
	if c.aroundTheClock() {
		return t.Add(d)
	}
	var r int64
	switch {
	case d > 0:
		r, _ = c.forward(toNs(t), int64(d))
	case d == math.MinInt64: // -d does not fit: go back MaxInt64, then one more nanosecond
		var ok bool
		if r, ok = c.backward(toNs(t), math.MaxInt64); ok {
			r, _ = c.backward(r, 1)
		}
	default:
		r, _ = c.backward(toNs(t), -int64(d))
	}
	return time.Unix(0, r).In(t.Location())
}

// Sub returns Add(t, -d): the latest instant u with Between(u, t) == d. For
// d == math.MinInt64, whose negation does not fit, it goes forward one nanosecond of open
// time past Add(t, math.MaxInt64).
func (c *Calendar) Sub(t time.Time, d time.Duration) time.Time {
	if d == math.MinInt64 {
		return c.Add(c.Add(t, math.MaxInt64), 1)
	}
	return c.Add(t, -d)
}

func (c *Calendar) forward(t, d int64) (int64, bool) {
	for t < maxNs {
		p := c.zone.pieceAt(t)
		end := min(p.to, maxNs)
		if p.flat {
			if c.openBefore(p.at) {
				if end-t >= d {
					return t + d, true
				}
				d -= end - t
			}
			t = end
			continue
		}
		if p.to >= maxNs {
			y, ok := c.civilForward(t+p.off, d, maxNs+p.off)
			if !ok {
				return maxNs, false
			}
			return y - p.off, true
		}
		if avail := c.civilOpen(t+p.off, end+p.off); avail >= d {
			y, _ := c.civilForward(t+p.off, d, end+p.off)
			return y - p.off, true
		} else {
			d -= avail
		}
		t = end
	}
	return maxNs, false
}

func (c *Calendar) backward(t, d int64) (int64, bool) {
	for t > minNs {
		p := c.zone.pieceAt(t - 1)
		from := max(p.from, minNs)
		if p.flat {
			if c.openBefore(p.at) {
				if t-from >= d {
					return t - d, true
				}
				d -= t - from
			}
			t = from
			continue
		}
		if p.from <= minNs {
			x, ok := c.civilBackward(t+p.off, d, minNs+p.off)
			if !ok {
				return minNs, false
			}
			return x - p.off, true
		}
		if avail := c.civilOpen(from+p.off, t+p.off); avail >= d {
			x, _ := c.civilBackward(t+p.off, d, from+p.off)
			return x - p.off, true
		} else {
			d -= avail
		}
		t = from
	}
	return minNs, false
}

// NextOpen returns the first instant at or after t at which the calendar is open: t itself
// when open. It reports false when the calendar never opens again before year 2250.
func (c *Calendar) NextOpen(t time.Time) (time.Time, bool) {
	if c.IsOpen(t) {
		return t, true
	}
	r, ok := c.forward(toNs(t), 1)
	if !ok {
		return time.Time{}, false
	}
	return time.Unix(0, r-1).In(t.Location()), true
}

// NextClose returns the first instant at or after t at which the calendar is closed: t
// itself when closed. It reports false when the calendar stays open for the next 400 days
// (a 24/7 calendar never closes) or up to the end of the supported range, year 2250.
func (c *Calendar) NextClose(t time.Time) (time.Time, bool) {
	if c.aroundTheClock() {
		return time.Time{}, false
	}
	if !c.IsOpen(t) {
		return t, true
	}
	limit := t.AddDate(0, 0, 400)
	for s := range c.Open(t, limit) {
		if s.End.Equal(limit) || toNs(s.End) >= maxNs {
			break
		}
		return s.End, true
	}
	return time.Time{}, false
}

// Open yields the open spans within [from, to) in order, clipped to the range; spans that
// touch are joined, so each yielded span ends at an instant the calendar closes (or at to).
// Yielded times are in from's location. The sequence is empty when to is not after from.
func (c *Calendar) Open(from, to time.Time) iter.Seq[Span] {
	return func(yield func(Span) bool) {
		a, b := toNs(from), toNs(to)
		var cur struct{ s, e int64 }
		have := false
		emit := func(s, e int64) bool {
			if have && s == cur.e {
				cur.e = e
				return true
			}
			if have && !yield(Span{time.Unix(0, cur.s).In(from.Location()), time.Unix(0, cur.e).In(from.Location())}) {
				return false
			}
			cur.s, cur.e, have = s, e, true
			return true
		}
		if !c.spans(a, b, emit) {
			return
		}
		if have {
			yield(Span{time.Unix(0, cur.s).In(from.Location()), time.Unix(0, cur.e).In(from.Location())})
		}
	}
}

// spans calls emit for each open stretch of real [a, b), in order; it stops and reports
// false when emit does.
func (c *Calendar) spans(a, b int64, emit func(s, e int64) bool) bool {
	if c.aroundTheClock() {
		return a >= b || emit(a, b)
	}
	for t := a; t < b; {
		p := c.zone.pieceAt(t)
		end := min(p.to, b)
		if p.flat {
			if c.openBefore(p.at) && !emit(t, end) {
				return false
			}
			t = end
			continue
		}
		x, y := t+p.off, end+p.off
		for k := floorDiv(x, dayNs) - 1; k <= floorDiv(y, dayNs); k++ {
			base := k * dayNs
			for _, sp := range c.plan(k).spans {
				s, e := max(base+sp.s, x), min(base+sp.e, y)
				if e > s && !emit(s-p.off, e-p.off) {
					return false
				}
			}
		}
		t = end
	}
	return true
}
