package ticket_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/ticket"
)

// Under the default Policy a customer creates a ticket with what a customer says, and none
// of the desk's triage: each triage field, or an organization not its own, is refused and
// stores nothing.
func TestPolicyCustomerCreatesOnlyWhatACustomerSays(t *testing.T) {
	policy := ticket.Policy{Principal: func(_ context.Context, a ticket.Actor) (ticket.Principal, error) {
		if a.Kind == ticket.ActorCustomer {
			return ticket.Principal{Role: ticket.RoleCustomer, Organization: "acme"}, nil
		}
		return ticket.Principal{Role: ticket.RoleAdmin}, nil
	}}
	b := setup(t, ticket.Config{Authorizer: policy})
	ann := ticket.Requester{ID: "ann", Email: "ann@example.com"}
	said := func() ticket.NewTicket {
		return ticket.NewTicket{
			Subject: "VPN down", Description: "Since nine.", Requester: ann, Channel: ticket.ChannelChat,
			Attachments: []ticket.Attachment{{Name: "log.txt", Size: 3, URL: "https://files.example.com/1"}},
			Language:    language.German,
		}
	}
	tk, err := b.svc.Create(ctx, said())
	require.NoError(t, err)
	assert.Equal(t, "VPN down", tk.Subject)
	own := said()
	own.Requester.Organization = "acme"
	_, err = b.svc.Create(ctx, own)
	require.NoError(t, err, "its own organization")

	triage := map[string]func(nt *ticket.NewTicket){
		"group":        func(nt *ticket.NewTicket) { nt.Group = "network" },
		"assignee":     func(nt *ticket.NewTicket) { nt.Assignee = "agent-7" },
		"priority":     func(nt *ticket.NewTicket) { nt.Priority = ticket.PriorityUrgent },
		"impact":       func(nt *ticket.NewTicket) { nt.Impact = ticket.LevelHigh },
		"urgency":      func(nt *ticket.NewTicket) { nt.Urgency = ticket.LevelHigh },
		"type":         func(nt *ticket.NewTicket) { nt.Type = ticket.TypeIncident },
		"tags":         func(nt *ticket.NewTicket) { nt.Tags = []string{"vip"} },
		"line":         func(nt *ticket.NewTicket) { nt.Line = 3 },
		"status":       func(nt *ticket.NewTicket) { nt.Status = ticket.StatusSolved; nt.Assignee = "agent-7" },
		"open":         func(nt *ticket.NewTicket) { nt.Status = ticket.StatusOpen },
		"fields":       func(nt *ticket.NewTicket) { nt.Fields = map[string]string{"tier": "gold"} },
		"organization": func(nt *ticket.NewTicket) { nt.Requester.Organization = "globex" },
		"someone else": func(nt *ticket.NewTicket) { nt.Requester = ticket.Requester{ID: "bob"}; nt.Author = ann.Actor() },
	}
	for name, set := range triage {
		nt := said()
		set(&nt)
		_, err := b.svc.Create(ctx, nt)
		assert.ErrorIs(t, err, ticket.ErrForbidden, name)
	}
	page, err := b.store.List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 2, "a refused creation stores nothing")

	nt := said()
	nt.Group, nt.Tags, nt.Priority = "network", []string{"vpn"}, ticket.PriorityHigh
	_, err = b.svc.Create(ctx, ticket.NewTicket{Subject: nt.Subject, Requester: ann, Group: "network", TriagedBy: ann.Actor()})
	assert.ErrorIs(t, err, ticket.ErrForbidden, "a customer triaging for itself is still the customer")
	nt.TriagedBy = ticket.System
	tk, err = b.svc.Create(ctx, nt)
	require.NoError(t, err, "the host's triage as System")
	stored, err := b.store.Ticket(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, "network", stored.Group)
	assert.Equal(t, ticket.PriorityHigh, stored.Priority)
	events := b.events(t, tk.ID)
	require.Equal(t, ticket.EventCreated, events[0].Kind)
	assert.Equal(t, ticket.System, events[0].Actor, "the triage is the system's")
	comments, err := b.store.Comments(ctx, tk.ID)
	require.NoError(t, err)
	require.Len(t, comments, 1)
	assert.Equal(t, ann.Actor(), comments[0].Author, "the description stays the customer's")
	last := events[len(events)-1]
	assert.Equal(t, ticket.EventCommented, last.Kind)
	assert.Equal(t, ann.Actor(), last.Actor)

	nt = said()
	nt.Requester.Organization = "globex"
	nt.Group, nt.TriagedBy = "network", ticket.System
	_, err = b.svc.Create(ctx, nt)
	assert.NoError(t, err, "the organization, like the triage, is the host's when it triages")
	nt.Requester, nt.Author = ticket.Requester{ID: "bob"}, ann.Actor()
	_, err = b.svc.Create(ctx, nt)
	assert.ErrorIs(t, err, ticket.ErrForbidden, "the author's own part is still checked: a ticket for someone else")
}

// Receive files a customer's message with the host's triage under the default Policy: the
// triage is applied as System, the message stays the sender's.
func TestReceiveAppliesTheHostsTriageAsSystem(t *testing.T) {
	b := setup(t, ticket.Config{Authorizer: ticket.Policy{}})
	from := ticket.Requester{Email: "ann@example.com", Name: "Ann"}
	tk, err := b.svc.Receive(ctx, ticket.Inbound{Key: "m1@mail.example", From: from, Subject: "VPN down", Body: "Since nine.",
		Group: "network", Tags: []string{"vpn"}, Priority: ticket.PriorityHigh, Fields: map[string]string{"source": "mail"}})
	require.NoError(t, err)
	stored, err := b.store.Ticket(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, "network", stored.Group)
	assert.Equal(t, []string{"vpn"}, stored.Tags)
	events := b.events(t, tk.ID)
	for _, e := range events {
		if e.Kind == ticket.EventCommented {
			assert.Equal(t, from.Actor(), e.Actor, "the description is the sender's")
		} else {
			assert.Equal(t, ticket.System, e.Actor, "%s is the host's triage", e.Kind)
		}
	}
	plain, err := b.svc.Receive(ctx, ticket.Inbound{Key: "m2@mail.example", From: from, Subject: "Printer", Body: "Jams."})
	require.NoError(t, err)
	assert.Equal(t, from.Actor(), b.events(t, plain.ID)[0].Actor, "without triage the sender created it")
}
