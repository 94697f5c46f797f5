package sla

import (
	"errors"
	"strconv"
)

// ErrInvalid is the sentinel every input error of the package wraps: a bad calendar
// configuration, a bad policy, an unsorted timeline or an unparsable iCalendar file.
// Test for it with errors.Is.
var ErrInvalid = errors.New("sla: invalid input")

// ValidationError describes one invalid field of a configuration, policy or timeline.
// It unwraps to ErrInvalid.
type ValidationError struct {
	// Field names the offending field, for example "Week[Monday][1]" or "Timeline[3].At".
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error implements error.
func (e *ValidationError) Error() string {
	return "sla: invalid " + e.Field + ": " + e.Reason
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// ParseError reports a malformed iCalendar file. It unwraps to ErrInvalid.
type ParseError struct {
	// Line is the 1-based number of the physical line where the bad content line starts.
	Line int
	// Reason says what is wrong.
	Reason string
}

// Error implements error.
func (e *ParseError) Error() string {
	return "sla: ics line " + strconv.Itoa(e.Line) + ": " + e.Reason
}

// Unwrap returns ErrInvalid.
func (e *ParseError) Unwrap() error { return ErrInvalid }

func invalid(field, reason string) error {
	return &ValidationError{Field: field, Reason: reason}
}
