package metrics

import "time"

// AgentTime is how one agent spent a period, the input of Occupancy and Utilization.
type AgentTime struct {
	// Handle is the time spent working tickets (e.g. the agent's total AgentWorkTime from a
	// report grouped ByAgent).
	Handle time.Duration
	// Available is the time logged in and ready for work, including the Handle time.
	Available time.Duration
	// Paid is the scheduled, paid time, including breaks, meetings and training.
	Paid time.Duration
}

// Occupancy = Handle / Available: how busy the agent was while ready to take work. It returns
// a *ValidationError wrapping ErrInvalid when a duration is negative, Available is zero, or
// Handle exceeds Available.
func Occupancy(a AgentTime) (float64, error) { return a.share(a.Available, "Available") }

// Utilization = Handle / Paid: the share of paid time spent working tickets. It returns a
// *ValidationError wrapping ErrInvalid when a duration is negative, Paid is zero, or Handle
// exceeds Paid.
func Utilization(a AgentTime) (float64, error) { return a.share(a.Paid, "Paid") }

// share returns Handle / of, checking the durations.
func (a AgentTime) share(of time.Duration, field string) (float64, error) {
	if a.Handle < 0 || a.Available < 0 || a.Paid < 0 {
		return 0, invalid("AgentTime", "negative duration")
	}
	if of == 0 || a.Handle > of {
		return 0, invalid(field, "must be positive and at least Handle")
	}
	return float64(a.Handle) / float64(of), nil
}
