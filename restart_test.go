package supportkit_test

import (
	"context"
	"slices"
	"sync"
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

// keyLog records each hook call by occurrence, across Desks.
type keyLog struct {
	mu    sync.Mutex
	calls map[string][]string // occurrence -> the Desks that delivered it
}

func (k *keyLog) add(desk, key string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.calls == nil {
		k.calls = map[string][]string{}
	}
	k.calls[key] = append(k.calls[key], desk)
}

func (k *keyLog) by(desk string) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for key, desks := range k.calls {
		if slices.Contains(desks, desk) {
			out = append(out, key)
		}
	}
	slices.Sort(out)
	return out
}

func (k *keyLog) twice() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for key, desks := range k.calls {
		if len(desks) > 1 {
			out = append(out, key)
		}
	}
	return out
}

// restartParts are what outlives a Desk: the store, the ledger and the clock.
type restartParts struct {
	store  *ticket.MemoryStore
	ledger *supportkit.MemoryLedger
	clock  *fakeClock
	log    *keyLog
	// catchUp and retention are the Desks' Config.CatchUp and LedgerRetention; zero
	// gives the defaults.
	catchUp, retention time.Duration
}

// deskOver builds a Desk named name over the parts: SLA clocks, two line-1 agents with
// room for five emails, hooks that log each occurrence.
func (p restartParts) deskOver(t *testing.T, name string) *supportkit.Desk {
	t.Helper()
	key := func(kind string, id uuid.UUID, rest string) string { return kind + " " + id.String()[24:] + " " + rest }
	d, err := supportkit.New(supportkit.Config{
		Now: p.clock.Now, Store: p.store, Ledger: p.ledger, Instance: name, Policies: calendarPolicies(t),
		CatchUp: p.catchUp, LedgerRetention: p.retention,
		Routing: &routing.Config{OfferTimeout: time.Hour},
		Hooks: supportkit.Hooks{
			OnBreachWarning: func(_ context.Context, tk ticket.Ticket, c sla.ClockResult, w sla.WarningHit) error {
				p.log.add(name, key("warning", tk.ID, c.Metric.String()))
				return nil
			},
			OnBreach: func(_ context.Context, tk ticket.Ticket, c sla.ClockResult) error {
				p.log.add(name, key("breach", tk.ID, c.Metric.String()))
				return nil
			},
			OnAssigned: func(_ context.Context, tk ticket.Ticket) error {
				p.log.add(name, key("assigned", tk.ID, tk.Assignee))
				return nil
			},
			OnSolved: func(_ context.Context, tk ticket.Ticket) error {
				p.log.add(name, key("solved", tk.ID, ""))
				return nil
			},
		},
	})
	require.NoError(t, err)
	for _, id := range []string{"l1-a", "l1-b"} {
		_, err := d.AddAgent(routing.Agent{ID: id, Name: id, Line: 1, Capacity: map[routing.Channel]int{routing.ChannelEmail: 5}})
		require.NoError(t, err)
	}
	return d
}

func records(d *supportkit.Desk) []metrics.Record { return slices.Collect(d.Metrics().Records()) }

