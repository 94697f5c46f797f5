package supportkit_test

import (
	"bytes"
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// Regression tests for SLA notifications, each named after what broke.

// A check that ran after a merge closed the breached source, but before the Desk had seen
// the merge, notified the breach and forgot the ticket; the Desk then notified it again.
func TestBreachIsNotifiedOnceWhenACheckRunsBetweenAMergeAndTheDesk(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	var log hookLog
	var d *supportkit.Desk
	checkFirst := func(ctx context.Context, e ticket.Event, _ ticket.Ticket) { // runs before the Desk's observer
		if e.Kind == ticket.EventMerged {
			assert.NoError(t, d.CheckClocks(ctx, clock.Now()))
		}
	}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Policies: calendarPolicies(t), Hooks: log.hooks(),
		Tickets: ticket.Config{Observers: []ticket.Observer{checkFirst}}})
	require.NoError(t, err)
	source, target := newTicket(t, d), newTicket(t, d)
	require.NoError(t, d.CheckClocks(ctx, start.Add(40*time.Minute)))
	require.Len(t, log.warnings, 2, "both tickets warned at 09:30")

	clock.set(start.Add(2 * time.Hour))
	_, err = d.Tickets().Merge(ctx, agent, source.ID, target.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"first response@10:00", "first response@10:00"}, log.breaches,
		"one breach per ticket, the merged source's included")
	require.NoError(t, d.CheckClocks(ctx, start.Add(3*time.Hour)))
	assert.Len(t, log.breaches, 2)
}

// nextResponsePolicies promise a next response within an hour of each customer reply.
func nextResponsePolicies(t *testing.T) *sla.Policies {
	t.Helper()
	p, err := sla.NewPolicies(sla.Policy{Name: "chat", Targets: map[string]sla.Targets{"": {
		NextResponse: &sla.Target{Within: time.Hour},
	}}})
	require.NoError(t, err)
	return p
}

// Notifications keyed without their cycle would never notify the second breach of a
// cyclic clock.
func TestEachBreachedCycleOfTheNextResponseIsNotifiedOnce(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	var cycles []int
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Policies: nextResponsePolicies(t), Hooks: supportkit.Hooks{
		OnBreach: func(_ context.Context, _ ticket.Ticket, c sla.ClockResult) error {
			assert.Equal(t, sla.NextResponse, c.Metric)
			cycles = append(cycles, c.Cycles)
			return nil
		},
	}})
	require.NoError(t, err)
	tk := newTicket(t, d)
	cust := ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann"}
	at := func(m time.Duration, a ticket.Actor) {
		clock.set(start.Add(m * time.Minute))
		require.NoError(t, comment(d, tk, a, true))
	}
	at(10, agent) // first response
	at(20, cust)  // next response due 10:20
	require.NoError(t, d.CheckClocks(ctx, start.Add(90*time.Minute)))
	at(100, agent)
	at(120, cust) // due 12:00
	require.NoError(t, d.CheckClocks(ctx, start.Add(190*time.Minute)))
	require.NoError(t, d.CheckClocks(ctx, start.Add(200*time.Minute)))
	assert.Equal(t, []int{1, 2}, cycles)
}

// An agent's public reply at the instant of creation (a frozen clock, a store that keeps
// whole seconds) was taken for the description: the first response was reported breached
// while metrics recorded the reply.
func TestReplyAtTheCreationInstantIsNotTakenForTheDescription(t *testing.T) {
	ctx := context.Background()
	for name, c := range map[string]struct {
		author      ticket.Actor
		description string
	}{
		"customer's ticket":                 {ticket.Actor{}, "Every page jams."},
		"agent's ticket":                    {agent, "Every page jams."},
		"agent's ticket, no description":    {agent, ""},
		"customer's ticket, no description": {ticket.Actor{}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			var log hookLog
			d, err := supportkit.New(supportkit.Config{Now: func() time.Time { return start }, Policies: calendarPolicies(t), Hooks: log.hooks()})
			require.NoError(t, err)
			tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Printer jams", Description: c.description,
				Requester: customer, Author: c.author, Channel: ticket.ChannelPhone})
			require.NoError(t, err)
			require.NoError(t, comment(d, tk, agent, true))

			res, err := d.Clocks(ctx, tk.ID, start.Add(3*time.Hour))
			require.NoError(t, err)
			assert.Equal(t, sla.Met, res.Clock(sla.FirstResponse).Outcome)
			assert.Equal(t, start, res.Clock(sla.FirstResponse).Stop)
			require.NoError(t, d.CheckClocks(ctx, start.Add(3*time.Hour)))
			assert.Empty(t, log.breaches)
			rec, ok := d.Metrics().Record(tk.ID.String())
			require.True(t, ok)
			assert.Equal(t, start, rec.FirstReply)
			assert.Equal(t, 1, rec.AgentReplies, "the reply, not the description")
		})
	}
}

