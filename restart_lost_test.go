package supportkit_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// hookCalls counts a hook's calls by Delivery key, failing them while down is set.
type hookCalls struct {
	mu   sync.Mutex
	down bool
	ok   map[string]int
}

func (h *hookCalls) call(key string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.down {
		return errors.New("host down")
	}
	if h.ok == nil {
		h.ok = map[string]int{}
	}
	h.ok[key]++
	return nil
}

func (h *hookCalls) setDown(down bool) {
	h.mu.Lock()
	h.down = down
	h.mu.Unlock()
}

func (h *hookCalls) delivered() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string]int{}
	for k, n := range h.ok {
		out[k] = n
	}
	return out
}

// restartingDesks returns a function that makes a Desk named "desk" over one memory store
// and ledger, as a host does at each start, with a new router of agent and the hooks.
func restartingDesks(t *testing.T, clock *fakeClock, ledger supportkit.Ledger, rc routing.Config, agent routing.Agent, hooks supportkit.Hooks) func() *supportkit.Desk {
	store := ticket.NewMemoryStore()
	rc.Now = clock.Now
	return func() *supportkit.Desk {
		router, err := routing.New(rc)
		require.NoError(t, err)
		require.NoError(t, router.AddAgent(agent))
		d, err := supportkit.New(supportkit.Config{Now: clock.Now, Store: store, Ledger: ledger, Router: router, Instance: "desk", Hooks: hooks})
		require.NoError(t, err)
		return d
	}
}

// assignedDesks makes restarting Desks (see restartingDesks) whose router has the
// available email agent l1-a, and whose OnAssigned calls hook with "ticket/assignee".
func assignedDesks(t *testing.T, clock *fakeClock, ledger supportkit.Ledger, hook *hookCalls) func() *supportkit.Desk {
	return restartingDesks(t, clock, ledger, routing.Config{OfferTimeout: time.Hour},
		routing.Agent{ID: "l1-a", Teams: []string{"service-desk"}, Presence: routing.Available,
			Capacity: map[routing.Channel]int{routing.ChannelEmail: 5}},
		supportkit.Hooks{OnAssigned: func(_ context.Context, tk ticket.Ticket) error {
			return hook.call(tk.ID.String() + "/" + tk.Assignee)
		}})
}

// unservableDesks makes restarting Desks (see restartingDesks) whose router has the
// chat agent chat-1, who is not available, and whose OnUnservable calls hook with
// "ticket/reason".
func unservableDesks(t *testing.T, clock *fakeClock, ledger supportkit.Ledger, hook *hookCalls) func() *supportkit.Desk {
	return restartingDesks(t, clock, ledger, routing.Config{},
		routing.Agent{ID: "chat-1", Capacity: map[routing.Channel]int{routing.ChannelChat: 3}},
		supportkit.Hooks{OnUnservable: func(_ context.Context, tk ticket.Ticket, s routing.Stuck) error {
			return hook.call(tk.ID.String() + "/" + s.Reason.String())
		}})
}

// An OnUnservable call that failed before a restart is made by the Desk that Loads the
// store again while the ticket is still unservable, once.
func TestRestartDeliversAFailedUnservableOnce(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	hook := &hookCalls{down: true}
	desk := unservableDesks(t, clock, supportkit.NewMemoryLedger(), hook)
	before := desk()
	tk := webTicket(t, before)
	require.Len(t, before.Deliveries(), 1, "the failed call waits")
	hook.setDown(false)

	after := desk()
	require.NoError(t, after.Load(ctx))
	require.NoError(t, after.Load(ctx))
	assert.Equal(t, map[string]int{tk.ID.String() + "/" + routing.NoCapacity.String(): 1}, hook.delivered())
	assert.Empty(t, after.Deliveries())
}

