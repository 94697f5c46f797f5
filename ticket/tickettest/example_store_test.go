package tickettest_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/supportkit/supportkit/ticket"
	"github.com/supportkit/supportkit/ticket/tickettest"
)

// meteredStore is a host's Store: it keeps tickets in a MemoryStore and counts the writes,
// as a store that bills or replicates them might. Every Store method must keep the contract
// documented on ticket.Store; tickettest.TestStore checks it.
type meteredStore struct {
	*ticket.MemoryStore
	writes atomic.Int64
}

func (s *meteredStore) Create(ctx context.Context, c ticket.Creation) (ticket.Ticket, bool, error) {
	t, created, err := s.MemoryStore.Create(ctx, c)
	if created {
		s.writes.Add(1)
	}
	return t, created, err
}

func (s *meteredStore) Update(ctx context.Context, changes ...ticket.Change) ([]ticket.Ticket, error) {
	out, err := s.MemoryStore.Update(ctx, changes...)
	if err == nil {
		s.writes.Add(1)
	}
	return out, err
}

// The conformance suite runs against the store in an ordinary test:
//
//	func TestMeteredStore(t *testing.T) {
//		tickettest.TestStore(t, func(*testing.T) ticket.Store {
//			return &meteredStore{MemoryStore: ticket.NewMemoryStore()}
//		})
//	}
//
// and the Service uses it like any other Store.
func Example_implementingAStore() {
	ctx := context.Background()
	store := &meteredStore{MemoryStore: ticket.NewMemoryStore()}
	svc, _ := ticket.NewService(store, ticket.Config{})
	tk, _ := svc.Create(ctx, ticket.NewTicket{Subject: "Printer", Requester: ticket.Requester{ID: "c-1"}})
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "a-1"}
	svc.Assign(ctx, agent, tk.ID, "a-1")
	svc.Assign(ctx, agent, tk.ID, "a-1") // no change, no write
	fmt.Println("writes:", store.writes.Load())
	// Output:
	// writes: 2
}

func TestMeteredStore(t *testing.T) {
	tickettest.TestStore(t, func(*testing.T) ticket.Store {
		return &meteredStore{MemoryStore: ticket.NewMemoryStore()}
	})
}
