package supportkit_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// peopleSetup is a Desk over a Directory with one organization, Acme (acme.com, segment
// "enterprise", shared tickets).
type peopleSetup struct {
	ctx    context.Context
	clock  *fakeClock
	people *party.Service
	desk   *supportkit.Desk
	acme   party.Organization
}

func newPeopleSetup(t *testing.T, cfg supportkit.Config) *peopleSetup {
	t.Helper()
	s := &peopleSetup{ctx: context.Background(), clock: &fakeClock{now: start}}
	var err error
	if cfg.Directory == nil {
		cfg.Directory, err = party.NewService(nil, party.Config{Now: s.clock.Now})
		require.NoError(t, err)
	}
	s.people = cfg.Directory
	cfg.Now = s.clock.Now
	s.desk, err = supportkit.New(cfg)
	require.NoError(t, err)
	s.acme, err = s.people.CreateOrganization(s.ctx, party.NewOrganization{Tenant: cfg.Tickets.Tenant,
		Name: "Acme", Domains: []string{"acme.com"}, Segment: "enterprise", SharedTickets: true})
	if err != nil { // a second Desk over a shared directory and tenant
		s.acme, err = s.people.Directory().OrganizationByDomain(s.ctx, cfg.Tickets.Tenant, "acme.com")
	}
	require.NoError(t, err)
	return s
}

func (s *peopleSetup) receive(t *testing.T, from ticket.Requester, subject string) ticket.Ticket {
	t.Helper()
	s.clock.set(s.clock.Now().Add(time.Minute))
	tk, err := s.desk.Receive(s.ctx, ticket.Inbound{From: from, Subject: subject, Body: "Please help."})
	require.NoError(t, err)
	return tk
}

func TestReceiveFilesTheSenderUnderOneDirectoryCustomer(t *testing.T) {
	s := newPeopleSetup(t, supportkit.Config{})
	first := s.receive(t, ticket.Requester{Name: "Bob Stone", Email: "Bob@Acme.com"}, "VPN is down")
	bob, err := s.people.FindByEmail(s.ctx, "", "bob@acme.com")
	require.NoError(t, err)
	assert.Equal(t, bob.ID.String(), first.Requester.ID)
	assert.Equal(t, s.acme.ID.String(), first.Requester.Organization, "a new customer from acme.com joins Acme")
	assert.Equal(t, "Bob@Acme.com", first.Requester.Email, "the display data the sender gave travels")
	assert.Equal(t, "Bob Stone", bob.Name)

	second := s.receive(t, ticket.Requester{Email: "bob@ACME.com"}, "Printer")
	assert.NotEqual(t, first.ID, second.ID)
	assert.Equal(t, bob.ID.String(), second.Requester.ID, "the same person is the same customer")
	assert.Equal(t, "Bob Stone", second.Requester.Name, "a missing name is filled from the customer")
	members, err := s.people.Members(s.ctx, "", s.acme.ID)
	require.NoError(t, err)
	assert.Len(t, members, 1)
}

func TestCreateKeepsAHostIDAsTheCustomersExternalID(t *testing.T) {
	s := newPeopleSetup(t, supportkit.Config{})
	a, err := s.desk.Create(s.ctx, ticket.NewTicket{Subject: "Hello", Requester: ticket.Requester{ID: "cust-17", Name: "Ann"}})
	require.NoError(t, err)
	ann, err := s.people.FindByExternalID(s.ctx, "", supportkit.HostSystem, "cust-17")
	require.NoError(t, err)
	assert.Equal(t, ann.ID.String(), a.Requester.ID)
	for _, r := range []ticket.Requester{{ID: "cust-17"}, {ID: ann.ID.String()}} {
		b, err := s.desk.Create(s.ctx, ticket.NewTicket{Subject: "Again", Requester: r})
		require.NoError(t, err)
		assert.Equal(t, ann.ID.String(), b.Requester.ID, r.ID)
		assert.Equal(t, "Ann", b.Requester.Name)
	}
	_, err = s.desk.Create(s.ctx, ticket.NewTicket{Subject: "Bad", Requester: ticket.Requester{Email: "not an address"}})
	assert.ErrorIs(t, err, party.ErrInvalid)
	_, err = s.desk.Create(s.ctx, ticket.NewTicket{Subject: "Nobody"})
	assert.ErrorIs(t, err, ticket.ErrInvalid)
}

