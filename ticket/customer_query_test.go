package ticket_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// TestCustomersCannotFilterByInternalFields checks that a customer's listing refuses the
// filters on what a customer never sees (assignee, group, tags, priority, and a Visible
// by group or assignee): otherwise comparing the answers with and without such a filter
// tells the customer how their tickets are tagged, grouped, prioritized and assigned.
func TestCustomersCannotFilterByInternalFields(t *testing.T) {
	w := newWorld(t, rand.New(rand.NewPCG(5, 5)))
	me := requesterN(0)
	_, err := w.svc.Create(ctx, ticket.NewTicket{Subject: "Mine", Requester: me, Author: ticket.System,
		Tags: []string{"difficult-customer"}, Group: "billing", Assignee: "agent-1", Priority: ticket.PriorityUrgent})
	require.NoError(t, err)
	r := w.svc.As(me.Actor())
	for name, q := range map[string]ticket.Query{
		"tag":        {Tag: "difficult-customer"},
		"group":      {Group: "billing"},
		"assignee":   {Assignee: "agent-1"},
		"priorities": {Priorities: []ticket.Priority{ticket.PriorityUrgent}},
		"visible":    {Visible: &ticket.Visibility{Groups: []string{"billing"}}},
		"visible-as": {Visible: &ticket.Visibility{Assignees: []string{"agent-1"}}},
	} {
		page, err := r.List(ctx, q)
		assert.ErrorIs(t, err, ticket.ErrInvalid, name)
		assert.Empty(t, page.Tickets, name)
	}
	page, err := r.List(ctx, ticket.Query{Statuses: []ticket.Status{ticket.StatusNew}})
	require.NoError(t, err)
	assert.NotEmpty(t, page.Tickets, "a customer filters by what it sees")
	page, err = w.svc.As(ticket.Actor{Kind: ticket.ActorAgent, ID: "boss"}).List(ctx, ticket.Query{Tag: "difficult-customer"})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 1, "agents filter by tags")
}
