package supportkit

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// What the Desk keeps per ticket (the notification ledger, wakes, assignments by hand)
// must follow live tickets: once every ticket is closed, however it got there, nothing is
// left, and the router holds no task.
func TestDeskForgetsClosedTickets(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	router, err := routing.New(routing.Config{Now: clock})
	require.NoError(t, err)
	require.NoError(t, router.AddAgent(routing.Agent{ID: "a1", Presence: routing.Available,
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 100}}))
	policies, err := sla.NewPolicies(sla.Policy{Name: "p", Targets: map[string]sla.Targets{"": {
		FirstResponse: &sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Percent: 50}}},
		Resolution:    &sla.Target{Within: 2 * time.Hour},
	}}})
	require.NoError(t, err)
	d, err := New(Config{Now: clock, Policies: policies, Router: router})
	require.NoError(t, err)
	svc := d.Tickets()
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "a1"}
	var ids []ticket.Ticket
	for range 12 {
		tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "s", Description: "d", Channel: ticket.ChannelEmail,
			Requester: ticket.Requester{Email: "ann@example.com"}})
		require.NoError(t, err)
		ids = append(ids, tk)
	}
	now = now.Add(3 * time.Hour)
	require.NoError(t, d.CheckClocks(ctx, now)) // every ticket breached
	for i, tk := range ids {
		switch i % 4 {
		case 0: // by hand, solved, closed
			_, err = svc.Assign(ctx, agent, tk.ID, "a1")
			require.NoError(t, err)
			_, err = svc.Solve(ctx, agent, tk.ID)
			require.NoError(t, err)
			_, err = svc.Close(ctx, agent, tk.ID)
		case 1: // merged into the next one
			_, err = svc.Merge(ctx, agent, tk.ID, ids[i+1].ID)
		case 2: // to someone outside routing, then solved and closed
			_, err = svc.Assign(ctx, agent, tk.ID, "outsider")
			require.NoError(t, err)
			_, err = svc.Solve(ctx, agent, tk.ID)
			require.NoError(t, err)
			_, err = svc.Close(ctx, agent, tk.ID)
		case 3: // offered and accepted, then solved and closed
			for _, o := range router.Dispatch(now) {
				_, err := d.Accept(ctx, o)
				require.NoError(t, err)
			}
			_, err = svc.Solve(ctx, agent, tk.ID)
			require.NoError(t, err)
			_, err = svc.Close(ctx, agent, tk.ID)
		}
		require.NoError(t, err, "ticket %d", i)
	}
	_, err = svc.Rate(ctx, ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann"}, ids[0].ID, ticket.Rating{CSAT: 4})
	require.NoError(t, err)
	require.NoError(t, d.CheckClocks(ctx, now.Add(time.Hour)))

	d.mu.Lock()
	assert.Empty(t, d.watch)
	assert.Empty(t, d.byHand)
	d.mu.Unlock()
	for _, tk := range ids {
		_, err := router.Task(tk.ID.String())
		assert.ErrorIs(t, err, routing.ErrNotFound)
	}
	_, ok := d.NextWake(context.Background(), now)
	assert.False(t, ok)
}

// countingClocks is a ClockIndex that counts the tickets it was ever told about.
type countingClocks struct {
	MemoryClockIndex
	told map[uuid.UUID]bool
}

func (c *countingClocks) Set(ctx context.Context, id uuid.UUID, at time.Time) error {
	c.told[id] = true
	return c.MemoryClockIndex.Set(ctx, id, at)
}