func TestHistoryListsOpenTicketsFirstAndFollowsMerges(t *testing.T) {
	s := newPeopleSetup(t, supportkit.Config{})
	before, err := s.desk.Tickets().Create(s.ctx, ticket.NewTicket{Subject: "From before the directory",
		Requester: ticket.Requester{Email: "ANN@example.com"}})
	require.NoError(t, err)
	old := s.receive(t, ticket.Requester{Email: "ann@example.com"}, "Old question")
	_, err = s.desk.Tickets().Update(s.ctx, agent, old.ID, ticket.Changes{Status: ticket.Ptr(ticket.StatusSolved), Assignee: ticket.Ptr("agent-1")})
	require.NoError(t, err)
	open := s.receive(t, ticket.Requester{Email: "ann@example.com"}, "New question")
	other, err := s.desk.Create(s.ctx, ticket.NewTicket{Subject: "From the shop", Requester: ticket.Requester{ID: "shop-9"}})
	require.NoError(t, err)
	stranger := s.receive(t, ticket.Requester{Email: "eve@example.com"}, "Not Ann's")

	ann, err := s.people.FindByEmail(s.ctx, "", "ann@example.com")
	require.NoError(t, err)
	home, err := s.people.FindByExternalID(s.ctx, "", supportkit.HostSystem, "shop-9")
	require.NoError(t, err)
	ids := func(ts []ticket.Ticket) []uuid.UUID {
		var out []uuid.UUID
		for _, t := range ts {
			out = append(out, t.ID)
		}
		return out
	}
	h, err := s.desk.History(s.ctx, ann.ID)
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{open.ID, before.ID, old.ID}, ids(h), "open first, newest first")

	_, err = s.people.Merge(s.ctx, "", ann.ID, home.ID)
	require.NoError(t, err)
	for _, id := range []uuid.UUID{ann.ID, home.ID} {
		h, err = s.desk.History(s.ctx, id)
		require.NoError(t, err)
		assert.Equal(t, []uuid.UUID{other.ID, open.ID, before.ID, old.ID}, ids(h), "the absorbed customer's tickets follow")
		assert.NotContains(t, ids(h), stranger.ID)
	}
	_, err = s.desk.History(s.ctx, uuid.New())
	assert.ErrorIs(t, err, party.ErrNotFound)
}

func TestOrganizationHistoryListsTheMembersTickets(t *testing.T) {
	s := newPeopleSetup(t, supportkit.Config{})
	bob := s.receive(t, ticket.Requester{Email: "bob@acme.com"}, "One")
	zoe := s.receive(t, ticket.Requester{Email: "zoe@acme.com"}, "Two")
	s.receive(t, ticket.Requester{Email: "eve@example.com"}, "Not Acme")
	h, err := s.desk.OrganizationHistory(s.ctx, s.acme.ID)
	require.NoError(t, err)
	require.Len(t, h, 2)
	assert.Equal(t, zoe.ID, h[0].ID)
	assert.Equal(t, bob.ID, h[1].ID)
	_, err = s.desk.OrganizationHistory(s.ctx, uuid.New())
	assert.ErrorIs(t, err, party.ErrNotFound)
}

func TestAReplyFromTheSurvivorThreadsOntoTheAbsorbedCustomersTicket(t *testing.T) {
	s := newPeopleSetup(t, supportkit.Config{})
	tk := s.receive(t, ticket.Requester{Email: "ann.lee@home.example"}, "Laptop")
	s.receive(t, ticket.Requester{Email: "ann@example.com"}, "Unrelated")
	ann, err := s.people.FindByEmail(s.ctx, "", "ann@example.com")
	require.NoError(t, err)
	home, err := s.people.FindByEmail(s.ctx, "", "ann.lee@home.example")
	require.NoError(t, err)
	_, err = s.people.Merge(s.ctx, "", ann.ID, home.ID)
	require.NoError(t, err)
	reply := s.receive(t, ticket.Requester{Email: "ann@example.com"}, "Re: ["+tk.Number+"] Laptop")
	assert.Equal(t, tk.ID, reply.ID, "one person's reply threads")
	assert.Equal(t, 2, reply.CommentCount)
	foreign := s.receive(t, ticket.Requester{Email: "eve@example.com"}, "Re: ["+tk.Number+"] Laptop")
	assert.NotEqual(t, tk.ID, foreign.ID, "another person's does not")
}

