package ticket_test

import (
	"testing"

	"github.com/supportkit/supportkit/ticket"
	"github.com/supportkit/supportkit/ticket/tickettest"
)

func TestMemoryStore(t *testing.T) {
	tickettest.TestStore(t, func(*testing.T) ticket.Store { return ticket.NewMemoryStore() })
}
