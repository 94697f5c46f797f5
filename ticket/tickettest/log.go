package tickettest

import (
	"bytes"
	"context"
	"slices"
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

// testTicketLogs checks that TicketLogs gives, in ascending ID order and once each, the
// logs of the tickets it is asked for that the store holds (of any tenant), each as Ticket
// and Events give it, and logs that later writes leave as they were read.
func testTicketLogs(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	l, ok := s.(ticket.LogsReader)
	if !ok {
		t.Skip("the store is not a ticket.LogsReader")
	}
	svc := newService(t, s)
	acme, err := ticket.NewService(s, ticket.Config{Tenant: "acme", Now: (&clock{now: fixedStart}).Now})
	require.NoError(t, err)
	var ids []uuid.UUID
	for i := range 4 {
		tk := create(t, svc, ticket.NewTicket{})
		if i == 2 {
			tk = create(t, acme, ticket.NewTicket{})
		}
		if i%2 == 0 {
			_, err := svc.Assign(ctx, agent, tk.ID, "agent-1")
			if i == 2 {
				_, err = acme.Assign(ctx, agent, tk.ID, "agent-1")
			}
			require.NoError(t, err)
		}
		ids = append(ids, tk.ID)
	}
	none, err := l.TicketLogs(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, none)

	asked := []uuid.UUID{ids[3], ids[1], uuid.New(), ids[2], ids[1], ids[0]}
	logs, err := l.TicketLogs(ctx, asked)
	require.NoError(t, err)
	want := slices.Clone(ids)
	slices.SortFunc(want, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
	require.Len(t, logs, len(want), "each ticket held once, the missing one left out")
	read := make([][]ticket.Event, len(logs))
	for i, lg := range logs {
		require.Equal(t, want[i], lg.Ticket.ID, "ascending ID order")
		tk, err := s.Ticket(ctx, lg.Ticket.ID)
		require.NoError(t, err)
		assertSameTicket(t, tk, lg.Ticket)
		events, err := s.Events(ctx, tk.ID, 0)
		require.NoError(t, err)
		assert.Equal(t, events, lg.Events)
		read[i] = make([]ticket.Event, len(lg.Events))
		for j, e := range lg.Events {
			read[i][j] = e.Clone()
		}
	}

	if br, ok := l.(ticket.LogsBufferReader); ok {
		checkLogsInto(t, br, asked, logs)
	}

	for _, id := range ids[:2] {
		_, err = svc.Comment(ctx, agent, id, ticket.NewComment{Public: true, Body: "On it."})
		require.NoError(t, err)
	}
	if e, ok := s.(ticket.Eraser); ok {
		before := find(t, dump(t, s, ""), ids[0])
		_, err := e.Redact(ctx, redaction(before, []string{"agent-1"}, before.Ticket.UpdatedAt.Add(time.Minute)))
		require.NoError(t, err)
	}
	for i, lg := range logs {
		assert.Equal(t, read[i], lg.Events, "a log read before is not changed by later writes")
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = l.TicketLogs(cancelled, ids)
	assert.ErrorIs(t, err, context.Canceled)
}

// checkLogsInto checks that TicketLogsInto gives the logs TicketLogs gave (want), into a
// buffer that holds other events and into the buffer a first call handed back.
func checkLogsInto(t *testing.T, br ticket.LogsBufferReader, ids []uuid.UUID, want []ticket.Log) {
	t.Helper()
	ctx := context.Background()
	buf := make([]ticket.Event, 3, 64)
	for i := range buf[:cap(buf)] {
		buf[:cap(buf)][i] = ticket.Event{TicketID: uuid.New(), Seq: int64(i + 1), Kind: ticket.EventCommented}
	}
	for range 2 {
		logs, next, err := br.TicketLogsInto(ctx, ids, buf)
		require.NoError(t, err)
		require.Len(t, logs, len(want))
		for i := range want {
			assertSameTicket(t, want[i].Ticket, logs[i].Ticket)
			assert.Equal(t, want[i].Events, logs[i].Events, "the events TicketLogs gives")
		}
		buf = next
	}
	none, _, err := br.TicketLogsInto(ctx, nil, buf)
	require.NoError(t, err)
	assert.Empty(t, none)
}

// testCommentsByRef checks that CommentsByRef gives the comments its refs name, as
// Comments gives them, of any tenant, and leaves out a ref whose ticket does not hold the
// comment.
func testCommentsByRef(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	cr, ok := s.(ticket.CommentsReader)
	if !ok {
		t.Skip("the store is not a ticket.CommentsReader")
	}
	svc := newService(t, s)
	acme, err := ticket.NewService(s, ticket.Config{Tenant: "acme", Now: (&clock{now: fixedStart}).Now})
	require.NoError(t, err)
	a := create(t, svc, ticket.NewTicket{})
	b := create(t, acme, ticket.NewTicket{Description: "Another printer."})
	_, err = svc.Comment(ctx, agent, a.ID, ticket.NewComment{Public: true, Body: "On it."})
	require.NoError(t, err)
	ca, err := s.Comments(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, ca, 2)
	cb, err := s.Comments(ctx, b.ID)
	require.NoError(t, err)
	require.Len(t, cb, 1)

	got, err := cr.CommentsByRef(ctx, []ticket.CommentRef{
		{Ticket: a.ID, Comment: ca[1].ID}, {Ticket: b.ID, Comment: cb[0].ID}, {Ticket: a.ID, Comment: ca[1].ID},
		{Ticket: a.ID, Comment: cb[0].ID}, {Ticket: uuid.New(), Comment: ca[0].ID}, {Ticket: a.ID, Comment: uuid.New()},
	})
	require.NoError(t, err)
	want := map[uuid.UUID]ticket.Comment{ca[1].ID: ca[1], cb[0].ID: cb[0]}
	require.Len(t, got, len(want), "only the refs whose ticket holds the comment")
	for id, c := range want {
		g := got[id]
		assert.True(t, c.CreatedAt.Equal(g.CreatedAt))
		g.CreatedAt = c.CreatedAt
		assert.Equal(t, c, g)
	}
	g := got[ca[1].ID]
	g.Body = "changed"
	again, err := s.Comments(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "On it.", again[1].Body, "the comments returned are copies")

	none, err := cr.CommentsByRef(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, none)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = cr.CommentsByRef(cancelled, []ticket.CommentRef{{Ticket: a.ID, Comment: ca[0].ID}})
	assert.ErrorIs(t, err, context.Canceled)
}
