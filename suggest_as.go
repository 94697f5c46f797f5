package supportkit

import (
	"context"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/ticket"
)

// SuggestAs is Suggest for a caller known only as an actor, as a host's API handler has
// one: the ticket is read through the ticket policy (ticket.Service.As), so an actor who
// may not read it gets an error wrapping ticket.ErrNotFound and learns nothing of it, and
// the audience follows the actor: customers get only public articles (kb.Customer), agents,
// bots and the system all articles (kb.Agent). Errors: those of Suggest and of reading the
// ticket as actor.
func (d *Desk) SuggestAs(ctx context.Context, actor ticket.Actor, id uuid.UUID) (Suggestions, error) {
	if _, err := d.tickets.As(actor).Get(ctx, id); err != nil {
		return Suggestions{}, err
	}
	aud := kb.Agent
	if actor.Kind == ticket.ActorCustomer {
		aud = kb.Customer
	}
	return d.Suggest(ctx, id, aud)
}
