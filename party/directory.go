package party

import (
	"context"

	"github.com/google/uuid"
)

// Directory stores customers and organizations. The Service is its writer: it validates and
// normalizes everything, so a Directory only stores, indexes keys and guards versions.
//
// Contract, checked by partytest.TestDirectory:
//
//   - Safe for concurrent use by many goroutines (and, for a shared database, many
//     processes).
//   - Tenants are apart: every record carries its Tenant, every lookup names one, and a
//     record of another tenant is missing (ErrNotFound), whatever its ID or keys. Keys are
//     unique within a tenant only: two tenants may hold the same email.
//   - Keys (Customer.Keys, Organization.Keys) are unique within a tenant: a write that would
//     give a key to a second record returns an error wrapping ErrConflict (a *TakenError)
//     and writes nothing. Keys are compared exactly, byte for byte.
//   - Optimistic concurrency: an update stores a record only if the stored Version equals
//     the given one, and stores it with Version+1; otherwise it returns an error wrapping
//     ErrConflict and writes nothing.
//   - A missing record gives an error wrapping ErrNotFound (a *NotFoundError), never a zero
//     value and a nil error.
//   - Values returned are copies the caller may modify freely; values given are not kept.
//   - Methods honour ctx cancellation where they block.
type Directory interface {
	// CreateCustomer inserts c (ID and Tenant set, Version ignored) with Version 1 and
	// returns it with created == true. When a customer of c.Tenant already holds one of
	// c.Keys(), it stores nothing and returns that customer (the holder of the first of
	// c's keys, in Keys order, that is held) with created == false: concurrent creates of
	// one person store one customer. A customer whose ID is already stored gives an error
	// wrapping ErrConflict.
	CreateCustomer(ctx context.Context, c Customer) (stored Customer, created bool, err error)

	// UpdateCustomers replaces the given customers atomically, each matched by ID within its
	// Tenant and by Version, and returns them as stored (Version+1), in order. Keys are
	// checked against the state after the whole write, so one call can move a key from one
	// customer to another (a merge). A missing customer (ErrNotFound), a stale Version or a
	// key held by a customer outside the write (ErrConflict), or the same ID twice
	// (ErrInvalid) writes nothing.
	UpdateCustomers(ctx context.Context, cs ...Customer) ([]Customer, error)

	// Customer returns the customer with the given ID in the tenant, live or not, or an
	// error wrapping ErrNotFound.
	Customer(ctx context.Context, tenant string, id uuid.UUID) (Customer, error)

	// CustomerByKey returns the customer of the tenant that holds k, or an error wrapping
	// ErrNotFound.
	CustomerByKey(ctx context.Context, tenant string, k Key) (Customer, error)

	// Members returns the customers of the tenant whose Organization is org, live or not,
	// in ID order; empty (not an error) when there are none.
	Members(ctx context.Context, tenant string, org uuid.UUID) ([]Customer, error)

	// PutOrganization creates o when o.Version is 0 (an ID already stored gives
	// ErrConflict) and otherwise updates it as UpdateCustomers does one customer. Domains
	// are keys: one held by another organization of the tenant gives a *TakenError. It
	// returns the stored organization.
	PutOrganization(ctx context.Context, o Organization) (Organization, error)

	// Organization returns the organization with the given ID in the tenant, or an error
	// wrapping ErrNotFound.
	Organization(ctx context.Context, tenant string, id uuid.UUID) (Organization, error)

	// OrganizationByDomain returns the organization of the tenant whose Domains hold
	// domain (normalized), or an error wrapping ErrNotFound.
	OrganizationByDomain(ctx context.Context, tenant, domain string) (Organization, error)
}
