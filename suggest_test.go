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

func slugs(hits []kb.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Slug)
	}
	return out
}

// Suggest took the ticket's first comment for its description: for a ticket created
// without one, an agent's later reply chose the articles. The description is the comment
// the creation names.
func TestSuggestReadsOnlyTheDescription(t *testing.T) {
	ctx := context.Background()
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{})
	require.NoError(t, err)
	require.NoError(t, k.Create(ctx, &kb.Article{Slug: "refund", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "Refund for an order", Body: "The money goes back to the card."}}}))
	d, err := supportkit.New(supportkit.Config{KB: k})
	require.NoError(t, err)
	create := func(description string) ticket.Ticket {
		tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Question", Description: description,
			Requester: customer, Language: language.English})
		require.NoError(t, err)
		return tk
	}

	withDescription := create("Where is the refund for my order?")
	s, err := d.Suggest(ctx, withDescription.ID, kb.Customer)
	require.NoError(t, err)
	assert.Equal(t, []string{"refund"}, slugs(s.Hits))

	without := create("")
	_, err = d.Tickets().Comment(ctx, agent, without.ID, ticket.NewComment{Public: true, Body: "No refund for this order."})
	require.NoError(t, err)
	s, err = d.Suggest(ctx, without.ID, kb.Customer)
	require.NoError(t, err)
	assert.Empty(t, slugs(s.Hits), "the agent's reply is not the description")
}
