package partytest

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/party"
)

var tenantCases = []testCase{
	{"OnePersonInTwoTenantsIsTwoCustomers", func(t *testing.T, s *setup) {
		nc := party.NewCustomer{Name: "Ann", Emails: []string{"ann@example.com"}, ExternalIDs: map[string]string{"crm": "1"}}
		a := s.create(t, nc)
		nc.Tenant = "globex"
		b := s.create(t, nc)
		assert.NotEqual(t, a.ID, b.ID)
		assert.Equal(t, "globex", b.Tenant)
		_, err := s.svc.Customer(s.ctx, "globex", a.ID)
		requireNotFound(t, err)
		_, err = s.svc.Merge(s.ctx, "globex", b.ID, a.ID)
		requireNotFound(t, err, "a merge never reaches into another tenant")
		_, err = s.svc.Erase(s.ctx, "globex", a.ID)
		requireNotFound(t, err)
		a.Tenant = "globex"
		_, err = s.dir.UpdateCustomers(s.ctx, a)
		requireNotFound(t, err, "a record cannot be moved into another tenant")
		got, err := s.svc.FindByEmail(s.ctx, "", "ann@example.com")
		require.NoError(t, err)
		assert.Equal(t, "Ann", got.Name)
		assert.Equal(t, party.DefaultTenant, got.Tenant)
	}},
	{"NothingOfOneTenantIsReturnedToAnother", func(t *testing.T, s *setup) {
		w := newWorld(s, rand.New(rand.NewPCG(14, 2026)))
		for range 300 {
			w.step(t)
		}
		for _, asked := range tenants {
			w.checkLookups(t, asked)
		}
	}},
}

var tenants = []string{party.DefaultTenant, "acme-desk", "globex-desk"}

// world drives random creates, updates, merges and erasures across tenants that share a
// small pool of contacts, remembering every ID and key it ever used.
type world struct {
	s      *setup
	r      *rand.Rand
	owner  map[uuid.UUID]string // every customer and organization ID, by tenant
	people map[string][]uuid.UUID
	orgs   map[string][]uuid.UUID
}

func newWorld(s *setup, r *rand.Rand) *world {
	return &world{s: s, r: r, owner: map[uuid.UUID]string{}, people: map[string][]uuid.UUID{}, orgs: map[string][]uuid.UUID{}}
}

func (w *world) email() string  { return fmt.Sprintf("user%d@d%d.example", w.r.IntN(12), w.r.IntN(3)) }
func (w *world) phone() string  { return fmt.Sprintf("+7495000%04d", w.r.IntN(12)) }
func (w *world) domain() string { return fmt.Sprintf("d%d.example", w.r.IntN(3)) }

func (w *world) step(t *testing.T) {
	tenant := tenants[w.r.IntN(len(tenants))]
	ctx, svc := w.s.ctx, w.s.svc
	switch op := w.r.IntN(10); {
	case op < 5:
		c, _, err := svc.CreateCustomer(ctx, party.NewCustomer{Tenant: tenant, Emails: []string{w.email()},
			Phones: []string{w.phone()}, ExternalIDs: map[string]string{"crm": fmt.Sprint(w.r.IntN(12))}})
		require.NoError(t, err)
		w.remember(t, tenant, c.ID, &w.people)
	case op < 6:
		o, err := svc.CreateOrganization(ctx, party.NewOrganization{Tenant: tenant, Name: "Org", Domains: []string{w.domain()}})
		if err == nil {
			w.remember(t, tenant, o.ID, &w.orgs)
		}
	case op < 8 && len(w.people[tenant]) > 1:
		ids := w.people[tenant]
		_, _ = svc.Merge(ctx, tenant, ids[w.r.IntN(len(ids))], ids[w.r.IntN(len(ids))])
	case op < 9 && len(w.people[tenant]) > 0:
		ids := w.people[tenant]
		_, err := svc.Erase(ctx, tenant, ids[w.r.IntN(len(ids))])
		require.NoError(t, err)
	case len(w.people[tenant]) > 0:
		ids := w.people[tenant]
		c, err := svc.Customer(ctx, tenant, ids[w.r.IntN(len(ids))])
		require.NoError(t, err)
		if c.Live() {
			c.Emails = append(c.Emails, w.email())
			_, _ = svc.UpdateCustomer(ctx, c)
		}
	}
}

func (w *world) remember(t *testing.T, tenant string, id uuid.UUID, list *map[string][]uuid.UUID) {
	if owner, ok := w.owner[id]; ok {
		require.Equal(t, tenant, owner, "a create returned another tenant's record")
		return
	}
	w.owner[id] = tenant
	(*list)[tenant] = append((*list)[tenant], id)
}

// checkLookups asks tenant asked for every ID and every contact of the pool and requires
// that whatever comes back is asked's.
func (w *world) checkLookups(t *testing.T, asked string) {
	ctx, svc, dir := w.s.ctx, w.s.svc, w.s.dir
	mine := func(what string, tenant string, id uuid.UUID, err error) {
		if isNotFound(err) {
			return
		}
		require.NoError(t, err, what)
		assert.Equal(t, asked, tenant, what)
		assert.Equal(t, asked, w.owner[id], what)
	}
	for id, owner := range w.owner {
		c, err := svc.Customer(ctx, asked, id)
		mine("Customer", c.Tenant, c.ID, err)
		raw, err := dir.Customer(ctx, asked, id)
		mine("Directory.Customer", raw.Tenant, raw.ID, err)
		o, err := svc.Organization(ctx, asked, id)
		mine("Organization", o.Tenant, o.ID, err)
		e, err := svc.Export(ctx, asked, id)
		mine("Export", e.Customer.Tenant, e.Customer.ID, err)
		if err == nil && e.Organization != nil {
			assert.Equal(t, asked, e.Organization.Tenant)
		}
		members, err := dir.Members(ctx, asked, id)
		require.NoError(t, err)
		for _, m := range members {
			mine("Members", m.Tenant, m.ID, nil)
		}
		if owner != asked {
			assert.True(t, isNotFound(err2(svc.Customer(ctx, asked, id))), "another tenant's ID is missing")
		}
	}
	for i := range 12 {
		for d := range 3 {
			c, err := svc.FindByEmail(ctx, asked, fmt.Sprintf("user%d@d%d.example", i, d))
			mine("FindByEmail", c.Tenant, c.ID, err)
			o, err := dir.OrganizationByDomain(ctx, asked, fmt.Sprintf("d%d.example", d))
			mine("OrganizationByDomain", o.Tenant, o.ID, err)
		}
		c, err := svc.FindByPhone(ctx, asked, fmt.Sprintf("+7495000%04d", i))
		mine("FindByPhone", c.Tenant, c.ID, err)
		c, err = svc.FindByExternalID(ctx, asked, "crm", fmt.Sprint(i))
		mine("FindByExternalID", c.Tenant, c.ID, err)
	}
}

func err2[T any](_ T, err error) error { return err }
