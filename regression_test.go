package supportkit_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// Regression tests for wiring faults, each named after what broke.

func TestTimelineKeepsTheCreationTagsWhenTagsChangeLater(t *testing.T) {
	ctx := context.Background()
	d, err := supportkit.New(supportkit.Config{Now: func() time.Time { return start }})
	require.NoError(t, err)
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "s", Requester: customer, Tags: []string{"a", "vip"}})
	require.NoError(t, err)
	require.NoError(t, update(d, tk, ticket.Changes{RemoveTags: []string{"a"}}))
	events, err := d.Tickets().Events(ctx, tk.ID)
	require.NoError(t, err)
	tl := supportkit.Timeline(events, "")
	assert.Equal(t, []string{"a", "vip"}, tl[0].Attributes.Tags)
	assert.Equal(t, []string{"vip"}, tl[len(tl)-1].Attributes.Tags)
}

func TestTicketSolvedOnFirstContactMeetsItsClocksAndCountsAsSolved(t *testing.T) {
	ctx := context.Background()
	var log hookLog
	d, err := supportkit.New(supportkit.Config{
		Now: func() time.Time { return start }, Policies: calendarPolicies(t), Hooks: log.hooks(),
	})
	require.NoError(t, err)
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{
		Subject: "Password reset by phone", Requester: customer, Channel: ticket.ChannelPhone,
		Author: agent, Assignee: agent.ID, Status: ticket.StatusSolved,
	})
	require.NoError(t, err)
	res, err := d.Clocks(ctx, tk.ID, start.Add(10*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, sla.Met, res.Clock(sla.FirstResponse).Outcome, "stopped at creation, met")
	assert.Equal(t, sla.Met, res.Clock(sla.Resolution).Outcome)
	require.NoError(t, d.CheckClocks(ctx, start.Add(10*time.Hour)))
	assert.Empty(t, log.breaches)
	assert.Equal(t, 1, log.solved, "OnSolved runs for a ticket created solved")
	assert.Equal(t, []string{agent.ID}, log.assigned, "OnAssigned runs for a ticket created with an agent")

	rec, ok := d.Metrics().Record(tk.ID.String())
	require.True(t, ok)
	assert.Equal(t, start, rec.FirstSolved)
	assert.Equal(t, start, rec.Solved)
}

func TestTicketCreatedPendingStartsTheCustomersWait(t *testing.T) {
	ctx := context.Background()
	d, err := supportkit.New(supportkit.Config{Now: func() time.Time { return start }})
	require.NoError(t, err)
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{
		Subject: "Send us the logs", Requester: customer, Author: agent, Status: ticket.StatusPending,
	})
	require.NoError(t, err)
	rec, ok := d.Metrics().Record(tk.ID.String())
	require.True(t, ok)
	require.Len(t, rec.Pending, 1)
	assert.Equal(t, start, rec.Pending[0].Start)
}

func TestBreachIsNotNotifiedAgainAfterTheTicketCloses(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	var log hookLog
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Policies: calendarPolicies(t), Hooks: log.hooks()})
	require.NoError(t, err)
	tk := newTicket(t, d)
	clock.set(start.Add(2 * time.Hour))
	require.NoError(t, d.CheckClocks(ctx, clock.Now()))
	require.Equal(t, []string{"first response@10:00"}, log.breaches)

	_, err = d.Tickets().Assign(ctx, agent, tk.ID, agent.ID)
	require.NoError(t, err)
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	_, err = d.Tickets().Close(ctx, agent, tk.ID)
	require.NoError(t, err)
	cust := ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann"}
	for range 2 {
		_, err = d.Tickets().Rate(ctx, cust, tk.ID, ticket.Rating{CSAT: 3})
		require.NoError(t, err)
	}
	assert.Equal(t, []string{"first response@10:00"}, log.breaches)
	assert.Equal(t, []string{"first response@09:30"}, log.warnings)
}

func TestUnassigningAnOpenTicketFreesTheAgentAndQueuesItAgain(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, router := routedDesk(t, clock)
	tk := newTicket(t, d)
	offer := acceptOne(t, d, start)

	_, err := d.Tickets().Assign(ctx, agent, tk.ID, "")
	require.NoError(t, err)
	held, err := router.Agent(offer.AgentID)
	require.NoError(t, err)
	assert.Zero(t, held.Load[routing.ChannelEmail])
	info, err := router.Task(tk.ID.String())
	require.NoError(t, err)
	assert.Equal(t, routing.Queued, info.State)
}

func TestAssigningASolvedTicketTakesNoCapacity(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, router := routedDesk(t, clock)
	tk := newTicket(t, d)
	_, err := d.Tickets().Assign(ctx, agent, tk.ID, "l1-a")
	require.NoError(t, err)
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	_, err = d.Tickets().Assign(ctx, agent, tk.ID, "l1-b")
	require.NoError(t, err)
	for _, id := range []string{"l1-a", "l1-b"} {
		a, err := router.Agent(id)
		require.NoError(t, err)
		assert.Zero(t, a.Load[routing.ChannelEmail], id)
	}
}

