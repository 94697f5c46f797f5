package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/party/partytest"
	"github.com/supportkit/supportkit/postgres"
)

// newDirectory returns a Directory on a migrated schema of the test's own.
func newDirectory(t *testing.T) *postgres.Directory {
	s := newSetup(t, nil)
	dir, err := postgres.NewDirectory(s.pool, postgres.Config{Schema: s.schema})
	require.NoError(t, err)
	return dir
}

// TestDirectoryPassesTheSuite runs the suite on one migrated schema, emptied before each
// subtest (they run one after another): migrating a schema per subtest would take most of
// the time.
func TestDirectoryPassesTheSuite(t *testing.T) {
	s := newSetup(t, nil)
	dir, err := postgres.NewDirectory(s.pool, postgres.Config{Schema: s.schema})
	require.NoError(t, err)
	partytest.TestDirectory(t, func(t *testing.T) party.Directory {
		_, err := s.pool.Exec(context.Background(), "DELETE FROM "+s.schema+".customers; DELETE FROM "+s.schema+".organizations")
		require.NoError(t, err)
		return dir
	})
}

// Text PostgreSQL cannot hold is refused as invalid input and nothing is written; lookups
// by such text find nothing.
func TestDirectoryRefusesTextPostgreSQLCannotHold(t *testing.T) {
	ctx := context.Background()
	dir := newDirectory(t)
	for name, c := range map[string]party.Customer{
		"NUL in an email":   {Emails: []string{"ann\x00@example.com"}},
		"bad UTF-8 in name": {Name: "Ann \xff"},
		"NUL in tenant":     {Tenant: "acme\x00"},
		"bad external ID":   {ExternalIDs: map[string]string{"crm": "\xfe"}},
		// "\xc3\xa9" is "é": each half is invalid, together they are not.
		"external ID split in a character": {ExternalIDs: map[string]string{"crm\xc3": "\xa9"}},
	} {
		c.ID = uuid.Must(uuid.NewV7())
		_, _, err := dir.CreateCustomer(ctx, c)
		assert.ErrorIs(t, err, party.ErrInvalid, name)
		var ve *party.ValidationError
		assert.ErrorAs(t, err, &ve, name)
		_, err = dir.Customer(ctx, c.Tenant, c.ID)
		assert.ErrorIs(t, err, party.ErrNotFound, name)
	}
	_, err := dir.PutOrganization(ctx, party.Organization{ID: uuid.Must(uuid.NewV7()), Name: "Acme", Domains: []string{"ac\x00me.com"}})
	assert.ErrorIs(t, err, party.ErrInvalid)
	_, err = dir.CustomerByKey(ctx, "", party.Key{Kind: party.KeyEmail, Value: "ann\x00@example.com"})
	assert.ErrorIs(t, err, party.ErrNotFound)
	_, err = dir.OrganizationByDomain(ctx, "\xff", "acme.com")
	assert.ErrorIs(t, err, party.ErrNotFound)
	members, err := dir.Members(ctx, "\x00", uuid.Nil)
	require.NoError(t, err)
	assert.Empty(t, members)
}

// Processes sharing the database see one directory: the first message of a sender arriving
// at several at once makes one customer, and two updates racing for one new address leave it
// with one customer while the other gets ErrConflict.
func TestDirectoriesOfSeveralProcessesAgree(t *testing.T) {
	ctx := context.Background()
	s := newSetup(t, nil)
	var services []*party.Service
	for range 3 {
		dir, err := postgres.NewDirectory(s.pool, postgres.Config{Schema: s.schema})
		require.NoError(t, err)
		svc, err := party.NewService(dir, party.Config{})
		require.NoError(t, err)
		services = append(services, svc)
	}
	for round := range 5 {
		email := fmt.Sprintf("sender%d@example.com", round)
		ids := make([]uuid.UUID, 6)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Go(func() {
				c, _, err := services[i%3].CreateCustomer(ctx, party.NewCustomer{Emails: []string{email}})
				assert.NoError(t, err)
				ids[i] = c.ID
			})
		}
		wg.Wait()
		for _, id := range ids {
			assert.Equal(t, ids[0], id, "one customer per person")
		}

		a, _, err := services[0].CreateCustomer(ctx, party.NewCustomer{Emails: []string{fmt.Sprintf("a%d@example.com", round)}})
		require.NoError(t, err)
		b, _, err := services[1].CreateCustomer(ctx, party.NewCustomer{Emails: []string{fmt.Sprintf("b%d@example.com", round)}})
		require.NoError(t, err)
		shared := fmt.Sprintf("shared%d@example.com", round)
		errs := make([]error, 2)
		for i, c := range []party.Customer{a, b} {
			c.Emails = append(c.Emails, shared)
			wg.Go(func() { _, errs[i] = services[i].UpdateCustomer(ctx, c) })
		}
		wg.Wait()
		require.True(t, (errs[0] == nil) != (errs[1] == nil), "exactly one update wins: %v", errs)
		for _, err := range errs {
			if err != nil {
				assert.ErrorIs(t, err, party.ErrConflict)
			}
		}
		holder, err := services[2].FindByEmail(ctx, "", shared)
		require.NoError(t, err)
		winner := map[bool]uuid.UUID{true: a.ID, false: b.ID}[errs[0] == nil]
		assert.Equal(t, winner, holder.ID)
	}
}

// One write that gives one new key to two customers is refused whole.
func TestAWriteGivingOneKeyToTwoCustomersWritesNothing(t *testing.T) {
	ctx := context.Background()
	dir := newDirectory(t)
	a, _, err := dir.CreateCustomer(ctx, party.Customer{ID: uuid.Must(uuid.NewV7()), Name: "Ann", Emails: []string{"ann@example.com"}})
	require.NoError(t, err)
	b, _, err := dir.CreateCustomer(ctx, party.Customer{ID: uuid.Must(uuid.NewV7()), Name: "Bob", Emails: []string{"bob@example.com"}})
	require.NoError(t, err)
	a2, b2 := a.Clone(), b.Clone()
	a2.Name, a2.Emails = "Changed", append(a2.Emails, "shared@example.com")
	b2.Emails = append(b2.Emails, "shared@example.com")
	_, err = dir.UpdateCustomers(ctx, a2, b2)
	var taken *party.TakenError
	require.ErrorAs(t, err, &taken)
	assert.Equal(t, a.ID.String(), taken.Holder)
	_, err = dir.CustomerByKey(ctx, "", party.Key{Kind: party.KeyEmail, Value: "shared@example.com"})
	assert.ErrorIs(t, err, party.ErrNotFound)
	read, err := dir.Customer(ctx, "", a.ID)
	require.NoError(t, err)
	assert.Equal(t, a, read)
}
