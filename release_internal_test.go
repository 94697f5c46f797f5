package supportkit

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// lifeWorld is a Desk with every part that keeps something per ticket: routing, SLA
// policies, a knowledge base that learns, and hooks that count their calls.
type lifeWorld struct {
	desk    *Desk
	now     atomic.Pointer[time.Time]
	article uuid.UUID
	calls   atomic.Int32 // OnAssigned and OnSolved calls
}

func newLifeWorld(t *testing.T, store ticket.Store) *lifeWorld {
	t.Helper()
	w := &lifeWorld{article: uuid.New()}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	w.now.Store(&at)
	policies, err := sla.NewPolicies(sla.Policy{Name: "p", Targets: map[string]sla.Targets{"": {
		FirstResponse: &sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Percent: 50}}},
		Resolution:    &sla.Target{Within: 8 * time.Hour},
	}}})
	require.NoError(t, err)
	count := func(context.Context, ticket.Ticket) error {
		w.calls.Add(1)
		return nil
	}
	w.desk, err = New(Config{Store: store, Now: w.clock, Policies: policies, Routing: &routing.Config{},
		Knowledge: &kb.Config{}, Hooks: Hooks{OnAssigned: count, OnSolved: count}})
	require.NoError(t, err)
	_, err = w.desk.AddAgent(routing.Agent{ID: "a1", Presence: routing.Available,
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 1000}})
	require.NoError(t, err)
	require.NoError(t, w.desk.KB().Create(context.Background(), &kb.Article{ID: w.article, Slug: "vpn",
		Visibility: kb.Public, Status: kb.Published, Translations: map[language.Tag]kb.Translation{
			language.English: {Title: "Reconnect the VPN", Body: "Restart the client, then sign in again."}}}))
	return w
}

func (w *lifeWorld) clock() time.Time { return *w.now.Load() }

func (w *lifeWorld) advance(d time.Duration) {
	at := w.clock().Add(d)
	w.now.Store(&at)
}

var lifeAgent = ticket.Actor{Kind: ticket.ActorAgent, ID: "a1"}

// live takes a ticket from its creation to its close: routed and accepted (or assigned by
// hand), answered, solved with the article, closed. It returns the closed ticket.
func (w *lifeWorld) live(t *testing.T, i int) ticket.Ticket {
	t.Helper()
	ctx := context.Background()
	d := w.desk
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: fmt.Sprint("VPN drops ", i), Description: "It drops every hour.",
		Requester: ticket.Requester{Email: fmt.Sprintf("c%d@example.com", i)}, Channel: ticket.ChannelEmail})
	require.NoError(t, err)
	w.advance(10 * time.Minute)
	if i%2 == 0 {
		offers, err := d.Dispatch(ctx, w.clock())
		require.NoError(t, err)
		require.Len(t, offers, 1)
		_, err = d.Accept(ctx, offers[0])
		require.NoError(t, err)
	} else {
		_, err = d.Tickets().Assign(ctx, lifeAgent, tk.ID, "a1")
		require.NoError(t, err)
	}
	_, err = d.Tickets().Comment(ctx, lifeAgent, tk.ID, ticket.NewComment{Body: "Restart the client.", Public: true})
	require.NoError(t, err)
	w.advance(50 * time.Minute) // the first response warning and breach
	require.NoError(t, d.CheckClocks(ctx, w.clock()))
	_, err = d.SolveWith(ctx, lifeAgent, tk.ID, w.article)
	require.NoError(t, err)
	w.advance(time.Hour)
	closed, err := d.Tickets().Close(ctx, lifeAgent, tk.ID)
	require.NoError(t, err)
	return closed
}

// perTicket counts what the Desk keeps per ticket, outside the metrics builder.
func (d *Desk) perTicket() map[string]int {
	n := map[string]int{}
	d.follow.mu.Lock()
	n["followers"] = len(d.follow.ids)
	d.follow.mu.Unlock()
	d.learned.mu.Lock()
	n["learned"] = len(d.learned.ids)
	d.learned.mu.Unlock()
	d.mu.Lock()
	n["watch"], n["unindexed"], n["byHand"] = len(d.watch), len(d.unindexed), len(d.byHand)
	d.mu.Unlock()
	d.pending.mu.Lock()
	n["pending"] = len(d.pending.ids)
	d.pending.mu.Unlock()
	d.guesses.Range(func(any, any) bool {
		n["guesses"]++
		return true
	})
	d.out.mu.Lock()
	n["deliveries"] = len(d.out.list)
	d.out.mu.Unlock()
	return n
}

