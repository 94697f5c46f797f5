package supportkit_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
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
