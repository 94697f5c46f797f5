package partytest_test

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/supportkit/supportkit/party"
)

// auditedDirectory is a host's Directory: it keeps customers in a MemoryDirectory and counts
// the customer writes, as a directory that replicates them might. It must keep the contract
// documented on party.Directory; partytest.TestDirectory checks it:
//
//	func TestAuditedDirectory(t *testing.T) {
//		partytest.TestDirectory(t, func(*testing.T) party.Directory {
//			return &auditedDirectory{MemoryDirectory: party.NewMemoryDirectory()}
//		})
//	}
type auditedDirectory struct {
	*party.MemoryDirectory
	writes atomic.Int64
}

func (d *auditedDirectory) CreateCustomer(ctx context.Context, c party.Customer) (party.Customer, bool, error) {
	stored, created, err := d.MemoryDirectory.CreateCustomer(ctx, c)
	if created {
		d.writes.Add(1)
	}
	return stored, created, err
}

func (d *auditedDirectory) UpdateCustomers(ctx context.Context, cs ...party.Customer) ([]party.Customer, error) {
	out, err := d.MemoryDirectory.UpdateCustomers(ctx, cs...)
	if err == nil {
		d.writes.Add(1)
	}
	return out, err
}

// A Service writes to a host's Directory like to the in-memory one: a create that finds its
// person writes nothing, and a merge is one write.
func Example_implementingADirectory() {
	ctx := context.Background()
	dir := &auditedDirectory{MemoryDirectory: party.NewMemoryDirectory()}
	people, _ := party.NewService(dir, party.Config{})
	a, _, _ := people.CreateCustomer(ctx, party.NewCustomer{Emails: []string{"ann@example.com"}})
	people.CreateCustomer(ctx, party.NewCustomer{Emails: []string{"ANN@example.com"}})
	b, _, _ := people.CreateCustomer(ctx, party.NewCustomer{Emails: []string{"ann.lee@example.org"}})
	people.Merge(ctx, party.DefaultTenant, a.ID, b.ID)
	fmt.Println(dir.writes.Load(), "writes")
	// Output: 3 writes
}
