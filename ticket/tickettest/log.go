package tickettest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// logReader returns s as a ticket.LogReader, or skips the test when s has no such ability.
func logReader(t *testing.T, s ticket.Store) ticket.LogReader {
	t.Helper()
	l, ok := s.(ticket.LogReader)
	if !ok {
		t.Skip("the store is not a ticket.LogReader")
	}
	return l
}

// testTicketLog checks that TicketLog gives what Ticket and Events give, ErrNotFound for
// a missing ticket, and a log that later writes (an erasure included) leave as it was read.
func testTicketLog(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	l := logReader(t, s)
	svc := newService(t, s)
	tk := create(t, svc, ticket.NewTicket{})
	_, err := svc.Assign(ctx, agent, tk.ID, "agent-1")
	require.NoError(t, err)
	_, err = svc.Update(ctx, agent, tk.ID, ticket.Changes{AddTags: []string{"vpn"}})
	require.NoError(t, err)

	got, events, err := l.TicketLog(ctx, tk.ID)
	require.NoError(t, err)
	want, err := s.Ticket(ctx, tk.ID)
	require.NoError(t, err)
	assertSameTicket(t, want, got)
	wantEvents, err := s.Events(ctx, tk.ID, 0)
	require.NoError(t, err)
	assert.Equal(t, wantEvents, events)
	assert.Equal(t, got.LastEventSeq, events[len(events)-1].Seq, "the ticket as its last event left it")
	read := make([]ticket.Event, len(events))
	for i, e := range events {
		read[i] = e.Clone()
	}

	_, err = svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Public: true, Body: "On it."})
	require.NoError(t, err)
	if e, ok := s.(ticket.Eraser); ok {
		before := find(t, dump(t, s, ""), tk.ID)
		_, err := e.Redact(ctx, redaction(before, []string{"agent-1"}, before.Ticket.UpdatedAt.Add(time.Minute)))
		require.NoError(t, err)
		erased, err := s.Events(ctx, tk.ID, 0)
		require.NoError(t, err)
		require.NotEqual(t, read, erased[:len(read)], "the erasure changed the stored events")
	}
	assert.Equal(t, read, events, "a log read before is not changed by later writes")

	_, _, err = l.TicketLog(ctx, uuid.New())
	assert.ErrorIs(t, err, ticket.ErrNotFound)
}
