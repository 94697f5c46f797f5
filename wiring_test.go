package supportkit_test

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// updatePolicies promise a first response within an hour and, after each agent reply, the
// next update within 30 minutes (warning at half).
func updatePolicies(t *testing.T) *sla.Policies {
	t.Helper()
	p, err := sla.NewPolicies(sla.Policy{Name: "updates", Targets: map[string]sla.Targets{"": {
		FirstResponse:  &sla.Target{Within: time.Hour},
		PeriodicUpdate: &sla.Target{Within: 30 * time.Minute, Warnings: []sla.Warning{{Percent: 50}}},
	}}})
	require.NoError(t, err)
	return p
}

// A periodic update missed between two agent replies, with no clock check in between, is
// notified by the second reply, although that reply starts the next cycle at once.
func TestPointsReachedBetweenWritesAreNotifiedByTheNextWrite(t *testing.T) {
	clock := &fakeClock{now: start}
	var log hookLog
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Policies: updatePolicies(t), Hooks: log.hooks()})
	require.NoError(t, err)
	tk := newTicket(t, d)
	clock.set(start.Add(10 * time.Minute))
	require.NoError(t, comment(d, tk, agent, true)) // update due 09:40, warning 09:25
	clock.set(start.Add(2 * time.Hour))
	require.NoError(t, comment(d, tk, agent, true))
	assert.Equal(t, []string{"periodic update@09:25"}, log.warnings)
	assert.Equal(t, []string{"periodic update@09:40"}, log.breaches)
}

// A write whose clocks could not be evaluated leaves the Desk's view of the ticket behind:
// the next write must look at what came due in between even though the last view it has
// said nothing was.
func TestWriteAfterAFailedEvaluationCatchesUp(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	store := &flakyStore{Store: ticket.NewMemoryStore()}
	var log hookLog
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Store: store, Policies: updatePolicies(t), Hooks: log.hooks()})
	require.NoError(t, err)
	tk := newTicket(t, d)
	clock.set(start.Add(5 * time.Minute))
	require.NoError(t, comment(d, tk, agent, true))
	require.NoError(t, update(d, tk, ticket.Changes{Status: ticket.Ptr(ticket.StatusPending)})) // updates pause
	clock.set(start.Add(10 * time.Minute))
	store.fail.Store(true)
	require.NoError(t, update(d, tk, ticket.Changes{Status: ticket.Ptr(ticket.StatusOpen)})) // due 09:40 again, unseen
	store.fail.Store(false)
	clock.set(start.Add(2 * time.Hour))
	require.NoError(t, comment(d, tk, agent, true))
	assert.Equal(t, []string{"periodic update@09:25"}, log.warnings)
	assert.Equal(t, []string{"periodic update@09:40"}, log.breaches)
	require.NoError(t, d.CheckClocks(ctx, clock.Now()))
	assert.Len(t, log.breaches, 1)
}

// staleStore lets a write land between a clock check's read of the log and its
// notification, once armed.
type staleStore struct {
	ticket.Store
	arm   atomic.Bool
	write func(id uuid.UUID)
}

func (s *staleStore) Events(ctx context.Context, id uuid.UUID, after int64) ([]ticket.Event, error) {
	events, err := s.Store.Events(ctx, id, after)
	if err == nil && s.arm.CompareAndSwap(true, false) {
		s.write(id)
	}
	return events, err
}

// A clock check that read the log before a write and finished after the Desk had seen the
// write put back the wake of the older log: the update promised by the new reply would be
// looked at 14 minutes late.
func TestOlderCheckDoesNotPutBackTheNextWake(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	store := &staleStore{Store: ticket.NewMemoryStore()}
	p, err := sla.NewPolicies(sla.Policy{Name: "p", Targets: map[string]sla.Targets{"": {
		FirstResponse:  &sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Percent: 50}}},
		PeriodicUpdate: &sla.Target{Within: 15 * time.Minute},
	}}})
	require.NoError(t, err)
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Store: store, Policies: p})
	require.NoError(t, err)
	tk := newTicket(t, d)
	store.write = func(uuid.UUID) { assert.NoError(t, comment(d, tk, agent, true)) }
	clock.set(start.Add(31 * time.Minute))
	store.arm.Store(true)
	require.NoError(t, d.CheckClocks(ctx, clock.Now())) // reads, the agent replies, it notifies
	next, ok := d.NextWake(context.Background(), clock.Now())
	require.True(t, ok)
	assertWakeFor(t, d, tk.ID, start.Add(46*time.Minute), sla.PeriodicUpdate, next) // 15 minutes after the reply
}

