// Package tickettest checks that a ticket.Store keeps the Store contract. Every store, the
// in-memory one, the PostgreSQL one and a host's own, runs the same suite:
//
//	func TestStore(t *testing.T) {
//		tickettest.TestStore(t, func(t *testing.T) ticket.Store { return newEmptyStore(t) })
//	}
//
// When the store implements ticket.Feed, the suite checks the feed too. The check that a
// reader never skips the events of a write that was still open while later writes committed
// needs a way to hold a write open: pass it as Options.Hold to TestStoreWith.
package tickettest
