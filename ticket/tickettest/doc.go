// Package tickettest checks that a ticket.Store keeps the Store contract. Every store, the
// in-memory one, the PostgreSQL one and a host's own, runs the same suite:
//
//	func TestStore(t *testing.T) {
//		tickettest.TestStore(t, func(t *testing.T) ticket.Store { return newEmptyStore(t) })
//	}
package tickettest