// A Desk following a feed that several tenants' Desks write to skips the other tenants'
// tickets without keeping anything of them, however much traffic they have; the same for
// a Sync of another tenant's ticket.
func TestFollowKeepsNothingOfOtherTenants(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	store := ticket.NewMemoryStore()
	policies, err := sla.NewPolicies(sla.Policy{Name: "p", Targets: map[string]sla.Targets{"": {
		FirstResponse: &sla.Target{Within: time.Hour}}}})
	require.NoError(t, err)
	desk := func(tenant string, clocks ClockIndex) *Desk {
		d, err := New(Config{Store: store, Feed: store, Tickets: ticket.Config{Tenant: tenant}, Now: clock,
			Policies: policies, Clocks: clocks})
		require.NoError(t, err)
		return d
	}
	clocks := &countingClocks{told: map[uuid.UUID]bool{}}
	a, b := desk("a", clocks), desk("b", nil)
	own, err := a.Tickets().Create(ctx, ticket.NewTicket{Subject: "s", Requester: ticket.Requester{Email: "ann@example.com"}})
	require.NoError(t, err)
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "x"}
	var theirs []uuid.UUID
	for round := range 3 {
		for range 20 {
			tk, err := b.Tickets().Create(ctx, ticket.NewTicket{Subject: "s", Requester: ticket.Requester{Email: "bob@example.com"}})
			require.NoError(t, err)
			_, err = b.Tickets().Assign(ctx, agent, tk.ID, "x")
			require.NoError(t, err)
			theirs = append(theirs, tk.ID)
		}
		require.NoError(t, a.Follow(ctx))
		assert.Equal(t, 1, a.followerCount(), "round %d: only the tenant's own ticket is followed", round)
	}
	for _, id := range theirs[:5] {
		assert.ErrorIs(t, a.Sync(ctx, id), ticket.ErrNotFound)
	}
	assert.Equal(t, 1, a.followerCount(), "a Sync of another tenant's ticket keeps nothing")
	assert.Len(t, clocks.told, 1, "the clock index hears of the tenant's tickets only")
	assert.True(t, clocks.told[own.ID])
	assert.Equal(t, 1, a.Metrics().Len())
}

// followerCount returns how many tickets the Desk keeps a follower for.
func (d *Desk) followerCount() int {
	d.follow.mu.Lock()
	defer d.follow.mu.Unlock()
	return len(d.follow.ids)
}

// An erasure leaves no erased text in what the Desk keeps in memory for routing: the
// language guess made from a ticket's subject is dropped with the subject.
func TestEraseDropsTheLanguageGuessOfTheOldSubject(t *testing.T) {
	ctx := context.Background()
	d, err := New(Config{Routing: &routing.Config{},
		DetectLanguage: func(string, string) language.Tag { return language.Und }})
	require.NoError(t, err)
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN for bo.sun@example.com", Description: "down",
		Requester: ticket.Requester{Email: "bo.sun@example.com"}, Channel: ticket.ChannelEmail})
	require.NoError(t, err)
	g, ok := d.guesses.Load(tk.ID)
	require.True(t, ok, "routing guessed the ticket's language")
	require.Contains(t, g.(guessed).subject, "bo.sun")
	_, err = d.Erase(ctx, ticket.System, ticket.Person{Emails: []string{"bo.sun@example.com"}})
	require.NoError(t, err)
	if g, ok := d.guesses.Load(tk.ID); ok {
		assert.NotContains(t, g.(guessed).subject, "bo.sun")
	}
}

// A watch notifies each occurrence once, however many a long-lived ticket reaches: the
// short scan and the map it moves to past manyPoints agree with a set of their own.
func TestWatchFiresEachPointOnce(t *testing.T) {
	var w watch
	seen := map[point]bool{}
	for i := range 4 * manyPoints {
		for _, p := range []point{{sla.NextResponse, i / 2, i % 2}, {sla.Resolution, 0, -1}, {sla.NextResponse, i / 3, -1}} {
			assert.Equal(t, !seen[p], w.fire(p), "point %v at %d", p, i)
			seen[p] = true
		}
	}
	assert.NotNil(t, w.firedSet, "the map took over")
}

// Applying an event costs a Desk without a Mailroom no copy of the event for the mail
// deliveries it would make with one: a restart applies every event of the store.
func TestMailEventWithoutMailroomAllocatesNothing(t *testing.T) {
	d, err := New(Config{})
	require.NoError(t, err)
	ctx := context.Background()
	e := ticket.Event{TicketID: uuid.New(), Seq: 2, Kind: ticket.EventCommented, Public: true, AuthorKind: ticket.ActorAgent}
	tk := ticket.Ticket{ID: e.TicketID}
	assert.Zero(t, testing.AllocsPerRun(100, func() { d.mailEvent(ctx, &e, &tk) }))
}
