package party

import (
	"bytes"
	"context"
	"slices"
	"sync"

	"github.com/google/uuid"
)

// MemoryDirectory is the in-memory Directory, the Service's default. It is safe for
// concurrent use; its data lives as long as the value. The zero MemoryDirectory is an empty
// directory, as NewMemoryDirectory returns.
type MemoryDirectory struct {
	mu        sync.RWMutex
	customers map[uuid.UUID]Customer
	orgs      map[uuid.UUID]Organization
	keys      map[tenantKey]uuid.UUID // customer keys and organization domains
}

type tenantKey struct {
	tenant string
	key    Key
}

// NewMemoryDirectory returns an empty MemoryDirectory.
func NewMemoryDirectory() *MemoryDirectory { return new(MemoryDirectory) }

// ready makes the maps of a zero MemoryDirectory; m.mu is held for writing.
func (m *MemoryDirectory) ready() {
	if m.customers == nil {
		m.customers = make(map[uuid.UUID]Customer)
		m.orgs = make(map[uuid.UUID]Organization)
		m.keys = make(map[tenantKey]uuid.UUID)
	}
}

// CreateCustomer implements Directory.
func (m *MemoryDirectory) CreateCustomer(ctx context.Context, c Customer) (Customer, bool, error) {
	if err := ctx.Err(); err != nil {
		return Customer{}, false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ready()
	for _, k := range c.Keys() {
		if id, ok := m.keys[tenantKey{c.Tenant, k}]; ok {
			return m.customers[id].Clone(), false, nil
		}
	}
	if _, ok := m.customers[c.ID]; ok {
		return Customer{}, false, &TakenError{Kind: KeyID, Holder: c.ID.String()}
	}
	c = c.Clone()
	c.Version = 1
	m.customers[c.ID] = c
	m.index(c.Tenant, nil, c.Keys(), c.ID)
	return c.Clone(), true, nil
}

// UpdateCustomers implements Directory.
func (m *MemoryDirectory) UpdateCustomers(ctx context.Context, cs ...Customer) ([]Customer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ready()
	if err := m.checkUpdate(cs); err != nil {
		return nil, err
	}
	out := make([]Customer, len(cs))
	for _, c := range cs {
		m.index(c.Tenant, m.customers[c.ID].Keys(), nil, c.ID)
	}
	for i, c := range cs {
		c = c.Clone()
		c.Version++
		m.customers[c.ID] = c
		m.index(c.Tenant, nil, c.Keys(), c.ID)
		out[i] = c.Clone()
	}
	return out, nil
}

// checkUpdate returns the error UpdateCustomers gives for cs, if any.
func (m *MemoryDirectory) checkUpdate(cs []Customer) error {
	inWrite := make(map[uuid.UUID]bool, len(cs))
	for _, c := range cs {
		if inWrite[c.ID] {
			return invalid("customers", "customer "+c.ID.String()+" is given twice")
		}
		inWrite[c.ID] = true
		old, ok := m.customers[c.ID]
		if !ok || old.Tenant != c.Tenant {
			return &NotFoundError{What: "customer", ID: c.ID.String()}
		}
		if old.Version != c.Version {
			return &VersionError{ID: c.ID.String(), Stored: old.Version, Given: c.Version}
		}
	}
	claimed := make(map[tenantKey]uuid.UUID)
	for _, c := range cs {
		for _, k := range c.Keys() {
			tk := tenantKey{c.Tenant, k}
			if holder, ok := m.keys[tk]; ok && holder != c.ID && !inWrite[holder] {
				return &TakenError{Kind: k.Kind, Holder: holder.String()}
			}
			if other, ok := claimed[tk]; ok && other != c.ID {
				return &TakenError{Kind: k.Kind, Holder: other.String()}
			}
			claimed[tk] = c.ID
		}
	}
	return nil
}

// index removes the keys drop and adds the keys add of record id.
func (m *MemoryDirectory) index(tenant string, drop, add []Key, id uuid.UUID) {
	for _, k := range drop {
		if m.keys[tenantKey{tenant, k}] == id {
			delete(m.keys, tenantKey{tenant, k})
		}
	}
	for _, k := range add {
		m.keys[tenantKey{tenant, k}] = id
	}
}

// Customer implements Directory.
func (m *MemoryDirectory) Customer(ctx context.Context, tenant string, id uuid.UUID) (Customer, error) {
	if err := ctx.Err(); err != nil {
		return Customer{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.customers[id]
	if !ok || c.Tenant != tenant {
		return Customer{}, &NotFoundError{What: "customer", ID: id.String()}
	}
	return c.Clone(), nil
}

// CustomerByKey implements Directory.
func (m *MemoryDirectory) CustomerByKey(ctx context.Context, tenant string, k Key) (Customer, error) {
	if err := ctx.Err(); err != nil {
		return Customer{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	id, ok := m.keys[tenantKey{tenant, k}]
	if c, found := m.customers[id]; ok && found {
		return c.Clone(), nil
	}
	return Customer{}, &NotFoundError{What: string(k.Kind)}
}

// Members implements Directory.
func (m *MemoryDirectory) Members(ctx context.Context, tenant string, org uuid.UUID) ([]Customer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := []Customer{}
	for _, c := range m.customers {
		if c.Tenant == tenant && c.Organization == org {
			out = append(out, c.Clone())
		}
	}
	slices.SortFunc(out, func(a, b Customer) int { return bytes.Compare(a.ID[:], b.ID[:]) })
	return out, nil
}

// PutOrganization implements Directory.
func (m *MemoryDirectory) PutOrganization(ctx context.Context, o Organization) (Organization, error) {
	if err := ctx.Err(); err != nil {
		return Organization{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ready()
	old, exists := m.orgs[o.ID]
	switch {
	case o.Version == 0 && exists:
		return Organization{}, &TakenError{Kind: KeyID, Holder: o.ID.String()}
	case o.Version != 0 && (!exists || old.Tenant != o.Tenant):
		return Organization{}, &NotFoundError{What: "organization", ID: o.ID.String()}
	case o.Version != 0 && old.Version != o.Version:
		return Organization{}, &VersionError{ID: o.ID.String(), Stored: old.Version, Given: o.Version}
	}
	for _, k := range o.Keys() {
		if holder, ok := m.keys[tenantKey{o.Tenant, k}]; ok && holder != o.ID {
			return Organization{}, &TakenError{Kind: k.Kind, Holder: holder.String()}
		}
	}
	o = o.Clone()
	o.Version++
	m.index(o.Tenant, old.Keys(), o.Keys(), o.ID)
	m.orgs[o.ID] = o
	return o.Clone(), nil
}

// Organization implements Directory.
func (m *MemoryDirectory) Organization(ctx context.Context, tenant string, id uuid.UUID) (Organization, error) {
	if err := ctx.Err(); err != nil {
		return Organization{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	o, ok := m.orgs[id]
	if !ok || o.Tenant != tenant {
		return Organization{}, &NotFoundError{What: "organization", ID: id.String()}
	}
	return o.Clone(), nil
}

// OrganizationByDomain implements Directory.
func (m *MemoryDirectory) OrganizationByDomain(ctx context.Context, tenant, domain string) (Organization, error) {
	if err := ctx.Err(); err != nil {
		return Organization{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	id, ok := m.keys[tenantKey{tenant, Key{Kind: KeyDomain, Value: domain}}]
	if o, found := m.orgs[id]; ok && found {
		return o.Clone(), nil
	}
	return Organization{}, &NotFoundError{What: string(KeyDomain)}
}
