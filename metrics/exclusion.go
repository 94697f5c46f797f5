package metrics

import (
	"errors"
	"maps"
	"slices"
)

// ExclusionSampleSize is the number of left-out records a Report describes one by one.
const ExclusionSampleSize = 100

// Exclusion is one record a Report left out, and why.
type Exclusion struct {
	// TicketID is the record's TicketID (empty when the record had none).
	TicketID string
	// Err says why: a *ValidationError wrapping ErrInvalid, or a *LimitError wrapping ErrLimit.
	Err error
}

// Exclusions describes the records a Report left out. The zero value describes none.
type Exclusions struct {
	// Count is the number of records left out (what Report.Excluded returns).
	Count int
	// ByReason counts them by reason: the Field of a *ValidationError (e.g. "Solved",
	// "CSAT") or the Limit of a *LimitError ("MaxGroups", "MaxSLAMetrics"). Its keys are
	// names the package chooses, never record data, so it stays small. Nil when Count is 0.
	ByReason map[string]int
	// Sample describes the first ExclusionSampleSize records left out, in the order they were
	// left out; a merged report lists its own first, then those of each report merged into
	// it, in merge order.
	Sample []Exclusion
}

// exclude counts one record left out with err.
func (x *Exclusions) exclude(ticketID string, err error) {
	x.Count++
	if x.ByReason == nil {
		x.ByReason = map[string]int{}
	}
	x.ByReason[reason(err)]++
	if len(x.Sample) < ExclusionSampleSize {
		x.Sample = append(x.Sample, Exclusion{TicketID: ticketID, Err: err})
	}
}

// merge adds o's exclusions after x's.
func (x *Exclusions) merge(o Exclusions) {
	x.Count += o.Count
	for k, n := range o.ByReason {
		if x.ByReason == nil {
			x.ByReason = map[string]int{}
		}
		x.ByReason[k] += n
	}
	room := max(0, ExclusionSampleSize-len(x.Sample))
	x.Sample = append(x.Sample, o.Sample[:min(room, len(o.Sample))]...)
}

func (x Exclusions) clone() Exclusions {
	x.ByReason = maps.Clone(x.ByReason)
	x.Sample = slices.Clone(x.Sample)
	return x
}

// reason names the cause of err for Exclusions.ByReason.
func reason(err error) string {
	var v *ValidationError
	if errors.As(err, &v) {
		return v.Field
	}
	var l *LimitError
	if errors.As(err, &l) {
		return l.Limit
	}
	return "other"
}

// exclude records that rec was left out with err; r.mu is held.
func (r *Report) exclude(ticketID string, err error) { r.out.exclude(ticketID, err) }