// The OnAssigned of an offer accepted by the agent who already had the ticket leaves no
// event in the log: when its call failed before a restart, the Desk that Loads the store
// and the Ledger again makes it, once.
func TestRestartDeliversAFailedOnAssignedOfAReacceptedTicketOnce(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	hook := &hookCalls{}
	desk := assignedDesks(t, clock, supportkit.NewMemoryLedger(), hook)
	before := desk()
	tk := reopenedTicket(t, before)
	hook.setDown(true)
	acceptOne(t, before, start.Add(time.Minute))
	requirePendingAcceptance(t, before, tk)
	hook.setDown(false)

	after := desk()
	require.NoError(t, after.Load(ctx))
	require.NoError(t, after.Load(ctx))
	assert.Equal(t, map[string]int{tk.ID.String() + "/l1-a": 2}, hook.delivered(), "the assignment and the re-acceptance")
	assert.Empty(t, after.Deliveries())
	again := desk()
	require.NoError(t, again.Load(ctx))
	assert.Equal(t, map[string]int{tk.ID.String() + "/l1-a": 2}, hook.delivered())
}

// reopenedTicket creates a ticket on d that l1-a accepts and solves and its customer
// reopens, so that it is offered to l1-a again.
func reopenedTicket(t *testing.T, d *supportkit.Desk) ticket.Ticket {
	t.Helper()
	tk := newTicket(t, d)
	acceptOne(t, d, start)
	_, err := d.Tickets().Solve(context.Background(), agent, tk.ID)
	require.NoError(t, err)
	require.NoError(t, comment(d, tk, ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann"}, true))
	return tk
}

// requirePendingAcceptance requires that the one delivery d has pending is the OnAssigned
// of an acceptance of tk.
func requirePendingAcceptance(t *testing.T, d *supportkit.Desk, tk ticket.Ticket) {
	t.Helper()
	list := d.Deliveries()
	require.Len(t, list, 1)
	require.True(t, strings.HasPrefix(list[0].Key, "accepted/"+tk.ID.String()), list[0].Key)
}

// downSender fails every Send while down is set, and keeps the messages it sends.
type downSender struct {
	outbox
	down atomic.Bool
}

func (s *downSender) Send(ctx context.Context, from string, to []string, msg []byte) error {
	if s.down.Load() {
		return errors.New("smtp down")
	}
	return s.outbox.Send(ctx, from, to, msg)
}

// The acknowledgement of a new ticket leaves no event in the log: when the Sender failed
// before a restart, the Desk that Loads the store and the Ledger again, with a Mailroom,
// sends it once, in reply to the customer's message.
func TestRestartSendsAFailedAcknowledgementOnce(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	store, ledger := ticket.NewMemoryStore(), supportkit.NewMemoryLedger()
	sender := &downSender{}
	sender.down.Store(true)
	desk := func() (*supportkit.Desk, *supportkit.Mailroom) {
		d, err := supportkit.New(supportkit.Config{Now: clock.Now, Store: store, Ledger: ledger, Instance: "desk"})
		require.NoError(t, err)
		room, err := supportkit.NewMailroom(d, supportkit.MailConfig{Addresses: []email.Address{{Address: "support@desk.example"}}, Sender: sender})
		require.NoError(t, err)
		return d, room
	}
	before, room := desk()
	res, err := room.Receive(ctx, strings.NewReader(strings.ReplaceAll(outlookRussian("restart@buh.example"), "\n", "\r\n")))
	require.Error(t, err, "the Sender's failure")
	require.Equal(t, supportkit.MailCreated, res.Action)
	require.Len(t, before.Deliveries(), 1)
	sender.down.Store(false)

	after, _ := desk()
	require.NoError(t, after.Load(ctx))
	require.NoError(t, after.Load(ctx))
	require.Equal(t, 1, sender.count())
	assert.Contains(t, string(sender.sent[0]), "In-Reply-To: <restart@buh.example>")
	assert.Contains(t, string(sender.sent[0]), "olga@buh.example")
	assert.Empty(t, after.Deliveries())
	again, _ := desk()
	require.NoError(t, again.Load(ctx))
	assert.Equal(t, 1, sender.count())
}
