package supportkit_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// The sla package's calendar is the business-hours calendar of metrics reports.
var _ metrics.Calendar = (*sla.Calendar)(nil)

var (
	start    = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // a Monday
	customer = ticket.Requester{Name: "Ann Lee", Email: "ann@example.com"}
	agent    = ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-1", Name: "Alex Kim"}
)

// fakeClock is a settable clock shared by the Desk and its parts.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// calendarPolicies promise, around the clock, a first response within 1 hour (warning at
// 50%) and resolution within 8 hours.
func calendarPolicies(t *testing.T) *sla.Policies {
	t.Helper()
	p, err := sla.NewPolicies(sla.Policy{
		Name: "standard",
		Targets: map[string]sla.Targets{"": {
			FirstResponse: &sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Percent: 50}}},
			Resolution:    &sla.Target{Within: 8 * time.Hour},
		}},
	})
	require.NoError(t, err)
	return p
}

type hookLog struct {
	mu       sync.Mutex
	warnings []string
	breaches []string
	assigned []string
	solved   int
}

func (h *hookLog) hooks() supportkit.Hooks {
	return supportkit.Hooks{
		OnBreachWarning: func(_ context.Context, _ ticket.Ticket, c sla.ClockResult, w sla.WarningHit) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.warnings = append(h.warnings, c.Metric.String()+"@"+w.At.Format("15:04"))
			return nil
		},
		OnBreach: func(_ context.Context, _ ticket.Ticket, c sla.ClockResult) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.breaches = append(h.breaches, c.Metric.String()+"@"+c.BreachedAt.Format("15:04"))
			return nil
		},
		OnAssigned: func(_ context.Context, t ticket.Ticket) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.assigned = append(h.assigned, t.Assignee)
			return nil
		},
		OnSolved: func(context.Context, ticket.Ticket) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.solved++
			return nil
		},
	}
}

func newTicket(t *testing.T, d *supportkit.Desk) ticket.Ticket {
	t.Helper()
	tk, err := d.Tickets().Create(context.Background(), ticket.NewTicket{
		Subject: "Printer jams", Description: "Every page jams.", Requester: customer,
		Channel: ticket.ChannelEmail, Group: "service-desk",
	})
	require.NoError(t, err)
	return tk
}

func TestClocksFollowTheTicketAndHooksFireOnce(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	var log hookLog
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Policies: calendarPolicies(t), Hooks: log.hooks()})
	require.NoError(t, err)
	tk := newTicket(t, d)

	// Created 09:00: the first response is due 10:00, its warning at 09:30, observable from
	// the instant after.
	wake, ok := d.NextWake(context.Background(), clock.Now())
	require.True(t, ok)
	assert.Equal(t, start.Add(30*time.Minute+time.Nanosecond), wake)

	require.NoError(t, d.CheckClocks(ctx, start.Add(29*time.Minute)))
	assert.Empty(t, log.warnings, "nothing is due before 09:30")
	require.NoError(t, d.CheckClocks(ctx, start.Add(45*time.Minute)))
	require.NoError(t, d.CheckClocks(ctx, start.Add(50*time.Minute)))
	assert.Equal(t, []string{"first response@09:30"}, log.warnings, "a warning is notified once")

	require.NoError(t, d.CheckClocks(ctx, start.Add(61*time.Minute)))
	require.NoError(t, d.CheckClocks(ctx, start.Add(70*time.Minute)))
	assert.Equal(t, []string{"first response@10:00"}, log.breaches, "a breach is notified once")

	// The agent answers at 10:15: the first response is breached for good, resolution runs.
	clock.set(start.Add(75 * time.Minute))
	_, err = d.Tickets().Comment(ctx, agent, tk.ID, ticket.NewComment{Public: true, Body: "Looking."})
	require.NoError(t, err)
	res, err := d.Clocks(ctx, tk.ID, clock.Now())
	require.NoError(t, err)
	assert.Equal(t, sla.Breached, res.Clock(sla.FirstResponse).Outcome)
	assert.Equal(t, sla.Running, res.Clock(sla.Resolution).Outcome)
	assert.Equal(t, start.Add(8*time.Hour), res.Clock(sla.Resolution).Deadline)

	// Solved at 11:00: the resolution is met and nothing is left to watch.
	clock.set(start.Add(2 * time.Hour))
	_, err = d.Tickets().Assign(ctx, agent, tk.ID, agent.ID)
	require.NoError(t, err)
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	_, ok = d.NextWake(context.Background(), clock.Now())
	assert.False(t, ok)

	// Regression: a later event (the rating) once notified the old breach again.
	_, err = d.Tickets().Rate(ctx, ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann"}, tk.ID, ticket.Rating{CSAT: 5})
	require.NoError(t, err)
	assert.Equal(t, []string{"first response@10:00"}, log.breaches)
	assert.Equal(t, []string{"first response@09:30"}, log.warnings)
	assert.Equal(t, 1, log.solved)
	assert.Equal(t, []string{agent.ID}, log.assigned)

	rec, ok := d.Metrics().Record(tk.ID.String())
	require.True(t, ok)
	assert.Equal(t, start.Add(75*time.Minute), rec.FirstReply)
	assert.Equal(t, start.Add(2*time.Hour), rec.Solved)
	assert.Equal(t, 0, rec.CustomerReplies, "the description is not a reply")
	assert.ElementsMatch(t, []metrics.SLAResult{{Metric: metrics.SLAFirstResponse, Met: false}, {Metric: metrics.SLAResolution, Met: true}}, rec.SLA)
}

