package supportkit_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/ticket"
)

// TestSuggestAsFollowsTheTicketPolicyAndTheActorsAudience: a customer who may not read a
// ticket gets no suggestions for it, one who may gets public articles only, and an agent
// gets internal ones too.
func TestSuggestAsFollowsTheTicketPolicyAndTheActorsAudience(t *testing.T) {
	s := newPeopleSetup(t, supportkit.Config{Knowledge: &kb.Config{}})
	_, err := s.people.CreateOrganization(s.ctx, party.NewOrganization{Name: "Contoso", Domains: []string{"contoso.example"}})
	require.NoError(t, err)
	for slug, vis := range map[string]kb.Visibility{"vpn-public": kb.Public, "vpn-internal": kb.Internal} {
		require.NoError(t, s.desk.KB().Create(s.ctx, &kb.Article{Slug: slug, Visibility: vis, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.English: {
				Title: "VPN does not connect", Body: "When the VPN does not connect, restart the VPN client and check the VPN password."}}}))
	}
	sams := s.receive(t, ticket.Requester{Email: "sam@contoso.example"}, "VPN does not connect")
	s.receive(t, ticket.Requester{Email: "pat@contoso.example"}, "Printer")

	_, err = s.desk.SuggestAs(s.ctx, customerActor(t, s, "pat@contoso.example"), sams.ID)
	require.ErrorIs(t, err, ticket.ErrNotFound, "a colleague in an organization that does not share")

	slugs := func(actor ticket.Actor) []string {
		got, err := s.desk.SuggestAs(s.ctx, actor, sams.ID)
		require.NoError(t, err)
		var out []string
		for _, h := range got.Hits {
			out = append(out, h.Slug)
		}
		return out
	}
	assert.Equal(t, []string{"vpn-public"}, slugs(customerActor(t, s, "sam@contoso.example")))
	assert.ElementsMatch(t, []string{"vpn-public", "vpn-internal"}, slugs(agent))
}
