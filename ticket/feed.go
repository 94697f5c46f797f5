package ticket

import (
	"context"

	"github.com/google/uuid"
)

// Cursor is a position in a store's change feed; "" is before the first event. Opaque: a host
// persists it as a string and passes it back; only the store that issued it interprets it.
type Cursor string

// FeedEntry is one committed event in a store's change feed.
type FeedEntry struct {
	Cursor Cursor    // the position just after this entry: pass it as after to continue
	Ticket uuid.UUID // the ticket the event belongs to
	Event  Event     // the event, as Store.Events returns it
}

// Feed is an optional Store ability (found by type assertion): every committed event, in
// commit order, never skipping one, resumable from a Cursor across restarts and processes.
//
// Contract, checked by tickettest.TestStore when the store implements Feed:
//
//   - Safe for concurrent use; any number of readers, each with its own cursor.
//   - An event enters the feed when the write that appends it commits, never before, and
//     the feed never grows behind a cursor it has handed out: a reader that has read past a
//     position never receives an event at an earlier one, even when another writer's
//     transaction was still open while the reader read. So a reader that follows the feed
//     receives every committed event exactly once.
//   - Commit order: the feed is a serial order of the writes. Events of one write are
//     contiguous, in the order of the write's changes and then Seq; a write that began after
//     another committed comes after it, so a ticket's events come in ascending Seq. (Writes
//     that overlapped in time may come in either order.)
//   - A failed write (an error from Create or Update) puts nothing in the feed.
//   - A cursor that the store cannot have issued gives an error wrapping ErrInvalid: a
//     malformed one, and also a well-formed one beyond the end of the feed or from another
//     store (read as an empty feed, it would make a reader skip every event before it). A
//     cursor once issued stays valid.
type Feed interface {
	// Changes returns at most limit committed events after the cursor, in commit order
	// (per ticket: ascending Seq). An empty result means nothing committed after it yet.
	// A limit of zero or less means 100; a store may cap limit but returns at least one
	// entry when one is available.
	Changes(ctx context.Context, after Cursor, limit int) ([]FeedEntry, error)
	// Wait blocks until an event after the cursor may be available or ctx ends (then ctx.Err()).
	// It may return without a new event (a reader then calls Changes and waits again); it
	// returns at once when Changes would return an event after the cursor.
	Wait(ctx context.Context, after Cursor) error
}

// FeedMark is a feed entry without its event: where it is, and which event of which
// ticket it holds.
type FeedMark struct {
	Cursor Cursor    // the position just after the entry, as FeedEntry.Cursor
	Ticket uuid.UUID // the ticket the event belongs to
	Seq    int64     // the event's Seq
}

// FeedMarker is an optional ability of a Feed, for a reader that reads the logs of the
// tickets that changed itself (a Desk catching up) and need not copy every event twice:
// Marks returns what Changes returns for the same cursor and limit, each entry without
// its event. Errors as Changes's. tickettest.TestStore checks it when the store has it.
type FeedMarker interface {
	// Marks returns the marks of the entries after the cursor, oldest first, at most limit
	// of them (FeedLimit when limit <= 0), exactly as Changes would list them.
	Marks(ctx context.Context, after Cursor, limit int) ([]FeedMark, error)
}

// FeedLimit is the number of entries Changes returns when its limit is zero or less.
const FeedLimit = 100