func TestErasedCustomersFileNoTickets(t *testing.T) {
	s := newPeopleSetup(t, supportkit.Config{})
	tk := s.receive(t, ticket.Requester{Email: "ann@example.com"}, "Hello")
	id, err := uuid.Parse(tk.Requester.ID)
	require.NoError(t, err)
	_, err = s.people.Erase(s.ctx, "", id)
	require.NoError(t, err)
	_, err = s.desk.Create(s.ctx, ticket.NewTicket{Subject: "Again", Requester: ticket.Requester{ID: tk.Requester.ID}})
	assert.ErrorIs(t, err, party.ErrInvalid)
	fresh := s.receive(t, ticket.Requester{Email: "ann@example.com"}, "Hello again")
	assert.NotEqual(t, tk.Requester.ID, fresh.Requester.ID, "the address makes a new customer")
}

func TestTheSegmentOfTheCustomerOrOrganizationPicksTheSLA(t *testing.T) {
	policies, err := sla.NewPolicies(
		sla.Policy{Name: "vip", When: sla.Condition{Segments: []string{"vip"}},
			Targets: map[string]sla.Targets{"": {FirstResponse: &sla.Target{Within: 15 * time.Minute}}}},
		sla.Policy{Name: "enterprise", When: sla.Condition{Segments: []string{"enterprise"}},
			Targets: map[string]sla.Targets{"": {FirstResponse: &sla.Target{Within: time.Hour}}}},
		sla.Policy{Name: "standard",
			Targets: map[string]sla.Targets{"": {FirstResponse: &sla.Target{Within: 8 * time.Hour}}}},
	)
	require.NoError(t, err)
	s := newPeopleSetup(t, supportkit.Config{Policies: policies})
	_, _, err = s.people.CreateCustomer(s.ctx, party.NewCustomer{Emails: []string{"ceo@acme.com"}, Segment: "vip"})
	require.NoError(t, err)
	for email, want := range map[string]time.Duration{
		"ceo@acme.com": 15 * time.Minute, "bob@acme.com": time.Hour, "eve@example.com": 8 * time.Hour,
	} {
		tk := s.receive(t, ticket.Requester{Email: email}, "Help")
		res, err := s.desk.Clocks(s.ctx, tk.ID, s.clock.Now())
		require.NoError(t, err)
		assert.Equal(t, want, res.Clock(sla.FirstResponse).Target, email)
	}
}

func TestRoutingCanRankBySegment(t *testing.T) {
	var segment func(ticket.Ticket) string
	task := func(t ticket.Ticket) (routing.Task, bool) {
		task, ok := supportkit.DefaultTask(t)
		if segment(t) == "enterprise" {
			task.Priority += 10
		}
		return task, ok
	}
	people, err := party.NewService(nil, party.Config{})
	require.NoError(t, err)
	segment = supportkit.CustomerSegment(people, "")
	s := newPeopleSetup(t, supportkit.Config{Directory: people, Routing: &routing.Config{}, Task: task})
	acme := s.receive(t, ticket.Requester{Email: "bob@acme.com"}, "Help")
	plain := s.receive(t, ticket.Requester{Email: "eve@example.com"}, "Help")
	a, err := s.desk.Router().Task(acme.ID.String())
	require.NoError(t, err)
	p, err := s.desk.Router().Task(plain.ID.String())
	require.NoError(t, err)
	assert.Equal(t, p.Task.Priority+10, a.Task.Priority)
}

