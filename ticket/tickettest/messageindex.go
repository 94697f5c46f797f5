package tickettest

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// TestMessageIndex runs the conformance suite of the optional ticket.MessageIndex ability
// against stores made by newStore (each call an empty store); it skips when the store lacks
// the ability. Each subtest is named after the part of the contract it checks.
func TestMessageIndex(t *testing.T, newStore func(t *testing.T) ticket.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s ticket.Store, idx ticket.MessageIndex)
	}{
		{"RecordedIDFindsItsTicket", testRecordedID},
		{"FirstTicketKeepsAnID", testFirstKeepsID},
		{"UnknownIDReturnsErrNotFound", testUnknownID},
		{"RecordingForAMissingTicketReturnsErrNotFound", testRecordMissing},
		{"EmptyOrOverlongIDIsInvalid", testBadID},
		{"IDsAreComparedExactly", testIDsExact},
		{"IDsAreKeptPerTenant", testMessageIDsPerTenant},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			idx, ok := s.(ticket.MessageIndex)
			if !ok {
				t.Skip("the store is not a ticket.MessageIndex")
			}
			tc.fn(t, s, idx)
		})
	}
}

// newTicket creates a ticket through a Service over s.
func newTicket(t *testing.T, s ticket.Store, email string) ticket.Ticket {
	t.Helper()
	return newTenantTicket(t, s, "", email)
}

// newTenantTicket creates a ticket of the tenant through a Service over s.
func newTenantTicket(t *testing.T, s ticket.Store, tenant, email string) ticket.Ticket {
	t.Helper()
	svc, err := ticket.NewService(s, ticket.Config{Tenant: tenant})
	require.NoError(t, err)
	tk, err := svc.Create(context.Background(), ticket.NewTicket{Subject: "Printer", Requester: ticket.Requester{Email: email}})
	require.NoError(t, err)
	return tk
}

func testRecordedID(t *testing.T, s ticket.Store, idx ticket.MessageIndex) {
	ctx := context.Background()
	a := newTicket(t, s, "ann@example.com")
	require.NoError(t, idx.AddMessageID(ctx, a.ID, "CAM7x9KJ@mail.gmail.com"))
	require.NoError(t, idx.AddMessageID(ctx, a.ID, "CAM7x9KJ@mail.gmail.com"), "recording again is a no-op")
	got, err := idx.TicketByMessageID(ctx, "", "CAM7x9KJ@mail.gmail.com")
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)
	assert.Equal(t, a.Number, got.Number)
}

func testFirstKeepsID(t *testing.T, s ticket.Store, idx ticket.MessageIndex) {
	ctx := context.Background()
	a, b := newTicket(t, s, "ann@example.com"), newTicket(t, s, "bob@example.com")
	require.NoError(t, idx.AddMessageID(ctx, a.ID, "m1@example.com"))
	require.NoError(t, idx.AddMessageID(ctx, b.ID, "m1@example.com"))
	got, err := idx.TicketByMessageID(ctx, "", "m1@example.com")
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)
}

func testUnknownID(t *testing.T, s ticket.Store, idx ticket.MessageIndex) {
	newTicket(t, s, "ann@example.com")
	_, err := idx.TicketByMessageID(context.Background(), "", "nobody@example.com")
	require.ErrorIs(t, err, ticket.ErrNotFound)
}

func testRecordMissing(t *testing.T, s ticket.Store, idx ticket.MessageIndex) {
	err := idx.AddMessageID(context.Background(), uuid.Must(uuid.NewV7()), "m@example.com")
	require.ErrorIs(t, err, ticket.ErrNotFound)
}

func testBadID(t *testing.T, s ticket.Store, idx ticket.MessageIndex) {
	a := newTicket(t, s, "ann@example.com")
	require.ErrorIs(t, idx.AddMessageID(context.Background(), a.ID, ""), ticket.ErrInvalid)
	long := make([]byte, 999)
	for i := range long {
		long[i] = 'x'
	}
	require.ErrorIs(t, idx.AddMessageID(context.Background(), a.ID, string(long)), ticket.ErrInvalid)
	require.NoError(t, idx.AddMessageID(context.Background(), a.ID, string(long[:998])))
}

func testIDsExact(t *testing.T, s ticket.Store, idx ticket.MessageIndex) {
	ctx := context.Background()
	a := newTicket(t, s, "ann@example.com")
	require.NoError(t, idx.AddMessageID(ctx, a.ID, "Abc@Example.com"))
	for _, other := range []string{"abc@example.com", " Abc@Example.com", "<Abc@Example.com>"} {
		_, err := idx.TicketByMessageID(ctx, "", other)
		require.ErrorIs(t, err, ticket.ErrNotFound, "%q", other)
	}
}

func testMessageIDsPerTenant(t *testing.T, s ticket.Store, idx ticket.MessageIndex) {
	ctx := context.Background()
	a := newTenantTicket(t, s, "acme", "ann@example.com")
	b := newTenantTicket(t, s, "globex", "ann@example.com")
	require.NoError(t, idx.AddMessageID(ctx, a.ID, "m1@example.com"))
	_, err := idx.TicketByMessageID(ctx, "globex", "m1@example.com")
	require.ErrorIs(t, err, ticket.ErrNotFound, "another tenant's message ID finds nothing")
	require.NoError(t, idx.AddMessageID(ctx, b.ID, "m1@example.com"), "each tenant records its own")
	got, err := idx.TicketByMessageID(ctx, "globex", "m1@example.com")
	require.NoError(t, err)
	assert.Equal(t, b.ID, got.ID)
	got, err = idx.TicketByMessageID(ctx, "acme", "m1@example.com")
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)
}
