package supportkit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/simclock"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// running starts d.Run on clock and returns a stop that cancels it and returns its error.
func running(t *testing.T, d *supportkit.Desk, clock *simclock.Clock) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	clock.Add(1)
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			err = <-done
			clock.Add(-1)
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	clock.Settle()
	return stop
}

// stamps records the clock's reading at each call of a hook.
type stamps struct {
	mu  sync.Mutex
	got map[string][]time.Time
}

func (s *stamps) add(name string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.got == nil {
		s.got = map[string][]time.Time{}
	}
	s.got[name] = append(s.got[name], at)
}

func (s *stamps) of(name string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.got[name]...)
}

func TestRunNotifiesWhenTheClockReachesEachPoint(t *testing.T) {
	clock := simclock.New(start)
	var seen stamps
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Sleep: clock.Sleep, Policies: calendarPolicies(t),
		Hooks: supportkit.Hooks{
			OnBreachWarning: func(context.Context, ticket.Ticket, sla.ClockResult, sla.WarningHit) error {
				seen.add("warning", clock.Now())
				return nil
			},
			OnBreach: func(_ context.Context, _ ticket.Ticket, c sla.ClockResult) error {
				seen.add(c.Metric.String(), clock.Now())
				return nil
			},
		}})
	require.NoError(t, err)
	stop := running(t, d, clock)
	_, err = d.Tickets().Create(context.Background(), ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer})
	require.NoError(t, err)
	clock.Settle()
	clock.Advance(start.Add(10 * time.Hour))

	// Each point is observable the instant after it is reached (sla's NextWake).
	assert.Equal(t, []time.Time{start.Add(30*time.Minute + time.Nanosecond)}, seen.of("warning"))
	assert.Equal(t, []time.Time{start.Add(time.Hour + time.Nanosecond)}, seen.of("first response"))
	assert.Equal(t, []time.Time{start.Add(8*time.Hour + time.Nanosecond)}, seen.of("resolution"))
	assert.ErrorIs(t, stop(), context.Canceled)
}

func TestRunRetriesAFailingHook(t *testing.T) {
	clock := simclock.New(start)
	hook := &flaky{fail: 2}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Sleep: clock.Sleep, Hooks: supportkit.Hooks{
		OnSolved: func(context.Context, ticket.Ticket) error { return hook.call() },
	}})
	require.NoError(t, err)
	running(t, d, clock)
	ctx := context.Background()
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Assignee: agent.ID})
	require.NoError(t, err)
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	clock.Settle()
	require.Len(t, d.Deliveries(), 1)
	clock.Advance(start.Add(2 * time.Second))
	assert.Len(t, d.Deliveries(), 1, "second call at +1s failed; the third is due at +3s")
	clock.Advance(start.Add(3 * time.Second))
	assert.Empty(t, d.Deliveries())
	calls, ok := hook.counts()
	assert.Equal(t, 3, calls)
	assert.Equal(t, 1, ok)
}

// leasedDesk is a Desk with one available agent on email, sharing lease, that records the
// offers Run delivers.
func leasedDesk(t *testing.T, now func() time.Time, sleep func(context.Context, time.Time, <-chan struct{}), lease supportkit.Lease, name string, offers *stamps) *supportkit.Desk {
	t.Helper()
	d, err := supportkit.New(supportkit.Config{Now: now, Sleep: sleep, Routing: &routing.Config{}, Lease: lease, Instance: name,
		Hooks: supportkit.Hooks{OnOffered: func(_ context.Context, o routing.Offer, _ ticket.Ticket) error {
			offers.add(name, o.OfferedAt)
			return nil
		}}})
	require.NoError(t, err)
	_, err = d.AddAgent(routing.Agent{ID: "agent-1", Name: "Alex Kim", Capacity: map[routing.Channel]int{routing.ChannelEmail: 5}})
	require.NoError(t, err)
	_, err = d.Tickets().Create(context.Background(), ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Channel: ticket.ChannelEmail})
	require.NoError(t, err)
	return d
}

