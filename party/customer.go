package party

import (
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// DefaultTenant is the tenant of a host that does not partition its data: the empty string.
const DefaultTenant = ""

// ErasedName is what DisplayName returns for an erased customer, so that a ticket, report
// or audit line that refers to one still shows something.
const ErasedName = "(erased)"

// Customer is a person who asks for support. Values returned by a Service or a Directory are
// copies: changing them changes nothing stored.
//
// A customer is live until it is merged into another (MergedInto) or erased (ErasedAt); a
// record that is not live is kept so that references to its ID still resolve, and holds no
// contacts or external IDs.
type Customer struct {
	ID     uuid.UUID `json:"id"`     // version 7, time ordered; set when created
	Tenant string    `json:"tenant"` // the host's tenant; DefaultTenant when unused
	Name   string    `json:"name"`   // display name; "" when unknown
	// Emails are normalized (NormalizeEmail) and unique within the tenant; the first is
	// the primary address. Nil when none.
	Emails []string `json:"emails,omitempty"`
	// Phones are normalized (NormalizePhone, "+74951234567") and unique within the
	// tenant. Nil when none.
	Phones   []string     `json:"phones,omitempty"`
	Language language.Tag `json:"language"`  // preferred language; language.Und when unknown
	TimeZone string       `json:"time_zone"` // IANA zone name such as "Europe/Moscow"; "" when unknown
	// Organization is the ID of the customer's organization; uuid.Nil when none.
	Organization uuid.UUID `json:"organization"`
	// Segment is the host's class of customer ("vip", "enterprise", "free"); "" when none,
	// in which case the organization's segment applies (Service.Segment).
	Segment string `json:"segment,omitempty"`
	// ExternalIDs are the customer's IDs in the host's systems, by system ("crm":
	// "C-1042"); each pair is unique within the tenant. Nil when none.
	ExternalIDs map[string]string `json:"external_ids,omitempty"`

	CreatedAt time.Time `json:"created_at"` // when it was created
	UpdatedAt time.Time `json:"updated_at"` // when it was last written

	// MergedInto is the customer this one was merged into (Service.Merge); uuid.Nil while
	// it is not merged.
	MergedInto uuid.UUID `json:"merged_into"`
	MergedAt   time.Time `json:"merged_at"` // when it was merged; zero while it is not merged
	// Absorbed lists the customers merged into this one, directly or through a customer
	// merged into it, in the order of the merges; nil when none.
	Absorbed []uuid.UUID `json:"absorbed,omitempty"`
	// ErasedAt is when the customer's personal data was erased (Service.Erase); zero while
	// it is not.
	ErasedAt time.Time `json:"erased_at"`

	// Version is the optimistic concurrency token: the Directory sets it to 1 on create,
	// bumps it on every write and rejects a write that carries another with ErrConflict.
	Version int64 `json:"version"`
}

// Live reports whether c is neither merged into another customer nor erased.
func (c Customer) Live() bool { return c.MergedInto == uuid.Nil && c.ErasedAt.IsZero() }

// Erased reports whether c's personal data was erased.
func (c Customer) Erased() bool { return !c.ErasedAt.IsZero() }

// DisplayName returns the name to show for c: its Name, else its primary email, else
// ErasedName for an erased customer, else "".
func (c Customer) DisplayName() string {
	switch {
	case c.Erased():
		return ErasedName
	case c.Name != "":
		return c.Name
	case len(c.Emails) > 0:
		return c.Emails[0]
	}
	return ""
}

// Email returns the primary email address; "" when there is none.
func (c Customer) Email() string {
	if len(c.Emails) == 0 {
		return ""
	}
	return c.Emails[0]
}

// Keys returns the keys by which c is found, each unique within its tenant: its emails, then
// its phones, then its external IDs by system name. A Directory indexes them.
func (c Customer) Keys() []Key {
	keys := make([]Key, 0, len(c.Emails)+len(c.Phones)+len(c.ExternalIDs))
	for _, e := range c.Emails {
		keys = append(keys, Key{Kind: KeyEmail, Value: e})
	}
	for _, p := range c.Phones {
		keys = append(keys, Key{Kind: KeyPhone, Value: p})
	}
	for _, system := range slices.Sorted(maps.Keys(c.ExternalIDs)) {
		keys = append(keys, Key{Kind: KeyExternal, System: system, Value: c.ExternalIDs[system]})
	}
	return keys
}

// Clone returns a deep copy of c.
func (c Customer) Clone() Customer {
	c.Emails = slices.Clone(c.Emails)
	c.Phones = slices.Clone(c.Phones)
	c.ExternalIDs = maps.Clone(c.ExternalIDs)
	c.Absorbed = slices.Clone(c.Absorbed)
	return c
}

// Organization is a company or team whose people ask for support. Values returned by a
// Service or a Directory are copies.
type Organization struct {
	ID     uuid.UUID `json:"id"`     // version 7, time ordered; set when created
	Tenant string    `json:"tenant"` // the host's tenant; DefaultTenant when unused
	Name   string    `json:"name"`   // required
	// Domains are email domains, normalized (NormalizeDomain) and unique within the
	// tenant: a customer created with an address at one of them joins the organization.
	// Nil when none.
	Domains []string `json:"domains,omitempty"`
	// Segment is the host's class of organization ("enterprise"); "" when none.
	Segment string `json:"segment,omitempty"`
	// SharedTickets reports whether the members may see each other's tickets; false: each
	// member sees only their own.
	SharedTickets bool `json:"shared_tickets"`

	CreatedAt time.Time `json:"created_at"` // when it was created
	UpdatedAt time.Time `json:"updated_at"` // when it was last written
	// Version is the optimistic concurrency token, as Customer.Version.
	Version int64 `json:"version"`
}

// Keys returns the keys by which o is found: its domains.
func (o Organization) Keys() []Key {
	keys := make([]Key, 0, len(o.Domains))
	for _, d := range o.Domains {
		keys = append(keys, Key{Kind: KeyDomain, Value: d})
	}
	return keys
}

// Clone returns a deep copy of o.
func (o Organization) Clone() Organization {
	o.Domains = slices.Clone(o.Domains)
	return o
}

// KeyKind is the kind of a Key.
type KeyKind string

// The kinds of keys.
const (
	KeyEmail    KeyKind = "email"       // a customer's normalized email address
	KeyPhone    KeyKind = "phone"       // a customer's normalized phone number
	KeyExternal KeyKind = "external ID" // a customer's ID in one of the host's systems
	KeyDomain   KeyKind = "domain"      // an organization's normalized email domain
	// KeyID is no key a record holds: a *TakenError of this kind reports a create with an ID
	// already stored.
	KeyID KeyKind = "ID"
)

// Key is a value that finds one record of a tenant. A Directory compares keys exactly: the
// Service normalizes values before they reach it.
type Key struct {
	Kind   KeyKind // which kind of value
	System string  // for KeyExternal, the host's system ("crm"); "" otherwise
	Value  string  // the normalized value
}