func TestRoutingOffersAcceptAssignsAndSolveFreesTheAgent(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	router, err := routing.New(routing.Config{Now: clock.Now})
	require.NoError(t, err)
	require.NoError(t, router.AddAgent(routing.Agent{
		ID: agent.ID, Teams: []string{"service-desk"}, Presence: routing.Available,
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 1},
	}))
	var log hookLog
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Router: router, Hooks: log.hooks()})
	require.NoError(t, err)
	first, second := newTicket(t, d), newTicket(t, d)

	offers, err := d.Dispatch(ctx, start)
	require.NoError(t, err)
	require.Len(t, offers, 1, "the agent has room for one email")
	assert.Equal(t, first.ID.String(), offers[0].TaskID, "the older ticket goes first")
	got, err := d.Accept(ctx, offers[0])
	require.NoError(t, err)
	assert.Equal(t, agent.ID, got.Assignee)
	assert.Equal(t, []string{agent.ID}, log.assigned)

	offers, err = d.Dispatch(ctx, start.Add(time.Minute))
	require.NoError(t, err)
	assert.Empty(t, offers, "the agent is full")

	_, err = d.Tickets().Solve(ctx, agent, first.ID)
	require.NoError(t, err)
	offers, err = d.Dispatch(ctx, start.Add(2*time.Minute))
	require.NoError(t, err)
	require.Len(t, offers, 1, "solving freed the agent")
	assert.Equal(t, second.ID.String(), offers[0].TaskID)
}

func TestManualAssignmentTakesTheTicketOutOfTheQueue(t *testing.T) {
	ctx := context.Background()
	router, err := routing.New(routing.Config{Now: func() time.Time { return start }})
	require.NoError(t, err)
	require.NoError(t, router.AddAgent(routing.Agent{
		ID: "agent-2", Presence: routing.Available, Capacity: map[routing.Channel]int{routing.ChannelEmail: 5},
	}))
	d, err := supportkit.New(supportkit.Config{Now: func() time.Time { return start }, Router: router})
	require.NoError(t, err)
	tk := newTicket(t, d)

	// Someone the router does not know takes the ticket: it leaves routing.
	_, err = d.Tickets().Assign(ctx, agent, tk.ID, "outside-1")
	require.NoError(t, err)
	offers, err := d.Dispatch(ctx, start)
	require.NoError(t, err)
	assert.Empty(t, offers)

	// A known agent takes another ticket by hand: recorded as a forced manual assignment.
	other := newTicket(t, d)
	_, err = d.Tickets().Assign(ctx, agent, other.ID, "agent-2")
	require.NoError(t, err)
	info, err := router.Task(other.ID.String())
	require.NoError(t, err)
	assert.Equal(t, routing.Assigned, info.State)
	assert.True(t, info.Manual)
}

func TestPartsNotConfiguredReturnErrNotConfigured(t *testing.T) {
	ctx := context.Background()
	d, err := supportkit.New(supportkit.Config{})
	require.NoError(t, err)
	tk := newTicket(t, d)

	_, err = d.Clocks(ctx, tk.ID, start)
	assert.ErrorIs(t, err, supportkit.ErrNotConfigured)
	_, err = d.Suggest(ctx, tk.ID, 0)
	assert.ErrorIs(t, err, supportkit.ErrNotConfigured)
	_, err = d.Dispatch(ctx, start)
	assert.ErrorIs(t, err, supportkit.ErrNotConfigured)
	_, err = d.Accept(ctx, routing.Offer{TaskID: tk.ID.String()})
	assert.ErrorIs(t, err, supportkit.ErrNotConfigured)
	assert.ErrorIs(t, d.Decline(ctx, routing.Offer{}), supportkit.ErrNotConfigured)
	assert.NoError(t, d.CheckClocks(ctx, start))
}

