package party

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package returns wraps one of them (or is a
// context's error), so callers test with errors.Is; the detail sits in the typed errors below.
var (
	// ErrInvalid reports bad input; the detail is a *ValidationError.
	ErrInvalid = errors.New("party: invalid input")
	// ErrNotFound reports a customer, organization or contact that is not stored in the
	// tenant asked about; the detail is a *NotFoundError.
	ErrNotFound = errors.New("party: not found")
	// ErrConflict reports a write based on a stale Version, or a contact, external ID or
	// email domain already held by another record of the tenant (*TakenError). Nothing was
	// written.
	ErrConflict = errors.New("party: conflict")
)

// ValidationError describes one invalid input field. It unwraps to ErrInvalid.
type ValidationError struct {
	Field  string // the input field, e.g. "emails[1]", "time_zone", "tenant"
	Reason string // what is wrong with it
}

// Error names the field and the reason.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("party: invalid %s: %s", e.Field, e.Reason)
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

func invalid(field, reason string) error { return &ValidationError{Field: field, Reason: reason} }

// NotFoundError names what was missing. It unwraps to ErrNotFound. It never carries a
// contact's value, so that logging it leaks no personal data.
type NotFoundError struct {
	What string // "customer", "organization", or the kind of key looked up ("email", "phone", "external ID", "domain")
	ID   string // the record's ID when one was asked for; "" for a lookup by key
}

// Error names what was missing.
func (e *NotFoundError) Error() string {
	if e.ID == "" {
		return "party: no customer or organization with this " + e.What
	}
	return fmt.Sprintf("party: %s %s not found", e.What, e.ID)
}

// Unwrap returns ErrNotFound.
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// TakenError reports that a key (an email, phone, external ID or an organization's
// domain) is held by another record of the tenant, or (Kind KeyID) that a new record's ID
// is already stored. It unwraps to ErrConflict. It names the
// kind of key and the holder, never the key's value.
type TakenError struct {
	Kind   KeyKind // the kind of key
	Holder string  // the ID of the customer or organization holding it
}

// Error names the kind of key and its holder.
func (e *TakenError) Error() string {
	return fmt.Sprintf("party: this %s is already held by %s", e.Kind, e.Holder)
}

// Unwrap returns ErrConflict.
func (e *TakenError) Unwrap() error { return ErrConflict }

// VersionError reports a write carrying a Version other than the stored one. It unwraps to
// ErrConflict.
type VersionError struct {
	ID     string // the record's ID
	Stored int64  // the stored Version
	Given  int64  // the Version the write carried
}

// Error names the record and both versions.
func (e *VersionError) Error() string {
	return fmt.Sprintf("party: %s is at version %d, the write carried %d", e.ID, e.Stored, e.Given)
}

// Unwrap returns ErrConflict.
func (e *VersionError) Unwrap() error { return ErrConflict }
