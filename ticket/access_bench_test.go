package ticket_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/supportkit/supportkit/ticket"
)

// BenchmarkListAsRestrictedActor lists the first page of tickets as actors the default
// Policy restricts, over a store of 100k tickets in 10 groups and 5000 requesters: an agent
// of one group (a tenth of the tickets), and a customer known by ten requester IDs (0.2% of
// the tickets), beside the unrestricted System. The policy's Visibility is part of the store
// query, so a restricted page costs a small multiple of an unrestricted one, not a walk over
// the tickets the actor may not see.
func BenchmarkListAsRestrictedActor(b *testing.B) {
	p := populated(b, 100_000)
	policy := ticket.Policy{Principal: func(_ context.Context, a ticket.Actor) (ticket.Principal, error) {
		if a.Kind == ticket.ActorAgent {
			return ticket.Principal{Role: ticket.RoleAgent, Groups: []string{"printers"}}, nil
		}
		return ticket.Principal{Role: ticket.RoleCustomer, Identities: []string{"c-2", "c-3", "c-4", "c-5", "c-6", "c-7", "c-8", "c-9", "c-10"}}, nil
	}}
	svc, err := ticket.NewService(p.store, ticket.Config{Authorizer: policy})
	if err != nil {
		b.Fatal(err)
	}
	for _, a := range []ticket.Actor{
		{Kind: ticket.ActorAgent, ID: "agent-1"},
		{Kind: ticket.ActorCustomer, ID: "c-1"},
		ticket.System,
	} {
		b.Run(fmt.Sprint(a.Kind), func(b *testing.B) {
			r := svc.As(a)
			for b.Loop() {
				page, err := r.List(ctx, ticket.Query{Limit: 50})
				if err != nil || len(page.Tickets) != 50 {
					b.Fatal(err, len(page.Tickets))
				}
			}
		})
	}
}
