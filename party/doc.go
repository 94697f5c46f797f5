// Package party keeps the people a support desk serves: customers, with several emails and
// phones, a language, a time zone, a segment and the host's own IDs for them, and the
// organizations they belong to, with the email domains whose new customers join them and
// whether their members may see each other's tickets.
//
// A Directory stores them (MemoryDirectory is the in-memory default; partytest.TestDirectory
// checks any other), and a Service is its one writer: it validates and normalizes input
// (NormalizeEmail, NormalizePhone, NormalizeDomain), creates idempotently, so that one
// person written twice is one customer, joins a new customer to the organization of their
// email domain, merges two customers who turn out to be one person, exports everything
// stored about a person (Export, JSON) and erases a person's data, keeping a tombstone so
// that references still resolve.
//
// Every record belongs to a tenant, a plain string (DefaultTenant, "", when the host has
// one), and every lookup names one: nothing of one tenant is ever returned for another.
//
// The package imports no other package of the module; the root package's Desk resolves the
// sender of each new ticket to a customer with it.
package party
