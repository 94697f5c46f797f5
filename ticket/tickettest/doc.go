// Package tickettest checks that a ticket.Store keeps the Store contract. Every store, the
// in-memory one, the PostgreSQL one and a host's own, runs the same suite:
//
//	func TestStore(t *testing.T) {
//		tickettest.TestStore(t, func(t *testing.T) ticket.Store { return newEmptyStore(t) })
//	}
//
// The suite checks tenants (numbers, keys and listings per tenant, and that nothing of one
// tenant reaches another) and, for a store that is also a ticket.Eraser, erasure: that
// Mentioning misses no ticket, that Redact keeps every ticket's structure and appends its
// EventErased, and that after Service.Erase no string of any stored record holds the erased
// person's data while report figures stay the same. The Eraser subtests are skipped for a
// store without that ability.
//
// When the store implements ticket.Feed, the suite checks the feed too. The check that a
// reader never skips the events of a write that was still open while later writes committed
// needs a way to hold a write open: pass it as Options.Hold to TestStoreWith.
package tickettest
