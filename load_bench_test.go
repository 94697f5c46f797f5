package supportkit_test

import (
	"context"
	"flag"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// history writes n tickets with ten events each to a new memory store: created with a
// description, assigned (assignee and status), an agent reply, pending, the customer's
// reply (comment and reopen), a tag, and either solved or a further note, one minute
// apart per ticket. It returns the store and the instant after the last write.
func history(tb testing.TB, n int) (*ticket.MemoryStore, time.Time) {
	tb.Helper()
	ctx := context.Background()
	store := ticket.NewMemoryStore()
	var mu sync.Mutex
	now := start
	svc, err := ticket.NewService(store, ticket.Config{Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	require.NoError(tb, err)
	tick := func() { mu.Lock(); now = now.Add(time.Second); mu.Unlock() }
	cust := ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann", Name: "Ann Lee"}
	for i := range n {
		tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Requester: customer,
			Channel: ticket.ChannelEmail, Group: "service-desk"})
		require.NoError(tb, err)
		id := tk.ID
		tick()
		_, err = svc.Assign(ctx, agent, id, fmt.Sprintf("agent-%d", i%10))
		require.NoError(tb, err)
		tick()
		_, err = svc.Comment(ctx, agent, id, ticket.NewComment{Body: "Which client?", Public: true})
		require.NoError(tb, err)
		_, err = svc.Update(ctx, agent, id, ticket.Changes{Status: ticket.Ptr(ticket.StatusPending)})
		require.NoError(tb, err)
		tick()
		_, err = svc.Comment(ctx, cust, id, ticket.NewComment{Body: "The new one.", Public: true})
		require.NoError(tb, err)
		_, err = svc.Update(ctx, agent, id, ticket.Changes{AddTags: []string{"vpn"}})
		require.NoError(tb, err)
		tick()
		if i%3 == 0 {
			_, err = svc.Comment(ctx, agent, id, ticket.NewComment{Body: "Still on it."})
		} else {
			_, err = svc.Solve(ctx, agent, id)
		}
		require.NoError(tb, err)
	}
	mu.Lock()
	defer mu.Unlock()
	return store, now
}

// loadedDesk is the Desk a restart builds: SLA policies, ten agents, over store.
func loadedDesk(tb testing.TB, store *ticket.MemoryStore, now time.Time, feed bool, policies *sla.Policies) *supportkit.Desk {
	cfg := supportkit.Config{Store: store, Now: func() time.Time { return now }, Policies: policies, Routing: &routing.Config{}}
	if feed {
		cfg.Feed = store
	}
	d, err := supportkit.New(cfg)
	require.NoError(tb, err)
	for i := range 10 {
		_, err := d.AddAgent(routing.Agent{ID: fmt.Sprintf("agent-%d", i), Capacity: map[routing.Channel]int{routing.ChannelEmail: 100000}})
		require.NoError(tb, err)
	}
	return d
}

// benchTickets is the size of BenchmarkLoad's store.
var benchTickets = flag.Int("load.tickets", 100_000, "tickets in BenchmarkLoad's store (ten events each)")

// BenchmarkLoad measures how long a Desk takes to be ready over a store of 100,000
// tickets and 1,000,000 events: Load rebuilds metrics, SLA clocks and the routing queue.
// cpu-ns/op is the process's CPU time during Load (both cores, the collector included),
// which a shared machine disturbs less than the wall time.
//
//	go test -run '^$' -bench Load -benchtime 1x -benchmem .
//	go test -run '^$' -bench Load -benchtime 1x -benchmem -load.tickets 10000 .
func BenchmarkLoad(b *testing.B) {
	store, now := history(b, *benchTickets)
	p, err := sla.NewPolicies(sla.Policy{Name: "standard", Targets: map[string]sla.Targets{"": {
		FirstResponse: &sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Percent: 50}}},
		Resolution:    &sla.Target{Within: 8 * time.Hour},
	}}})
	require.NoError(b, err)
	for _, c := range []struct {
		name     string
		feed     bool
		policies *sla.Policies
	}{{"feed", true, p}, {"list", false, p}, {"feed-no-sla", true, nil}} {
		b.Run(c.name, func(b *testing.B) {
			var cpu time.Duration
			for b.Loop() {
				d := loadedDesk(b, store, now, c.feed, c.policies)
				before, ok := processCPU()
				require.NoError(b, d.Load(context.Background()))
				if after, ok2 := processCPU(); ok && ok2 {
					cpu += after - before
				}
				if d.Metrics().Len() != *benchTickets {
					b.Fatalf("%d records", d.Metrics().Len())
				}
			}
			if cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
