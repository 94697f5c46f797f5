// Package ticket holds the requests a support team receives from every channel: tickets,
// their comments, their lifecycle and their complete audit log.
//
// A Service, made from a Store and a Config whose zero value works, is the only way to change
// tickets. Every input is validated before anything is written; every change is written
// atomically together with the events that record it, under optimistic concurrency (a stale
// write is retried a bounded number of times, so concurrent agents never lose a comment); and
// every committed event is then handed to the Observers in Config, in order per ticket. The
// root package wires those events to SLA clocks, routing, knowledge-base suggestions and
// metrics.
//
// # Model
//
// A Ticket has a time-ordered ID (UUID version 7) and a human number ("SUP-1042") from a
// NumberGenerator, which also finds numbers in email subjects so that replies thread onto
// their ticket (Service.Receive). Priority is derived from impact and urgency by a
// PriorityMatrix (by default the ITIL 3×3 matrix) unless set by hand; setting it by hand
// pins it and Changes.DerivePriority releases it, both recorded as EventPriorityChanged even
// when the value stays. Tags are normalized (trimmed, NFKC, case-folded, deduplicated; at
// most 64 characters once normalized). Comments are public replies or internal notes;
// Service.CustomerView returns a separate type, CustomerTicket, that holds no internal note
// and no internal field.
//
// # Lifecycle
//
// A ticket starts new and moves between open, pending (waiting on the customer) and on-hold
// (waiting on a third party) freely; any of them may be solved, which needs an assignee; a
// solved ticket reopens to open or closes, and closed is final: every later change returns
// an error wrapping ErrClosed. A customer's public reply reopens a pending or solved ticket
// (EventReopened) and, on a closed ticket, creates a follow-up ticket linked to it.
// CloseSolved closes tickets solved for longer than Config.CloseAfter (default 4 days). A
// forbidden move is a *TransitionError naming both statuses. Each status has a StatusCategory
// (open, pending, on-hold, solved) for SLA clocks and reports.
//
// # Events
//
// Each ticket's events are numbered 1, 2, ... in commit order and record the actor, the time
// and the values before and after (see EventKind for which fields each kind sets). The log is
// complete: SLA timelines and metrics are computed from it.
//
// # Enumerations
//
// Status, StatusCategory, Channel, Type, Level (impact and urgency), Priority, ActorKind,
// EventKind, LinkKind and CustomerStatus are string types whose values are their readable
// names ("on-hold", "service_request"), so they read the same in JSON, in a database column
// and in a log. Their sets are closed: a host cannot define statuses, channels or types of
// its own (it keeps such distinctions in tags or custom fields), so a value the package does
// not define is always a mistake. Each has Valid, and an UnmarshalText, used by
// encoding/json and other decoders, that accepts exactly the defined spellings ("high",
// never "High") and the empty text, which is the zero value: unset, as a NewTicket field
// left to its default or an Event field that does not apply. Any other text gives a
// *ValidationError wrapping ErrInvalid and leaves the value unchanged. A Store that reads
// them back as plain strings checks them the same way.
//
// # Who may see and do what
//
// One place decides access: Config.Authorizer, which the Service asks once per call for the
// acting actor's Grant and consults for every ticket the call reads, lists, creates or
// changes (Get, List, CustomerView, Comment, Update, Merge, Link, follow-ups, macros,
// ratings). Policy is the package's policy and a host may replace it. Under Policy:
//
//   - a customer reads the tickets it requested and, when its organization shares tickets,
//     those of the organization's members; it creates tickets only for itself, replies to
//     the tickets it reads, rates its own, and changes nothing else;
//   - an agent reads and works the tickets of its groups and those assigned to it, and
//     creates tickets for anyone;
//   - an admin, and the System actor, read and do everything.
//
// A ticket the actor may not read is missing to it (ErrNotFound), so a refusal never
// reveals a ticket; a change the actor may not make to a ticket it reads is ErrForbidden.
// Listings put the policy's Visibility into the store query, so pages are full. Reads on
// someone's behalf go through Service.As; whatever the policy, a customer reading through
// As never gets an internal note, an internal custom field, or a ticket's assignee, group,
// line, priority, tags, links or problem. A write returns the ticket as stored to the host
// that called it, or only its ID, tenant, number and version when the change moved it out of
// the actor's sight. Without an Authorizer (the zero Config) every actor may do everything:
// the host checks access before it calls.
//
// # Tenants
//
// A Service works in one tenant (Config.Tenant; "" is the single default tenant). It creates
// tickets in it, and through every method another tenant's ticket is missing. Numbers and
// idempotency keys are per tenant. Several Services, one per tenant, may share one Store.
//
// # Erasure and export
//
// Service.Erase removes a Person's data (IDs, addresses, names, phone numbers, and the free
// text they wrote) from every ticket, comment, event and attachment's metadata of the
// tenant, keeping statuses, times, counts, ratings' scores and links, so that reports
// computed before and after agree; the person's IDs become one pseudonym, and each rewritten
// ticket gets an EventErased that records that an erasure happened, not what it erased.
// This is the one rewrite the append-only log allows (see Store and Eraser). Service.Export
// gathers everything stored about a Person as PersonalData, which encodes to JSON. A
// Scrubber applies the same matching to other text (the root package erases knowledge-base
// search queries with it).
//
// # Storage
//
// Store is a small interface (seven methods); MemoryStore is the in-memory default with
// indexes for listing. Eraser is an optional ability (MemoryStore has it) that rewrites a
// ticket's text in place for erasure. Package tickettest holds the conformance suite every
// Store runs. A store may also implement Feed, its change feed: every committed event in commit order,
// read from a Cursor the host persists, so that a process that restarts resumes where it
// stopped. MemoryStore implements it. Two more optional abilities serve a reader that
// replays many logs, such as a Desk rebuilding its state at a restart: LogReader reads a
// ticket with its whole log at once without copying the events, LogsReader reads the logs
// of many tickets in one call, CommentsReader chosen comments of many tickets, and
// FeedMarker lists the feed without its events. MemoryStore implements all four. A store
// that decodes its events may also implement LogsBufferReader, which decodes each page of
// logs into memory the reader hands back from an earlier page.
// MessageIndex is an optional ability (MemoryStore has it; tickettest.TestMessageIndex
// checks it): a Store that remembers which ticket an email Message-ID belongs to lets
// Receive thread a reply by its Inbound.References when its subject lost the number.
//
// # Errors
//
// Errors wrap the sentinels ErrInvalid, ErrNotFound, ErrClosed, ErrConflict, ErrTransition
// and ErrForbidden; the detail is in *ValidationError, *NotFoundError, *ClosedError,
// *ConflictError, *TransitionError and *ForbiddenError.
package ticket
