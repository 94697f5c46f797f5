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
