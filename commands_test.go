package supportkit_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// pair is two Desks over one store, ledger, lease and roster, with agents ann and bob
// (offline until they sign in); a holds the lease and records the offers it delivers.
type pair struct {
	a, b   *supportkit.Desk
	clock  *fakeClock
	mu     sync.Mutex
	offers []routing.Offer
}

func newPair(t *testing.T) *pair {
	t.Helper()
	return newPairOver(t, supportkit.NewMemoryLedger())
}

// newPairOver is newPair with the Desks sharing ledger.
func newPairOver(t *testing.T, ledger supportkit.Ledger) *pair {
	t.Helper()
	store := ticket.NewMemoryStore()
	p := &pair{clock: &fakeClock{now: start}}
	lease, roster := &supportkit.MemoryLease{}, &supportkit.MemoryRoster{}
	desk := func(name string) *supportkit.Desk {
		d, err := supportkit.New(supportkit.Config{Store: store, Feed: store, Ledger: ledger, Lease: lease, Roster: roster,
			Instance: name, Now: p.clock.Now, Routing: &routing.Config{OfferTimeout: 10 * time.Second},
			Hooks: supportkit.Hooks{OnOffered: func(_ context.Context, o routing.Offer, _ ticket.Ticket) error {
				p.mu.Lock()
				defer p.mu.Unlock()
				p.offers = append(p.offers, o)
				return nil
			}}})
		require.NoError(t, err)
		for _, id := range []string{"ann", "bob"} {
			_, err := d.AddAgent(routing.Agent{ID: id, Presence: routing.Offline, Capacity: map[routing.Channel]int{routing.ChannelEmail: 2}})
			require.NoError(t, err)
		}
		return d
	}
	p.a, p.b = desk("a"), desk("b")
	p.a.Tick(context.Background()) // a takes the lease
	require.True(t, p.a.Leading())
	return p
}

func (p *pair) take() []routing.Offer {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.offers
	p.offers = nil
	return out
}

// offered signs the agents in through b, writes a ticket through b and lets a offer it.
func (p *pair) offered(t *testing.T, agents ...string) (ticket.Ticket, routing.Offer) {
	t.Helper()
	ctx := context.Background()
	for _, a := range agents {
		require.NoError(t, p.b.SetPresence(ctx, a, routing.Available))
	}
	tk, err := p.b.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Channel: ticket.ChannelEmail})
	require.NoError(t, err)
	p.a.Tick(ctx) // a reads b's write and the roster, and dispatches
	offers := p.take()
	require.Len(t, offers, 1)
	return tk, offers[0]
}

func TestAcceptOnAnotherDeskAssignsTheTicketOnce(t *testing.T) {
	ctx := context.Background()
	p := newPair(t)
	tk, o := p.offered(t, "ann")
	assert.Equal(t, "ann", o.AgentID, "ann signed in through b; a offers her work")

	got, err := p.b.Accept(ctx, o)
	require.NoError(t, err)
	assert.Equal(t, "ann", got.Assignee)
	_, err = p.a.Accept(ctx, o)
	assert.ErrorIs(t, err, routing.ErrNotOffered, "the offer was answered on b")

	p.a.Tick(ctx)
	p.b.Tick(ctx)
	for _, d := range []*supportkit.Desk{p.a, p.b} {
		info, err := d.Router().Task(tk.ID.String())
		require.NoError(t, err)
		assert.Equal(t, routing.Assigned, info.State)
		assert.Equal(t, "ann", info.AgentID)
		ann, err := d.Router().Agent("ann")
		require.NoError(t, err)
		assert.Equal(t, 1, ann.Load[routing.ChannelEmail])
	}
	assert.Empty(t, p.take(), "no second offer")
}

// racingLedger holds each claim of an offer's answer, once made, until a second one has
// been made too (or a second has passed), so that two answers to one offer race as
// closely as they can: both claim before either records its answer.
type racingLedger struct {
	supportkit.Ledger
	mu   sync.Mutex
	n    int
	both chan struct{}
}

func (l *racingLedger) Claim(ctx context.Context, c supportkit.Claim) (supportkit.ClaimResult, error) {
	res, err := l.Ledger.Claim(ctx, c)
	if strings.HasPrefix(c.Key, "answer/") {
		l.mu.Lock()
		if l.n++; l.n == 2 {
			close(l.both)
		}
		l.mu.Unlock()
		select {
		case <-l.both:
		case <-time.After(time.Second):
		}
	}
	return res, err
}