func TestOnlyTheLeaseHolderDispatches(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	lease := &supportkit.MemoryLease{}
	var offers stamps
	a := leasedDesk(t, clock.Now, nil, lease, "a", &offers)
	b := leasedDesk(t, clock.Now, nil, lease, "b", &offers)

	got, err := a.Dispatch(ctx, clock.Now())
	require.NoError(t, err)
	assert.Len(t, got, 1)
	assert.True(t, a.Leading())
	got, err = b.Dispatch(ctx, clock.Now())
	require.NoError(t, err)
	assert.Empty(t, got, "b does not hold the lease")
	assert.False(t, b.Leading())

	// a renews every 10 s while it dispatches; once it stops, b takes over at its first
	// look after the hold (30 s) ended, and a, when it comes back, no longer dispatches.
	clock.set(start.Add(10 * time.Second))
	_, err = a.Dispatch(ctx, clock.Now())
	require.NoError(t, err)
	clock.set(start.Add(39 * time.Second))
	got, err = b.Dispatch(ctx, clock.Now())
	require.NoError(t, err)
	assert.Empty(t, got, "a renewed until 09:00:40")
	clock.set(start.Add(48 * time.Second))
	got, err = b.Dispatch(ctx, clock.Now())
	require.NoError(t, err)
	assert.Empty(t, got, "b looks at the lease every 10 s: next at 09:00:49")
	clock.set(start.Add(49 * time.Second))
	got, err = b.Dispatch(ctx, clock.Now())
	require.NoError(t, err)
	assert.Len(t, got, 1)
	assert.True(t, b.Leading())
	got, err = a.Dispatch(ctx, clock.Now())
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.False(t, a.Leading())
}

func TestStoppedRunHandsTheLeaseOverAtOnce(t *testing.T) {
	clock := simclock.New(start)
	lease := &supportkit.MemoryLease{}
	var offers stamps
	a := leasedDesk(t, clock.Now, clock.Sleep, lease, "a", &offers)
	b := leasedDesk(t, clock.Now, clock.Sleep, lease, "b", &offers)
	stopA := running(t, a, clock)
	running(t, b, clock)
	assert.Equal(t, []time.Time{start}, offers.of("a"), "Run delivers a's offer")
	assert.Empty(t, offers.of("b"))

	clock.Advance(start.Add(time.Minute))
	require.ErrorIs(t, stopA(), context.Canceled)
	// b looks at the lease every 10 s: it takes over at its next look, not 30 s later.
	clock.Advance(start.Add(70 * time.Second))
	assert.True(t, b.Leading())
	assert.Equal(t, []time.Time{start.Add(70 * time.Second)}, offers.of("b"))
}

// stuckLease is a MemoryLease whose Release blocks until its ctx ends (a database that no
// longer answers); after giveUp it returns, so that a Desk that never ends the ctx fails
// the test instead of hanging it.
type stuckLease struct {
	supportkit.MemoryLease
	giveUp time.Duration
}

func (l *stuckLease) Release(ctx context.Context, _ string) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(l.giveUp):
		return nil
	}
}

// Run hands the Lease over when it returns, but a Lease that no longer answers holds Run
// up for a bounded time only (a third of LeaseFor), not until the Lease gives up.
func TestRunReturnsWhenTheLeaseReleaseHangs(t *testing.T) {
	clock := simclock.New(start)
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Sleep: clock.Sleep, Routing: &routing.Config{OfferTimeout: 100 * time.Millisecond},
		Lease: &stuckLease{giveUp: 5 * time.Second}, LeaseFor: 300 * time.Millisecond})
	require.NoError(t, err)
	stop := running(t, d, clock)
	require.True(t, d.Leading())
	began := time.Now()
	assert.ErrorIs(t, stop(), context.Canceled)
	assert.Less(t, time.Since(began), 2*time.Second, "Run waited on the Lease past a third of LeaseFor")
}

// A second Run of a Desk whose Run is running returns ErrRunning at once: two loops would
// hand the Lease over when the first returns while the second still dispatches.
func TestSecondRunReturnsErrRunning(t *testing.T) {
	clock := simclock.New(start)
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Sleep: clock.Sleep})
	require.NoError(t, err)
	stop := running(t, d, clock)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	assert.ErrorIs(t, d.Run(ctx), supportkit.ErrRunning)
	assert.ErrorIs(t, stop(), context.Canceled)
	done := make(chan error, 1)
	ctx2, cancel2 := context.WithCancel(context.Background())
	clock.Add(1)
	go func() { done <- d.Run(ctx2) }()
	clock.Settle()
	cancel2()
	assert.ErrorIs(t, <-done, context.Canceled, "once stopped, Run runs again")
	clock.Add(-1)
}
