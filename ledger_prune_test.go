package supportkit_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/simclock"
	"github.com/supportkit/supportkit/ticket"
)

// solvedKey returns the delivery key of the OnSolved of ticket id's last event.
func solvedKey(t *testing.T, d *supportkit.Desk, id uuid.UUID) string {
	t.Helper()
	events, err := d.Tickets().Events(context.Background(), id)
	require.NoError(t, err)
	return fmt.Sprintf("solved/%s/%d", id, events[len(events)-1].Seq)
}

// A running Desk with nothing else to do wakes to prune the Ledger: the record of a
// delivered occurrence goes once it is LedgerRetention (by default seven days) old, and
// not before.
func TestRunPrunesTheRecordsOfDeliveredOccurrences(t *testing.T) {
	ctx := context.Background()
	clock := simclock.New(start)
	ledger := supportkit.NewMemoryLedger()
	hook := &flaky{}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Sleep: clock.Sleep, Ledger: ledger, Instance: "a",
		Hooks: supportkit.Hooks{OnSolved: func(context.Context, ticket.Ticket) error { return hook.call() }}})
	require.NoError(t, err)
	stop := running(t, d, clock)
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Assignee: agent.ID})
	require.NoError(t, err)
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	clock.Settle()
	key := solvedKey(t, d, tk.ID)
	claim := func() supportkit.ClaimState {
		now := clock.Now()
		res, err := ledger.Claim(ctx, supportkit.Claim{Key: key, Owner: "probe", Now: now, Until: now.Add(time.Minute)})
		require.NoError(t, err)
		return res.State
	}

	clock.Advance(start.AddDate(0, 0, 6))
	assert.Equal(t, supportkit.Delivered, claim(), "kept for seven days")
	clock.Advance(start.AddDate(0, 0, 7).Add(2 * time.Hour))
	assert.Equal(t, supportkit.Claimed, claim(), "pruned after seven days")
	calls, ok := hook.counts()
	assert.Equal(t, 1, calls)
	assert.Equal(t, 1, ok)
	assert.ErrorIs(t, stop(), context.Canceled)
}

// The records a Desk prunes are of occurrences older than CatchUp, which a Desk that
// Loads the store again takes as delivered: no hook is called twice after the prune and
// a restart, and the kept occurrences not delivered stay kept.
func TestRestartAfterThePruneDeliversNothingAgain(t *testing.T) {
	ctx := context.Background()
	p := restartParts{store: ticket.NewMemoryStore(), ledger: supportkit.NewMemoryLedger(), clock: &fakeClock{now: start}, log: &keyLog{},
		catchUp: 2 * time.Hour, retention: 2*time.Hour + 90*time.Second}
	require.NoError(t, p.ledger.Keep(ctx, "elsewhere/1", []byte("payload")))
	a := p.deskOver(t, "a")
	at := func(m int) { p.clock.set(start.Add(time.Duration(m) * time.Minute)) }
	create := func(subject string) ticket.Ticket {
		tk, err := a.Tickets().Create(ctx, ticket.NewTicket{Subject: subject, Description: subject, Requester: customer, Channel: ticket.ChannelEmail})
		require.NoError(t, err)
		return tk
	}
	create("VPN")
	at(10)
	offers, err := a.Dispatch(ctx, p.clock.Now())
	require.NoError(t, err)
	require.Len(t, offers, 1)
	_, err = a.Accept(ctx, offers[0])
	require.NoError(t, err)
	done := create("Password")
	_, err = a.Tickets().Assign(ctx, agent, done.ID, "l1-b")
	require.NoError(t, err)
	_, err = a.Tickets().Solve(ctx, agent, done.ID)
	require.NoError(t, err)
	at(100)
	require.NoError(t, a.CheckClocks(ctx, p.clock.Now()))
	before := p.log.by("a")
	require.NotEmpty(t, before)

	at(240) // 13:00: the records of 9:00 to 10:41 are older than the retention
	a.Tick(ctx)
	n, err := p.ledger.Prune(ctx, start.Add(2*time.Hour))
	require.NoError(t, err)
	assert.Zero(t, n, "Tick pruned every record that ended before 10:58:30")
	kept, err := p.ledger.Kept(ctx, "", 10)
	require.NoError(t, err)
	assert.Equal(t, []supportkit.KeptOccurrence{{Key: "elsewhere/1", Payload: []byte("payload")}}, kept)

	b := p.deskOver(t, "b")
	require.NoError(t, b.Load(ctx))
	require.NoError(t, b.CheckClocks(ctx, p.clock.Now()))
	b.Tick(ctx)
	assert.Empty(t, p.log.twice(), "no occurrence delivered twice")
	for _, key := range p.log.by("b") {
		assert.NotContains(t, before, key)
	}
}

