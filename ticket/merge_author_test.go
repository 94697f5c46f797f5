package ticket_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// TestMergeByCustomerOrBotIsRefused guards the internal-note rule in merges: a merge writes an
// internal note on each ticket by the actor who merges, and customers and bots cannot write
// internal notes, so their merge gives ErrInvalid and changes neither ticket.
func TestMergeByCustomerOrBotIsRefused(t *testing.T) {
	b := setup(t, ticket.Config{})
	src := b.create(t, ticket.NewTicket{})
	dst := b.create(t, ticket.NewTicket{})
	bot := ticket.Actor{Kind: ticket.ActorBot, ID: "dedup-bot"}
	for _, actor := range []ticket.Actor{annAc, bot} {
		_, err := b.svc.Merge(ctx, actor, src.ID, dst.ID)
		assert.ErrorIs(t, err, ticket.ErrInvalid, actor.Kind)
		for _, want := range []ticket.Ticket{src, dst} {
			got, err := b.svc.Get(ctx, want.ID)
			require.NoError(t, err)
			assert.Equal(t, want, got, "%s: nothing merged", actor.Kind)
		}
	}
	_, err := b.svc.Merge(ctx, ticket.System, src.ID, dst.ID)
	require.NoError(t, err, "the system merges")
}
