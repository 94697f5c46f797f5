package partytest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/party"
)

var serviceCases = []testCase{
	{"FindByEmailIgnoresCaseUnicodeFormsAndPunycode", func(t *testing.T, s *setup) {
		c := s.create(t, party.NewCustomer{Name: "Анна", Emails: []string{"Anna@ПРИМЕР.РФ"}})
		assert.Equal(t, []string{"anna@пример.рф"}, c.Emails)
		for _, spelling := range []string{"anna@xn--e1afmkfd.xn--p1ai", "ANNA@пример.рф", "ａｎｎａ@пример．рф", " anna@пример.рф. "} {
			got, err := s.svc.FindByEmail(s.ctx, "", spelling)
			if assert.NoError(t, err, spelling) {
				assert.Equal(t, c.ID, got.ID, spelling)
			}
		}
		_, err := s.svc.FindByEmail(s.ctx, "", "anna@пример.ру")
		requireNotFound(t, err)
	}},
	{"FindByPhoneReadsRussianNationalNumbers", func(t *testing.T, s *setup) {
		c := s.create(t, party.NewCustomer{Name: "Ivan", Phones: []string{"8 (495) 123-45-67"}})
		assert.Equal(t, []string{"+74951234567"}, c.Phones)
		for _, spelling := range []string{"+7 (495) 123-45-67", "84951234567", "(495) 123 45 67", "00 7 495 123 45 67", "+7-495-123-45-67"} {
			got, err := s.svc.FindByPhone(s.ctx, "", spelling)
			if assert.NoError(t, err, spelling) {
				assert.Equal(t, c.ID, got.ID, spelling)
			}
		}
		_, err := s.svc.FindByPhone(s.ctx, "", "+7 495 123-45-68")
		requireNotFound(t, err)
	}},
	{"CreateIsIdempotentByEmailPhoneOrExternalID", func(t *testing.T, s *setup) {
		c := s.create(t, party.NewCustomer{Name: "Ann", Emails: []string{"ann@example.com"},
			Phones: []string{"+44 20 7946 0018"}, ExternalIDs: map[string]string{"crm": "C-17"}})
		for _, again := range []party.NewCustomer{
			{Emails: []string{"ANN@example.com"}},
			{Name: "Someone", Phones: []string{"+442079460018"}},
			{ExternalIDs: map[string]string{"crm": "C-17"}},
			{Emails: []string{"new@example.com", "ann@example.com"}},
		} {
			got, created, err := s.svc.CreateCustomer(s.ctx, again)
			require.NoError(t, err)
			assert.False(t, created)
			assert.Equal(t, c, got, "the stored customer, unchanged")
		}
		_, err := s.svc.FindByEmail(s.ctx, "", "new@example.com")
		requireNotFound(t, err, "a create that finds its person adds nothing")
		other, created, err := s.svc.CreateCustomer(s.ctx, party.NewCustomer{ExternalIDs: map[string]string{"erp": "C-17"}})
		require.NoError(t, err)
		assert.True(t, created, "an ID in another system is another key")
		assert.NotEqual(t, c.ID, other.ID)
	}},
	{"NewCustomersJoinTheOrganizationOfTheirEmailDomain", func(t *testing.T, s *setup) {
		acme, err := s.svc.CreateOrganization(s.ctx, party.NewOrganization{Name: "Acme", Domains: []string{"ACME.com", "acme.co.uk"}, Segment: "enterprise"})
		require.NoError(t, err)
		assert.Equal(t, []string{"acme.com", "acme.co.uk"}, acme.Domains)
		bob := s.create(t, party.NewCustomer{Emails: []string{"bob@gmail.com", "Bob@Acme.COM"}})
		assert.Equal(t, acme.ID, bob.Organization)
		seg, err := s.svc.Segment(s.ctx, "", bob.ID)
		require.NoError(t, err)
		assert.Equal(t, "enterprise", seg, "the organization's segment applies")
		vip := s.create(t, party.NewCustomer{Emails: []string{"ceo@acme.co.uk"}, Segment: "vip"})
		seg, err = s.svc.Segment(s.ctx, "", vip.ID)
		require.NoError(t, err)
		assert.Equal(t, "vip", seg, "the customer's own segment wins")
		outsider := s.create(t, party.NewCustomer{Emails: []string{"eve@mail.acme.com"}})
		assert.Equal(t, uuid.Nil, outsider.Organization, "a subdomain is another domain")
		members, err := s.svc.Members(s.ctx, "", acme.ID)
		require.NoError(t, err)
		assert.Len(t, members, 2)
		other, err := s.svc.CreateOrganization(s.ctx, party.NewOrganization{Name: "Other"})
		require.NoError(t, err)
		chosen := s.create(t, party.NewCustomer{Emails: []string{"zoe@acme.com"}, Organization: other.ID})
		assert.Equal(t, other.ID, chosen.Organization, "an organization given explicitly is kept")
		_, err = s.svc.CreateOrganization(s.ctx, party.NewOrganization{Name: "Rival", Domains: []string{"acme.com"}})
		requireConflict(t, err)
	}},
	{"BadInputGivesValidationErrorsAndStoresNothing", func(t *testing.T, s *setup) {
		ok := "fine@example.com"
		for field, nc := range map[string]party.NewCustomer{
			"emails[1]":    {Emails: []string{ok, "not an address"}},
			"phones[0]":    {Emails: []string{ok}, Phones: []string{"call me"}},
			"time_zone":    {Emails: []string{ok}, TimeZone: "Mars/Olympus"},
			"tenant":       {Emails: []string{ok}, Tenant: "bad\x00tenant"},
			"name":         {Emails: []string{ok}, Name: strings.Repeat("n", 201)},
			"external_ids": {Emails: []string{ok}, ExternalIDs: map[string]string{"": "x"}},
			"organization": {Emails: []string{ok}, Organization: uuid.New()},
		} {
			_, _, err := s.svc.CreateCustomer(s.ctx, nc)
			var ve *party.ValidationError
			if assert.ErrorAs(t, err, &ve, field) {
				assert.Equal(t, field, ve.Field)
				assert.ErrorIs(t, err, party.ErrInvalid)
			}
		}
		_, err := s.svc.FindByEmail(s.ctx, "", ok)
		requireNotFound(t, err)
		_, err = s.svc.CreateOrganization(s.ctx, party.NewOrganization{Name: " "})
		assert.ErrorIs(t, err, party.ErrInvalid)
		_, err = s.svc.CreateOrganization(s.ctx, party.NewOrganization{Name: "X", Domains: []string{"localhost"}})
		assert.ErrorIs(t, err, party.ErrInvalid)
	}},
	{"MergeUnionsContactsAndTheAbsorbedResolvesToTheSurvivor", func(t *testing.T, s *setup) {
		ann := s.create(t, party.NewCustomer{Name: "Ann Lee", Emails: []string{"ann@example.com"}, Phones: []string{"+74951234567"}})
		dup := s.create(t, party.NewCustomer{Emails: []string{"a.lee@work.example"}, Language: language.English,
			ExternalIDs: map[string]string{"crm": "C-9"}})
		s.clock.Advance(time.Hour)
		merged, err := s.svc.Merge(s.ctx, "", ann.ID, dup.ID)
		require.NoError(t, err)
		assert.Equal(t, []string{"ann@example.com", "a.lee@work.example"}, merged.Emails)
		assert.Equal(t, map[string]string{"crm": "C-9"}, merged.ExternalIDs)
		assert.Equal(t, language.English, merged.Language, "an empty field is filled from the absorbed")
		assert.Equal(t, "Ann Lee", merged.Name)
		assert.Equal(t, []uuid.UUID{dup.ID}, merged.Absorbed)
		for _, find := range []func() (party.Customer, error){
			func() (party.Customer, error) { return s.svc.FindByEmail(s.ctx, "", "A.Lee@work.example") },
			func() (party.Customer, error) { return s.svc.FindByExternalID(s.ctx, "", "crm", "C-9") },
			func() (party.Customer, error) { return s.svc.Customer(s.ctx, "", dup.ID) },
		} {
			got, err := find()
			require.NoError(t, err)
			assert.Equal(t, ann.ID, got.ID)
		}
		record, err := s.dir.Customer(s.ctx, "", dup.ID)
		require.NoError(t, err)
		assert.Equal(t, ann.ID, record.MergedInto, "the merge is recorded on the absorbed")
		assert.Equal(t, s.clock.Now(), record.MergedAt)
		assert.Empty(t, record.Keys())
		_, err = s.svc.Merge(s.ctx, "", ann.ID, dup.ID)
		assert.ErrorIs(t, err, party.ErrInvalid, "the absorbed is no longer live")
		_, err = s.svc.UpdateCustomer(s.ctx, record)
		assert.ErrorIs(t, err, party.ErrInvalid)
		// A chain: ann is merged into a third customer; dup's ID still finds the person.
		third := s.create(t, party.NewCustomer{Name: "A. Lee", Emails: []string{"lee@example.org"}})
		_, err = s.svc.Merge(s.ctx, "", third.ID, ann.ID)
		require.NoError(t, err)
		got, err := s.svc.Customer(s.ctx, "", dup.ID)
		require.NoError(t, err)
		assert.Equal(t, third.ID, got.ID)
		assert.Equal(t, []uuid.UUID{ann.ID, dup.ID}, got.Absorbed)
	}},
	{"MergeOfConflictingExternalIDsIsRefusedAndWritesNothing", func(t *testing.T, s *setup) {
		a := s.create(t, party.NewCustomer{Emails: []string{"a@example.com"}, ExternalIDs: map[string]string{"crm": "1"}})
		b := s.create(t, party.NewCustomer{Emails: []string{"b@example.com"}, ExternalIDs: map[string]string{"crm": "2"}})
		_, err := s.svc.Merge(s.ctx, "", a.ID, b.ID)
		assert.ErrorIs(t, err, party.ErrInvalid)
		_, err = s.svc.Merge(s.ctx, "", a.ID, a.ID)
		assert.ErrorIs(t, err, party.ErrInvalid)
		for _, c := range []party.Customer{a, b} {
			got, err := s.dir.Customer(s.ctx, "", c.ID)
			require.NoError(t, err)
			assert.Equal(t, c, got)
		}
	}},
	{"ConcurrentMergesOfOneCustomerSucceedOnce", func(t *testing.T, s *setup) {
		absorbed := s.create(t, party.NewCustomer{Emails: []string{"shared@example.com"}})
		const n = 6
		survivors := make([]party.Customer, n)
		for i := range survivors {
			survivors[i] = s.create(t, party.NewCustomer{Emails: []string{fmt.Sprintf("s%d@example.com", i)}})
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for _, sv := range survivors {
			wg.Go(func() {
				if _, err := s.svc.Merge(s.ctx, "", sv.ID, absorbed.ID); err == nil {
					wins.Add(1)
				} else if !errors.Is(err, party.ErrConflict) && !errors.Is(err, party.ErrInvalid) {
					t.Errorf("merge: %v", err)
				}
			})
		}
		wg.Wait()
		assert.Equal(t, int32(1), wins.Load())
		holder, err := s.svc.FindByEmail(s.ctx, "", "shared@example.com")
		require.NoError(t, err)
		got, err := s.svc.Customer(s.ctx, "", absorbed.ID)
		require.NoError(t, err)
		assert.Equal(t, holder.ID, got.ID, "the absorbed resolves to the one survivor holding its address")
		assert.Equal(t, []uuid.UUID{absorbed.ID}, got.Absorbed)
	}},
	{"UpdateCustomerNormalizesAndGuardsContacts", func(t *testing.T, s *setup) {
		a := s.create(t, party.NewCustomer{Emails: []string{"a@example.com"}})
		s.create(t, party.NewCustomer{Emails: []string{"b@example.com"}})
		a.Emails = append(a.Emails, "A2@Example.com")
		a.Phones = []string{"8 800 555-35-35"}
		a.TimeZone = "Europe/Moscow"
		got, err := s.svc.UpdateCustomer(s.ctx, a)
		require.NoError(t, err)
		assert.Equal(t, []string{"a@example.com", "a2@example.com"}, got.Emails)
		assert.Equal(t, []string{"+78005553535"}, got.Phones)
		got.Emails = append(got.Emails, "B@example.com")
		_, err = s.svc.UpdateCustomer(s.ctx, got)
		var taken *party.TakenError
		assert.ErrorAs(t, err, &taken)
		_, err = s.svc.UpdateCustomer(s.ctx, a)
		requireConflict(t, err)
	}},
	{"ExportHoldsEverythingStored", func(t *testing.T, s *setup) {
		acme, err := s.svc.CreateOrganization(s.ctx, party.NewOrganization{Name: "Acme", Domains: []string{"acme.com"}, SharedTickets: true})
		require.NoError(t, err)
		ann := s.create(t, party.NewCustomer{Name: "Ann Lee", Emails: []string{"ann@acme.com"}, Phones: []string{"+74951234567"},
			Language: language.Russian, TimeZone: "Europe/Moscow", Segment: "vip", ExternalIDs: map[string]string{"crm": "C-17"}})
		old := s.create(t, party.NewCustomer{Name: "Anna L.", Emails: []string{"anna@home.example"}})
		_, err = s.svc.Merge(s.ctx, "", ann.ID, old.ID)
		require.NoError(t, err)
		e, err := s.svc.Export(s.ctx, "", old.ID)
		require.NoError(t, err)
		b, err := e.JSON()
		require.NoError(t, err)
		var back party.Export
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, ann.ID, back.Customer.ID)
		assert.Equal(t, []string{"ann@acme.com", "anna@home.example"}, back.Customer.Emails)
		assert.Equal(t, language.Russian, back.Customer.Language)
		require.Len(t, back.Absorbed, 1)
		assert.Equal(t, "Anna L.", back.Absorbed[0].Name)
		require.NotNil(t, back.Organization)
		assert.Equal(t, acme.ID, back.Organization.ID)
		assert.True(t, back.Organization.SharedTickets)
		for _, want := range []string{"Ann Lee", "+74951234567", "Europe/Moscow", "C-17", "vip", `"ru"`} {
			assert.Contains(t, string(b), want)
		}
	}},
	{"EraseLeavesTombstonesWithNoPersonalData", func(t *testing.T, s *setup) {
		acme, err := s.svc.CreateOrganization(s.ctx, party.NewOrganization{Name: "Acme", Domains: []string{"acme.com"}, Segment: "enterprise"})
		require.NoError(t, err)
		personal := []string{"Ann Lee", "ann@acme.com", "+74951234567", "Europe/Moscow", "C-17", "Anna L.", "anna@home.example", `"ru"`}
		ann := s.create(t, party.NewCustomer{Name: "Ann Lee", Emails: []string{"ann@acme.com"}, Phones: []string{"+74951234567"},
			Language: language.Russian, TimeZone: "Europe/Moscow", ExternalIDs: map[string]string{"crm": "C-17"}})
		old := s.create(t, party.NewCustomer{Name: "Anna L.", Emails: []string{"anna@home.example"}})
		bystander := s.create(t, party.NewCustomer{Name: "Bob", Emails: []string{"bob@acme.com"}})
		_, err = s.svc.Merge(s.ctx, "", ann.ID, old.ID)
		require.NoError(t, err)
		s.clock.Advance(time.Hour)
		erased, err := s.svc.Erase(s.ctx, "", old.ID)
		require.NoError(t, err)
		assert.Equal(t, ann.ID, erased.ID, "erasing a merged ID erases the person")
		assert.True(t, erased.Erased())
		assert.Equal(t, party.ErasedName, erased.DisplayName())
		assert.Equal(t, acme.ID, erased.Organization, "structure stays")
		for _, id := range []uuid.UUID{ann.ID, old.ID} {
			record, err := s.dir.Customer(s.ctx, "", id)
			require.NoError(t, err, "the record is kept as a tombstone")
			b, err := json.Marshal(record)
			require.NoError(t, err)
			for _, p := range personal {
				assert.NotContains(t, string(b), p)
			}
			assert.Equal(t, s.clock.Now(), record.ErasedAt)
		}
		for _, email := range []string{"ann@acme.com", "anna@home.example"} {
			_, err := s.svc.FindByEmail(s.ctx, "", email)
			requireNotFound(t, err)
		}
		e, err := s.svc.Export(s.ctx, "", ann.ID)
		require.NoError(t, err)
		b, err := json.Marshal(e.Customer)
		require.NoError(t, err)
		for _, p := range personal {
			assert.NotContains(t, string(b), p)
		}
		again, err := s.svc.Erase(s.ctx, "", ann.ID)
		require.NoError(t, err)
		assert.Equal(t, erased, again, "erasing twice changes nothing")
		got, err := s.svc.Customer(s.ctx, "", bystander.ID)
		require.NoError(t, err)
		assert.Equal(t, bystander, got, "nobody else is touched")
		fresh, created, err := s.svc.CreateCustomer(s.ctx, party.NewCustomer{Emails: []string{"ann@acme.com"}})
		require.NoError(t, err)
		assert.True(t, created, "the address is free again")
		assert.NotEqual(t, ann.ID, fresh.ID)
	}},
}

// isNotFound reports whether err says the record is missing.
func isNotFound(err error) bool { return errors.Is(err, party.ErrNotFound) }