// The description is the comment the creation names, even when it is not the first event
// after the creation or is written by someone other than the ticket's author.
func TestTimelineLeavesOutOnlyTheDescription(t *testing.T) {
	created := ticket.Event{Seq: 1, Kind: ticket.EventCreated, At: start, CommentID: uuid.Must(uuid.NewV7()), ToStatus: ticket.StatusNew}
	description := ticket.Event{Seq: 3, Kind: ticket.EventCommented, At: start, CommentID: created.CommentID, Public: true, AuthorKind: ticket.ActorAgent}
	reply := ticket.Event{Seq: 4, Kind: ticket.EventCommented, At: start, CommentID: uuid.Must(uuid.NewV7()), Public: true, AuthorKind: ticket.ActorAgent}
	linked := ticket.Event{Seq: 2, Kind: ticket.EventLinked, At: start}
	tl := supportkit.Timeline([]ticket.Event{created, linked, description, reply}, "")
	require.Len(t, tl, 2)
	assert.Equal(t, sla.EventReply, tl[1].Kind)
	assert.Equal(t, sla.AuthorAgent, tl[1].Author)

	created.CommentID = uuid.Nil // created without a description: every comment is a reply
	assert.Len(t, supportkit.Timeline([]ticket.Event{created, description, reply}, ""), 3)
}

// One event stamped earlier than the one before it (a clock stepped back) made the sla
// package reject the ticket's timeline: its clocks could no longer be read, breaches were
// never notified and NextWake stayed in the past, so a scheduler would spin.
func TestClockSteppingBackKeepsTheTicketsSLA(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	var log hookLog
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Policies: calendarPolicies(t), Hooks: log.hooks()})
	require.NoError(t, err)
	tk := newTicket(t, d)
	clock.set(start.Add(20 * time.Minute))
	require.NoError(t, comment(d, tk, agent, false))
	clock.set(start.Add(10 * time.Minute)) // stepped back
	require.NoError(t, comment(d, tk, agent, false))

	res, err := d.Clocks(ctx, tk.ID, start.Add(2*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, sla.Breached, res.Clock(sla.FirstResponse).Outcome, "internal notes are no response")
	now := start.Add(2 * time.Hour)
	require.NoError(t, d.CheckClocks(ctx, now))
	assert.Equal(t, []string{"first response@09:30"}, log.warnings)
	assert.Equal(t, []string{"first response@10:00"}, log.breaches)
	next, ok := d.NextWake(context.Background(), now)
	require.True(t, ok, "the resolution clock runs")
	assertWakeFor(t, d, tk.ID, start.Add(8*time.Hour), sla.Resolution, next)
}

// flakyStore fails reading events while fail is set, and returns a log the sla package
// rejects (the creation twice) while garble is set.
type flakyStore struct {
	ticket.Store
	fail, garble atomic.Bool
}

var errStoreDown = errors.New("store down")

func (s *flakyStore) Events(ctx context.Context, id uuid.UUID, after int64) ([]ticket.Event, error) {
	if s.fail.Load() {
		return nil, errStoreDown
	}
	events, err := s.Store.Events(ctx, id, after)
	if err == nil && s.garble.Load() {
		events = append(events, events[0])
	}
	return events, err
}

// A ticket whose clocks cannot be evaluated must neither keep NextWake in the past (a
// scheduler would spin) nor be dropped: the failure is reported and the ticket is tried
// again later.
func TestTicketThatCannotBeEvaluatedIsRetriedLaterAndReported(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	store := &flakyStore{Store: ticket.NewMemoryStore()}
	var logged bytes.Buffer
	var log hookLog
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Store: store, Policies: calendarPolicies(t),
		Hooks: log.hooks(), Logger: zerolog.New(&logged)})
	require.NoError(t, err)
	store.fail.Store(true)
	newTicket(t, d)
	assert.Contains(t, logged.String(), errStoreDown.Error(), "the Desk logs what it could not wire")

	for _, now := range []time.Time{start.Add(time.Minute), start.Add(2 * time.Minute)} {
		next, ok := d.NextWake(context.Background(), now)
		require.True(t, ok, "the ticket is not dropped")
		require.False(t, next.After(now), "due by %v", now)
		assert.ErrorIs(t, d.CheckClocks(ctx, now), errStoreDown)
		next, ok = d.NextWake(context.Background(), now)
		require.True(t, ok)
		assert.True(t, next.After(now), "after a failed check at %v the next wake is %v", now, next)
	}
	store.fail.Store(false)
	require.NoError(t, d.CheckClocks(ctx, start.Add(2*time.Hour)))
	assert.Equal(t, []string{"first response@09:30"}, log.warnings)
	assert.Equal(t, []string{"first response@10:00"}, log.breaches)
}

