package supportkit_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// stuckLog records the OnUnservable calls.
type stuckLog struct {
	mu    sync.Mutex
	calls []routing.Stuck
}

func (l *stuckLog) hook(_ context.Context, t ticket.Ticket, s routing.Stuck) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.ID.String() != s.TaskID {
		s.TaskID = "hook given another ticket" // fails every comparison of the calls
	}
	l.calls = append(l.calls, s)
	return nil
}

func (l *stuckLog) reasons() []routing.Reason {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []routing.Reason
	for _, s := range l.calls {
		out = append(out, s.Reason)
	}
	return out
}

// chatOnlyDesk has one agent, available on chat only.
func chatOnlyDesk(t *testing.T, clock *fakeClock, log *stuckLog, logs *bytes.Buffer) (*supportkit.Desk, *routing.Router) {
	t.Helper()
	router, err := routing.New(routing.Config{Now: clock.Now})
	require.NoError(t, err)
	require.NoError(t, router.AddAgent(routing.Agent{ID: "chat-1", Capacity: map[routing.Channel]int{routing.ChannelChat: 3}}))
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Router: router,
		Hooks: supportkit.Hooks{OnUnservable: log.hook}, Logger: zerolog.New(logs)})
	require.NoError(t, err)
	return d, router
}

func webTicket(t *testing.T, d *supportkit.Desk) ticket.Ticket {
	t.Helper()
	tk, err := d.Tickets().Create(context.Background(), ticket.NewTicket{
		Subject: "Cannot log in", Description: "The form says no.", Requester: customer, Channel: ticket.ChannelWebForm})
	require.NoError(t, err)
	return tk
}

// A web ticket on a desk whose only agent works chat waited in silence: it is reported as
// soon as it is queued, once, with no personal data in the log.
func TestWebTicketNoAgentCanTakeIsReportedOnceAtCreation(t *testing.T) {
	clock := &fakeClock{now: start}
	var log stuckLog
	var logs bytes.Buffer
	d, _ := chatOnlyDesk(t, clock, &log, &logs)
	tk := webTicket(t, d)
	require.Equal(t, []routing.Reason{routing.NoCapacity}, log.reasons(), "reported when queued")
	assert.Equal(t, tk.ID.String(), log.calls[0].TaskID)
	assert.Contains(t, logs.String(), tk.ID.String())
	assert.Contains(t, logs.String(), "no capacity")
	assert.NotContains(t, logs.String(), customer.Email)
	assert.NotContains(t, logs.String(), "Cannot log in")

	require.NoError(t, update(d, tk, ticket.Changes{Priority: ticket.Ptr(ticket.PriorityHigh)}))
	for range 2 {
		offers, err := d.Dispatch(context.Background(), clock.Now())
		require.NoError(t, err)
		assert.Empty(t, offers)
	}
	assert.Len(t, log.reasons(), 1, "reported once")
}

// Adding an agent who works the web lets the ticket be offered; it is no longer reported.
func TestUnservableTicketIsOfferedOnceACapableAgentJoins(t *testing.T) {
	clock := &fakeClock{now: start}
	var log stuckLog
	d, router := chatOnlyDesk(t, clock, &log, &bytes.Buffer{})
	tk := webTicket(t, d)
	require.NoError(t, router.AddAgent(routing.Agent{ID: "web-1", Capacity: map[routing.Channel]int{routing.ChannelWebForm: 2}}))
	offers, err := d.Dispatch(context.Background(), clock.Now())
	require.NoError(t, err)
	require.Len(t, offers, 1)
	assert.Equal(t, tk.ID.String(), offers[0].TaskID)
	assert.Len(t, log.reasons(), 1)
}

// When the reason changes (a web agent joins but is offline), the ticket is reported again;
// the same reason is not repeated.
func TestUnservableTicketIsReportedAgainWhenTheReasonChanges(t *testing.T) {
	clock := &fakeClock{now: start}
	var log stuckLog
	d, router := chatOnlyDesk(t, clock, &log, &bytes.Buffer{})
	webTicket(t, d)
	require.NoError(t, router.AddAgent(routing.Agent{ID: "web-1", Presence: routing.Offline,
		Capacity: map[routing.Channel]int{routing.ChannelWebForm: 2}}))
	for range 2 {
		_, err := d.Dispatch(context.Background(), clock.Now())
		require.NoError(t, err)
	}
	assert.Equal(t, []routing.Reason{routing.NoCapacity, routing.AllOffline}, log.reasons())
}

// A ticket that leaves the router (taken by hand by someone outside routing) and comes back
// still unservable is reported again.
func TestRequeuedUnservableTicketIsReportedAgain(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	var log stuckLog
	d, _ := chatOnlyDesk(t, clock, &log, &bytes.Buffer{})
	tk := webTicket(t, d)
	_, err := d.Tickets().Assign(ctx, agent, tk.ID, "tech-9")
	require.NoError(t, err)
	_, err = d.Tickets().Assign(ctx, agent, tk.ID, "")
	require.NoError(t, err)
	assert.Equal(t, []routing.Reason{routing.NoCapacity, routing.NoCapacity}, log.reasons())
}