func TestMissingTicketIsNotFound(t *testing.T) {
	d, err := supportkit.New(supportkit.Config{Policies: calendarPolicies(t)})
	require.NoError(t, err)
	_, err = d.Clocks(context.Background(), uuid.Must(uuid.NewV7()), start)
	assert.ErrorIs(t, err, ticket.ErrNotFound)
}

func TestConcurrentTicketsAllReachMetricsAndRouting(t *testing.T) {
	ctx := context.Background()
	router, err := routing.New(routing.Config{})
	require.NoError(t, err)
	require.NoError(t, router.AddAgent(routing.Agent{
		ID: agent.ID, Teams: []string{"service-desk"}, Presence: routing.Available,
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 1000},
	}))
	d, err := supportkit.New(supportkit.Config{Policies: calendarPolicies(t), Router: router})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range 25 {
				tk := newTicket(t, d)
				_, err := d.Tickets().Comment(ctx, agent, tk.ID, ticket.NewComment{Public: true, Body: "On it."})
				assert.NoError(t, err)
			}
		}()
		go func() { // an agent's client accepting what it is offered
			defer wg.Done()
			for range 25 {
				offers, err := d.Dispatch(ctx, time.Now())
				assert.NoError(t, err)
				for _, o := range offers {
					_, err := d.Accept(ctx, o)
					assert.NoError(t, err)
				}
			}
		}()
	}
	wg.Wait()
	offers, err := d.Dispatch(ctx, time.Now())
	require.NoError(t, err)
	for _, o := range offers {
		_, err := d.Accept(ctx, o)
		require.NoError(t, err)
	}

	rep, err := d.Report(context.Background(), metrics.ReportConfig{})
	require.NoError(t, err)
	assert.Equal(t, 200, rep.Total().Tickets)
	info, err := router.Agent(agent.ID)
	require.NoError(t, err)
	assert.Len(t, info.Tasks, 200, "every ticket reached the agent exactly once")
	assigned := 0
	for tk, err := range d.Tickets().All(ctx, ticket.Query{Assignee: agent.ID}) {
		require.NoError(t, err)
		assert.Equal(t, agent.ID, tk.Assignee)
		assigned++
	}
	assert.Equal(t, 200, assigned)
}

// routedDesk has two line-1 agents of the service desk and one line-2 technician, each with
// room for five emails.
func routedDesk(t *testing.T, clock *fakeClock) (*supportkit.Desk, *routing.Router) {
	t.Helper()
	router, err := routing.New(routing.Config{Now: clock.Now, OfferTimeout: time.Hour})
	require.NoError(t, err)
	for _, a := range []routing.Agent{
		{ID: "l1-a", Line: 1, Teams: []string{"service-desk"}},
		{ID: "l1-b", Line: 1, Teams: []string{"service-desk"}},
		{ID: "l2-a", Line: 2, Teams: []string{"hardware"}},
	} {
		a.Presence = routing.Available
		a.Capacity = map[routing.Channel]int{routing.ChannelEmail: 5}
		require.NoError(t, router.AddAgent(a))
	}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Router: router})
	require.NoError(t, err)
	return d, router
}

func TestWaitingTicketKeepsItsQueuedTimeWhenItChanges(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, router := routedDesk(t, clock)
	tk := newTicket(t, d)
	clock.set(start.Add(10 * time.Minute))
	_, err := d.Tickets().Update(ctx, agent, tk.ID, ticket.Changes{Priority: ticket.Ptr(ticket.PriorityUrgent)})
	require.NoError(t, err)
	info, err := router.Task(tk.ID.String())
	require.NoError(t, err)
	assert.Equal(t, routing.Queued, info.State)
	assert.Equal(t, start, info.Task.QueuedAt, "the ticket keeps its place in the queue")
	assert.Equal(t, ticket.PriorityUrgent.Rank(), info.Task.Priority, "the task follows the ticket")
}

