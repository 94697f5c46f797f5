package supportkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/ticket"
)

// Stats.AHT was never ok through a Desk: nothing fed handle time. The Desk estimates it as
// the time a ticket is assigned in an open status; the expected values are the segments of
// each story added up by hand.
func TestAHTIsTheAssignedOpenTimeOfTheTickets(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now})
	require.NoError(t, err)
	svc := d.Tickets()
	at := func(minutes int) { clock.set(start.Add(time.Duration(minutes) * time.Minute)) }
	update := func(id ticket.Ticket, c ticket.Changes) {
		_, err := svc.Update(ctx, agent, id.ID, c)
		require.NoError(t, err)
	}

	// A: assigned at 09:10, pending at 09:30 (20m), reopened by the customer at 11:00,
	// solved at 11:15 (15m): 35m.
	a := newTicket(t, d)
	at(10)
	update(a, ticket.Changes{Assignee: ticket.Ptr("agent-1")})
	at(30)
	update(a, ticket.Changes{Status: ticket.Ptr(ticket.StatusPending)})
	at(120)
	ann := ticket.Actor{Kind: ticket.ActorCustomer, Name: customer.Name}
	_, err = svc.Comment(ctx, ann, a.ID, ticket.NewComment{Public: true, Body: "Still jams."})
	require.NoError(t, err)
	at(135)
	_, err = svc.Solve(ctx, agent, a.ID)
	require.NoError(t, err)

	// B: created assigned at 09:00, unassigned at 09:05 (5m), assigned at 09:20, handed
	// to another agent at 09:30 (no pause), on hold at 09:45 (25m), solved at 10:00 while
	// on hold: 30m.
	at(0)
	b, err := svc.Create(ctx, ticket.NewTicket{Subject: "VPN", Requester: customer, Assignee: "agent-1"})
	require.NoError(t, err)
	at(5)
	update(b, ticket.Changes{Assignee: ticket.Ptr("")})
	at(20)
	update(b, ticket.Changes{Assignee: ticket.Ptr("agent-2")})
	at(30)
	update(b, ticket.Changes{Assignee: ticket.Ptr("agent-3")})
	at(45)
	update(b, ticket.Changes{Status: ticket.Ptr(ticket.StatusOnHold)})
	at(60)
	_, err = svc.Solve(ctx, agent, b.ID)
	require.NoError(t, err)

	// C: never assigned: no handle time, so it does not count in AHT.
	c := newTicket(t, d)

	for id, want := range map[string]time.Duration{a.ID.String(): 35 * time.Minute, b.ID.String(): 30 * time.Minute} {
		r, ok := d.Metrics().Record(id)
		require.True(t, ok)
		got, ok := metrics.AgentWorkTime(&r, nil)
		assert.True(t, ok)
		assert.Equal(t, want, got)
	}
	r, ok := d.Metrics().Record(c.ID.String())
	require.True(t, ok)
	assert.Empty(t, r.Handle)

	rep, err := d.Report(context.Background(), metrics.ReportConfig{})
	require.NoError(t, err)
	aht, ok := rep.Total().AHT()
	require.True(t, ok)
	assert.Equal(t, (35*time.Minute+30*time.Minute)/2, aht)
}

// A segment still running is not handle time yet; a ticket solved on first contact has none.
func TestHandleTimeOfOpenAndFirstContactTickets(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now})
	require.NoError(t, err)
	open, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Requester: customer, Assignee: "agent-1"})
	require.NoError(t, err)
	solved, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Password", Requester: customer,
		Assignee: "agent-1", Status: ticket.StatusSolved, Author: agent})
	require.NoError(t, err)
	clock.set(start.Add(time.Hour))

	r, _ := d.Metrics().Record(open.ID.String())
	assert.Equal(t, []metrics.Interval{{Start: start}}, r.Handle)
	r, _ = d.Metrics().Record(solved.ID.String())
	assert.Empty(t, r.Handle)
	rep, err := d.Report(context.Background(), metrics.ReportConfig{})
	require.NoError(t, err)
	_, ok := rep.Total().AHT()
	assert.False(t, ok)
}
