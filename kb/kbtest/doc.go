// Package kbtest checks implementations of the kb package's interfaces
// against their contracts: TestStore for kb.Store and TestIndex for
// kb.Index (and, for an index that is a kb.Learner, that notes and internal
// articles' tickets never reach customers; for a kb.Forgetter, that a
// forgotten or redacted ticket's words are gone and the rest stay as if it
// had never been learned). TestStore includes the tenant
// part of the contract: slugs and lists per tenant, IDs across tenants, and
// KBs of several tenants over one store (random writes, searches, reindexing,
// analytics, feedback and learning) never returning one tenant's articles to
// another. The in-memory implementations
// run these suites, and so should a host's own store or index:
//
//	func TestMyStore(t *testing.T) {
//		kbtest.TestStore(t, func(t *testing.T) kb.Store { return newMyStore(t) })
//	}
package kbtest