// Two answers to one offer given at once on a Desk that did not make it (an agent's
// double click, or Accept and Decline from two screens): exactly one of them wins, the
// other gets routing.ErrNotOffered.
func TestConcurrentAnswersToOneOfferOnAnotherDeskHaveOneWinner(t *testing.T) {
	for _, second := range []string{"accept", "decline"} {
		t.Run(second, func(t *testing.T) {
			ctx := context.Background()
			p := newPairOver(t, &racingLedger{Ledger: supportkit.NewMemoryLedger(), both: make(chan struct{})})
			_, o := p.offered(t, "ann")
			errs := make([]error, 2)
			var wg sync.WaitGroup
			wg.Go(func() { _, errs[0] = p.b.Accept(ctx, o) })
			wg.Go(func() {
				if second == "accept" {
					_, errs[1] = p.b.Accept(ctx, o)
				} else {
					errs[1] = p.b.Decline(ctx, o)
				}
			})
			wg.Wait()
			won := 0
			for _, err := range errs {
				if err == nil {
					won++
				} else {
					assert.ErrorIs(t, err, routing.ErrNotOffered)
				}
			}
			assert.Equal(t, 1, won, "answers that succeeded")
		})
	}
}

// An answer to an offer whose task is not a ticket ID is refused as invalid on a Desk that
// did not make it, as Accept refuses it, rather than recorded as an answer.
func TestDeclineOfAnOfferOfNoTicketIsInvalid(t *testing.T) {
	ctx := context.Background()
	p := newPair(t)
	bogus := routing.Offer{TaskID: "not-a-ticket", AgentID: "ann", OfferedAt: start, ExpiresAt: start.Add(time.Minute)}
	assert.ErrorIs(t, p.b.Decline(ctx, bogus), ticket.ErrInvalid)
	_, err := p.b.Accept(ctx, bogus)
	assert.ErrorIs(t, err, ticket.ErrInvalid)
}

func TestDeclineOnAnotherDeskReturnsTheTicketWhenTheOfferTimesOut(t *testing.T) {
	ctx := context.Background()
	p := newPair(t)
	_, o := p.offered(t, "ann", "bob")
	require.NoError(t, p.b.Decline(ctx, o))
	_, err := p.b.Accept(ctx, o)
	assert.ErrorIs(t, err, routing.ErrNotOffered)

	p.clock.set(start.Add(9 * time.Second))
	p.a.Tick(ctx)
	assert.Empty(t, p.take(), "the offer stands until it times out")
	p.clock.set(start.Add(10 * time.Second))
	p.a.Tick(ctx)
	again := p.take()
	require.Len(t, again, 1)
	assert.NotEqual(t, o.AgentID, again[0].AgentID, "offered to the other agent, not back to the one who declined")
}

func TestAnswerToAnOfferThatTimedOutIsRefused(t *testing.T) {
	ctx := context.Background()
	p := newPair(t)
	tk, o := p.offered(t, "ann")
	p.clock.set(start.Add(10 * time.Second))
	p.a.Tick(ctx) // the offer times out; ann is offered the ticket again
	_, err := p.b.Accept(ctx, o)
	assert.ErrorIs(t, err, routing.ErrOfferExpired)
	got, err := p.b.Tickets().Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Empty(t, got.Assignee)
}

func TestPresenceSetThroughAnyDeskReachesTheDispatcher(t *testing.T) {
	ctx := context.Background()
	p := newPair(t)
	require.NoError(t, p.b.SetPresence(ctx, "ann", routing.Available))
	p.a.Tick(ctx)
	info, err := p.a.Router().Agent("ann")
	require.NoError(t, err)
	assert.Equal(t, routing.Available, info.Presence)
	require.NoError(t, p.b.SetPresence(ctx, "ann", routing.Offline))
	p.a.Tick(ctx)
	info, err = p.a.Router().Agent("ann")
	require.NoError(t, err)
	assert.Equal(t, routing.Offline, info.Presence)
	assert.ErrorIs(t, p.b.SetPresence(ctx, "nobody", routing.Available), routing.ErrNotFound)
}
