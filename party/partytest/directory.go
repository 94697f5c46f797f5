package partytest

import (
	"bytes"
	"slices"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/party"
)

var directoryCases = []testCase{
	{"CreateCustomerStoresVersionOne", func(t *testing.T, s *setup) {
		c := s.rawCustomer(t, "", "Ann", "ann@example.com")
		c.Version = 7
		got, created, err := s.dir.CreateCustomer(s.ctx, c)
		require.NoError(t, err)
		assert.True(t, created)
		assert.Equal(t, int64(1), got.Version)
		read, err := s.dir.Customer(s.ctx, "", c.ID)
		require.NoError(t, err)
		assert.Equal(t, got, read)
	}},
	{"CreateCustomerWithAHeldKeyReturnsTheHolder", func(t *testing.T, s *setup) {
		first := s.rawCustomer(t, "", "Ann", "ann@example.com")
		_, _, err := s.dir.CreateCustomer(s.ctx, first)
		require.NoError(t, err)
		second := s.rawCustomer(t, "", "Ann again", "ann.lee@example.com", "ann@example.com")
		got, created, err := s.dir.CreateCustomer(s.ctx, second)
		require.NoError(t, err)
		assert.False(t, created)
		assert.Equal(t, first.ID, got.ID)
		_, err = s.dir.Customer(s.ctx, "", second.ID)
		requireNotFound(t, err)
		_, err = s.dir.CustomerByKey(s.ctx, "", emailKey("ann.lee@example.com"))
		requireNotFound(t, err)
	}},
	{"CreateCustomerWithAStoredIDReturnsErrConflict", func(t *testing.T, s *setup) {
		c := s.rawCustomer(t, "", "Ann", "ann@example.com")
		_, _, err := s.dir.CreateCustomer(s.ctx, c)
		require.NoError(t, err)
		c.Emails = []string{"other@example.com"}
		_, _, err = s.dir.CreateCustomer(s.ctx, c)
		requireConflict(t, err)
		_, err = s.dir.CustomerByKey(s.ctx, "", emailKey("other@example.com"))
		requireNotFound(t, err)
	}},
	{"ConcurrentCreatesOfOnePersonStoreOne", func(t *testing.T, s *setup) {
		const n = 8
		ids := make([]uuid.UUID, n)
		var wg sync.WaitGroup
		for i := range n {
			c := s.rawCustomer(t, "", name(i), "ann@example.com")
			wg.Go(func() {
				got, _, err := s.dir.CreateCustomer(s.ctx, c)
				assert.NoError(t, err)
				ids[i] = got.ID
			})
		}
		wg.Wait()
		for _, id := range ids {
			assert.Equal(t, ids[0], id, "every create returns the one stored customer")
		}
	}},
	{"UpdateWithStaleVersionReturnsErrConflict", func(t *testing.T, s *setup) {
		c, _, err := s.dir.CreateCustomer(s.ctx, s.rawCustomer(t, "", "Ann", "ann@example.com"))
		require.NoError(t, err)
		c.Name = "Ann Lee"
		out, err := s.dir.UpdateCustomers(s.ctx, c)
		require.NoError(t, err)
		assert.Equal(t, int64(2), out[0].Version)
		c.Name = "Stale"
		_, err = s.dir.UpdateCustomers(s.ctx, c)
		requireConflict(t, err)
		read, err := s.dir.Customer(s.ctx, "", c.ID)
		require.NoError(t, err)
		assert.Equal(t, "Ann Lee", read.Name)
	}},
	{"ConcurrentUpdatesOfOneVersionStoreOne", func(t *testing.T, s *setup) {
		c, _, err := s.dir.CreateCustomer(s.ctx, s.rawCustomer(t, "", "Ann", "ann@example.com"))
		require.NoError(t, err)
		const n = 8
		var wins sync.Map
		var wg sync.WaitGroup
		for i := range n {
			c := c.Clone()
			c.Name = name(i)
			wg.Go(func() {
				if _, err := s.dir.UpdateCustomers(s.ctx, c); err == nil {
					wins.Store(c.Name, true)
				} else {
					assert.ErrorIs(t, err, party.ErrConflict)
				}
			})
		}
		wg.Wait()
		var winners []string
		wins.Range(func(k, _ any) bool { winners = append(winners, k.(string)); return true })
		require.Len(t, winners, 1)
		read, err := s.dir.Customer(s.ctx, "", c.ID)
		require.NoError(t, err)
		assert.Equal(t, winners[0], read.Name)
		assert.Equal(t, int64(2), read.Version)
	}},
	{"UpdateIsAllOrNothing", func(t *testing.T, s *setup) {
		a, _, err := s.dir.CreateCustomer(s.ctx, s.rawCustomer(t, "", "Ann", "ann@example.com"))
		require.NoError(t, err)
		missing := s.rawCustomer(t, "", "Ghost", "ghost@example.com")
		missing.Version = 1
		a.Name = "Changed"
		_, err = s.dir.UpdateCustomers(s.ctx, a, missing)
		requireNotFound(t, err)
		stale := a
		stale.Version = 5
		b, _, err := s.dir.CreateCustomer(s.ctx, s.rawCustomer(t, "", "Bob", "bob@example.com"))
		require.NoError(t, err)
		b.Name = "Changed"
		_, err = s.dir.UpdateCustomers(s.ctx, b, stale)
		requireConflict(t, err)
		_, err = s.dir.UpdateCustomers(s.ctx, b, b)
		assert.ErrorIs(t, err, party.ErrInvalid)
		for _, id := range []uuid.UUID{a.ID, b.ID} {
			read, err := s.dir.Customer(s.ctx, "", id)
			require.NoError(t, err)
			assert.NotEqual(t, "Changed", read.Name)
			assert.Equal(t, int64(1), read.Version)
		}
	}},
	{"UpdateGivingAHeldKeyReturnsTakenError", func(t *testing.T, s *setup) {
		a, _, err := s.dir.CreateCustomer(s.ctx, s.rawCustomer(t, "", "Ann", "ann@example.com"))
		require.NoError(t, err)
		b, _, err := s.dir.CreateCustomer(s.ctx, s.rawCustomer(t, "", "Bob", "bob@example.com"))
		require.NoError(t, err)
		b.Emails = append(b.Emails, "ann@example.com")
		_, err = s.dir.UpdateCustomers(s.ctx, b)
		requireConflict(t, err)
		var taken *party.TakenError
		require.ErrorAs(t, err, &taken)
		assert.Equal(t, party.KeyEmail, taken.Kind)
		assert.Equal(t, a.ID.String(), taken.Holder)
		assert.NotContains(t, err.Error(), "ann@example.com", "errors name no contact")
		holder, err := s.dir.CustomerByKey(s.ctx, "", emailKey("ann@example.com"))
		require.NoError(t, err)
		assert.Equal(t, a.ID, holder.ID)
	}},
	{"UpdateMovesAKeyBetweenCustomersOfOneWrite", func(t *testing.T, s *setup) {
		a, _, err := s.dir.CreateCustomer(s.ctx, s.rawCustomer(t, "", "Ann", "ann@example.com"))
		require.NoError(t, err)
		b, _, err := s.dir.CreateCustomer(s.ctx, s.rawCustomer(t, "", "Bob", "bob@example.com"))
		require.NoError(t, err)
		a.Emails, b.Emails = nil, []string{"bob@example.com", "ann@example.com"}
		_, err = s.dir.UpdateCustomers(s.ctx, a, b)
		require.NoError(t, err)
		holder, err := s.dir.CustomerByKey(s.ctx, "", emailKey("ann@example.com"))
		require.NoError(t, err)
		assert.Equal(t, b.ID, holder.ID)
	}},
	{"UpdateReleasesDroppedKeys", func(t *testing.T, s *setup) {
		a, _, err := s.dir.CreateCustomer(s.ctx, s.rawCustomer(t, "", "Ann", "ann@example.com", "ann@old.example.com"))
		require.NoError(t, err)
		a.Emails = a.Emails[:1]
		_, err = s.dir.UpdateCustomers(s.ctx, a)
		require.NoError(t, err)
		_, err = s.dir.CustomerByKey(s.ctx, "", emailKey("ann@old.example.com"))
		requireNotFound(t, err)
		_, created, err := s.dir.CreateCustomer(s.ctx, s.rawCustomer(t, "", "Other", "ann@old.example.com"))
		require.NoError(t, err)
		assert.True(t, created)
	}},
	{"KeysOfEveryKindFindTheirCustomer", func(t *testing.T, s *setup) {
		c := s.rawCustomer(t, "", "Ann", "ann@example.com")
		c.Phones = []string{"+74951234567"}
		c.ExternalIDs = map[string]string{"crm": "C-1", "billing": "C-1"}
		_, _, err := s.dir.CreateCustomer(s.ctx, c)
		require.NoError(t, err)
		for _, k := range c.Keys() {
			got, err := s.dir.CustomerByKey(s.ctx, "", k)
			require.NoError(t, err, k)
			assert.Equal(t, c.ID, got.ID)
		}
		for _, k := range []party.Key{
			{Kind: party.KeyExternal, System: "erp", Value: "C-1"},
			{Kind: party.KeyPhone, Value: "C-1"},
			{Kind: party.KeyEmail, Value: "ANN@example.com"}, // keys compare exactly
		} {
			_, err := s.dir.CustomerByKey(s.ctx, "", k)
			requireNotFound(t, err)
		}
	}},
	{"MissingRecordsReturnErrNotFound", func(t *testing.T, s *setup) {
		_, err := s.dir.Customer(s.ctx, "", uuid.New())
		requireNotFound(t, err)
		_, err = s.dir.CustomerByKey(s.ctx, "", emailKey("nobody@example.com"))
		requireNotFound(t, err)
		_, err = s.dir.Organization(s.ctx, "", uuid.New())
		requireNotFound(t, err)
		_, err = s.dir.OrganizationByDomain(s.ctx, "", "example.com")
		requireNotFound(t, err)
		_, err = s.dir.PutOrganization(s.ctx, party.Organization{ID: uuid.New(), Name: "X", Version: 1})
		requireNotFound(t, err)
		members, err := s.dir.Members(s.ctx, "", uuid.New())
		require.NoError(t, err)
		assert.Empty(t, members)
	}},
	{"ReturnedValuesAreCopies", func(t *testing.T, s *setup) {
		c := s.rawCustomer(t, "", "Ann", "ann@example.com")
		c.ExternalIDs = map[string]string{"crm": "C-1"}
		got, _, err := s.dir.CreateCustomer(s.ctx, c)
		require.NoError(t, err)
		c.Emails[0], c.ExternalIDs["crm"] = "given@example.com", "given"
		got.Emails[0], got.ExternalIDs["crm"] = "returned@example.com", "returned"
		read, err := s.dir.Customer(s.ctx, "", c.ID)
		require.NoError(t, err)
		read.Emails[0] = "read@example.com"
		again, err := s.dir.Customer(s.ctx, "", c.ID)
		require.NoError(t, err)
		assert.Equal(t, []string{"ann@example.com"}, again.Emails)
		assert.Equal(t, map[string]string{"crm": "C-1"}, again.ExternalIDs)
		o, err := s.dir.PutOrganization(s.ctx, party.Organization{ID: uuid.New(), Name: "Acme", Domains: []string{"acme.com"}})
		require.NoError(t, err)
		o.Domains[0] = "changed.com"
		byDomain, err := s.dir.OrganizationByDomain(s.ctx, "", "acme.com")
		require.NoError(t, err)
		assert.Equal(t, []string{"acme.com"}, byDomain.Domains)
	}},
	{"OrganizationsKeepVersionsAndDomains", func(t *testing.T, s *setup) {
		acme, err := s.dir.PutOrganization(s.ctx, party.Organization{ID: uuid.New(), Name: "Acme", Domains: []string{"acme.com"}})
		require.NoError(t, err)
		assert.Equal(t, int64(1), acme.Version)
		_, err = s.dir.PutOrganization(s.ctx, party.Organization{ID: acme.ID, Name: "Again"})
		requireConflict(t, err)
		_, err = s.dir.PutOrganization(s.ctx, party.Organization{ID: uuid.New(), Name: "Rival", Domains: []string{"acme.com"}})
		var taken *party.TakenError
		require.ErrorAs(t, err, &taken)
		assert.Equal(t, acme.ID.String(), taken.Holder)
		acme.Domains = []string{"acme.org"}
		acme, err = s.dir.PutOrganization(s.ctx, acme)
		require.NoError(t, err)
		assert.Equal(t, int64(2), acme.Version)
		_, err = s.dir.OrganizationByDomain(s.ctx, "", "acme.com")
		requireNotFound(t, err, "a dropped domain is released")
		got, err := s.dir.OrganizationByDomain(s.ctx, "", "acme.org")
		require.NoError(t, err)
		assert.Equal(t, acme, got)
		acme.Version = 1
		_, err = s.dir.PutOrganization(s.ctx, acme)
		requireConflict(t, err)
	}},
	{"MembersComeInIDOrder", func(t *testing.T, s *setup) {
		org := uuid.New()
		var want []uuid.UUID
		for i := range 5 {
			c := s.rawCustomer(t, "", name(i))
			c.Organization = org
			_, _, err := s.dir.CreateCustomer(s.ctx, c)
			require.NoError(t, err)
			want = append(want, c.ID)
		}
		_, _, err := s.dir.CreateCustomer(s.ctx, s.rawCustomer(t, "", "Outsider"))
		require.NoError(t, err)
		members, err := s.dir.Members(s.ctx, "", org)
		require.NoError(t, err)
		var got []uuid.UUID
		for _, m := range members {
			got = append(got, m.ID)
		}
		slices.SortFunc(want, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
		assert.Equal(t, want, got)
	}},
}