// A Desk that runs for months keeps nothing per ticket once the ticket is closed and the
// host deleted its metrics record: N tickets through their whole life (routed or assigned
// by hand, answered, breached, solved with an article the knowledge base learns, closed,
// rated after the close) leave no follower, no learned mark, no watch, no guess.
func TestDeskKeepsNothingOfClosedTicketsWhoseRecordIsDeleted(t *testing.T) {
	ctx := context.Background()
	w := newLifeWorld(t, nil)
	d := w.desk
	const n = 60
	for i := range n {
		tk := w.live(t, i)
		w.advance(time.Hour)
		_, err := d.Tickets().Rate(ctx, ticket.Actor{Kind: ticket.ActorCustomer, ID: tk.Requester.ID}, tk.ID, ticket.Rating{CSAT: 5})
		require.NoError(t, err)
		rec, ok := d.Metrics().Record(tk.ID.String())
		require.True(t, ok)
		require.Equal(t, 5, rec.CSAT, "the rating after the close counts")
		require.True(t, d.Metrics().Delete(tk.ID.String()), "the host reported the ticket")
		for part, size := range d.perTicket() {
			require.LessOrEqual(t, size, 1, "ticket %d: %s", i, part)
		}
	}
	for part, size := range d.perTicket() {
		assert.Zero(t, size, part)
	}
	assert.Zero(t, d.Metrics().Len())
	assert.Equal(t, int32(2*n), w.calls.Load(), "each OnAssigned and OnSolved once")
	d.follow.mu.Lock()
	kept := len(d.follow.closed.seen)
	d.follow.mu.Unlock()
	assert.LessOrEqual(t, kept, sweepPerRelease, "closed tickets are forgotten after their records")
}

// What the Desk keeps of a closed ticket lives as long as its metrics record: a host that
// keeps the records keeps the Desk's last Seq of each, and nothing more.
func TestClosedTicketsAreKeptWithTheirRecords(t *testing.T) {
	w := newLifeWorld(t, nil)
	const n = 10
	for i := range n {
		w.live(t, i)
	}
	d := w.desk
	d.follow.mu.Lock()
	kept := len(d.follow.closed.seen)
	d.follow.mu.Unlock()
	assert.Equal(t, n, kept)
	assert.Equal(t, n, d.Metrics().Len())
	for part, size := range d.perTicket() {
		assert.Zero(t, size, part)
	}
}

// A late event of a closed ticket the Desk let go of is applied once, as before: a rating
// counts in the record, no hook is called again, and the Desk lets go of the ticket again.
// A second Desk that follows the store's feed applies it once too.
func TestALateEventOfAReleasedTicketIsAppliedOnce(t *testing.T) {
	ctx := context.Background()
	store := ticket.NewMemoryStore()
	w := newLifeWorld(t, store)
	d := w.desk
	other, err := New(Config{Store: store, Feed: store, Now: w.clock})
	require.NoError(t, err)
	tk := w.live(t, 0)
	require.NoError(t, other.Follow(ctx))
	calls := w.calls.Load()
	require.Zero(t, d.perTicket()["followers"])
	require.Zero(t, other.perTicket()["followers"])

	for _, csat := range []int{2, 4} {
		w.advance(time.Hour)
		_, err = d.Tickets().Rate(ctx, ticket.Actor{Kind: ticket.ActorCustomer, ID: tk.Requester.ID}, tk.ID, ticket.Rating{CSAT: csat})
		require.NoError(t, err)
		require.NoError(t, d.Sync(ctx, tk.ID), "a Sync after the write finds nothing new")
		require.NoError(t, other.Follow(ctx))
		for _, desk := range []*Desk{d, other} {
			rec, ok := desk.Metrics().Record(tk.ID.String())
			require.True(t, ok)
			assert.Equal(t, csat, rec.CSAT)
			assert.Zero(t, desk.perTicket()["followers"], "let go of again")
			assert.Equal(t, tk.LastEventSeq+int64(csat/2), desk.seen(tk.ID))
		}
	}
	assert.Equal(t, calls, w.calls.Load(), "no hook is called again")
	fresh, err := New(Config{Store: store, Now: w.clock, Policies: d.cfg.Policies})
	require.NoError(t, err)
	require.NoError(t, fresh.Load(ctx))
	want, _ := fresh.Metrics().Record(tk.ID.String())
	got, _ := d.Metrics().Record(tk.ID.String())
	assert.Equal(t, want, got, "the record is the one a Desk loading the store builds")
}

// Once the host deleted the record of a closed ticket and the Desk forgot it, a late event
// is applied as to a ticket the Desk never saw, as after a restart: the record is built
// again from the log, and the hooks of occurrences older than Config.CatchUp are taken as
// delivered, though the Ledger no longer holds them.
func TestALateEventOfAForgottenTicketIsAppliedAsAfterARestart(t *testing.T) {
	ctx := context.Background()
	store := ticket.NewMemoryStore()
	w := newLifeWorld(t, store)
	d := w.desk
	tk := w.live(t, 0)
	require.True(t, d.Metrics().Delete(tk.ID.String()))
	w.live(t, 1) // its release sweeps the first ticket
	require.Zero(t, d.seen(tk.ID), "forgotten")

	w.advance(30 * 24 * time.Hour)
	d.pruneLedger(ctx, w.clock())
	calls := w.calls.Load()
	_, err := d.Tickets().Rate(ctx, ticket.Actor{Kind: ticket.ActorCustomer, ID: tk.Requester.ID}, tk.ID, ticket.Rating{CSAT: 3})
	require.NoError(t, err)
	assert.Equal(t, calls, w.calls.Load(), "no hook is called again")
	got, ok := d.Metrics().Record(tk.ID.String())
	require.True(t, ok)
	fresh, err := New(Config{Store: store, Now: w.clock, Policies: d.cfg.Policies})
	require.NoError(t, err)
	require.NoError(t, fresh.Load(ctx))
	want, _ := fresh.Metrics().Record(tk.ID.String())
	assert.Equal(t, want, got, "the record a restarted Desk builds")
	assert.Equal(t, 3, got.CSAT)
	assert.Zero(t, d.perTicket()["followers"])
}
