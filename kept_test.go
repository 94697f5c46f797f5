package supportkit_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/ticket"
)

// A kept occurrence whose ticket the store no longer has can never be delivered: Load
// abandons it (records it delivered and logs it) instead of listing it at every Load for
// ever. One whose ticket is another tenant's stays kept for that tenant's Desks, and one
// of a readable ticket is delivered.
func TestLoadAbandonsAKeptOccurrenceWhoseTicketIsGone(t *testing.T) {
	ctx := context.Background()
	store, ledger := ticket.NewMemoryStore(), supportkit.NewMemoryLedger()
	other, err := supportkit.New(supportkit.Config{Store: store, Tickets: ticket.Config{Tenant: "globex"}})
	require.NoError(t, err)
	theirs, err := other.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer})
	require.NoError(t, err)
	var logs bytes.Buffer
	var assigned []uuid.UUID
	d, err := supportkit.New(supportkit.Config{Store: store, Ledger: ledger, Logger: zerolog.New(&logs),
		Hooks: supportkit.Hooks{OnAssigned: func(_ context.Context, tk ticket.Ticket) error {
			assigned = append(assigned, tk.ID)
			return nil
		}}})
	require.NoError(t, err)
	ours, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Printer", Description: "jammed", Requester: customer})
	require.NoError(t, err)
	gone := uuid.New()
	key := func(id uuid.UUID) string { return "accepted/" + id.String() + "/agent-1/1/1" }
	for _, id := range []uuid.UUID{gone, theirs.ID, ours.ID} {
		require.NoError(t, ledger.Keep(ctx, key(id), []byte("p")))
	}

	require.NoError(t, d.Load(ctx))
	kept, err := ledger.Kept(ctx, "", 10)
	require.NoError(t, err)
	assert.Equal(t, []supportkit.KeptOccurrence{{Key: key(theirs.ID), Payload: []byte("p")}}, kept)
	assert.Equal(t, []uuid.UUID{ours.ID}, assigned, "only the readable one is delivered")
	assert.Contains(t, logs.String(), "abandoned")
	assert.Contains(t, logs.String(), key(gone))
	res, err := ledger.Claim(ctx, supportkit.Claim{Key: key(gone), Owner: "probe", Now: start, Until: start.Add(1)})
	require.NoError(t, err)
	assert.Equal(t, supportkit.Delivered, res.State, "never delivered later")

	require.NoError(t, d.Load(ctx))
	assert.Equal(t, []uuid.UUID{ours.ID}, assigned)
}
