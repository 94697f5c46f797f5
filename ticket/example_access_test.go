package ticket_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/supportkit/supportkit/ticket"
)

// Decide who sees what with the package's Policy: the host says who each actor is, and the
// Service filters every read, listing and change by it. Two customers of an organization that
// shares tickets read each other's; an agent reads the tickets of its groups; a customer never
// sees internal notes or fields.
func ExamplePolicy() {
	ctx := context.Background()
	people := map[string]ticket.Principal{
		"ann":   {Role: ticket.RoleCustomer, Organization: "acme", SharesOrganization: true},
		"bob":   {Role: ticket.RoleCustomer, Organization: "acme", SharesOrganization: true},
		"carol": {Role: ticket.RoleCustomer},
		"alex":  {Role: ticket.RoleAgent, Groups: []string{"network"}},
	}
	policy := ticket.Policy{Principal: func(_ context.Context, a ticket.Actor) (ticket.Principal, error) {
		p, ok := people[a.ID]
		if !ok {
			return ticket.Principal{}, errors.New("unknown person")
		}
		return p, nil
	}}
	svc, err := ticket.NewService(nil, ticket.Config{Authorizer: policy})
	if err != nil {
		panic(err)
	}
	ann := ticket.Requester{ID: "ann", Name: "Ann", Organization: "acme"}
	// Ann asks; the host's form rules, not Ann, put the ticket in a group and tag it.
	tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "VPN down", Requester: ann, Group: "network", Tags: []string{"vpn"},
		TriagedBy: ticket.System})
	if err != nil {
		panic(err)
	}
	alex := ticket.Actor{Kind: ticket.ActorAgent, ID: "alex", Name: "Alex"}
	if _, err := svc.Comment(ctx, alex, tk.ID, ticket.NewComment{Body: "Internal: router 7 again."}); err != nil {
		panic(err)
	}

	bob := ticket.Actor{Kind: ticket.ActorCustomer, ID: "bob", Name: "Bob"}
	seen, _ := svc.As(bob).Get(ctx, tk.ID)
	notes, _ := svc.As(bob).Comments(ctx, tk.ID)
	fmt.Printf("bob reads %s, group %q, tags %v, %d comments\n", seen.Subject, seen.Group, seen.Tags, len(notes))

	carol := ticket.Actor{Kind: ticket.ActorCustomer, ID: "carol", Name: "Carol"}
	_, err = svc.As(carol).Get(ctx, tk.ID)
	fmt.Println("carol:", errors.Is(err, ticket.ErrNotFound))

	_, err = svc.Update(ctx, bob, tk.ID, ticket.Changes{Subject: ticket.Ptr("Mine now")})
	fmt.Println("bob changes it:", errors.Is(err, ticket.ErrForbidden))

	page, _ := svc.As(alex).List(ctx, ticket.Query{})
	fmt.Println("alex lists", len(page.Tickets), "ticket")
	// Output:
	// bob reads VPN down, group "", tags [], 0 comments
	// carol: true
	// bob changes it: true
	// alex lists 1 ticket
}
