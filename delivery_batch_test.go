package supportkit_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// batchLedger is a supportkit.BatchLedger over a MemoryLedger that counts its calls, and
// fails its batch claims while down is set.
type batchLedger struct {
	mem supportkit.MemoryLedger

	mu                        sync.Mutex
	claims, dones             int   // single calls
	claimBatches, doneBatches []int // the sizes of the batch calls
	down                      bool
}

func (l *batchLedger) Claim(ctx context.Context, c supportkit.Claim) (supportkit.ClaimResult, error) {
	l.mu.Lock()
	l.claims++
	l.mu.Unlock()
	return l.mem.Claim(ctx, c)
}

func (l *batchLedger) Done(ctx context.Context, key, owner string) error {
	l.mu.Lock()
	l.dones++
	l.mu.Unlock()
	return l.mem.Done(ctx, key, owner)
}

func (l *batchLedger) ClaimBatch(ctx context.Context, claims []supportkit.Claim) ([]supportkit.ClaimResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.down {
		return nil, errors.New("the ledger is down")
	}
	l.claimBatches = append(l.claimBatches, len(claims))
	var out []supportkit.ClaimResult
	for _, c := range claims {
		res, err := l.mem.Claim(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

func (l *batchLedger) DoneBatch(ctx context.Context, keys []string, owner string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.doneBatches = append(l.doneBatches, len(keys))
	for _, key := range keys {
		if err := l.mem.Done(ctx, key, owner); err != nil {
			return err
		}
	}
	return nil
}

func (l *batchLedger) setDown(down bool) { l.mu.Lock(); l.down = down; l.mu.Unlock() }

// calls returns the single calls and the sizes of the batch calls so far.
func (l *batchLedger) calls() (claims, dones int, claimBatches, doneBatches []int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.claims, l.dones, slices.Clone(l.claimBatches), slices.Clone(l.doneBatches)
}

// warnedDesks makes n Desks over one store and ledger, with a first-reply target of an
// hour warned at half, whose OnBreachWarning calls warn with the Desk's name and ticket.
func warnedDesks(t *testing.T, clock *fakeClock, ledger supportkit.Ledger, retry supportkit.RetryPolicy,
	warn func(desk string, id uuid.UUID) error, names ...string) []*supportkit.Desk {
	t.Helper()
	p, err := sla.NewPolicies(sla.Policy{Name: "standard", Targets: map[string]sla.Targets{"": {
		FirstResponse: &sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Percent: 50}}},
	}}})
	require.NoError(t, err)
	store := ticket.NewMemoryStore()
	var desks []*supportkit.Desk
	for _, name := range names {
		d, err := supportkit.New(supportkit.Config{Store: store, Feed: store, Ledger: ledger, Instance: name, Now: clock.Now,
			Policies: p, Retry: retry, Hooks: supportkit.Hooks{
				OnBreachWarning: func(_ context.Context, tk ticket.Ticket, _ sla.ClockResult, _ sla.WarningHit) error {
					return warn(name, tk.ID)
				},
			}})
		require.NoError(t, err)
		desks = append(desks, d)
	}
	return desks
}

// openTickets creates n tickets through d, a second apart from start.
func openTickets(t *testing.T, clock *fakeClock, d *supportkit.Desk, n int) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	for i := range n {
		clock.set(start.Add(time.Duration(i) * time.Second))
		tk, err := d.Tickets().Create(context.Background(), ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer})
		require.NoError(t, err)
		ids = append(ids, tk.ID)
	}
	return ids
}

// warnings counts hook calls by Desk and ticket.
type warnings struct {
	mu    sync.Mutex
	calls map[string]int
}

func (w *warnings) add(desk string, id uuid.UUID) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.calls == nil {
		w.calls = map[string]int{}
	}
	w.calls[desk+" "+id.String()]++
}

func (w *warnings) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, c := range w.calls {
		n += c
	}
	return n
}

func TestCheckClocksClaimsAndRecordsItsWarningsInOneCallEach(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	ledger := &batchLedger{}
	var got warnings
	d := warnedDesks(t, clock, ledger, supportkit.RetryPolicy{}, func(desk string, id uuid.UUID) error { got.add(desk, id); return nil }, "a")[0]
	ids := openTickets(t, clock, d, 10)

	now := start.Add(31 * time.Minute)
	clock.set(now)
	require.NoError(t, d.CheckClocks(ctx, now))
	for _, id := range ids {
		assert.Equal(t, 1, got.calls["a "+id.String()], "ticket %s warned once", id)
	}
	claims, dones, claimBatches, doneBatches := ledger.calls()
	assert.Zero(t, claims+dones, "no claim or record one at a time")
	assert.Equal(t, []int{10}, claimBatches, "one claim of the 10 warnings")
	assert.Equal(t, []int{10}, doneBatches, "one record of the 10 warnings")
	assert.Empty(t, d.Deliveries())

	require.NoError(t, d.CheckClocks(ctx, now.Add(time.Minute)))
	assert.Equal(t, 10, got.count(), "nothing is delivered twice")
}

