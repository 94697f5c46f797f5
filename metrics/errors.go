package metrics

import (
	"errors"
	"fmt"
)

// ErrInvalid is returned (wrapped in a *ValidationError) for input that cannot be measured:
// negative durations, a ticket solved before it was created, scores out of range, zero or
// negative traffic, a merge of reports built with different settings.
var ErrInvalid = errors.New("metrics: invalid input")

// ValidationError names the field of the input that is wrong and why. Its Unwrap returns
// ErrInvalid, so errors.Is(err, ErrInvalid) holds for every validation failure.
type ValidationError struct {
	Field  string // the offending field, e.g. "Solved" or "CSAT"
	Reason string // what is wrong with it
}

// Error implements error.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("metrics: invalid %s: %s", e.Field, e.Reason)
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// ErrLimit is returned (wrapped in a *LimitError) when input would take a value past one of
// its documented bounds, e.g. a report past ReportConfig.MaxGroups.
var ErrLimit = errors.New("metrics: limit exceeded")

// LimitError names the bound that input would exceed. Its Unwrap returns ErrLimit, so
// errors.Is(err, ErrLimit) holds.
type LimitError struct {
	Limit string // the bound, e.g. "MaxGroups"
	Max   int    // its value
}

// Error implements error.
func (e *LimitError) Error() string {
	return fmt.Sprintf("metrics: %s (%d) would be exceeded", e.Limit, e.Max)
}

// Unwrap returns ErrLimit.
func (e *LimitError) Unwrap() error { return ErrLimit }
