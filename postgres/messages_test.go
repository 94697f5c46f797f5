package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/ticket"
)

// A Message-ID comes from a mail header: it may hold bytes that are not UTF-8, or NUL, which
// PostgreSQL text cannot hold. They are recorded and found byte for byte.
func TestMessageIDsThatAreNotTextAreKeptExactly(t *testing.T) {
	ctx := context.Background()
	s := newSetup(t, nil)
	tk := createTicket(t, s.store, "")
	odd := "a\x00b\xff\xfe@mail.example"
	require.NoError(t, s.store.AddMessageID(ctx, tk.ID, odd))
	got, err := s.store.TicketByMessageID(ctx, "", odd)
	require.NoError(t, err)
	assert.Equal(t, tk.ID, got.ID)
	for _, near := range []string{"a\x00b", "a", "a\x00b\xff\xfe@mail.example\x00"} {
		_, err := s.store.TicketByMessageID(ctx, "", near)
		assert.ErrorIs(t, err, ticket.ErrNotFound, "%q", near)
	}
	_, err = s.store.TicketByMessageID(ctx, "bad\xfftenant\x00", odd)
	assert.ErrorIs(t, err, ticket.ErrNotFound, "a tenant no ticket can have finds nothing")
}

// Two processes recording one Message-ID for different tickets at once: one keeps it, and
// both calls succeed.
func TestConcurrentRecordersOfOneMessageIDLeaveOneTicket(t *testing.T) {
	ctx := context.Background()
	s := newSetup(t, nil)
	other, err := postgres.NewTicketStore(s.pool, postgres.Config{Schema: s.schema})
	require.NoError(t, err)
	stores := []*postgres.TicketStore{s.store, other}
	for round := range 10 {
		id := fmt.Sprintf("race-%d@mail.example", round)
		tickets := make([]uuid.UUID, 4)
		for i := range tickets {
			tickets[i] = createTicket(t, s.store, "").ID
		}
		var wg sync.WaitGroup
		for i, tid := range tickets {
			wg.Go(func() { assert.NoError(t, stores[i%2].AddMessageID(ctx, tid, id)) })
		}
		wg.Wait()
		got, err := other.TicketByMessageID(ctx, "", id)
		require.NoError(t, err)
		assert.Contains(t, tickets, got.ID)
		for _, st := range stores {
			again, err := st.TicketByMessageID(ctx, "", id)
			require.NoError(t, err)
			assert.Equal(t, got.ID, again.ID, "every reader sees the one keeper")
		}
	}
}

func createTicket(t *testing.T, s ticket.Store, tenant string) ticket.Ticket {
	t.Helper()
	svc, err := ticket.NewService(s, ticket.Config{Tenant: tenant})
	require.NoError(t, err)
	tk, err := svc.Create(context.Background(), ticket.NewTicket{Subject: "Printer", Requester: ticket.Requester{Email: "ann@example.com"}})
	require.NoError(t, err)
	return tk
}
