package party_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/supportkit/supportkit/party"
)

// An organization claims its email domains: customers who write from them join it, and
// Members lists them. OrganizationByDomain finds the organization of an address's domain.
func ExampleService_Members() {
	ctx := context.Background()
	people, err := party.NewService(nil, party.Config{})
	if err != nil {
		panic(err)
	}
	northwind, err := people.CreateOrganization(ctx, party.NewOrganization{
		Name: "Northwind", Domains: []string{"northwind.example", "nw.example"}, SharedTickets: true,
	})
	if err != nil {
		panic(err)
	}
	for _, email := range []string{"pavel@northwind.example", "irina@NW.example", "kate@contoso.example"} {
		if _, _, err := people.CreateCustomer(ctx, party.NewCustomer{Emails: []string{email}}); err != nil {
			panic(err)
		}
	}
	members, err := people.Members(ctx, party.DefaultTenant, northwind.ID)
	if err != nil {
		panic(err)
	}
	for _, m := range members {
		fmt.Println(m.Emails[0])
	}
	org, err := people.Directory().OrganizationByDomain(ctx, party.DefaultTenant, "nw.example")
	fmt.Println(org.Name, org.SharedTickets, err)
	_, err = people.Directory().OrganizationByDomain(ctx, party.DefaultTenant, "contoso.example")
	fmt.Println(errors.Is(err, party.ErrNotFound), err)
	// Output:
	// pavel@northwind.example
	// irina@nw.example
	// Northwind true <nil>
	// true party: no customer or organization with this domain
}
