package party_test

import (
	"context"
	"fmt"

	"github.com/supportkit/supportkit/party"
)

// A customer writing from an organization's domain joins it, and is found again by any
// spelling of their address or phone number.
func Example() {
	ctx := context.Background()
	people, _ := party.NewService(nil, party.Config{CallingCode: "7"})
	acme, _ := people.CreateOrganization(ctx, party.NewOrganization{
		Name: "Acme", Domains: []string{"acme.com"}, Segment: "enterprise", SharedTickets: true,
	})
	ann, created, _ := people.CreateCustomer(ctx, party.NewCustomer{
		Name: "Ann Lee", Emails: []string{"Ann.Lee@ACME.com"}, Phones: []string{"8 (495) 123-45-67"},
	})
	fmt.Println(created, ann.Emails, ann.Phones, ann.Organization == acme.ID)

	again, created, _ := people.CreateCustomer(ctx, party.NewCustomer{Emails: []string{"ann.lee@acme.com"}})
	fmt.Println(created, again.ID == ann.ID)

	byPhone, _ := people.FindByPhone(ctx, party.DefaultTenant, "+7 495 123 45 67")
	segment, _ := people.Segment(ctx, party.DefaultTenant, byPhone.ID)
	fmt.Println(byPhone.Name, segment)
	// Output:
	// true [ann.lee@acme.com] [+74951234567] true
	// false true
	// Ann Lee enterprise
}

// Two customers who turn out to be one person are merged; the absorbed one's ID and
// addresses find the survivor from then on.
func ExampleService_Merge() {
	ctx := context.Background()
	people, _ := party.NewService(nil, party.Config{})
	ann, _, _ := people.CreateCustomer(ctx, party.NewCustomer{Name: "Ann Lee", Emails: []string{"ann@example.com"}})
	home, _, _ := people.CreateCustomer(ctx, party.NewCustomer{Emails: []string{"ann.lee@home.example"},
		ExternalIDs: map[string]string{"crm": "C-17"}})

	merged, _ := people.Merge(ctx, party.DefaultTenant, ann.ID, home.ID)
	fmt.Println(merged.Emails, merged.ExternalIDs["crm"])

	old, _ := people.Customer(ctx, party.DefaultTenant, home.ID)
	fmt.Println(old.ID == ann.ID, old.Name)
	// Output:
	// [ann@example.com ann.lee@home.example] C-17
	// true Ann Lee
}

// Erasure keeps a tombstone: references still resolve, to a customer with no personal
// data, and the export after it holds nothing of the person.
func ExampleService_Erase() {
	ctx := context.Background()
	people, _ := party.NewService(nil, party.Config{})
	ann, _, _ := people.CreateCustomer(ctx, party.NewCustomer{Name: "Ann Lee", Emails: []string{"ann@example.com"}, Segment: "vip"})

	before, _ := people.Export(ctx, party.DefaultTenant, ann.ID)
	fmt.Println(before.Customer.Name, before.Customer.Emails)

	erased, _ := people.Erase(ctx, party.DefaultTenant, ann.ID)
	fmt.Println(erased.DisplayName(), erased.Emails, erased.Segment)

	_, err := people.FindByEmail(ctx, party.DefaultTenant, "ann@example.com")
	fmt.Println(err)
	// Output:
	// Ann Lee [ann@example.com]
	// (erased) [] vip
	// party: no customer or organization with this email
}
