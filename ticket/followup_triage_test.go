package ticket_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// A reply to a closed ticket opened a follow-up that lost the closed ticket's hand-set
// priority, custom fields and line: an urgent, escalated customer came back as low
// priority on line 1. The follow-up carries the closed ticket's whole triage.
func TestFollowUpKeepsPriorityByHandFieldsAndLine(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{
		Impact: ticket.LevelLow, Urgency: ticket.LevelLow, Priority: ticket.PriorityUrgent,
		Line: 2, Group: "network", Assignee: agent.ID, Fields: map[string]string{"contract": "gold"},
	})
	_, err := b.svc.Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	closed, err := b.svc.Close(ctx, agent, tk.ID)
	require.NoError(t, err)

	c, err := b.svc.Comment(ctx, annAc, tk.ID, ticket.NewComment{Public: true, Body: "It is down again."})
	require.NoError(t, err)
	fu, err := b.svc.Get(ctx, c.TicketID)
	require.NoError(t, err)
	require.NotEqual(t, closed.ID, fu.ID, "the reply opened a follow-up")
	assert.Equal(t, ticket.PriorityUrgent, fu.Priority)
	assert.True(t, fu.PriorityExplicit, "a priority set by hand stays set by hand")
	assert.Equal(t, 2, fu.Line)
	assert.Equal(t, "network", fu.Group)
	assert.Equal(t, map[string]string{"contract": "gold"}, fu.Fields)
}

// A follow-up of a ticket whose priority follows impact and urgency derives it again.
func TestFollowUpDerivesADerivedPriority(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{Impact: ticket.LevelHigh, Urgency: ticket.LevelHigh, Assignee: agent.ID})
	_, err := b.svc.Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	_, err = b.svc.Close(ctx, agent, tk.ID)
	require.NoError(t, err)
	c, err := b.svc.Comment(ctx, annAc, tk.ID, ticket.NewComment{Public: true, Body: "Again."})
	require.NoError(t, err)
	fu, err := b.svc.Get(ctx, c.TicketID)
	require.NoError(t, err)
	assert.Equal(t, tk.Priority, fu.Priority)
	assert.False(t, fu.PriorityExplicit)
}

// Receive's sender check and the creation key's scope compared addresses by two different
// case rules (Unicode folding and lower-casing), so "ς@" could thread onto "σ@"'s ticket
// while the two had separate key scopes. Both now use one rule.
func TestSenderCheckAndKeyScopeAgreeOnEmailCase(t *testing.T) {
	b := setup(t, ticket.Config{})
	sigma := ticket.Requester{Name: "S", Email: "σ@example.com"}
	tk := b.create(t, ticket.NewTicket{Requester: sigma, Key: "k1"})
	final := ticket.Requester{Name: "S", Email: "ς@example.com"}
	got, err := b.svc.Receive(ctx, ticket.Inbound{Key: "m1", From: final, Subject: "Re: [" + tk.Number + "] Printer jams", Body: "hi"})
	require.NoError(t, err)
	assert.NotEqual(t, tk.ID, got.ID, "another address does not thread onto the ticket")

	upper := ticket.Requester{Name: "S", Email: "Σ@EXAMPLE.COM"}
	got, err = b.svc.Receive(ctx, ticket.Inbound{Key: "m2", From: upper, Subject: "Re: [" + tk.Number + "] Printer jams", Body: "more"})
	require.NoError(t, err)
	assert.Equal(t, tk.ID, got.ID, "the same address in capitals is the same requester")
}

// A sender with a host ID of its own was threaded onto an email-only requester's ticket when
// it gave the same address, and got that ticket back: an ID the requester lacks cannot be
// matched, so the message opens a ticket of its own.
func TestSenderWithAnotherIDIsNotAnEmailOnlyRequester(t *testing.T) {
	b := setup(t, ticket.Config{})
	emailOnly := ticket.Requester{Name: "Ann", Email: "ann@example.com"}
	tk := b.create(t, ticket.NewTicket{Requester: emailOnly})
	mallory := ticket.Requester{ID: "mallory", Name: "M", Email: "ann@example.com"}
	got, err := b.svc.Receive(ctx, ticket.Inbound{Key: "m1", From: mallory, Subject: "Re: [" + tk.Number + "] Printer jams", Body: "hi"})
	require.NoError(t, err)
	assert.NotEqual(t, tk.ID, got.ID)
	assert.Equal(t, mallory, got.Requester)

	got, err = b.svc.Receive(ctx, ticket.Inbound{Key: "m2", From: emailOnly, Subject: "Re: [" + tk.Number + "] Printer jams", Body: "me again"})
	require.NoError(t, err)
	assert.Equal(t, tk.ID, got.ID, "the requester's own address still threads")
}
