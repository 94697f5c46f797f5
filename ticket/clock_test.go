package ticket_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// TestEventTimesNeverGoBackWhenTheClockSteps guards fault 6 (ticket side): one event stamped
// earlier than its predecessor (an NTP step, or skew between processes sharing a store)
// made the timeline unusable for SLA. The Service clamps the change to the ticket's last
// event time and records the clock's reading in ClampedFrom.
func TestEventTimesNeverGoBackWhenTheClockSteps(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{})
	b.clock.Advance(10 * time.Minute)
	_, err := b.svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: "Looking."})
	require.NoError(t, err)
	last := start.Add(10 * time.Minute)

	b.clock.Advance(-time.Hour) // the clock steps back
	stepped := b.clock.Now()
	c, err := b.svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Public: true, Body: "Fixed?"})
	require.NoError(t, err)
	assert.True(t, c.CreatedAt.Equal(last), "the comment is not older than the log")
	got, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Assignee: ticket.Ptr("agent-7"), Status: ticket.Ptr(ticket.StatusSolved)})
	require.NoError(t, err)
	assert.True(t, got.UpdatedAt.Equal(last))
	assert.True(t, got.SolvedAt.Equal(last))

	b.clock.Advance(2 * time.Hour) // and is ahead again
	_, err = b.svc.Reopen(ctx, agent, tk.ID)
	require.NoError(t, err)

	evs := b.events(t, tk.ID)
	for i, e := range evs {
		if i > 0 {
			assert.False(t, e.At.Before(evs[i-1].At), "event %d goes back in time", e.Seq)
		}
		switch {
		case e.Seq <= 3: // created, description, first note
			assert.Zero(t, e.ClampedFrom, "event %d", e.Seq)
		case e.Kind == ticket.EventReopened:
			assert.Zero(t, e.ClampedFrom, "a clock ahead again is read as is")
			assert.True(t, e.At.Equal(stepped.Add(2*time.Hour)))
		default:
			assert.True(t, e.At.Equal(last), "event %d at the previous event's time", e.Seq)
			assert.True(t, e.ClampedFrom.Equal(stepped), "event %d records the reading", e.Seq)
		}
	}
	assert.Equal(t, ticket.EventReopened, evs[len(evs)-1].Kind)
	assert.Len(t, evs, 8, "created, commented x3, status open, assignee, solved, reopened")
}

// TestMergeClampsEachTicketToItsOwnLastEvent guards the clamp in a write of two tickets: each
// ticket's events are measured against its own log.
func TestMergeClampsEachTicketToItsOwnLastEvent(t *testing.T) {
	b := setup(t, ticket.Config{})
	older := b.create(t, ticket.NewTicket{})
	b.clock.Advance(time.Hour)
	newer := b.create(t, ticket.NewTicket{})
	b.clock.Advance(-30 * time.Minute)
	_, err := b.svc.Merge(ctx, agent, newer.ID, older.ID)
	require.NoError(t, err)
	src, dst := b.events(t, newer.ID), b.events(t, older.ID)
	assert.True(t, src[len(src)-1].At.Equal(start.Add(time.Hour)), "the source is clamped to its creation")
	assert.True(t, src[len(src)-1].ClampedFrom.Equal(start.Add(30*time.Minute)))
	assert.True(t, dst[len(dst)-1].At.Equal(start.Add(30*time.Minute)), "the target's log is older: no clamp")
	assert.Zero(t, dst[len(dst)-1].ClampedFrom)
}
