package email

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package returns wraps one of them (or is the error of an
// io.Reader, an AttachmentSink or a Sender passed through with %w).
var (
	// ErrTooLarge reports a message over one of the Limits; the detail is a *LimitError.
	ErrTooLarge = errors.New("email: message too large")
	// ErrInvalid reports input that is not a mail message at all, or an invalid Config or
	// Notice; the detail is a *ValidationError.
	ErrInvalid = errors.New("email: invalid input")
	// ErrRefused reports a notification the loop and flood guard will not let out; the
	// detail is a *RefusedError.
	ErrRefused = errors.New("email: refused by the loop guard")
)

// LimitError reports which limit a message went over. It unwraps to ErrTooLarge.
type LimitError struct {
	Limit string // the Limits field: "MaxSize", "MaxParts", "MaxDepth", "MaxHeader" or "MaxAttachment"
	Max   int64  // the limit in force
}

// Error names the limit and its value.
func (e *LimitError) Error() string {
	return fmt.Sprintf("email: message over %s (%d)", e.Limit, e.Max)
}

// Unwrap returns ErrTooLarge.
func (e *LimitError) Unwrap() error { return ErrTooLarge }

// ValidationError describes one invalid input field. It unwraps to ErrInvalid.
type ValidationError struct {
	Field  string // the input or config field, e.g. "Limits.MaxParts", "header"
	Reason string // what is wrong with it
}

// Error names the field and the reason.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("email: invalid %s: %s", e.Field, e.Reason)
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

func invalid(field, reason string) error { return &ValidationError{Field: field, Reason: reason} }

// RefusedError tells why the Guard refused an automatic reply. It unwraps to ErrRefused.
type RefusedError struct {
	Reason string // "automatic mail", "own address", "robot address", "no address" or "flood"
}

// Error gives the reason.
func (e *RefusedError) Error() string { return "email: automatic reply refused: " + e.Reason }

// Unwrap returns ErrRefused.
func (e *RefusedError) Unwrap() error { return ErrRefused }
