package ticket

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/google/uuid"
)

// Sentinel errors. Every error the package returns wraps one of them, so callers test with
// errors.Is; the detail sits in the typed errors below (errors.As).
var (
	// ErrInvalid reports bad input; the detail is a *ValidationError.
	ErrInvalid = errors.New("ticket: invalid input")
	// ErrNotFound reports a missing ticket, comment or macro; the detail is a *NotFoundError.
	ErrNotFound = errors.New("ticket: not found")
	// ErrClosed reports a change to a closed ticket, which is final.
	ErrClosed = errors.New("ticket: ticket is closed")
	// ErrConflict reports a write based on a stale Version (the stored ticket changed since
	// it was read), or an idempotency key reused for a different request (*KeyReuseError).
	// Nothing was written.
	ErrConflict = errors.New("ticket: version conflict")
	// ErrTransition reports a status change the lifecycle does not allow; the detail is a
	// *TransitionError.
	ErrTransition = errors.New("ticket: illegal status transition")
	// ErrForbidden reports a change the access policy (Config.Authorizer) refuses to an
	// actor who may read the ticket; the detail is a *ForbiddenError. A ticket the actor may
	// not read gives ErrNotFound instead, so that a refusal never reveals a ticket.
	ErrForbidden = errors.New("ticket: forbidden")
)

// ForbiddenError reports an action the access policy refuses. It unwraps to ErrForbidden.
type ForbiddenError struct {
	Action Action    // what was refused
	ID     uuid.UUID // the ticket; zero for a ticket not yet created
}

// Error names the action and the ticket.
func (e *ForbiddenError) Error() string {
	if e.ID == uuid.Nil {
		return fmt.Sprintf("ticket: %s is forbidden", e.Action)
	}
	return fmt.Sprintf("ticket: %s on %s is forbidden", e.Action, e.ID)
}

// Unwrap returns ErrForbidden.
func (e *ForbiddenError) Unwrap() error { return ErrForbidden }

// ValidationError describes one invalid input field. It unwraps to ErrInvalid.
type ValidationError struct {
	Field  string // the input field, e.g. "subject", "requester.email", "tags[2]"
	Reason string // what is wrong with it
}

// Error names the field and the reason.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("ticket: invalid %s: %s", e.Field, e.Reason)
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

func invalid(field, reason string) error { return &ValidationError{Field: field, Reason: reason} }

// TransitionError reports a status change the lifecycle forbids. It unwraps to ErrTransition
// and, when From is StatusClosed, also to ErrClosed.
type TransitionError struct {
	From   Status // the ticket's status when the change was tried
	To     Status // the status asked for
	Reason string // optional detail, e.g. "solving needs an assignee"; "" when the lifecycle has no edge From → To
}

// Error names both statuses and the reason, if any.
func (e *TransitionError) Error() string {
	msg := fmt.Sprintf("ticket: cannot change status from %s to %s", e.From, e.To)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns ErrTransition, plus ErrClosed when the ticket was closed.
func (e *TransitionError) Unwrap() []error {
	if e.From == StatusClosed {
		return []error{ErrTransition, ErrClosed}
	}
	return []error{ErrTransition}
}

// NotFoundError names what was missing. It unwraps to ErrNotFound.
type NotFoundError struct {
	What string // "ticket", "macro"
	Key  string // the ID, number or name looked up
}

// Error names what was looked up.
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("ticket: %s %q not found", e.What, e.Key)
}

// Unwrap returns ErrNotFound.
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// NotFound returns a *NotFoundError for the ticket with the given ID. Store implementations
// use it so that their errors read like the in-memory store's.
func NotFound(id uuid.UUID) error { return &NotFoundError{What: "ticket", Key: id.String()} }

// ClosedError reports a change attempted on a closed ticket. It unwraps to ErrClosed.
type ClosedError struct {
	ID     uuid.UUID // the closed ticket
	Number string    // its human number, for messages
}

// Error names the ticket.
func (e *ClosedError) Error() string {
	return fmt.Sprintf("ticket: %s is closed", e.Number)
}

// Unwrap returns ErrClosed.
func (e *ClosedError) Unwrap() error { return ErrClosed }

// ConflictError reports a stale write: the caller held Version Have, the store holds a later
// one. It unwraps to ErrConflict.
type ConflictError struct {
	ID   uuid.UUID // the ticket written
	Have int64     // the Version the write carried; 0 when it was not a version (a taken ID or number)
}

// Error names the ticket and the stale version.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("ticket: %s: version %d is stale", e.ID, e.Have)
}

// Unwrap returns ErrConflict.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// KeyReuseError reports an idempotency key given again for a different request: a creation
// key reused by the same requester with another payload, or a comment key that the ticket
// already holds on a comment by another author, of another visibility or with another body.
// It names nothing of the earlier request (no ticket, comment, author or text), so it may be
// shown to whoever sent the later one. It unwraps to ErrConflict; retrying the same request
// gives the same error.
type KeyReuseError struct {
	What string // what the key was given for: "ticket" (Create, Receive) or "comment"
}

// Error says what the key was given for, and nothing of the earlier request.
func (e *KeyReuseError) Error() string {
	return "ticket: idempotency key already used for a different " + e.What + " request"
}

// Unwrap returns ErrConflict.
func (e *KeyReuseError) Unwrap() error { return ErrConflict }

func isKeyReuse(err error) bool {
	var kr *KeyReuseError
	return errors.As(err, &kr)
}

func asClosed(err error, target **ClosedError) bool { return errors.As(err, target) }

func quote[T ~string](v T) string { return strconv.Quote(string(v)) }
