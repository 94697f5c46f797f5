package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// populate inserts n tickets spread over every filter straight into the table (their jsonb is
// empty: only the plans matter), and analyzes it.
func populate(t testing.TB, st setup, n int) {
	t.Helper()
	ctx := context.Background()
	_, err := st.pool.Exec(ctx, `INSERT INTO `+st.schema+`.tickets (id, tenant, number, version, fingerprint, status,
		priority, assignee, grp, requester_id, requester_email, organization, tags, updated_ns, data)
		SELECT gen_random_uuid(), (ARRAY['', 'acme'])[1 + i % 2], 'N-' || i, 1, '',
			(ARRAY['new', 'open', 'pending', 'on-hold', 'solved', 'closed'])[1 + i % 6],
			(ARRAY['low', 'normal', 'high', 'urgent'])[1 + i % 4], 'agent-' || (i % 50), 'group-' || (i % 20),
			'cust-' || (i % 5000), 'c' || (i % 5000) || '@example.com', 'org-' || (i % 300),
			ARRAY['tag' || (i % 100), 'all'], i::bigint * 1000000000, '{}'::jsonb
		FROM generate_series(1, $1::integer) i`, n)
	require.NoError(t, err)
	_, err = st.pool.Exec(ctx, "ANALYZE "+st.schema+".tickets")
	require.NoError(t, err)
}

// filteredQueries is a query for every Query filter, first pages.
func filteredQueries(n int) map[string]ticket.Query {
	return map[string]ticket.Query{
		"none":         {},
		"status":       {Statuses: []ticket.Status{ticket.StatusOpen}},
		"statuses":     {Statuses: []ticket.Status{ticket.StatusNew, ticket.StatusOpen}},
		"priority":     {Priorities: []ticket.Priority{ticket.PriorityUrgent}},
		"assignee":     {Assignee: "agent-7"},
		"group":        {Group: "group-3"},
		"requester":    {Requester: "cust-42"},
		"email":        {Requester: "C42@example.com"},
		"organization": {Organization: "org-9"},
		"tag":          {Tag: "tag17"},
		"updated":      {UpdatedSince: time.Unix(int64(n-100), 0)},
		"visible":      {Visible: &ticket.Visibility{Groups: []string{"group-1"}, Assignees: []string{"agent-2"}}},
		"combined":     {Statuses: []ticket.Status{ticket.StatusOpen}, Group: "group-3", Tag: "tag17"},
	}
}

// TestListUsesAnIndexForEveryFilter explains the first page of a listing with each filter
// over 50,000 tickets (10,000 with -short) and checks that none reads the table sequentially.
func TestListUsesAnIndexForEveryFilter(t *testing.T) {
	n := 50000
	if testing.Short() {
		n = 10000
	}
	st := newSetup(t, nil)
	populate(t, st, n)
	for name, q := range filteredQueries(n) {
		sql, args := st.store.ListSQL(q)
		rows, err := st.pool.Query(context.Background(), "EXPLAIN "+sql, args...)
		require.NoError(t, err)
		var plan []string
		for rows.Next() {
			var line string
			require.NoError(t, rows.Scan(&line))
			plan = append(plan, line)
		}
		require.NoError(t, rows.Err())
		text := strings.Join(plan, "\n")
		t.Logf("%s:\n%s", name, text)
		assert.NotContains(t, text, "Seq Scan", name)
		assert.Contains(t, text, "Index", name)
	}
}

// TestFeedReadsInIndexOrder explains the feed's query over 20,000 events: it must walk the
// (xid, pos) index in order, with no sort. (It once sorted by the transaction ID's text,
// which orders 10 before 9: slow, and wrong once IDs gain a digit.)
func TestFeedReadsInIndexOrder(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	_, err := st.pool.Exec(ctx, `INSERT INTO `+st.schema+`.events (ticket_id, seq, data)
		SELECT gen_random_uuid(), 1, '{}' FROM generate_series(1, 20000)`)
	require.NoError(t, err)
	_, err = st.pool.Exec(ctx, "ANALYZE "+st.schema+".events")
	require.NoError(t, err)
	rows, err := st.pool.Query(ctx, "EXPLAIN "+st.store.ChangesSQL(), "0", 100, 1000, 1, 2)
	require.NoError(t, err)
	var plan []string
	for rows.Next() {
		var line string
		require.NoError(t, rows.Scan(&line))
		plan = append(plan, line)
	}
	require.NoError(t, rows.Err())
	text := strings.Join(plan, "\n")
	t.Log(text)
	assert.Contains(t, text, "Index Scan using events_feed")
	assert.NotContains(t, text, "Sort")
}
