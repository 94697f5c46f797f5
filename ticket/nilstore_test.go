package ticket_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// A nil store is the in-memory default, as for every constructor of the module.
func TestNewServiceWithNilStoreUsesTheMemoryStore(t *testing.T) {
	ctx := context.Background()
	svc, err := ticket.NewService(nil, ticket.Config{})
	require.NoError(t, err)
	tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "Printer jams",
		Requester: ticket.Requester{Name: "Ann Lee", Email: "ann@example.com"}})
	require.NoError(t, err)
	got, err := svc.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, tk.ID, got.ID)
	assert.Equal(t, "Printer jams", got.Subject)
}
