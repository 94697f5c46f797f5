package metrics

import (
	"math"
	"time"
)

// instant is a time.Time as the seconds since January 1, year 1 UTC (the zero Time) and
// the nanoseconds within the second: it orders and subtracts as time.Time's Before and Sub
// do, with plain integer arithmetic.
type instant struct {
	sec  int64
	nsec int64
}

// unixToInternal is the Unix second of the zero Time, negated.
const unixToInternal = 62135596800

func instantOf(t time.Time) instant {
	// Unix seconds of times far before year 1 wrap around; adding back wraps the other way,
	// which gives the seconds since year 1 exactly
	return instant{t.Unix() + unixToInternal, int64(t.Nanosecond())}
}

// zero reports whether a is the zero Time's instant, as time.Time.IsZero.
func (a instant) zero() bool { return a.sec == 0 && a.nsec == 0 }

// before reports whether a is before b, as time.Time.Before.
func (a instant) before(b instant) bool {
	return a.sec < b.sec || a.sec == b.sec && a.nsec < b.nsec
}

// wallBetween returns b − a, or 0 when b is not after a, saturating at the largest
// Duration: WallClock.Between.
func wallBetween(a, b instant) time.Duration {
	if !a.before(b) {
		return 0
	}
	const maxSec = math.MaxInt64 / int64(time.Second)
	s := b.sec - a.sec // negative when the difference overflows
	if s < 0 || s > maxSec {
		return math.MaxInt64
	}
	d, nd := s*int64(time.Second), b.nsec-a.nsec
	if nd > 0 && d > math.MaxInt64-nd {
		return math.MaxInt64
	}
	return time.Duration(d + nd)
}

// recordTimes holds the instants of a record's event times, read once for the checks and
// measures of a record.
type recordTimes struct {
	created, firstReply, firstSolved, solved, closed instant
}

func timesOf(r *Record) recordTimes {
	return recordTimes{instantOf(r.Created), instantOf(r.FirstReply), instantOf(r.FirstSolved),
		instantOf(r.Solved), instantOf(r.Closed)}
}

// valid reports whether a record with times t passes the checks of Record.Validate on its
// event times.
func (t *recordTimes) valid() bool {
	c := t.created
	if c.zero() {
		return false
	}
	for _, e := range [...]instant{t.firstReply, t.firstSolved, t.solved, t.closed} {
		if !e.zero() && e.before(c) {
			return false
		}
	}
	if !t.solved.zero() && (t.firstSolved.zero() || t.solved.before(t.firstSolved)) {
		return false
	}
	return t.closed.zero() || !t.closed.before(t.firstSolved) && !t.closed.before(t.solved)
}

// quickValid reports whether rec, whose times are t, passes the checks of Record.Validate
// but those of SLA metric names (see Report.outcomesOf), reading each field once.
func quickValid(rec *Record, t *recordTimes) bool {
	return t.valid() &&
		rec.Reopens >= 0 && rec.AgentReplies >= 0 && rec.CustomerReplies >= 0 && rec.Reassignments >= 0 &&
		rec.Line >= 0 && rec.OwnerAtFirstReply.Line >= 0 && rec.OwnerAtFirstSolve.Line >= 0 &&
		rec.OwnerAtSolve.Line >= 0 &&
		(len(rec.Handle) == 0 || validIntervals("Handle", rec.Handle, rec.Created) == nil) &&
		(len(rec.Pending) == 0 || validIntervals("Pending", rec.Pending, rec.Created) == nil) &&
		rec.CSAT >= 0 && rec.CSAT <= 5 && rec.CES >= 0 && rec.CES <= 7 && len(rec.SLA) <= MaxSLAMetrics
}