func TestTransferToATeamAndAnAgentInOneWriteStaysWithThatAgent(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, router := routedDesk(t, clock)
	tk := newTicket(t, d)
	_, err := d.Tickets().Update(ctx, agent, tk.ID, ticket.Changes{Group: ticket.Ptr("hardware"), Assignee: ticket.Ptr("l2-a")})
	require.NoError(t, err)
	info, err := router.Task(tk.ID.String())
	require.NoError(t, err)
	assert.Equal(t, routing.Assigned, info.State)
	assert.Equal(t, "l2-a", info.AgentID)
	offers, err := d.Dispatch(ctx, start)
	require.NoError(t, err)
	assert.Empty(t, offers)
}

func TestAcceptingAReopenedTicketByItsLastAgentRunsOnAssigned(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	router, err := routing.New(routing.Config{Now: clock.Now, OfferTimeout: time.Hour})
	require.NoError(t, err)
	require.NoError(t, router.AddAgent(routing.Agent{ID: "l1-a", Teams: []string{"service-desk"},
		Presence: routing.Available, Capacity: map[routing.Channel]int{routing.ChannelEmail: 5}}))
	var log hookLog
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Router: router, Hooks: log.hooks()})
	require.NoError(t, err)
	tk := newTicket(t, d)
	acceptOne(t, d, start)
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	require.NoError(t, comment(d, tk, ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann"}, true))

	acceptOne(t, d, start.Add(time.Minute))
	assert.Equal(t, []string{"l1-a", "l1-a"}, log.assigned)
}

func TestHostTaskIsNamedByTheTicketID(t *testing.T) {
	clock := &fakeClock{now: start}
	router, err := routing.New(routing.Config{Now: clock.Now})
	require.NoError(t, err)
	require.NoError(t, router.AddAgent(routing.Agent{ID: "l1-a", Presence: routing.Available,
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 5}}))
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Router: router,
		Task: func(tk ticket.Ticket) (routing.Task, bool) {
			return routing.Task{ID: "host-" + tk.Number, Channel: routing.ChannelEmail}, true
		}})
	require.NoError(t, err)
	tk := newTicket(t, d)
	offer := acceptOne(t, d, start)
	assert.Equal(t, tk.ID.String(), offer.TaskID)
	got, err := d.Tickets().Get(context.Background(), tk.ID)
	require.NoError(t, err)
	assert.Equal(t, "l1-a", got.Assignee)
}

// interferingStore unassigns the ticket behind the reader's back once, right after the
// read that arm enables: a write that lands between a read and the reader's own write.
type interferingStore struct {
	ticket.Store
	arm   atomic.Bool
	write func(id uuid.UUID)
}

func (s *interferingStore) Ticket(ctx context.Context, id uuid.UUID) (ticket.Ticket, error) {
	t, err := s.Store.Ticket(ctx, id)
	if err == nil && s.arm.CompareAndSwap(true, false) {
		s.write(id)
	}
	return t, err
}

// Accept decided from the ticket it read before assigning whether the assignment was
// already the agent's; when someone unassigned the ticket in between, Accept's write ran
// OnAssigned and Accept ran it a second time.
func TestAcceptRunsOnAssignedOnceWhenTheTicketChangesUnderIt(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	router, err := routing.New(routing.Config{Now: clock.Now, OfferTimeout: time.Hour})
	require.NoError(t, err)
	require.NoError(t, router.AddAgent(routing.Agent{ID: "l1-a", Teams: []string{"service-desk"},
		Presence: routing.Available, Capacity: map[routing.Channel]int{routing.ChannelEmail: 5}}))
	var log hookLog
	store := &interferingStore{Store: ticket.NewMemoryStore()}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Store: store, Router: router, Hooks: log.hooks()})
	require.NoError(t, err)
	store.write = func(id uuid.UUID) {
		_, err := d.Tickets().Assign(ctx, agent, id, "")
		assert.NoError(t, err)
	}
	tk := newTicket(t, d)
	acceptOne(t, d, start)
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	require.NoError(t, comment(d, tk, ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann"}, true))

	offers, err := d.Dispatch(ctx, start.Add(time.Minute))
	require.NoError(t, err)
	require.Len(t, offers, 1)
	store.arm.Store(true)
	got, err := d.Accept(ctx, offers[0])
	require.NoError(t, err)
	assert.Equal(t, "l1-a", got.Assignee)
	assert.Equal(t, []string{"l1-a", "l1-a"}, log.assigned, "the first accept, then this one, once")
}
