package ticket_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// TestAttachmentsWithoutDescriptionAreKept guards a ticket created with attachments but no
// description (a form that only uploads files): the attachments land on a first public
// comment with an empty body instead of being dropped.
func TestAttachmentsWithoutDescriptionAreKept(t *testing.T) {
	b := setup(t, ticket.Config{})
	files := []ticket.Attachment{
		{Name: "printer.log", Size: 2048, ContentType: "text/plain", URL: "https://files.example.com/1"},
		{Name: "jam.jpg", Size: 90_000, ContentType: "image/jpeg", URL: "https://files.example.com/2"},
	}
	tk, err := b.svc.Create(ctx, ticket.NewTicket{Subject: "Logs", Requester: ann, Attachments: files})
	require.NoError(t, err)
	assert.Equal(t, 1, tk.CommentCount)
	cs, err := b.svc.Comments(ctx, tk.ID)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	assert.Equal(t, files, cs[0].Attachments)
	assert.Empty(t, cs[0].Body)
	assert.True(t, cs[0].Public)
	assert.Equal(t, ticket.ActorCustomer, cs[0].Author.Kind)
	assert.Equal(t, []ticket.EventKind{ticket.EventCreated, ticket.EventCommented}, kinds(b.events(t, tk.ID)))

	files[0].Name = "changed"
	cs, err = b.svc.Comments(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, "printer.log", cs[0].Attachments[0].Name, "the stored attachments are a copy")

	bare, err := b.svc.Create(ctx, ticket.NewTicket{Subject: "Nothing attached", Requester: ann})
	require.NoError(t, err)
	cs, err = b.svc.Comments(ctx, bare.ID)
	require.NoError(t, err)
	assert.Empty(t, cs, "no description and no attachments: no comment")
}

// TestDescriptionAuthorDefaultsToTheRequester guards the default Author: the requester as a
// customer, known by the requester's ID, or by the email address when there is no ID, so
// that the description is attributed to the person and a redelivered reply by the same
// address is recognized as the same author.
func TestDescriptionAuthorDefaultsToTheRequester(t *testing.T) {
	b := setup(t, ticket.Config{})
	for _, tc := range []struct {
		requester ticket.Requester
		want      ticket.Actor
	}{
		{ann, annAc},
		{ticket.Requester{Name: "Carol", Email: "carol@example.com"}, ticket.Actor{Kind: ticket.ActorCustomer, ID: "carol@example.com", Name: "Carol"}},
	} {
		tk := b.create(t, ticket.NewTicket{Requester: tc.requester})
		cs, err := b.svc.Comments(ctx, tk.ID)
		require.NoError(t, err)
		assert.Equal(t, tc.want, cs[0].Author)
		assert.Equal(t, tc.want, b.events(t, tk.ID)[0].Actor)
	}
}

// TestRequesterActorIsTheDefaultAuthor guards Requester.Actor: the customer known by the ID,
// or by the email when there is none, with the name; and it is the author Create records, so a
// host that rates or comments as the customer uses the same actor the ticket's history shows.
func TestRequesterActorIsTheDefaultAuthor(t *testing.T) {
	assert.Equal(t, annAc, ann.Actor())
	carol := ticket.Requester{Name: "Carol", Email: "carol@example.com"}
	assert.Equal(t, ticket.Actor{Kind: ticket.ActorCustomer, ID: "carol@example.com", Name: "Carol"}, carol.Actor())

	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{Requester: carol})
	assert.Equal(t, carol.Actor(), b.events(t, tk.ID)[0].Actor)
	_, err := b.svc.Rate(ctx, carol.Actor(), tk.ID, ticket.Rating{CSAT: 5})
	require.NoError(t, err)
}

// TestNilIDFromConfigNewIDIsInvalid checks that a Config.NewID that returns the nil UUID
// (a host's generator left unfinished) makes Create fail with ErrInvalid, which a host
// tests for, and stores nothing.
func TestNilIDFromConfigNewIDIsInvalid(t *testing.T) {
	b := setup(t, ticket.Config{NewID: func() (uuid.UUID, error) { return uuid.Nil, nil }})
	_, err := b.svc.Create(ctx, ticket.NewTicket{Subject: "Printer", Requester: ann})
	require.ErrorIs(t, err, ticket.ErrInvalid)
	var ve *ticket.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Config.NewID", ve.Field)
	page, err := b.svc.List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Empty(t, page.Tickets)
}
