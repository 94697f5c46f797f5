// Package partytest checks that a party.Directory keeps the Directory contract. Every
// directory, the in-memory one, the PostgreSQL one and a host's own, runs the same suite:
//
//	func TestDirectory(t *testing.T) {
//		partytest.TestDirectory(t, func(t *testing.T) party.Directory { return newEmptyDirectory(t) })
//	}
//
// The suite calls the Directory directly for the storage contract (versions, keys, copies,
// atomic writes, concurrency) and through a party.Service for what hosts rely on end to end
// (lookups by normalized email and phone, idempotent creation, joining by domain, merge,
// export, erasure), and checks in both that nothing of one tenant is returned for another.
package partytest
