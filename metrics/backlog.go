package metrics

import (
	"iter"
	"slices"
	"time"
)

// DefaultAgeBuckets are the backlog age limits used when Backlog gets none: under a day, 1–3
// days, 3–7 days, 7–30 days, and older.
var DefaultAgeBuckets = []time.Duration{24 * time.Hour, 72 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour}

// BacklogBucket counts open tickets whose age is below MaxAge and at least the previous
// bucket's MaxAge. The last bucket has MaxAge 0 and holds everything older.
type BacklogBucket struct {
	MaxAge time.Duration // upper bound of the bucket's ages (exclusive); 0 for the last bucket
	Count  int           // open tickets in the bucket
}

// BacklogReport is the backlog at one instant.
type BacklogReport struct {
	At       time.Time       // the instant measured
	Open     int             // tickets open at At (the sum of the buckets' counts)
	Buckets  []BacklogBucket // one per age limit, then one for everything older
	Excluded int             // invalid records left out
}

// Backlog counts the tickets open at instant at, by age (at − Created). A ticket is open when
// Created ≤ at and it is not solved by at (Solved zero or after at); a reopened ticket that is
// not solved again counts as open since its creation. limits are the bucket upper bounds in
// increasing order (nil: DefaultAgeBuckets). Invalid records are left out and counted; nil
// records are none. It returns a *ValidationError wrapping ErrInvalid when at is zero or
// limits are not positive and increasing.
func Backlog(records iter.Seq[Record], at time.Time, limits []time.Duration) (BacklogReport, error) {
	if at.IsZero() {
		return BacklogReport{}, invalid("at", "the instant measured is required")
	}
	if limits == nil {
		limits = DefaultAgeBuckets
	}
	for i, l := range limits {
		if l <= 0 || (i > 0 && l <= limits[i-1]) {
			return BacklogReport{}, invalid("limits", "age limits must be positive and increasing")
		}
	}
	out := BacklogReport{At: at, Buckets: make([]BacklogBucket, len(limits)+1)}
	for i, l := range limits {
		out.Buckets[i].MaxAge = l
	}
	if records == nil {
		return out, nil
	}
	for r := range records {
		if r.Validate() != nil {
			out.Excluded++
			continue
		}
		if r.Created.After(at) || (!r.Solved.IsZero() && !r.Solved.After(at)) {
			continue
		}
		age := at.Sub(r.Created)
		i, found := slices.BinarySearch(limits, age)
		if found {
			i++ // age == limit belongs to the next bucket
		}
		out.Buckets[i].Count++
		out.Open++
	}
	return out, nil
}