func TestBatchWithAFailingHookRecordsTheOthersAndRetriesIt(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	ledger := &batchLedger{}
	var got warnings
	var failing uuid.UUID
	var failMu sync.Mutex
	desks := warnedDesks(t, clock, ledger, supportkit.RetryPolicy{}, func(desk string, id uuid.UUID) error {
		failMu.Lock()
		defer failMu.Unlock()
		if id == failing {
			return errors.New("the mail server is down")
		}
		got.add(desk, id)
		return nil
	}, "a", "b")
	a, b := desks[0], desks[1]
	ids := openTickets(t, clock, a, 5)
	require.NoError(t, b.Follow(ctx))
	failing = ids[2]

	now := start.Add(31 * time.Minute)
	clock.set(now)
	require.NoError(t, a.CheckClocks(ctx, now))
	assert.Equal(t, 4, got.count(), "the other four are delivered")
	list := a.Deliveries()
	require.Len(t, list, 1)
	assert.Equal(t, failing, list[0].Ticket)
	assert.Equal(t, 1, list[0].Attempts)
	assert.Equal(t, now.Add(time.Second), list[0].Next)

	// b finds the four delivered and the failing one held by a: it calls nothing.
	require.NoError(t, b.CheckClocks(ctx, now))
	assert.Equal(t, 4, got.count())
	held := b.Deliveries()
	require.Len(t, held, 1)
	assert.Equal(t, failing, held[0].Ticket)
	assert.Equal(t, now.Add(time.Minute), held[0].Next, "b waits for a's claim to end")

	failMu.Lock()
	failing = uuid.Nil
	failMu.Unlock()
	clock.set(now.Add(time.Second))
	a.RetryHooks(ctx, now.Add(time.Second))
	assert.Empty(t, a.Deliveries())
	clock.set(now.Add(2 * time.Minute))
	b.RetryHooks(ctx, now.Add(2*time.Minute))
	assert.Empty(t, b.Deliveries(), "b finds it delivered")
	assert.Equal(t, 1, got.calls["a "+ids[2].String()], "retried by a, once")
	assert.Equal(t, 5, got.count(), "each delivered once over both Desks")
}

func TestBatchDoesNotCallAHookWhoseClaimRanOut(t *testing.T) {
	// Each hook takes 40 seconds of a one-minute claim: the third of a batch claimed
	// together would run past its claim, so the Desk claims it again later instead.
	ctx := context.Background()
	clock := &fakeClock{now: start}
	ledger := &batchLedger{}
	var got warnings
	var d *supportkit.Desk
	d = warnedDesks(t, clock, ledger, supportkit.RetryPolicy{ClaimFor: time.Minute}, func(desk string, id uuid.UUID) error {
		got.add(desk, id)
		clock.set(clock.Now().Add(40 * time.Second))
		return nil
	}, "a")[0]
	openTickets(t, clock, d, 3)

	now := start.Add(31 * time.Minute)
	clock.set(now)
	require.NoError(t, d.CheckClocks(ctx, now))
	assert.Equal(t, 2, got.count(), "two hooks fit in the claim")
	list := d.Deliveries()
	require.Len(t, list, 1)
	assert.Zero(t, list[0].Attempts, "not a failure")
	assert.Equal(t, now, list[0].Next, "due again at once")

	d.RetryHooks(ctx, clock.Now())
	assert.Equal(t, 3, got.count())
	assert.Empty(t, d.Deliveries())
}

func TestBatchClaimErrorIsRetried(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	ledger := &batchLedger{}
	var got warnings
	d := warnedDesks(t, clock, ledger, supportkit.RetryPolicy{}, func(desk string, id uuid.UUID) error { got.add(desk, id); return nil }, "a")[0]
	openTickets(t, clock, d, 3)

	now := start.Add(31 * time.Minute)
	clock.set(now)
	ledger.setDown(true)
	require.NoError(t, d.CheckClocks(ctx, now))
	assert.Zero(t, got.count(), "no hook without its claim")
	list := d.Deliveries()
	require.Len(t, list, 3)
	for _, x := range list {
		assert.EqualError(t, x.Err, "the ledger is down")
		assert.Zero(t, x.Attempts, "the hook did not fail")
		assert.Equal(t, now.Add(time.Second), x.Next)
	}

	ledger.setDown(false)
	d.RetryHooks(ctx, now.Add(time.Second))
	assert.Equal(t, 3, got.count())
	assert.Empty(t, d.Deliveries())
	_, _, claimBatches, doneBatches := ledger.calls()
	assert.Equal(t, []int{3}, claimBatches, "the retries are claimed together")
	assert.Equal(t, []int{3}, doneBatches)
}
