package party_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/supportkit/supportkit/party"
)

// BenchmarkFindByEmail looks a sender up among 10,000 customers, as the Desk does for every
// message.
func BenchmarkFindByEmail(b *testing.B) {
	ctx := context.Background()
	people, err := party.NewService(nil, party.Config{})
	if err != nil {
		b.Fatal(err)
	}
	const n = 10_000
	for i := range n {
		if _, _, err := people.CreateCustomer(ctx, party.NewCustomer{Emails: []string{fmt.Sprintf("user%d@example.com", i)}}); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; b.Loop(); i++ {
		if _, err := people.FindByEmail(ctx, party.DefaultTenant, fmt.Sprintf("User%d@Example.com", i%n)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateCustomer creates customers with an email and a phone each.
func BenchmarkCreateCustomer(b *testing.B) {
	ctx := context.Background()
	people, err := party.NewService(nil, party.Config{CallingCode: "7"})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		nc := party.NewCustomer{Name: "Ann Lee", Emails: []string{fmt.Sprintf("ann%d@example.com", i)},
			Phones: []string{fmt.Sprintf("8 (495) %07d", i%10_000_000)}}
		if _, _, err := people.CreateCustomer(ctx, nc); err != nil {
			b.Fatal(err)
		}
	}
}
