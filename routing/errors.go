package routing

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps one of them, so callers test
// with errors.Is. A call that returns an error leaves the Router unchanged.
var (
	// ErrNotFound: the agent or task is not known to the Router (never added, or removed,
	// completed or cancelled).
	ErrNotFound = errors.New("routing: not found")
	// ErrInvalid: the input breaks a documented rule; the detail is a *ValidationError.
	ErrInvalid = errors.New("routing: invalid input")
	// ErrDuplicate: an agent or a live task with the same ID already exists.
	ErrDuplicate = errors.New("routing: duplicate id")
	// ErrOfferExpired: the offer was accepted at or after its expiry time.
	ErrOfferExpired = errors.New("routing: offer expired")
	// ErrNotOffered: the task is not currently offered to that agent (it was offered to
	// someone else, already accepted, or is still waiting), or the offer named by
	// AcceptOffer or DeclineOffer is no longer the task's current one.
	ErrNotOffered = errors.New("routing: task not offered to this agent")
	// ErrNotAssigned: the task is not in the assigned (accepted) state.
	ErrNotAssigned = errors.New("routing: task not assigned")
	// ErrOverCapacity: a manual assignment would exceed the agent's capacity or exclusivity
	// and was not forced.
	ErrOverCapacity = errors.New("routing: agent at capacity")
	// ErrUnavailable: a manual assignment names an agent who is not available and was not forced.
	ErrUnavailable = errors.New("routing: agent not available")
)

// ValidationError describes one invalid field. It unwraps to ErrInvalid.
type ValidationError struct {
	Field  string // the offending field, e.g. "Skills[billing]" or "Capacity[chat]"
	Reason string // what is wrong with it
}

// Error returns "routing: invalid <Field>: <Reason>".
func (e *ValidationError) Error() string {
	return fmt.Sprintf("routing: invalid %s: %s", e.Field, e.Reason)
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// errNilRouter is the error of a method with an error result called on a nil *Router.
func errNilRouter() error {
	return invalid("Router", "nil *Router: use New or a zero Router")
}

// notFoundError is ErrNotFound naming what was missing; its text is made only when read,
// since a lookup of a task not routed is an expected answer on hot paths.
type notFoundError struct{ kind, id string }

func (e *notFoundError) Error() string {
	return fmt.Sprintf("%s: %s %q", ErrNotFound, e.kind, e.id)
}

func (e *notFoundError) Unwrap() error { return ErrNotFound }

func notFound(kind, id string) error {
	return &notFoundError{kind: kind, id: id}
}
