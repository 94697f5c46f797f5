package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/postgres"
)

// BenchmarkDirectory measures the Directory's common calls on a directory of 2,000
// customers: a lookup by email (each incoming message), a create of a new customer, and a
// merge (one UpdateCustomers of two customers).
func BenchmarkDirectory(b *testing.B) {
	ctx := context.Background()
	s := newSetup(b, nil)
	dir, err := postgres.NewDirectory(s.pool, postgres.Config{Schema: s.schema})
	require.NoError(b, err)
	svc, err := party.NewService(dir, party.Config{})
	require.NoError(b, err)
	const n = 2000
	ids := make([]uuid.UUID, n)
	for i := range n {
		nc := party.NewCustomer{Emails: []string{fmt.Sprintf("c%d@example.com", i)}}
		if i%2 == 0 {
			nc.ExternalIDs = map[string]string{"crm": fmt.Sprint(i)}
		}
		c, _, err := svc.CreateCustomer(ctx, nc)
		require.NoError(b, err)
		ids[i] = c.ID
	}
	_, err = s.pool.Exec(ctx, "ANALYZE "+s.schema+".customers; ANALYZE "+s.schema+".customer_keys")
	require.NoError(b, err)

	b.Run("CustomerByKey", func(b *testing.B) {
		i := 0
		for b.Loop() {
			_, err := dir.CustomerByKey(ctx, "", party.Key{Kind: party.KeyEmail, Value: fmt.Sprintf("c%d@example.com", i%n)})
			require.NoError(b, err)
			i++
		}
	})
	b.Run("CreateCustomer", func(b *testing.B) {
		i := 0
		for b.Loop() {
			_, created, err := svc.CreateCustomer(ctx, party.NewCustomer{Emails: []string{fmt.Sprintf("new%d@example.com", i)}})
			require.NoError(b, err)
			require.True(b, created)
			i++
		}
	})
	b.Run("Merge", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if 2*i+1 >= n {
				b.Fatal("out of customers to merge; lower -benchtime")
			}
			_, err := svc.Merge(ctx, "", ids[2*i], ids[2*i+1])
			require.NoError(b, err)
			i++
		}
	})
}
