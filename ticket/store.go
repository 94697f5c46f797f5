package ticket

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Store persists tickets with their comments and events. The Service is its only writer; it
// does all validation and lifecycle logic, so a Store only stores, indexes and guards versions.
//
// Contract, checked by tickettest.TestStore:
//
//   - Safe for concurrent use by many goroutines and many processes.
//   - Writes are atomic: a Create or Update either stores everything it carries (ticket,
//     comments, events) or nothing.
//   - Optimistic concurrency: Update stores a ticket only if the stored Version equals the
//     given one, and stores it with Version+1. Otherwise it returns an error wrapping
//     ErrConflict and changes nothing.
//   - Comments and events are append-only and come back in the order they were appended
//     (ascending Seq). The one exception is erasure (the optional Eraser): it may replace the
//     text of stored comments and events in place, never their number, order, Seq, Kind,
//     times or IDs, and always appends an EventErased in the same write, so a reader of the
//     log learns that an erasure happened (not what it erased) and every count and duration
//     computed from the log stays the same.
//   - Tenants: every ticket belongs to one tenant (Ticket.Tenant, "" the default one).
//     Numbers, the number sequence and idempotency keys are per tenant; TicketByNumber and
//     List only ever return tickets of the tenant asked for, and a key used in one tenant
//     never names a ticket of another. Ticket IDs are unique across tenants, so the methods
//     that take an ID (Ticket, Comments, Events, Update) address one ticket directly; the
//     Service checks the returned ticket's Tenant and treats another tenant's as missing.
//   - A missing ticket gives an error wrapping ErrNotFound (NotFound(id) builds one), never a
//     zero value and a nil error.
//   - Returned values are copies the caller may modify freely.
//   - Methods honour ctx cancellation where they block.
//
// Abilities beyond these (bulk export, full-text search) belong in separate, optional
// interfaces found by type assertion, so that a Store stays this small.
type Store interface {
	// Create inserts a new ticket, in the tenant c.Ticket.Tenant, with its first comments and
	// events. If c.Key is not empty and a ticket of that tenant was already created with it
	// (and not redacted since: Eraser.Redact forgets a ticket's key), Create stores nothing and, when that
	// ticket's Fingerprint equals c.Fingerprint, returns it with created == false; when the
	// fingerprints differ it returns a zero Ticket and an error wrapping ErrConflict that
	// names nothing of the stored ticket (&KeyReuseError{What: "ticket"} does). Keys are
	// compared exactly, byte for byte (no case folding, trimming or truncation): the Service
	// has already scoped them (to the requester, or for a follow-up to the closed ticket), so
	// equal keys always mean the same requester. Otherwise it takes the next value of the
	// tenant's ticket sequence (1, 2, ...; gaps are allowed), sets Number to c.Number(seq), sets
	// Version to 1, stores everything (with the key and fingerprint) and returns the stored
	// ticket with created == true. Concurrent Creates with one key store exactly one ticket.
	// A ticket whose ID is already stored (in any tenant), or whose Number is already stored in
	// its tenant, gives an error wrapping ErrConflict.
	Create(ctx context.Context, c Creation) (t Ticket, created bool, err error)

	// Update applies changes to one or more tickets atomically: for each Change, the stored
	// ticket's Version must equal Change.Ticket.Version; the ticket is replaced with Version+1
	// (its Number and Tenant never change) and Change.Comments and Change.Events are appended. If any ticket is missing (ErrNotFound)
	// or stale (ErrConflict), nothing is written. It returns the stored tickets in the order of
	// changes.
	Update(ctx context.Context, changes ...Change) ([]Ticket, error)

	// Ticket returns the ticket with the given ID, or an error wrapping ErrNotFound.
	Ticket(ctx context.Context, id uuid.UUID) (Ticket, error)

	// TicketByNumber returns the ticket of the tenant with the given human number, or an
	// error wrapping ErrNotFound (also when only another tenant has that number).
	TicketByNumber(ctx context.Context, tenant, number string) (Ticket, error)

	// Comments returns the ticket's comments in Seq order, or an error wrapping ErrNotFound
	// when the ticket is missing.
	Comments(ctx context.Context, id uuid.UUID) ([]Comment, error)

	// Events returns the ticket's events with Seq > after, in Seq order, or an error wrapping
	// ErrNotFound when the ticket is missing.
	Events(ctx context.Context, id uuid.UUID, after int64) ([]Event, error)

	// List returns the tickets of tenant q.Tenant that match q, ordered by ID ascending (creation order for
	// version 7 IDs), starting after q.After, at most q.Limit of them (the Store may cap Limit
	// but returns at least one ticket when any match). Next is the ID to pass as After for
	// the next page, zero on the last page. Tickets inserted during a paged listing never
	// make it repeat or skip a ticket that existed when the listing began.
	List(ctx context.Context, q Query) (Page, error)
}

