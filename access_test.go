package supportkit_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/ticket"
)

// listAs returns the subjects of the tickets actor may list.
func listAs(t *testing.T, s *peopleSetup, actor ticket.Actor) []string {
	t.Helper()
	var subjects []string
	for tk, err := range s.desk.Tickets().As(actor).All(s.ctx, ticket.Query{}) {
		require.NoError(t, err)
		subjects = append(subjects, tk.Subject)
	}
	return subjects
}

func customerActor(t *testing.T, s *peopleSetup, email string) ticket.Actor {
	t.Helper()
	c, err := s.people.FindByEmail(s.ctx, "", email)
	require.NoError(t, err)
	return ticket.Actor{Kind: ticket.ActorCustomer, ID: c.ID.String()}
}

func TestMembersSeeEachOthersTicketsOnlyWhereTheirOrganizationShares(t *testing.T) {
	s := newPeopleSetup(t, supportkit.Config{}) // Acme shares tickets
	contoso, err := s.people.CreateOrganization(s.ctx, party.NewOrganization{Name: "Contoso", Domains: []string{"contoso.example"}})
	require.NoError(t, err)
	require.False(t, contoso.SharedTickets)
	for email, subject := range map[string]string{
		"bob@acme.com": "Bob's", "zoe@acme.com": "Zoe's", "pat@contoso.example": "Pat's", "sam@contoso.example": "Sam's",
	} {
		s.receive(t, ticket.Requester{Email: email}, subject)
	}
	assert.ElementsMatch(t, []string{"Bob's", "Zoe's"}, listAs(t, s, customerActor(t, s, "bob@acme.com")))
	assert.ElementsMatch(t, []string{"Pat's"}, listAs(t, s, customerActor(t, s, "pat@contoso.example")))
	assert.Len(t, listAs(t, s, agent), 4, "agents see every ticket")

	sams, err := s.people.FindByEmail(s.ctx, "", "sam@contoso.example")
	require.NoError(t, err)
	h, err := s.desk.History(s.ctx, sams.ID)
	require.NoError(t, err)
	require.Len(t, h, 1)
	_, err = s.desk.Tickets().As(customerActor(t, s, "pat@contoso.example")).Get(s.ctx, h[0].ID)
	assert.ErrorIs(t, err, ticket.ErrNotFound, "a colleague's ticket is missing where the organization does not share")
	_, err = s.desk.Tickets().As(customerActor(t, s, "bob@acme.com")).Get(s.ctx, h[0].ID)
	assert.ErrorIs(t, err, ticket.ErrNotFound)
}

func TestAMergedCustomerSeesTheTicketsOfEveryoneMergedIntoIt(t *testing.T) {
	s := newPeopleSetup(t, supportkit.Config{})
	s.receive(t, ticket.Requester{Email: "ann@example.com"}, "From work")
	_, err := s.desk.Create(s.ctx, ticket.NewTicket{Subject: "From home", Requester: ticket.Requester{ID: "shop-9"}})
	require.NoError(t, err)
	ann := customerActor(t, s, "ann@example.com")
	shop, err := s.people.FindByExternalID(s.ctx, "", supportkit.HostSystem, "shop-9")
	require.NoError(t, err)
	home := ticket.Actor{Kind: ticket.ActorCustomer, ID: shop.ID.String()}
	assert.Equal(t, []string{"From work"}, listAs(t, s, ann))
	_, err = s.people.Merge(s.ctx, "", uuid.MustParse(ann.ID), shop.ID)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"From work", "From home"}, listAs(t, s, ann))
	assert.ElementsMatch(t, []string{"From work", "From home"}, listAs(t, s, home), "the absorbed ID is the survivor")
}

func TestAHostsOwnAuthorizerIsKept(t *testing.T) {
	s := newPeopleSetup(t, supportkit.Config{Tickets: ticket.Config{Authorizer: ticket.Policy{}}})
	s.receive(t, ticket.Requester{Email: "bob@acme.com"}, "Bob's")
	s.receive(t, ticket.Requester{Email: "zoe@acme.com"}, "Zoe's")
	assert.Equal(t, []string{"Bob's"}, listAs(t, s, customerActor(t, s, "bob@acme.com")),
		"the zero Policy knows no organizations")
}
