package ticket_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

var annMail = ticket.Requester{Name: "Ann Lee", Email: "ann@example.com"}

func TestReceiveThreadsByReferencesWhenTheSubjectLostTheNumber(t *testing.T) {
	b := setup(t, ticket.Config{})
	first, err := b.svc.Receive(ctx, ticket.Inbound{Key: "m1@mail.example", From: annMail, Subject: "Printer jams", Body: "It jams."})
	require.NoError(t, err)
	// the desk's acknowledgement, recorded by the host
	require.NoError(t, b.store.AddMessageID(ctx, first.ID, "ack1@desk.example"))

	got, err := b.svc.Receive(ctx, ticket.Inbound{Key: "m2@mail.example", From: annMail, Subject: "Re: Printer jams", Body: "Still jams.",
		References: []string{"unknown@elsewhere.example", "ack1@desk.example"}})
	require.NoError(t, err)
	assert.Equal(t, first.ID, got.ID)
	assert.Equal(t, 2, got.CommentCount)

	// the customer's own messages are recorded too: a reply to m2 threads
	got, err = b.svc.Receive(ctx, ticket.Inbound{Key: "m3@mail.example", From: annMail, Subject: "again", Body: "And again.", References: []string{"m2@mail.example"}})
	require.NoError(t, err)
	assert.Equal(t, first.ID, got.ID)
	assert.Equal(t, 3, got.CommentCount)
}

func TestReceiveByReferencesKeepsTheRequesterRule(t *testing.T) {
	b := setup(t, ticket.Config{})
	first, err := b.svc.Receive(ctx, ticket.Inbound{Key: "m1@mail.example", From: annMail, Subject: "Printer jams", Body: "It jams."})
	require.NoError(t, err)
	other, err := b.svc.Receive(ctx, ticket.Inbound{Key: "x1@mail.example", From: ticket.Requester{Email: "eve@example.com"}, Subject: "Re: Printer jams",
		Body: "Me too.", References: []string{"m1@mail.example"}})
	require.NoError(t, err)
	assert.NotEqual(t, first.ID, other.ID, "another sender's reply opens its own ticket")
}

// A reply-all whose nearest reference is a message of another requester's ticket still
// lands on the sender's own ticket that a later reference names.
func TestReceiveByReferencesSkipsOtherRequestersTickets(t *testing.T) {
	b := setup(t, ticket.Config{})
	eve := ticket.Requester{Email: "eve@example.com"}
	hers, err := b.svc.Receive(ctx, ticket.Inbound{Key: "e1@mail.example", From: eve, Subject: "VPN down", Body: "No VPN."})
	require.NoError(t, err)
	own, err := b.svc.Receive(ctx, ticket.Inbound{Key: "m1@mail.example", From: annMail, Subject: "VPN down here too", Body: "Same."})
	require.NoError(t, err)
	got, err := b.svc.Receive(ctx, ticket.Inbound{Key: "m2@mail.example", From: annMail, Subject: "Re: VPN down", Body: "Any news?",
		References: []string{"e1@mail.example", "m1@mail.example"}})
	require.NoError(t, err)
	assert.Equal(t, own.ID, got.ID, "the first reference that is the sender's own ticket picks it")
	assert.Equal(t, 2, got.CommentCount)
	after, err := b.store.Ticket(ctx, hers.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, after.CommentCount, "the other requester's ticket gets nothing")
	page, err := b.store.List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 2, "no new ticket is opened")
}

func TestReceiveByReferencesOnAClosedTicketMakesAFollowUp(t *testing.T) {
	b := setup(t, ticket.Config{})
	first, err := b.svc.Receive(ctx, ticket.Inbound{Key: "m1@mail.example", From: annMail, Subject: "Printer jams", Body: "It jams."})
	require.NoError(t, err)
	_, err = b.svc.Assign(ctx, agent, first.ID, agent.ID)
	require.NoError(t, err)
	_, err = b.svc.Solve(ctx, agent, first.ID)
	require.NoError(t, err)
	_, err = b.svc.Close(ctx, agent, first.ID)
	require.NoError(t, err)
	got, err := b.svc.Receive(ctx, ticket.Inbound{Key: "m2@mail.example", From: annMail, Subject: "Re: Printer jams", Body: "Back again.", References: []string{"m1@mail.example"}})
	require.NoError(t, err)
	assert.NotEqual(t, first.ID, got.ID)
	again, err := b.svc.Receive(ctx, ticket.Inbound{Key: "m2@mail.example", From: annMail, Subject: "Re: Printer jams", Body: "Back again.", References: []string{"m1@mail.example"}})
	require.NoError(t, err)
	assert.Equal(t, got.ID, again.ID, "a redelivery lands on the same follow-up")
}

func TestReceiveWithoutReferencesOrIndexCreates(t *testing.T) {
	b := setup(t, ticket.Config{})
	a, err := b.svc.Receive(ctx, ticket.Inbound{Key: "m1@mail.example", From: annMail, Subject: "One", Body: "x"})
	require.NoError(t, err)
	c, err := b.svc.Receive(ctx, ticket.Inbound{Key: "m2@mail.example", From: annMail, Subject: "Two", Body: "y", References: []string{"nobody@x.example", ""}})
	require.NoError(t, err)
	assert.NotEqual(t, a.ID, c.ID)
}
