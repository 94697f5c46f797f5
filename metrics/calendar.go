package metrics

import "time"

// Calendar measures the working time between two instants, for business-hours KPIs.
// *sla.Calendar satisfies it; so does any host type with the same method. Between must return
// 0 when b is not after a, and must be safe for concurrent use.
//
// A Calendar may also have a method Location() *time.Location (as *sla.Calendar does): a
// report then defaults its Location to that zone (see ReportConfig.Location).
type Calendar interface {
	// Between returns the working time from a to b, 0 when b is not after a. It must
	// depend only on the instants, not on the zones a and b carry.
	Between(a, b time.Time) time.Duration
}

// calendarLocation returns the zone of c when c has a Location method that gives one.
func calendarLocation(c Calendar) *time.Location {
	if l, ok := c.(interface{ Location() *time.Location }); ok {
		return l.Location()
	}
	return nil
}

// WallClock is the Calendar of elapsed time: every hour counts. It is what the wall-clock
// figures of a report use.
type WallClock struct{}

// Between returns b - a, or 0 when b is not after a.
func (WallClock) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	return b.Sub(a)
}