func TestEscalationFreesTheAgentAndQueuesForTheNextLine(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, router := routedDesk(t, clock)
	tk := newTicket(t, d)
	first := acceptOne(t, d, start).AgentID

	clock.set(start.Add(time.Hour))
	_, err := d.Tickets().Escalate(ctx, agent, tk.ID, ticket.Escalation{Line: 2, Group: "hardware", Reason: "fuser"})
	require.NoError(t, err)
	info, err := router.Task(tk.ID.String())
	require.NoError(t, err)
	assert.Equal(t, routing.Queued, info.State)
	assert.Equal(t, 2, info.Task.Line)
	assert.Equal(t, []string{"hardware"}, info.Task.Teams)
	freed, err := router.Agent(first)
	require.NoError(t, err)
	assert.Zero(t, freed.Load[routing.ChannelEmail], "the line-1 agent no longer holds the ticket")

	offers, err := d.Dispatch(ctx, clock.Now())
	require.NoError(t, err)
	require.Len(t, offers, 1)
	assert.Equal(t, "l2-a", offers[0].AgentID)
}

func TestReopenedTicketIsOfferedToItsLastAgentFirst(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, _ := routedDesk(t, clock)
	tk := newTicket(t, d)
	// The ticket goes to l1-b by hand, is solved, and the customer writes again.
	_, err := d.Tickets().Assign(ctx, agent, tk.ID, "l1-b")
	require.NoError(t, err)
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	clock.set(start.Add(time.Hour))
	_, err = d.Tickets().Comment(ctx, ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann"}, tk.ID, ticket.NewComment{
		Public: true, Body: "It jams again.",
	})
	require.NoError(t, err)
	offers, err := d.Dispatch(ctx, clock.Now())
	require.NoError(t, err)
	require.Len(t, offers, 1)
	assert.Equal(t, "l1-b", offers[0].AgentID)
}

func TestTicketCreatedWithAnAssigneeIsRecordedAsManual(t *testing.T) {
	clock := &fakeClock{now: start}
	d, router := routedDesk(t, clock)
	tk, err := d.Tickets().Create(context.Background(), ticket.NewTicket{
		Subject: "Call about the printer", Requester: customer, Channel: ticket.ChannelEmail,
		Author: agent, Assignee: "l1-a", Group: "service-desk",
	})
	require.NoError(t, err)
	info, err := router.Task(tk.ID.String())
	require.NoError(t, err)
	assert.Equal(t, routing.Assigned, info.State)
	assert.Equal(t, "l1-a", info.AgentID)
	assert.True(t, info.Manual)
}

// acceptOne dispatches at now, requires exactly one offer and accepts it for its agent.
func acceptOne(t *testing.T, d *supportkit.Desk, now time.Time) routing.Offer {
	t.Helper()
	offers, err := d.Dispatch(context.Background(), now)
	require.NoError(t, err)
	require.Len(t, offers, 1)
	_, err = d.Accept(context.Background(), offers[0])
	require.NoError(t, err)
	return offers[0]
}

// failingStore is a memory store whose next Update fails, as a store that lost its
// connection does, once armed.
type failingStore struct {
	*ticket.MemoryStore
	armed atomic.Bool
}

func (s *failingStore) Update(ctx context.Context, changes ...ticket.Change) ([]ticket.Ticket, error) {
	if s.armed.CompareAndSwap(true, false) {
		return nil, errors.New("connection reset by peer")
	}
	return s.MemoryStore.Update(ctx, changes...)
}

// An Accept whose write fails for a passing reason (the store unreachable, the caller's
// ctx cancelled) leaves the ticket in routing, waiting to be offered again, rather than
// dropping it from the queue until something else writes to it.
func TestAcceptFailingOnTheStoreLeavesTheTicketInTheQueue(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	store := &failingStore{MemoryStore: ticket.NewMemoryStore()}
	d, err := supportkit.New(supportkit.Config{Store: store, Now: clock.Now, Routing: &routing.Config{}})
	require.NoError(t, err)
	_, err = d.AddAgent(routing.Agent{ID: agent.ID, Teams: []string{"service-desk"}, Presence: routing.Available,
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 1}})
	require.NoError(t, err)
	tk := newTicket(t, d)
	offers, err := d.Dispatch(ctx, start)
	require.NoError(t, err)
	require.Len(t, offers, 1)

	store.armed.Store(true)
	_, err = d.Accept(ctx, offers[0])
	require.Error(t, err)
	info, err := d.Router().Task(tk.ID.String())
	require.NoError(t, err, "the ticket left routing")
	assert.Equal(t, routing.Queued, info.State)
	clock.set(start.Add(time.Minute))
	offers, err = d.Dispatch(ctx, clock.Now())
	require.NoError(t, err)
	require.Len(t, offers, 1, "offered again")
	got, err := d.Accept(ctx, offers[0])
	require.NoError(t, err)
	assert.Equal(t, agent.ID, got.Assignee)
}
