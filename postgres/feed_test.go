package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/postgres"
)

// TestNaivePositionReaderSkipsAWriteHeldOpen runs the held-open scenario of tickettest against
// the store's own tables twice: read as "pos > cursor", the way event stores on PostgreSQL
// skipped events, and through Changes. The naive reader hands out a cursor past the held
// write's positions before it commits and never sees it; Changes does.
func TestNaivePositionReaderSkipsAWriteHeldOpen(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	held := creation("")
	commit, err := postgres.HoldCreate(ctx, st.store, held)
	require.NoError(t, err)
	later := creation("")
	_, _, err = st.store.Create(ctx, later)
	require.NoError(t, err)

	naive := func(after int64) (seen []uuid.UUID, cursor int64) {
		rows, err := st.pool.Query(ctx, "SELECT pos, ticket_id FROM "+st.schema+".events WHERE pos > $1 ORDER BY pos", after)
		require.NoError(t, err)
		defer rows.Close()
		cursor = after
		for rows.Next() {
			var id uuid.UUID
			require.NoError(t, rows.Scan(&cursor, &id))
			seen = append(seen, id)
		}
		require.NoError(t, rows.Err())
		return seen, cursor
	}
	seenBefore, naiveCursor := naive(0)
	assert.Equal(t, []uuid.UUID{later.Ticket.ID, later.Ticket.ID}, seenBefore, "the later write is read first")
	feedBefore, err := st.store.Changes(ctx, "", 100)
	require.NoError(t, err)
	assert.Empty(t, feedBefore, "Changes waits for the open write")

	require.NoError(t, commit())
	seenAfter, _ := naive(naiveCursor)
	assert.Empty(t, seenAfter, "the naive reader skipped the held write for good")
	var ids []uuid.UUID
	// Other applications' transactions on a shared server may hold the feed back a while.
	for deadline := time.Now().Add(20 * time.Second); len(ids) < 4 && time.Now().Before(deadline); {
		all, err := st.store.Changes(ctx, "", 100)
		require.NoError(t, err)
		ids = ids[:0]
		for _, e := range all {
			ids = append(ids, e.Ticket)
		}
		if len(ids) < 4 {
			time.Sleep(50 * time.Millisecond)
		}
	}
	assert.ElementsMatch(t, []uuid.UUID{held.Ticket.ID, held.Ticket.ID, later.Ticket.ID, later.Ticket.ID}, ids)
}

// TestFeedIsNotHeldBackByOtherTransactions holds another application's transaction open,
// with a transaction ID older than the store's writes: readers still receive the writes at
// once, since that transaction never took the writers' lock.
func TestFeedIsNotHeldBackByOtherTransactions(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	other, err := st.pool.Begin(ctx)
	require.NoError(t, err)
	defer other.Rollback(ctx)
	var xid string
	require.NoError(t, other.QueryRow(ctx, "SELECT pg_current_xact_id()::text").Scan(&xid))
	c := creation("")
	_, _, err = st.store.Create(ctx, c)
	require.NoError(t, err)
	entries, err := st.store.Changes(ctx, "", 10)
	require.NoError(t, err)
	require.Len(t, entries, 2, "the write is read while transaction %s is open", xid)
	assert.Equal(t, c.Ticket.ID, entries[0].Ticket)
	waitCtx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	require.NoError(t, st.store.Wait(waitCtx, ""), "Wait sees it too")
}
