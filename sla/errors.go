package sla

import (
	"errors"
	"strconv"
)

// ErrInvalid is the sentinel every input error of the package wraps: a bad calendar
// configuration, a bad policy, a bad timeline, an unparsable iCalendar file or one too
// large to expand (see ErrTooLarge).
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

// ErrTooLarge is wrapped by errors for input whose expansion would exceed one of the
// package's bounds on work and output, such as an iCalendar feed that expands to more
// holiday dates than MaxICSDates. Such errors wrap ErrInvalid too.
var ErrTooLarge = errors.New("sla: input too large")

// LimitError reports input that exceeds a bound of the package. It unwraps to both
// ErrTooLarge and ErrInvalid.
type LimitError struct {
	// Line is the 1-based line of an iCalendar file where the bound was exceeded; 0 when
	// the input is not a file.
	Line int
	// What names the bounded quantity, such as "holiday dates".
	What string
	// Limit is the bound that was exceeded.
	Limit int
}

// Error implements error.
func (e *LimitError) Error() string {
	s := "sla: "
	if e.Line > 0 {
		s += "ics line " + strconv.Itoa(e.Line) + ": "
	}
	return s + "more than " + strconv.Itoa(e.Limit) + " " + e.What
}

// Unwrap returns ErrTooLarge and ErrInvalid.
func (e *LimitError) Unwrap() []error { return []error{ErrTooLarge, ErrInvalid} }

func invalid(field, reason string) error {
	return &ValidationError{Field: field, Reason: reason}
}
