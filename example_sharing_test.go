package supportkit_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/ticket"
)

// With a Directory, a customer reading through the desk's ticket policy sees their own
// tickets and, when their organization shares tickets, their colleagues' too; never
// another organization's.
func ExampleCustomerPrincipal() {
	ctx := context.Background()
	people, err := party.NewService(nil, party.Config{})
	if err != nil {
		panic(err)
	}
	for _, o := range []party.NewOrganization{
		{Name: "Northwind", Domains: []string{"northwind.example"}, SharedTickets: true},
		{Name: "Contoso", Domains: []string{"contoso.example"}},
	} {
		if _, err := people.CreateOrganization(ctx, o); err != nil {
			panic(err)
		}
	}
	desk, err := supportkit.New(supportkit.Config{Directory: people})
	if err != nil {
		panic(err)
	}
	for _, from := range []string{"pavel", "irina"} {
		for _, domain := range []string{"northwind.example", "contoso.example"} {
			m := ticket.Inbound{From: ticket.Requester{Email: from + "@" + domain}, Subject: "Printer jams"}
			if _, err := desk.Receive(ctx, m); err != nil {
				panic(err)
			}
		}
	}
	for _, email := range []string{"pavel@northwind.example", "pavel@contoso.example"} {
		c, err := people.FindByEmail(ctx, party.DefaultTenant, email)
		if err != nil {
			panic(err)
		}
		reader := desk.Tickets().As(ticket.Actor{Kind: ticket.ActorCustomer, ID: c.ID.String()})
		var seen []string
		for t, err := range reader.All(ctx, ticket.Query{}) {
			if err != nil {
				panic(err)
			}
			seen = append(seen, t.Requester.Email)
		}
		slices.Sort(seen)
		fmt.Println(email, "sees", seen)
	}
	// Output:
	// pavel@northwind.example sees [irina@northwind.example pavel@northwind.example]
	// pavel@contoso.example sees [pavel@contoso.example]
}