// LogReader is an optional ability of a Store: a ticket with its whole audit log, read
// together and without copying the log, for a caller that replays many logs (a Desk
// rebuilding its state over an existing store). tickettest.TestStore checks it when the
// store has it.
type LogReader interface {
	// TicketLog returns the ticket with the given ID and its events in Seq order, as
	// Ticket and Events(ctx, id, 0) would, read at one instant: the ticket is as the last
	// of the events left it. Unlike Events, the events may share memory with the store:
	// the caller must not modify them or their slices. They never change after TicketLog
	// returns (an erasure afterwards is not seen). A missing ticket gives an error wrapping
	// ErrNotFound.
	TicketLog(ctx context.Context, id uuid.UUID) (Ticket, []Event, error)
}

// Log is a ticket with its whole audit log, as LogsReader returns it.
type Log struct {
	Ticket Ticket  // the ticket as the last of Events left it
	Events []Event // every event of the ticket, in Seq order; shared with the store: not to be modified
}

// LogsReader is an optional ability of a Store: the logs of many tickets in one call, for a
// caller that replays every log of a store (a Desk rebuilding its state reads a page of
// tickets at a time). tickettest.TestStore checks it when the store has it.
type LogsReader interface {
	// TicketLogs returns a Log for each ticket of ids that the store holds, in ascending
	// ID order, each ticket once however often ids names it; the tickets of ids it does not
	// hold are left out, without an error, and an empty ids gives an empty result. Each Log
	// is what LogReader.TicketLog would return for its ticket, read at one instant (the
	// ticket as the last of its events left it); its events may share memory with the
	// store and never change after TicketLogs returns. Tickets of every tenant are
	// returned: the caller checks Tenant.
	TicketLogs(ctx context.Context, ids []uuid.UUID) ([]Log, error)
}

// LogsBufferReader is an optional ability of a LogsReader, for a caller that reads page
// after page of logs and is done with the events of each page before it reads the page
// after the next (a Desk rebuilding its state reads a page while it applies the one
// before): the events are decoded into memory the caller hands back, instead of new
// memory for each page. tickettest.TestStore checks it when the store has it.
type LogsBufferReader interface {
	// TicketLogsInto returns what TicketLogs(ctx, ids) returns, the events of the Logs
	// stored in buf's array as far as its capacity goes (buf's length and contents are
	// ignored), and the buffer to hand to a later call. Once the caller hands that buffer
	// to a call, the events of the Logs returned with it may be overwritten: it must no
	// longer read them. Errors are TicketLogs's; the buffer returned with one may be nil.
	TicketLogsInto(ctx context.Context, ids []uuid.UUID, buf []Event) ([]Log, []Event, error)
}

// CommentRef names one comment of one ticket.
type CommentRef struct {
	Ticket  uuid.UUID // the ticket the comment belongs to
	Comment uuid.UUID // the comment's ID
}

// CommentsReader is an optional ability of a Store: chosen comments of many tickets in one
// call, for a caller that needs one comment of each of many tickets (a Desk that loads many
// tickets reads their descriptions). tickettest.TestStore checks it when the store has it.
type CommentsReader interface {
	// CommentsByRef returns, by comment ID, each comment that refs names and the store
	// holds: a ref whose ticket is missing or holds no comment with that ID is left out,
	// without an error. The comments are copies the caller may modify, of tickets of any
	// tenant (the caller checks the tenant).
	CommentsByRef(ctx context.Context, refs []CommentRef) (map[uuid.UUID]Comment, error)
}

// Creation is what Store.Create inserts.
type Creation struct {
	Ticket   Ticket    // complete except Number and Version, which the store sets
	Comments []Comment // the first comments (usually the description)
	Events   []Event   // at least the EventCreated event
	// Key is the idempotency key; "" for none. The Service derives it from the key its
	// caller gave and that key's scope (the requester; for a follow-up, the closed ticket),
	// so it is never the caller's key itself: it is 64 lower-case hex characters. A Store
	// keeps it and compares it exactly.
	Key string
	// Fingerprint identifies the request the ticket was created for (64 lower-case hex
	// characters; "" when Key is ""). A Store keeps it beside Key: a later Create with the
	// same Key is a redelivery only when its Fingerprint is the same.
	Fingerprint string
	// Number gives the human number for the store's sequence value (Store.Create calls it
	// exactly once, only when it inserts). Required: the Service always sets it, and
	// MemoryStore refuses a Creation without it with ErrInvalid.
	Number func(seq int64) string
}

