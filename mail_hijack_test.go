package supportkit_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/ticket"
)

// TestMailroomAnotherSendersMessageIDIsNoDuplicate checks that a message reusing the
// Message-ID of someone else's mail (copied from a thread the sender saw) is not taken for
// a redelivery: it must neither be dropped nor hand back the other customer's ticket.
func TestMailroomAnotherSendersMessageIDIsNoDuplicate(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{})
	victim := b.receive(t, "From: Ann <ann@example.com>\nSubject: Salary question\nMessage-ID: <a1@example.com>\n\nMy salary is wrong.\n")
	require.Equal(t, supportkit.MailCreated, victim.Action)
	eve := b.receive(t, "From: Eve <eve@example.com>\nSubject: Hello\nMessage-ID: <a1@example.com>\n\nWhat is this ticket?\n")
	assert.NotEqual(t, supportkit.MailDuplicate, eve.Action)
	assert.NotEqual(t, victim.Ticket.ID, eve.Ticket.ID, "Eve gets Ann's ticket")
	assert.Equal(t, "eve@example.com", eve.Ticket.Requester.Email)
	again := b.receive(t, "From: Ann <ANN@example.com>\nSubject: Salary question\nMessage-ID: <a1@example.com>\n\nMy salary is wrong.\n")
	assert.Equal(t, supportkit.MailDuplicate, again.Action, "the sender's own redelivery still is one")
	assert.Equal(t, victim.Ticket.ID, again.Ticket.ID)
	got, err := b.desk.Tickets().Get(context.Background(), victim.Ticket.ID)
	require.NoError(t, err)
	assert.Equal(t, victim.Ticket.Version, got.Version, "Ann's ticket is untouched")
}

// TestMailroomIgnoresItsOwnNotificationUnderAnotherFrom checks that the desk's own
// notification sent back to it by a forwarder that rewrote its From (and added no robot
// header) is recognized by its Message-ID: it must neither make a ticket nor be answered,
// or two mailboxes would bounce acknowledgements between them.
func TestMailroomIgnoresItsOwnNotificationUnderAnotherFrom(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{})
	ann := b.receive(t, "From: Ann <ann@example.com>\nSubject: Printer\nMessage-ID: <a1@example.com>\n\nThe printer is broken.\n")
	require.Len(t, ann.Notices, 1)
	sent := b.out.count()
	back := b.receive(t, "From: Ann's forward <fwd@example.org>\nSubject: [SUP-1] Request received: Printer\nMessage-ID: <"+ann.Notices[0].MessageID+">\nIn-Reply-To: <a1@example.com>\n\nWe have received your request.\n")
	assert.Equal(t, supportkit.MailIgnored, back.Action)
	assert.Empty(t, back.Notices)
	assert.Equal(t, sent, b.out.count(), "the desk answered its own mail")
	list, err := b.desk.Tickets().List(context.Background(), ticket.Query{})
	require.NoError(t, err)
	assert.Len(t, list.Tickets, 1, "the desk's own mail made a ticket")
}

// TestMailroomNewTicketFromAReplyKeepsTheQuotedText checks that a message that answers no
// ticket of its sender (a person copying the desk into a conversation, a forward of
// another customer's mail) makes a ticket whose description keeps the quoted text it is
// about, while a reply on the sender's own ticket still files only the new text.
func TestMailroomNewTicketFromAReplyKeepsTheQuotedText(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{})
	ann := b.receive(t, "From: Ann <ann@example.com>\nSubject: Printer broken\nMessage-ID: <a1@example.com>\n\nThe printer is broken.\n")
	cc := b.receive(t, "From: Kate <kate@example.com>\nSubject: Re: Budget\nMessage-ID: <k1@example.com>\nIn-Reply-To: <x1@example.com>\n\nSupport, please look at this.\n\nOn Mon, Boss <boss@example.com> wrote:\n> The budget report shows zero for March.\n")
	require.Equal(t, supportkit.MailCreated, cc.Action)
	assert.Contains(t, cc.Body, "The budget report shows zero for March.")
	fwd := b.receive(t, "From: Kate <kate@example.com>\nSubject: Fwd: ["+ann.Ticket.Number+"] Printer broken\nMessage-ID: <k2@example.com>\nReferences: <a1@example.com>\n\nSame for me.\n\n---------- Forwarded message ---------\nFrom: Ann <ann@example.com>\nDate: Mon, 2 Mar 2026\nSubject: Printer broken\n\nThe printer on floor 3 is broken.\n")
	require.Equal(t, supportkit.MailCreated, fwd.Action)
	assert.NotEqual(t, ann.Ticket.ID, fwd.Ticket.ID)
	assert.Contains(t, fwd.Body, "The printer on floor 3 is broken.")
	reply := b.receive(t, "From: Ann <ann@example.com>\nSubject: Re: Printer broken\nMessage-ID: <a2@example.com>\nIn-Reply-To: <a1@example.com>\n\nStill broken.\n\nOn Mon, Support <support@desk.example> wrote:\n> We got it.\n")
	require.Equal(t, supportkit.MailCommented, reply.Action)
	assert.Equal(t, "Still broken.", reply.Body)
}

// TestMailroomFilesAnotherMessageUnderTheSendersReusedMessageID checks that a sender whose
// mailer gives every message the same Message-ID (scripts, scanners, monitoring) has each
// new message filed rather than dropped as a redelivery, while a redelivery of either
// message still changes nothing.
func TestMailroomFilesAnotherMessageUnderTheSendersReusedMessageID(t *testing.T) {
	b := newMailroom(t, supportkit.MailConfig{})
	first := "From: Ann <ann@example.com>\nSubject: Printer broken\nMessage-ID: <same@example.com>\n\nThe printer is broken.\n"
	reply := "From: Ann <ann@example.com>\nSubject: Re: [SUP-1] Printer broken\nMessage-ID: <same@example.com>\n\nAnd the scanner too.\n\nOn Mon, Support wrote:\n> We got it.\n"
	other := "From: Ann <ann@example.com>\nSubject: VPN\nMessage-ID: <same@example.com>\n\nThe VPN is down.\n"
	ann := b.receive(t, first)
	require.Equal(t, supportkit.MailCreated, ann.Action)
	r := b.receive(t, reply)
	require.Equal(t, supportkit.MailCommented, r.Action, "the reply was dropped")
	assert.Equal(t, ann.Ticket.ID, r.Ticket.ID)
	assert.Equal(t, "And the scanner too.", r.Body)
	o := b.receive(t, other)
	require.Equal(t, supportkit.MailCreated, o.Action, "the new request was dropped")
	assert.Equal(t, "The VPN is down.", o.Body)
	for _, raw := range []string{first, reply, other} {
		assert.Equal(t, supportkit.MailDuplicate, b.receive(t, raw).Action, "a redelivery is filed again")
	}
	comments, err := b.desk.Tickets().Comments(context.Background(), ann.Ticket.ID)
	require.NoError(t, err)
	assert.Len(t, comments, 2)
}
