package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// Lookups by text PostgreSQL cannot hold (a number from a URL, say) find nothing, as they
// do in the MemoryStore, instead of failing with the database's encoding error; a
// visibility with such a value among others still admits what the others admit.
func TestLookupsByUnstorableTextFindNothing(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	tk, _, err := st.store.Create(ctx, creation(""))
	require.NoError(t, err)
	for _, bad := range unstorable {
		_, err := st.store.TicketByNumber(ctx, tk.Tenant, tk.Number+bad)
		assert.ErrorIs(t, err, ticket.ErrNotFound, "number %q", bad)
		_, err = st.store.TicketByNumber(ctx, bad, tk.Number)
		assert.ErrorIs(t, err, ticket.ErrNotFound, "tenant %q", bad)
		for _, q := range []ticket.Query{
			{Tenant: bad}, {Assignee: bad}, {Group: bad}, {Requester: bad}, {Organization: bad}, {Tag: bad},
			{Statuses: []ticket.Status{ticket.Status(bad)}}, {Priorities: []ticket.Priority{ticket.Priority(bad)}},
		} {
			page, err := st.store.List(ctx, q)
			require.NoError(t, err, "query %+v", q)
			assert.Empty(t, page.Tickets, "query %+v", q)
		}
		page, err := st.store.List(ctx, ticket.Query{Visible: &ticket.Visibility{
			Requesters: []string{bad, tk.Requester.ID}, Groups: []string{bad}}})
		require.NoError(t, err)
		require.Len(t, page.Tickets, 1)
		assert.Equal(t, tk.ID, page.Tickets[0].ID)
	}
}