func TestDeskOverAnExistingStoreResumesWhereTheLastStopped(t *testing.T) {
	ctx := context.Background()
	p := restartParts{store: ticket.NewMemoryStore(), ledger: supportkit.NewMemoryLedger(), clock: &fakeClock{now: start}, log: &keyLog{}}
	a := p.deskOver(t, "a")
	at := func(m int) { p.clock.set(start.Add(time.Duration(m) * time.Minute)) }
	create := func(subject string) ticket.Ticket {
		tk, err := a.Tickets().Create(ctx, ticket.NewTicket{Subject: subject, Description: subject, Requester: customer, Channel: ticket.ChannelEmail})
		require.NoError(t, err)
		return tk
	}
	t1 := create("VPN")
	at(5)
	t2 := create("Printer")
	at(10)
	offers, err := a.Dispatch(ctx, p.clock.Now())
	require.NoError(t, err)
	require.Len(t, offers, 2)
	_, err = a.Accept(ctx, offers[0]) // t1 is taken; t2's offer is still out at the restart
	require.NoError(t, err)
	require.Equal(t, t2.ID.String(), offers[1].TaskID)
	at(20)
	t3 := create("Mail")
	done := create("Password")
	_, err = a.Tickets().Assign(ctx, agent, done.ID, "l1-b")
	require.NoError(t, err)
	_, err = a.Tickets().Comment(ctx, agent, done.ID, ticket.NewComment{Body: "reset", Public: true})
	require.NoError(t, err)
	_, err = a.Tickets().Solve(ctx, agent, done.ID)
	require.NoError(t, err)
	at(90)
	require.NoError(t, a.CheckClocks(ctx, p.clock.Now()))
	at(100)
	late := create("Wi-Fi") // its warning (10:10) and breach (10:40) fall while no Desk runs
	wantRecords := records(a)
	wantQueue := []string{t2.ID.String(), t3.ID.String(), late.ID.String()}
	before := p.log.by("a")

	// a stops; b starts at 12:00 over the same store and ledger.
	at(180)
	b := p.deskOver(t, "b")
	require.NoError(t, b.Load(ctx))

	assert.Equal(t, wantRecords, records(b), "metrics records rebuilt from the store")
	assert.Equal(t, wantQueue, b.Router().Queue(), "waiting tickets in their first order")
	info, err := b.Router().Task(t2.ID.String())
	require.NoError(t, err)
	assert.Equal(t, start.Add(5*time.Minute), info.Task.QueuedAt, "t2 keeps its waiting time")
	info, err = b.Router().Task(t1.ID.String())
	require.NoError(t, err)
	assert.Equal(t, routing.Assigned, info.State)
	assert.Equal(t, offers[0].AgentID, info.AgentID, "t1 still counts for its agent")
	_, err = b.Accept(ctx, offers[1])
	assert.ErrorIs(t, err, routing.ErrNotOffered, "the old offer is expired, its ticket waits again")
	assert.Empty(t, p.log.by("b"), "nothing delivered before is delivered again by the load")

	require.NoError(t, b.CheckClocks(ctx, p.clock.Now()))
	newKeys := slices.DeleteFunc(p.log.by("b"), func(k string) bool { return slices.Contains(before, k) })
	assert.Equal(t, []string{
		"breach " + late.ID.String()[24:] + " first response",
		"warning " + late.ID.String()[24:] + " first response",
	}, newKeys, "what fell due while no Desk ran is delivered once")
	assert.Empty(t, p.log.twice())

	// The SLA clocks of the open tickets are back: the next wake is the earliest
	// resolution deadline, t1's at 17:00, as the sla package computes it from the log.
	var want time.Time
	for _, tk := range []ticket.Ticket{t1, t2, t3, late} {
		res, err := b.Clocks(ctx, tk.ID, p.clock.Now())
		require.NoError(t, err)
		if next, ok := res.NextWake(); ok && (want.IsZero() || next.Before(want)) {
			want = next
		}
	}
	got, ok := b.NextWake(ctx, p.clock.Now())
	require.True(t, ok)
	assert.Equal(t, want, got)
	assert.Equal(t, start.Add(8*time.Hour+time.Nanosecond), got)
}

func TestLoadTwiceAppliesNothingTwice(t *testing.T) {
	ctx := context.Background()
	p := restartParts{store: ticket.NewMemoryStore(), ledger: supportkit.NewMemoryLedger(), clock: &fakeClock{now: start}, log: &keyLog{}}
	a := p.deskOver(t, "a")
	for range 3 {
		_, err := a.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer, Channel: ticket.ChannelEmail})
		require.NoError(t, err)
	}
	want := records(a)
	require.NoError(t, a.Load(ctx), "a Desk that saw every write")
	assert.Equal(t, want, records(a))
	b := p.deskOver(t, "b")
	require.NoError(t, b.Load(ctx))
	require.NoError(t, b.Load(ctx))
	assert.Equal(t, want, records(b))
	assert.Len(t, b.Router().Queue(), 3)
}
