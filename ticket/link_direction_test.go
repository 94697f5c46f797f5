package ticket_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// Two tickets linked one way cannot be linked the other way round as well: neither becomes
// the other's parent, problem or original, and the refused call changes nothing.
func TestLinkRefusesTheOppositeDirection(t *testing.T) {
	ctx := context.Background()
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "a1"}
	for _, kind := range []ticket.LinkKind{
		ticket.LinkDuplicateOf, ticket.LinkDuplicate, ticket.LinkCausedBy, ticket.LinkCauses,
		ticket.LinkParent, ticket.LinkChild, ticket.LinkFollowUpOf, ticket.LinkFollowUp,
	} {
		s, err := ticket.NewService(ticket.NewMemoryStore(), ticket.Config{})
		require.NoError(t, err)
		newTicket := func() ticket.Ticket {
			tk, err := s.Create(ctx, ticket.NewTicket{Subject: "s", Requester: ticket.Requester{Email: "c@example.com"}})
			require.NoError(t, err)
			return tk
		}
		a, b := newTicket(), newTicket()
		_, err = s.Link(ctx, agent, a.ID, kind, b.ID)
		require.NoError(t, err)
		before := map[uuid.UUID]ticket.Ticket{}
		for _, id := range []uuid.UUID{a.ID, b.ID} {
			before[id], err = s.Get(ctx, id)
			require.NoError(t, err)
		}
		for _, try := range []struct {
			id, other uuid.UUID
			kind      ticket.LinkKind
		}{{a.ID, b.ID, kind.Inverse()}, {b.ID, a.ID, kind}} {
			_, err = s.Link(ctx, agent, try.id, try.kind, try.other)
			require.ErrorIs(t, err, ticket.ErrInvalid, "%s then %s", kind, try.kind)
		}
		for id, want := range before {
			got, err := s.Get(ctx, id)
			require.NoError(t, err)
			require.Equal(t, want, got)
		}
		_, err = s.Link(ctx, agent, b.ID, kind.Inverse(), a.ID)
		require.NoError(t, err, "the same link written from the other side changes nothing")
		_, err = s.Link(ctx, agent, b.ID, ticket.LinkRelated, a.ID)
		require.NoError(t, err)
	}
}
