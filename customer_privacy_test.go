package supportkit_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/ticket"
)

// TestEraseCustomerLeavesNoTraceInTicketsOrDirectory files tickets from two addresses of
// one person, merges the two customers the Directory made, and erases the survivor: no
// stored ticket, comment or event holds either address, the name or the phone any more,
// the Directory keeps only tombstones, and an export made before names both addresses.
func TestEraseCustomerLeavesNoTraceInTicketsOrDirectory(t *testing.T) {
	ctx := context.Background()
	people, err := party.NewService(party.NewMemoryDirectory(), party.Config{CallingCode: "7"})
	require.NoError(t, err)
	store := ticket.NewMemoryStore()
	d, err := supportkit.New(supportkit.Config{Directory: people, Store: store})
	require.NoError(t, err)
	work, _, err := people.CreateCustomer(ctx, party.NewCustomer{Name: "Vera Orlova", Emails: []string{"vera@work.example"}, Phones: []string{"+7 (495) 123-45-67"}})
	require.NoError(t, err)
	a, err := d.Create(ctx, ticket.NewTicket{Subject: "VPN for Vera Orlova", Description: "Call me at 8 495 123 45 67.",
		Requester: ticket.Requester{Email: "Vera@Work.example", Name: "Vera Orlova"}})
	require.NoError(t, err)
	b, err := d.Create(ctx, ticket.NewTicket{Subject: "Printer", Description: "From vera.home@mail.example",
		Requester: ticket.Requester{Email: "vera.home@mail.example", Name: "Vera Orlova"}})
	require.NoError(t, err)
	home, err := people.FindByEmail(ctx, "", "vera.home@mail.example")
	require.NoError(t, err)
	_, err = people.Merge(ctx, "", work.ID, home.ID)
	require.NoError(t, err)

	raw, err := d.ExportCustomer(ctx, ticket.System, work.ID)
	require.NoError(t, err)
	var export supportkit.CustomerExport
	require.NoError(t, json.Unmarshal(raw, &export))
	assert.Len(t, export.Desk.Tickets.Requested, 2, "both addresses' tickets")
	assert.Len(t, export.Customer.Absorbed, 1)

	_, err = d.EraseCustomer(ctx, ticket.System, work.ID)
	require.NoError(t, err)
	dump := dumpTickets(t, store, a, b)
	for _, s := range []string{"vera@work.example", "vera.home@mail.example", "Vera Orlova", "495 123 45 67", work.ID.String(), home.ID.String()} {
		assert.NotContains(t, strings.ToLower(dump), strings.ToLower(s))
	}
	c, err := people.Customer(ctx, "", work.ID)
	require.NoError(t, err)
	assert.True(t, c.Erased())
	assert.Empty(t, c.Emails)
	_, err = people.FindByEmail(ctx, "", "vera@work.example")
	require.ErrorIs(t, err, party.ErrNotFound, "an erased customer's address is free")
}

// dumpTickets returns the tickets with their comments and events as JSON, as stored.
func dumpTickets(t *testing.T, store *ticket.MemoryStore, ts ...ticket.Ticket) string {
	t.Helper()
	ctx := context.Background()
	var all []any
	for _, tk := range ts {
		got, err := store.Ticket(ctx, tk.ID)
		require.NoError(t, err)
		comments, err := store.Comments(ctx, tk.ID)
		require.NoError(t, err)
		events, err := store.Events(ctx, tk.ID, 0)
		require.NoError(t, err)
		all = append(all, got, comments, events)
	}
	raw, err := json.Marshal(all)
	require.NoError(t, err)
	return string(raw)
}

// TestPersonNeedsADirectory: without a Directory there is no customer to name.
func TestPersonNeedsADirectory(t *testing.T) {
	d, err := supportkit.New(supportkit.Config{})
	require.NoError(t, err)
	_, err = d.Person(context.Background(), [16]byte{1})
	require.ErrorIs(t, err, supportkit.ErrNotConfigured)
}
