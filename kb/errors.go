package kb

import (
	"errors"
	"fmt"
)

var (
	// ErrInvalid reports bad input: a missing field, an unknown enum value, a
	// query that is too long. Detail is in a *ValidationError.
	ErrInvalid = errors.New("kb: invalid input")
	// ErrNotFound reports that an article does not exist.
	ErrNotFound = errors.New("kb: not found")
	// ErrConflict reports a stale write: the article's Version is not the
	// stored one. Read it again and retry.
	ErrConflict = errors.New("kb: version conflict")
	// ErrDuplicate reports that an article with the same ID or slug exists.
	ErrDuplicate = errors.New("kb: duplicate")
)

// ValidationError says which field of an input is wrong and why. It unwraps
// to ErrInvalid.
type ValidationError struct {
	// Field names the input that is wrong.
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error implements error.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("kb: invalid %s: %s", e.Field, e.Reason)
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

func invalid(field, reason string) error {
	return &ValidationError{Field: field, Reason: reason}
}