// A breach was announced at the deadline instant, before it had happened: a scheduler
// waking exactly at NextWake called OnBreach, and the reply stamped with that instant then
// met the clock. A clock breaches once now is past its deadline.
//
// This test needs the sla package's rule that a clock is not breached at the deadline
// instant itself.
func TestSchedulerWakingAtNextWakeDoesNotAnnounceABreachBeforeItHappens(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	var log hookLog
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Policies: calendarPolicies(t), Hooks: log.hooks()})
	require.NoError(t, err)
	tk := newTicket(t, d)
	deadline := start.Add(time.Hour)
	for next, ok := d.NextWake(context.Background(), start); ok && !next.After(deadline); next, ok = d.NextWake(context.Background(), next) {
		require.NoError(t, d.CheckClocks(ctx, next))
	}
	clock.set(deadline)
	require.NoError(t, comment(d, tk, agent, true)) // answered at the last instant

	require.NoError(t, d.CheckClocks(ctx, deadline.Add(time.Hour)))
	assert.Empty(t, log.breaches)
	assert.Equal(t, []string{"first response@09:30"}, log.warnings)
	res, err := d.Clocks(ctx, tk.ID, deadline)
	require.NoError(t, err)
	assert.Equal(t, sla.Met, res.Clock(sla.FirstResponse).Outcome)
}

// The counterpart: the first wake after the deadline notifies the breach, once, at the
// deadline. This test too needs the sla package's rule.
func TestFirstWakeAfterTheDeadlineNotifiesTheBreach(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	var log hookLog
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Policies: calendarPolicies(t), Hooks: log.hooks()})
	require.NoError(t, err)
	newTicket(t, d)
	deadline := start.Add(time.Hour)
	require.NoError(t, d.CheckClocks(ctx, deadline.Add(-time.Minute)))
	next, ok := d.NextWake(context.Background(), deadline.Add(-time.Minute))
	require.True(t, ok)
	assert.True(t, next.After(deadline), "the breach is observable only after %v, not at %v", deadline, next)
	require.NoError(t, d.CheckClocks(ctx, deadline))
	assert.Empty(t, log.breaches, "not at the deadline itself")
	require.NoError(t, d.CheckClocks(ctx, next))
	require.NoError(t, d.CheckClocks(ctx, next.Add(time.Minute)))
	assert.Equal(t, []string{"first response@10:00"}, log.breaches)
}

// A ticket whose timeline the sla package rejects is reported by CheckClocks and is not
// due again until it changes: the same log would give the same error, and a NextWake in the
// past would make a scheduler spin.
func TestTicketWhoseTimelineIsRejectedIsNotDueUntilItChanges(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	store := &flakyStore{Store: ticket.NewMemoryStore()}
	var log hookLog
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Store: store, Policies: calendarPolicies(t), Hooks: log.hooks()})
	require.NoError(t, err)
	tk := newTicket(t, d)
	store.garble.Store(true)
	now := start.Add(40 * time.Minute)
	assert.ErrorIs(t, d.CheckClocks(ctx, now), sla.ErrInvalid)
	_, ok := d.NextWake(context.Background(), now)
	assert.False(t, ok, "nothing to do until the ticket changes")
	assert.NoError(t, d.CheckClocks(ctx, now.Add(time.Minute)))

	store.garble.Store(false)
	clock.set(start.Add(2 * time.Hour))
	require.NoError(t, comment(d, tk, agent, false)) // a change: evaluated again
	assert.Equal(t, []string{"first response@09:30"}, log.warnings)
	assert.Equal(t, []string{"first response@10:00"}, log.breaches)
	next, ok := d.NextWake(context.Background(), clock.Now())
	require.True(t, ok)
	assertWakeFor(t, d, tk.ID, start.Add(8*time.Hour), sla.Resolution, next)
}

// assertWakeFor checks that the Desk's next wake is the one the sla package gives for the
// ticket's clock m, due at deadline: the deadline itself or the first instant the breach is
// observable, as the sla package decides.
func assertWakeFor(t *testing.T, d *supportkit.Desk, id uuid.UUID, deadline time.Time, m sla.Metric, next time.Time) {
	t.Helper()
	res, err := d.Clocks(context.Background(), id, next.Add(-time.Nanosecond))
	require.NoError(t, err)
	assert.Equal(t, deadline, res.Clock(m).Deadline)
	want, ok := res.NextWake()
	require.True(t, ok)
	assert.Equal(t, want, next)
}