// Change is one ticket's part of a Store.Update.
type Change struct {
	Ticket   Ticket    // the new state; Version is the version it was read at
	Comments []Comment // appended
	Events   []Event   // appended
}

// Query selects tickets of one tenant. Other empty fields match everything; set fields must
// all match.
type Query struct {
	// Tenant is the tenant listed: always exactly this one ("" is the default tenant, not
	// "every tenant"). The Service sets it to its Config.Tenant, whatever the caller gave.
	Tenant       string
	Statuses     []Status   // any of these
	Priorities   []Priority // any of these
	Assignee     string     // exactly this assignee
	Group        string     // exactly this group
	Requester    string     // matches Requester.ID, or Requester.Email case-insensitively
	Organization string     // exactly this Requester.Organization
	Tag          string     // normalized as tags are
	UpdatedSince time.Time  // tickets with UpdatedAt at or after it
	// Visible, when not nil, keeps only the tickets it admits (see Visibility): the
	// Service sets it from the access policy, so that a listing is filtered in the store's
	// query and pages are full. Nil admits every ticket.
	Visible *Visibility
	After   uuid.UUID // cursor: list tickets with a larger ID; zero to start
	Limit   int       // page size; 0 means 50
}

// Visibility is the part of a Query that an access policy fills: a ticket is admitted when
// at least one of its fields admits it, and a Visibility whose fields are all empty admits no
// ticket at all.
type Visibility struct {
	// Requesters admits the tickets whose Requester.ID is one of these, or whose
	// Requester.Email is one of these case-insensitively.
	Requesters []string
	// Organizations admits the tickets whose Requester.Organization is one of these
	// (never the tickets without one).
	Organizations []string
	Groups        []string // admits the tickets whose Group is one of these (never ungrouped ones)
	Assignees     []string // admits the tickets whose Assignee is one of these (never unassigned ones)
}

// Admits reports whether v lets t through (see Visibility).
func (v *Visibility) Admits(t Ticket) bool { return v.admits(&t) }

func (v *Visibility) admits(t *Ticket) bool {
	for _, r := range v.Requesters {
		if requesterMatches(t.Requester, r) {
			return true
		}
	}
	return t.Requester.Organization != "" && contains(v.Organizations, t.Requester.Organization) ||
		t.Group != "" && contains(v.Groups, t.Group) ||
		t.Assignee != "" && contains(v.Assignees, t.Assignee)
}

// Clone returns a deep copy of v; nil for nil.
func (v *Visibility) Clone() *Visibility {
	if v == nil {
		return nil
	}
	return &Visibility{
		Requesters: slices.Clone(v.Requesters), Organizations: slices.Clone(v.Organizations),
		Groups: slices.Clone(v.Groups), Assignees: slices.Clone(v.Assignees),
	}
}

// Page is one page of a listing.
type Page struct {
	Tickets []Ticket  // the page's tickets in ID order; empty (never an error) when none match
	Next    uuid.UUID // pass as Query.After to get the next page; zero when this is the last
}

// Matches reports whether t satisfies q's tenant and filters (not the cursor or the limit).
// Stores may use it to filter candidates.
func (q Query) Matches(t Ticket) bool { return q.matches(&t) }

func (q *Query) matches(t *Ticket) bool {
	if t.Tenant != q.Tenant {
		return false
	}
	if q.Visible != nil && !q.Visible.admits(t) {
		return false
	}
	if q.Organization != "" && t.Requester.Organization != q.Organization {
		return false
	}
	if len(q.Statuses) > 0 && !contains(q.Statuses, t.Status) {
		return false
	}
	if len(q.Priorities) > 0 && !contains(q.Priorities, t.Priority) {
		return false
	}
	if q.Assignee != "" && t.Assignee != q.Assignee {
		return false
	}
	if q.Group != "" && t.Group != q.Group {
		return false
	}
	if q.Requester != "" && !requesterMatches(t.Requester, q.Requester) {
		return false
	}
	if q.Tag != "" && !t.HasTag(q.Tag) {
		return false
	}
	return q.UpdatedSince.IsZero() || !t.UpdatedAt.Before(q.UpdatedSince)
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