// A healthy Desk logs no wiring failure, and its metrics records and routing tasks follow
// the tickets: an assignee given at creation, a wait that ends, ratings with one score, the
// task's deadline and an accepted offer that is not an assignment by hand.
func TestWiringOfAHealthyDesk(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	var logged bytes.Buffer
	router, err := routing.New(routing.Config{Now: clock.Now, OfferTimeout: time.Hour})
	require.NoError(t, err)
	require.NoError(t, router.AddAgent(routing.Agent{ID: "l1-a", Teams: []string{"service-desk"}, Presence: routing.Available,
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 5}}))
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Policies: calendarPolicies(t), Router: router,
		Logger: zerolog.New(&logged)})
	require.NoError(t, err)

	byPhone, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Call", Requester: customer, Author: agent,
		Assignee: agent.ID, Status: ticket.StatusPending, Channel: ticket.ChannelPhone})
	require.NoError(t, err)
	clock.set(start.Add(20 * time.Minute))
	require.NoError(t, update(d, byPhone, ticket.Changes{Status: ticket.Ptr(ticket.StatusOpen)}))
	rec, ok := d.Metrics().Record(byPhone.ID.String())
	require.True(t, ok)
	assert.Equal(t, agent.ID, rec.Assignee)
	require.Len(t, rec.Pending, 1)
	assert.Equal(t, start.Add(20*time.Minute), rec.Pending[0].End)

	tk := newTicket(t, d)
	info, err := router.Task(tk.ID.String())
	require.NoError(t, err)
	assert.Equal(t, start.Add(80*time.Minute), info.Task.Deadline, "the first response, due an hour after 10:20")
	acceptOne(t, d, clock.Now())
	info, err = router.Task(tk.ID.String())
	require.NoError(t, err)
	assert.Equal(t, routing.Assigned, info.State)
	assert.False(t, info.Manual, "taken through an offer")
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	_, err = d.Tickets().Rate(ctx, ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann"}, tk.ID, ticket.Rating{CSAT: 5})
	require.NoError(t, err)
	rec, ok = d.Metrics().Record(tk.ID.String())
	require.True(t, ok)
	assert.Equal(t, 5, rec.CSAT)
	assert.Zero(t, rec.CES)
	_, err = d.Tickets().Rate(ctx, ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann"}, byPhone.ID, ticket.Rating{CES: 2})
	require.NoError(t, err)
	rec, ok = d.Metrics().Record(byPhone.ID.String())
	require.True(t, ok)
	assert.Zero(t, rec.CSAT)
	assert.Equal(t, 2, rec.CES)
	assert.Empty(t, logged.String())
}

// A check run with an instant ahead of the Desk's clock (a scheduler on another machine)
// must not make the Desk ignore the next write's wake because that write is stamped
// earlier than the check.
func TestWriteAfterACheckAheadOfTheClockSetsTheNextWake(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start.Add(31 * time.Minute)}
	p, err := sla.NewPolicies(sla.Policy{Name: "p", Targets: map[string]sla.Targets{"": {
		FirstResponse:  &sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Percent: 50}}},
		PeriodicUpdate: &sla.Target{Within: 15 * time.Minute},
	}}})
	require.NoError(t, err)
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Policies: p})
	require.NoError(t, err)
	tk := newTicket(t, d)
	require.NoError(t, d.CheckClocks(ctx, start.Add(65*time.Minute)))
	require.NoError(t, comment(d, tk, agent, true))
	next, ok := d.NextWake(context.Background(), clock.Now())
	require.True(t, ok)
	assertWakeFor(t, d, tk.ID, start.Add(46*time.Minute), sla.PeriodicUpdate, next) // 15 minutes after the reply
}

// After a check the next wake moves on to what comes next; left at the point just notified
// it would be in the past and a scheduler would spin.
func TestNextWakeMovesOnAfterACheck(t *testing.T) {
	ctx := context.Background()
	d, err := supportkit.New(supportkit.Config{Now: func() time.Time { return start }, Policies: calendarPolicies(t)})
	require.NoError(t, err)
	tk := newTicket(t, d)
	now := start.Add(31 * time.Minute)
	require.NoError(t, d.CheckClocks(ctx, now))
	next, ok := d.NextWake(context.Background(), now)
	require.True(t, ok)
	assert.True(t, next.After(now), "next wake %v is not after the check at %v", next, now)
	assertWakeFor(t, d, tk.ID, start.Add(time.Hour), sla.FirstResponse, next)
}

// A Desk started over a store that already holds open tickets knows nothing of their
// clocks until they change: their next write catches up on what came due before it.
func TestDeskStartedOverAnExistingStoreCatchesUpAtTheNextWrite(t *testing.T) {
	clock := &fakeClock{now: start}
	store := ticket.NewMemoryStore()
	first, err := supportkit.New(supportkit.Config{Now: clock.Now, Store: store, Policies: calendarPolicies(t)})
	require.NoError(t, err)
	tk := newTicket(t, first)

	var log hookLog
	second, err := supportkit.New(supportkit.Config{Now: clock.Now, Store: store, Policies: calendarPolicies(t), Hooks: log.hooks()})
	require.NoError(t, err)
	_, ok := second.NextWake(context.Background(), start)
	assert.False(t, ok, "no ticket seen yet")
	clock.set(start.Add(2 * time.Hour))
	require.NoError(t, comment(second, tk, agent, true))
	assert.Equal(t, []string{"first response@09:30"}, log.warnings)
	assert.Equal(t, []string{"first response@10:00"}, log.breaches)
	next, ok := second.NextWake(context.Background(), clock.Now())
	require.True(t, ok)
	assertWakeFor(t, second, tk.ID, start.Add(8*time.Hour), sla.Resolution, next)
}
