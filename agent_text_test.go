package supportkit_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// AddAgent refuses an agent whose ID or Name no ticket could hold, as the ticket service
// refuses them for an assignee or an actor: routing would offer it tickets that no Accept
// could ever assign, and its offers' keys would not fit a Ledger. An ID or Name the ticket
// service takes, however long, is added, and the agent is assigned its tickets.
func TestAddAgentRefusesWhatNoTicketCouldHold(t *testing.T) {
	ctx := context.Background()
	d, err := supportkit.New(supportkit.Config{Routing: &routing.Config{}})
	require.NoError(t, err)
	capacity := map[routing.Channel]int{routing.ChannelEmail: 1}
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Printer jams", Description: "It jams.", Requester: customer})
	require.NoError(t, err)
	for _, bad := range []string{"a\x00b", "a\xffb", "a\nb", strings.Repeat("я", 129)} {
		_, err := d.Tickets().Assign(ctx, agent, tk.ID, bad)
		require.ErrorIs(t, err, ticket.ErrInvalid, "the ticket service refuses %q", bad)
		_, err = d.AddAgent(routing.Agent{ID: bad, Capacity: capacity})
		assert.ErrorIs(t, err, routing.ErrInvalid, "ID %q", bad)
		_, err = d.AddAgent(routing.Agent{ID: "x", Name: bad + strings.Repeat("x", 100), Capacity: capacity})
		assert.ErrorIs(t, err, routing.ErrInvalid, "Name %q", bad)
	}
	_, err = d.Agent("x")
	assert.ErrorIs(t, err, routing.ErrNotFound, "nothing was added")
	long := strings.Repeat("я", 128)
	a, err := d.AddAgent(routing.Agent{ID: long, Name: strings.Repeat("ы", 200), Capacity: capacity})
	require.NoError(t, err)
	got, err := d.Tickets().Assign(ctx, a, tk.ID, a.ID)
	require.NoError(t, err, "the longest ID is an assignee")
	assert.Equal(t, long, got.Assignee)
}
