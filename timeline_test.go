package supportkit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// lifecycle walks one ticket through the events the conversions must tell apart, one minute
// apart, and returns the desk and the ticket.
func lifecycle(t *testing.T) (*supportkit.Desk, ticket.Ticket) {
	t.Helper()
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now})
	require.NoError(t, err)
	tk := newTicket(t, d) // created + description
	bot := ticket.Actor{Kind: ticket.ActorBot, ID: "bot"}
	cust := ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann"}
	steps := []func() error{
		func() error { return comment(d, tk, bot, true) },    // bot reply
		func() error { return comment(d, tk, agent, false) }, // internal note
		func() error { return comment(d, tk, agent, true) },  // first agent reply
		func() error { return update(d, tk, ticket.Changes{Status: ticket.Ptr(ticket.StatusPending)}) },
		func() error { return comment(d, tk, cust, true) }, // reopens pending
		func() error { return update(d, tk, ticket.Changes{Priority: ticket.Ptr(ticket.PriorityUrgent)}) },
		func() error { return update(d, tk, ticket.Changes{AddTags: []string{"VIP"}}) },
		func() error { return update(d, tk, ticket.Changes{Assignee: ticket.Ptr(agent.ID)}) },
		func() error {
			_, err := d.Tickets().Escalate(ctx, agent, tk.ID, ticket.Escalation{Line: 2, Group: "hardware", Reason: "fuser"})
			return err
		},
		func() error { _, err := d.Tickets().Solve(ctx, agent, tk.ID); return err },
		func() error { return comment(d, tk, cust, true) }, // reopens solved
		func() error { _, err := d.Tickets().Solve(ctx, agent, tk.ID); return err },
		func() error {
			_, err := d.Tickets().Rate(ctx, cust, tk.ID, ticket.Rating{CSAT: 4, CES: 2})
			return err
		},
	}
	for i, step := range steps {
		clock.set(start.Add(time.Duration(i+1) * time.Minute))
		require.NoError(t, step(), "step %d", i)
	}
	return d, tk
}

func comment(d *supportkit.Desk, tk ticket.Ticket, a ticket.Actor, public bool) error {
	_, err := d.Tickets().Comment(context.Background(), a, tk.ID, ticket.NewComment{Public: public, Body: "text"})
	return err
}

func update(d *supportkit.Desk, tk ticket.Ticket, c ticket.Changes) error {
	_, err := d.Tickets().Update(context.Background(), agent, tk.ID, c)
	return err
}

func TestTimelineMapsTheAuditLog(t *testing.T) {
	d, tk := lifecycle(t)
	events, err := d.Tickets().Events(context.Background(), tk.ID)
	require.NoError(t, err)
	var got []string
	for _, e := range supportkit.Timeline(events, "gold") {
		s := fmt.Sprintf("%02d %s", e.At.Sub(start)/time.Minute, e.Kind)
		switch e.Kind {
		case sla.EventReply:
			s += fmt.Sprintf(" author=%d internal=%t", e.Author, e.Internal)
		case sla.EventStatus, sla.EventCreated:
			s += " " + string(e.Status)
		case sla.EventAttributes:
			s += fmt.Sprintf(" %s/%s/%v", e.Attributes.Priority, e.Attributes.Group, e.Attributes.Tags)
		}
		got = append(got, s)
	}
	// Written out by hand from the steps of lifecycle; the description at 00 is not a reply,
	// and the assignment at 08 touches nothing the sla package reads.
	author := func(a sla.Author) int { return int(a) }
	want := []string{
		"00 " + sla.EventCreated.String() + " new",
		fmt.Sprintf("01 %s author=%d internal=false", sla.EventReply, author(sla.AuthorBot)),
		fmt.Sprintf("02 %s author=%d internal=true", sla.EventReply, author(sla.AuthorAgent)),
		fmt.Sprintf("03 %s author=%d internal=false", sla.EventReply, author(sla.AuthorAgent)),
		"03 " + sla.EventStatus.String() + " open", // an agent's public reply opens a new ticket
		"04 " + sla.EventStatus.String() + " pending",
		fmt.Sprintf("05 %s author=%d internal=false", sla.EventReply, author(sla.AuthorCustomer)),
		"05 " + sla.EventStatus.String() + " open",
		"06 " + sla.EventAttributes.String() + " urgent/service-desk/[]",
		"07 " + sla.EventAttributes.String() + " urgent/service-desk/[vip]",
		"09 " + sla.EventAttributes.String() + " urgent/hardware/[vip]",
		"10 " + sla.EventSolved.String(),
		fmt.Sprintf("11 %s author=%d internal=false", sla.EventReply, author(sla.AuthorCustomer)),
		"11 " + sla.EventReopened.String(),
		"12 " + sla.EventSolved.String(),
	}
	assert.Equal(t, want, got)

	res, err := sla.Evaluate(calendarPolicies(t), supportkit.Timeline(events, ""), start.Add(time.Hour))
	require.NoError(t, err, "the sla package accepts the converted timeline")
	assert.Equal(t, sla.Met, res.Clock(sla.FirstResponse).Outcome)
	assert.Equal(t, start.Add(3*time.Minute), res.Clock(sla.FirstResponse).Stop, "the bot reply and the note do not count")
}

func TestMetricsRecordOfTheLifecycle(t *testing.T) {
	d, tk := lifecycle(t)
	rec, ok := d.Metrics().Record(tk.ID.String())
	require.True(t, ok)
	// From the steps of lifecycle: the agent's public reply at 03; the customer wrote at 05
	// and 11; pending from 04 to 05; solved at 10, reopened at 11, solved again at 12.
	assert.Equal(t, start.Add(3*time.Minute), rec.FirstReply)
	assert.Equal(t, 1, rec.AgentReplies)
	assert.Equal(t, 2, rec.CustomerReplies)
	assert.Equal(t, []metrics.Interval{{Start: start.Add(4 * time.Minute), End: start.Add(5 * time.Minute)}}, rec.Pending)
	assert.Equal(t, start.Add(10*time.Minute), rec.FirstSolved)
	assert.Equal(t, start.Add(12*time.Minute), rec.Solved)
	assert.Equal(t, 1, rec.Reopens)
	assert.Equal(t, "urgent", rec.Priority)
	assert.Equal(t, "hardware", rec.Group)
	assert.Equal(t, 2, rec.Line)
	assert.Equal(t, agent.ID, rec.Assignee)
	assert.Equal(t, "email", rec.Channel)
	assert.Equal(t, 4, rec.CSAT)
	assert.Equal(t, 2, rec.CES)
}

// Regression: without a description, the agent's first reply was taken for one.
func TestTimelineWithoutDescriptionCountsTheFirstReply(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now})
	require.NoError(t, err)
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Cannot sign in", Requester: customer})
	require.NoError(t, err)
	clock.set(start.Add(13 * time.Minute))
	require.NoError(t, comment(d, tk, agent, true))

	events, err := d.Tickets().Events(ctx, tk.ID)
	require.NoError(t, err)
	res, err := sla.Evaluate(calendarPolicies(t), supportkit.Timeline(events, ""), clock.Now())
	require.NoError(t, err)
	assert.Equal(t, sla.Met, res.Clock(sla.FirstResponse).Outcome)
	rec, ok := d.Metrics().Record(tk.ID.String())
	require.True(t, ok)
	assert.Equal(t, start.Add(13*time.Minute), rec.FirstReply)
}
