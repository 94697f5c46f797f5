package ticket_test

import (
	"context"
	"testing"

	"github.com/supportkit/supportkit/ticket"
	"github.com/supportkit/supportkit/ticket/tickettest"
)

func TestMemoryStore(t *testing.T) {
	tickettest.TestStoreWith(t, func(*testing.T) ticket.Store { return ticket.NewMemoryStore() }, tickettest.Options{
		Hold: holdMemory,
	})
}

// holdMemory holds a MemoryStore write open: a MemoryStore write becomes visible all at once,
// so holding it is not starting it until commit.
func holdMemory(ctx context.Context, s ticket.Store, c ticket.Creation) (func() error, error) {
	return func() error {
		_, _, err := s.Create(ctx, c)
		return err
	}, nil
}