func TestADeskSeesOnlyItsTenantsCustomers(t *testing.T) {
	people, err := party.NewService(nil, party.Config{})
	require.NoError(t, err)
	store := ticket.NewMemoryStore()
	a := newPeopleSetup(t, supportkit.Config{Directory: people, Store: store, Tickets: ticket.Config{Tenant: "a"}})
	b := newPeopleSetup(t, supportkit.Config{Directory: people, Store: store, Tickets: ticket.Config{Tenant: "b"}})
	ta := a.receive(t, ticket.Requester{Email: "ann@acme.com"}, "In a")
	tb := b.receive(t, ticket.Requester{Email: "ann@acme.com"}, "In b")
	assert.NotEqual(t, ta.Requester.ID, tb.Requester.ID, "one address, two tenants, two customers")
	assert.Equal(t, a.acme.ID.String(), ta.Requester.Organization)
	assert.Equal(t, b.acme.ID.String(), tb.Requester.Organization)
	idA, err := uuid.Parse(ta.Requester.ID)
	require.NoError(t, err)
	_, err = b.desk.History(b.ctx, idA)
	assert.ErrorIs(t, err, party.ErrNotFound)
	_, err = b.desk.OrganizationHistory(b.ctx, a.acme.ID)
	assert.ErrorIs(t, err, party.ErrNotFound)
	h, err := a.desk.History(a.ctx, idA)
	require.NoError(t, err)
	require.Len(t, h, 1)
	assert.Equal(t, ta.ID, h[0].ID)
	// A requester ID naming another tenant's customer is only a host ID here.
	tk, err := b.desk.Create(b.ctx, ticket.NewTicket{Subject: "x", Requester: ticket.Requester{ID: ta.Requester.ID}})
	require.NoError(t, err)
	assert.NotEqual(t, ta.Requester.ID, tk.Requester.ID)
}

func TestWithoutADirectoryRequestersAreKeptAsGiven(t *testing.T) {
	desk, err := supportkit.New(supportkit.Config{})
	require.NoError(t, err)
	tk, err := desk.Create(context.Background(), ticket.NewTicket{Subject: "Hi", Requester: customer})
	require.NoError(t, err)
	assert.Equal(t, customer, tk.Requester)
	_, err = desk.History(context.Background(), uuid.New())
	assert.ErrorIs(t, err, supportkit.ErrNotConfigured)
	_, err = desk.OrganizationHistory(context.Background(), uuid.New())
	assert.ErrorIs(t, err, supportkit.ErrNotConfigured)
}

func TestAReplyThreadsOntoATicketMadeBeforeTheDirectory(t *testing.T) {
	s := newPeopleSetup(t, supportkit.Config{})
	old, err := s.desk.Tickets().Create(s.ctx, ticket.NewTicket{Subject: "Laptop", Description: "It is slow.", Requester: ticket.Requester{Email: "Ann@example.com"}})
	require.NoError(t, err)
	reply := s.receive(t, ticket.Requester{Email: "ann@EXAMPLE.com"}, "Re: ["+old.Number+"] Laptop")
	assert.Equal(t, old.ID, reply.ID)
	assert.Equal(t, 2, reply.CommentCount)
	legacy, err := s.desk.Tickets().Create(s.ctx, ticket.NewTicket{Subject: "Phone", Requester: ticket.Requester{ID: "crm-5"}})
	require.NoError(t, err)
	viaHostID, err := s.desk.Receive(s.ctx, ticket.Inbound{From: ticket.Requester{ID: "crm-5"}, Subject: "Re: [" + legacy.Number + "]", Body: "Still broken."})
	require.NoError(t, err)
	assert.Equal(t, legacy.ID, viaHostID.ID, "the host's ID is the same person's")
}

func TestConcurrentFirstMessagesOfOneSenderMakeOneCustomer(t *testing.T) {
	s := newPeopleSetup(t, supportkit.Config{})
	const n = 8
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			tk, err := s.desk.Receive(s.ctx, ticket.Inbound{From: ticket.Requester{Email: "new@acme.com"},
				Subject: fmt.Sprintf("Question %d", i), Body: "Hello."})
			assert.NoError(t, err)
			ids[i] = tk.Requester.ID
		})
	}
	wg.Wait()
	for _, id := range ids {
		assert.Equal(t, ids[0], id)
	}
	members, err := s.people.Members(s.ctx, "", s.acme.ID)
	require.NoError(t, err)
	assert.Len(t, members, 1)
}
