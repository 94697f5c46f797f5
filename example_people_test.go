package supportkit_test

import (
	"context"
	"fmt"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/ticket"
)

// A desk with a customer directory: every sender becomes a customer (one per person,
// however they spell their address), joins the organization of their email domain, and their
// tickets are one call away.
func ExampleDesk_History() {
	ctx := context.Background()
	people, err := party.NewService(nil, party.Config{})
	if err != nil {
		panic(err)
	}
	acme, err := people.CreateOrganization(ctx, party.NewOrganization{Name: "Acme", Domains: []string{"acme.com"}})
	if err != nil {
		panic(err)
	}
	desk, err := supportkit.New(supportkit.Config{Directory: people})
	if err != nil {
		panic(err)
	}
	for _, m := range []ticket.Inbound{
		{From: ticket.Requester{Name: "Bob Stone", Email: "bob@acme.com"}, Subject: "VPN is down"},
		{From: ticket.Requester{Email: "Bob@ACME.com"}, Subject: "Printer jams"},
		{From: ticket.Requester{Name: "Zoe Park", Email: "zoe@acme.com"}, Subject: "New laptop"},
	} {
		if _, err := desk.Receive(ctx, m); err != nil {
			panic(err)
		}
	}
	bob, err := people.FindByEmail(ctx, party.DefaultTenant, "bob@acme.com")
	if err != nil {
		panic(err)
	}
	mine, err := desk.History(ctx, bob.ID)
	if err != nil {
		panic(err)
	}
	for _, t := range mine {
		fmt.Println(t.Number, t.Subject, "from", t.Requester.Name)
	}
	theirs, err := desk.OrganizationHistory(ctx, acme.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println(acme.Name, "has", len(theirs), "tickets")
	// Output:
	// SUP-2 Printer jams from Bob Stone
	// SUP-1 VPN is down from Bob Stone
	// Acme has 3 tickets
}
