package postgres_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/ticket"
)

// decodeEvent decodes an event document as the store reads it.
func decodeEvent(t *testing.T, doc []byte) ticket.Event {
	t.Helper()
	var e ticket.Event
	require.NoError(t, json.Unmarshal(doc, &e))
	return e
}

// TestEventsAreStoredCompactlyAndReadAsWritten: an event is stored without its zero
// fields, a log in under half the bytes of its full form, and both forms read back as the
// event written: rows written in the full form stay readable. Tickets likewise.
func TestEventsAreStoredCompactlyAndReadAsWritten(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	tpl := templates(t)
	for _, c := range tpl {
		_, _, err := st.store.Create(ctx, clone(c))
		require.NoError(t, err)
	}
	full := ticket.Event{TicketID: uuid.New(), Seq: 3, Kind: ticket.EventEscalated, At: chaosStart,
		ClampedFrom: chaosStart.Add(-time.Second), Actor: ticket.Actor{Kind: ticket.ActorAgent, ID: "a", Name: "A"},
		FromStatus: ticket.StatusOpen, ToStatus: ticket.StatusPending, FromPriority: ticket.PriorityLow,
		ToPriority: ticket.PriorityHigh, FromAssignee: "a", ToAssignee: "b", FromGroup: "g", ToGroup: "h",
		FromLine: 1, ToLine: 2, Field: "f", FromValue: "x", ToValue: "y", TagsAdded: []string{"t"},
		TagsRemoved: []string{"u"}, CommentID: uuid.New(), Public: true, AuthorKind: ticket.ActorCustomer,
		Link: ticket.Link{Kind: ticket.LinkRelated, Target: uuid.New()}, Other: uuid.New(), Channel: ticket.ChannelEmail,
		Type: ticket.TypeIncident, CSAT: 4, CES: 5, Reason: "r"}
	doc, err := postgres.EventDoc(full)
	require.NoError(t, err)
	assert.Equal(t, full, decodeEvent(t, doc), "an event with every field set")

	tk := ticket.Ticket{ID: uuid.New(), Tenant: "acme", Number: "SUP-9", Subject: "s",
		Requester: ticket.Requester{ID: "c", Name: "C", Email: "c@example.com", Language: language.German, Organization: "o"},
		Channel:   ticket.ChannelEmail, Type: ticket.TypeIncident, Impact: ticket.LevelHigh, Urgency: ticket.LevelLow,
		Priority: ticket.PriorityHigh, PriorityExplicit: true, Status: ticket.StatusOpen, Assignee: "a", Group: "g",
		Line: 2, Tags: []string{"t"}, Fields: map[string]string{"k": "v"}, Language: language.German,
		LanguageDetected: true, Problem: uuid.New(), Links: []ticket.Link{{Kind: ticket.LinkRelated, Target: uuid.New()}},
		Satisfaction: ticket.Rating{CSAT: 4}, CreatedAt: chaosStart, UpdatedAt: chaosStart.Add(time.Hour),
		SolvedAt: chaosStart.Add(time.Minute), ClosedAt: chaosStart.Add(2 * time.Minute), Version: 7, CommentCount: 3, LastEventSeq: 9}
	doc, err = postgres.TicketDoc(tk)
	require.NoError(t, err)
	var got ticket.Ticket
	require.NoError(t, json.Unmarshal(doc, &got))
	got.Tenant, got.Number, got.Version = tk.Tenant, tk.Number, tk.Version // read from their columns
	assert.Equal(t, tk, got, "a ticket with every field set")

	page, err := st.store.List(ctx, ticket.Query{Limit: 10})
	require.NoError(t, err)
	require.Len(t, page.Tickets, len(tpl))
	var compactSize, wholeSize int
	for _, tk := range page.Tickets {
		whole, err := json.Marshal(tk)
		require.NoError(t, err)
		_, err = st.pool.Exec(ctx, "UPDATE "+st.schema+".tickets SET data = $2 WHERE id = $1", tk.ID, whole)
		require.NoError(t, err)
		read, err := st.store.Ticket(ctx, tk.ID)
		require.NoError(t, err)
		assert.Equal(t, tk, read, "a ticket in the full form reads the same")
		events, err := st.store.Events(ctx, tk.ID, 0)
		require.NoError(t, err)
		for _, e := range events {
			compact, err := postgres.EventDoc(e)
			require.NoError(t, err)
			whole, err := json.Marshal(e)
			require.NoError(t, err)
			assert.Less(t, len(compact), len(whole), "%s is stored in fewer bytes", e.Kind)
			compactSize, wholeSize = compactSize+len(compact), wholeSize+len(whole)
			assert.Equal(t, e, decodeEvent(t, compact))
			_, err = st.pool.Exec(ctx, "UPDATE "+st.schema+".events SET data = $3 WHERE ticket_id = $1 AND seq = $2",
				tk.ID, e.Seq, whole)
			require.NoError(t, err)
		}
		again, err := st.store.Events(ctx, tk.ID, 0)
		require.NoError(t, err)
		assert.Equal(t, events, again, "rows in the full form read the same")
		_, logged, err := st.store.TicketLog(ctx, tk.ID)
		require.NoError(t, err)
		assert.Equal(t, events, logged)
	}
	assert.Less(t, 2*compactSize, wholeSize, "a log is stored in under half the bytes of its full form")
	t.Logf("%d bytes for %d of the full form", compactSize, wholeSize)
}