// A ticket that nobody can serve, unchanged since it was reported, is not reported again
// by a Desk that Loads the store after the report's record was pruned: its version is
// older than CatchUp, and taken as reported.
func TestRestartAfterThePruneDoesNotReportAnUnservableTicketAgain(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	ledger := supportkit.NewMemoryLedger()
	hook := &hookCalls{}
	desk := unservableDesks(t, clock, ledger, hook)
	before := desk()
	tk := webTicket(t, before)
	want := map[string]int{tk.ID.String() + "/" + routing.NoCapacity.String(): 1}
	require.Equal(t, want, hook.delivered())
	clock.set(start.AddDate(0, 0, 8))
	before.Tick(ctx)
	n, err := ledger.Prune(ctx, clock.Now())
	require.NoError(t, err)
	require.Zero(t, n, "the report's record is pruned")

	after := desk()
	require.NoError(t, after.Load(ctx))
	after.Tick(ctx)
	assert.Equal(t, want, hook.delivered())
}

func TestLedgerRetentionShorterThanCatchUpIsInvalid(t *testing.T) {
	for _, tc := range []struct {
		retention time.Duration
		ok        bool
	}{
		{2 * time.Hour, false},
		{2*time.Hour + 90*time.Second - 1, false},
		{2*time.Hour + 90*time.Second, true}, // CatchUp, ClaimFor and LeaseFor
		{0, true},
		{-1, true},
	} {
		_, err := supportkit.New(supportkit.Config{CatchUp: 2 * time.Hour, LedgerRetention: tc.retention})
		if tc.ok {
			assert.NoError(t, err, tc.retention)
		} else {
			assert.ErrorIs(t, err, ticket.ErrInvalid, tc.retention)
		}
	}
}

// With a negative LedgerRetention nothing is pruned.
func TestNegativeLedgerRetentionPrunesNothing(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	ledger := supportkit.NewMemoryLedger()
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Ledger: ledger, LedgerRetention: -1,
		Hooks: supportkit.Hooks{OnSolved: func(context.Context, ticket.Ticket) error { return nil }}})
	require.NoError(t, err)
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Assignee: agent.ID})
	require.NoError(t, err)
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	clock.set(start.AddDate(1, 0, 0))
	d.Tick(ctx)
	n, err := ledger.Prune(ctx, clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the record was still there")
}

// slowPruner is a ledger whose Prune runs until its ctx ends.
type slowPruner struct {
	supportkit.MemoryLedger
	calls atomic.Int32
}

func (l *slowPruner) Prune(ctx context.Context, _ time.Time) (int, error) {
	l.calls.Add(1)
	<-ctx.Done()
	return 0, ctx.Err()
}

// A prune that takes long (a large backlog) is cut after a third of LeaseFor, so that it
// does not hold Tick up past the renewal of the Lease, and goes on a third of LeaseFor
// later instead of an hour later.
func TestALongPruneIsCutAndGoesOnSoon(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	ledger := &slowPruner{}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Ledger: ledger, LeaseFor: 300 * time.Millisecond})
	require.NoError(t, err)
	began := time.Now()
	d.Tick(ctx)
	assert.Less(t, time.Since(began), 5*time.Second)
	require.EqualValues(t, 1, ledger.calls.Load())
	d.Tick(ctx)
	assert.EqualValues(t, 1, ledger.calls.Load(), "not due yet")
	clock.set(start.Add(100 * time.Millisecond))
	d.Tick(ctx)
	assert.EqualValues(t, 2, ledger.calls.Load(), "due a third of LeaseFor later")
}

// A host that drives the Desk itself learns from NextWake when to prune: once a Tick has
// pruned, the next prune is an hour later, and with nothing else due that is the wake.
func TestNextWakeIncludesTheNextPrune(t *testing.T) {
	ctx := context.Background()
	clock := simclock.New(start)
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Ledger: supportkit.NewMemoryLedger(), Instance: "a"})
	require.NoError(t, err)
	require.NoError(t, d.Load(ctx))
	d.Tick(ctx)
	next, ok := d.NextWake(ctx, clock.Now())
	require.True(t, ok, "the prune is due")
	assert.Equal(t, start.Add(time.Hour), next)
}
