package supportkit_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/ticket"
)

// A ticket no article answers gets no suggestion, rather than the nearest wrong one.
func TestSuggestOffersNothingBelowTheRelevanceFloor(t *testing.T) {
	ctx := context.Background()
	d, err := supportkit.New(supportkit.Config{Knowledge: &kb.Config{}})
	require.NoError(t, err)
	require.NoError(t, d.KB().Create(ctx, &kb.Article{Slug: "vpn-slow", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "VPN is slow",
			Body: "When the VPN is slow, choose the nearest server and restart the client."}}}))
	ask := func(subject, description string) kb.Hit {
		tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: subject, Description: description, Requester: customer, Language: language.English})
		require.NoError(t, err)
		s, err := d.Suggest(ctx, tk.ID, kb.Customer)
		require.NoError(t, err)
		if len(s.Hits) == 0 {
			return kb.Hit{}
		}
		return s.Hits[0]
	}
	assert.Equal(t, "vpn-slow", ask("The VPN is slow", "Since this morning the VPN is very slow.").Slug)
	assert.Empty(t, ask("Excel crashes", "Excel crashes when I open the sales report, it is slow then closes.").Slug)
}

// A ticket whose language has no article that matches is answered from the other languages,
// and Suggest says so; one that has is not.
func TestSuggestReportsSuggestionsInAnotherLanguage(t *testing.T) {
	ctx := context.Background()
	d, err := supportkit.New(supportkit.Config{Knowledge: &kb.Config{}})
	require.NoError(t, err)
	require.NoError(t, d.KB().Create(ctx, &kb.Article{Slug: "vpn-809", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "VPN error 809",
			Body: "The VPN does not connect after an update: reinstall the VPN client."}}}))
	for _, c := range []struct {
		lang  language.Tag
		other bool
	}{{language.English, false}, {language.MustParse("en-GB"), false}, {language.Russian, true}} {
		tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN 809", Description: "VPN error 809", Requester: customer, Language: c.lang})
		require.NoError(t, err)
		s, err := d.Suggest(ctx, tk.ID, kb.Customer)
		require.NoError(t, err)
		require.Len(t, s.Hits, 1, c.lang)
		assert.Equal(t, c.other, s.OtherLanguages, c.lang)
	}
}
