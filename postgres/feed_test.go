package postgres_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/ticket"
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

// TestFeedRefusesCursorsItDidNotIssue checks that a well-formed cursor naming no event of the
// store, from the future or from another schema, is refused by Changes and Wait, instead of
// reading as an empty feed after which a reader would skip every event before it.
func TestFeedRefusesCursorsItDidNotIssue(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	first := readFeed(t, st.store, 2)
	elsewhere := readFeed(t, newSetup(t, nil).store, 2)
	last := first[len(first)-1].Cursor
	xid, pos, ok := strings.Cut(string(last), ":")
	require.True(t, ok)
	x, err := strconv.ParseUint(xid, 10, 64)
	require.NoError(t, err)
	p, err := strconv.ParseInt(pos, 10, 64)
	require.NoError(t, err)
	bad := []ticket.Cursor{
		"999999999:0",
		ticket.Cursor(fmt.Sprintf("%d:%d", x+1_000_000, p)),
		ticket.Cursor(fmt.Sprintf("%d:%d", x, p+1_000_000)),
		elsewhere[0].Cursor,
	}
	for _, c := range bad {
		_, err := st.store.Changes(ctx, c, 10)
		assert.ErrorIs(t, err, ticket.ErrInvalid, "Changes(%q)", c)
		assert.ErrorIs(t, st.store.Wait(ctx, c), ticket.ErrInvalid, "Wait(%q)", c)
	}
	rest, err := st.store.Changes(ctx, first[0].Cursor, 10)
	require.NoError(t, err, "a cursor the store issued still reads")
	assert.Equal(t, first[1:], rest)
	end, err := st.store.Changes(ctx, last, 10)
	require.NoError(t, err)
	assert.Empty(t, end)
	waited, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, st.store.Wait(waited, last), context.DeadlineExceeded, "the last cursor waits for more")
}

// readFeed creates a ticket with n events on store and returns the whole feed once it holds
// them (other transactions on a shared server may hold it back a while).
func readFeed(t *testing.T, store *postgres.TicketStore, n int) []ticket.FeedEntry {
	t.Helper()
	ctx := context.Background()
	c := creation("")
	require.Len(t, c.Events, n)
	_, _, err := store.Create(ctx, c)
	require.NoError(t, err)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		all, err := store.Changes(ctx, "", 100)
		require.NoError(t, err)
		if len(all) >= n || time.Now().After(deadline) {
			require.Len(t, all, n)
			return all
		}
	}
}

// Marks gives up to 5,000 marks a page, Changes up to 1,000 entries: a Desk replaying the
// feed reads its marks in large pages and the events in its own batches.
func TestMarksPagesAreLargerThanChanges(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 1,200 events")
	}
	ctx := context.Background()
	st := newSetup(t, nil)
	for range 600 {
		_, _, err := st.store.Create(ctx, creation(""))
		require.NoError(t, err)
	}
	var marks []ticket.FeedMark
	// Other applications' transactions on a shared server may hold the feed back a while.
	for deadline := time.Now().Add(20 * time.Second); len(marks) < 1200 && time.Now().Before(deadline); {
		var err error
		marks, err = st.store.Marks(ctx, "", 5000)
		require.NoError(t, err)
	}
	assert.Len(t, marks, 1200, "every mark in one page")
	changes, err := st.store.Changes(ctx, "", 5000)
	require.NoError(t, err)
	assert.Len(t, changes, 1000, "Changes stays capped at 1,000")
}
