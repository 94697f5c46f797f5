package postgres_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/postgres/internal/pgtest"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

var (
	restartTickets = flag.Int("restart.tickets", 10_000, "tickets of BenchmarkRestart's store, ten events each (100000 for the goal's size)")
	restartSchema  = flag.String("restart.schema", "", "a schema BenchmarkRestart keeps and reuses: filled when missing or incomplete, migrated and read as is when complete, never dropped")
)

// templates are the logs of three tickets written by a Service, as the memory benchmark of
// the root package writes them: created with a description, assigned, an agent's reply,
// pending, the customer's reply, a tag, and solved (two of three) or a note: ten events.
func templates(tb testing.TB) []ticket.Creation {
	ctx := context.Background()
	mem := ticket.NewMemoryStore()
	now := chaosStart
	svc, err := ticket.NewService(mem, ticket.Config{Now: func() time.Time { return now }})
	require.NoError(tb, err)
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-1", Name: "Alex"}
	cust := ticket.Actor{Kind: ticket.ActorCustomer, ID: "cust-1", Name: "Ann Lee"}
	var out []ticket.Creation
	for i := range 3 {
		tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "VPN", Description: "down", Channel: ticket.ChannelEmail,
			Requester: ticket.Requester{ID: "cust-1", Email: "ann@example.com"}, Group: "service-desk"})
		require.NoError(tb, err)
		id := tk.ID
		now = now.Add(time.Second)
		_, err = svc.Assign(ctx, agent, id, "agent-1")
		require.NoError(tb, err)
		_, err = svc.Comment(ctx, agent, id, ticket.NewComment{Body: "Which client?", Public: true})
		require.NoError(tb, err)
		_, err = svc.Update(ctx, agent, id, ticket.Changes{Status: ticket.Ptr(ticket.StatusPending)})
		require.NoError(tb, err)
		now = now.Add(time.Second)
		_, err = svc.Comment(ctx, cust, id, ticket.NewComment{Body: "The new one.", Public: true})
		require.NoError(tb, err)
		_, err = svc.Update(ctx, agent, id, ticket.Changes{AddTags: []string{"vpn"}})
		require.NoError(tb, err)
		if i == 0 {
			_, err = svc.Comment(ctx, agent, id, ticket.NewComment{Body: "Still on it."})
		} else {
			_, err = svc.Solve(ctx, agent, id)
		}
		require.NoError(tb, err)
		final, err := mem.Ticket(ctx, id)
		require.NoError(tb, err)
		comments, err := mem.Comments(ctx, id)
		require.NoError(tb, err)
		events, err := mem.Events(ctx, id, 0)
		require.NoError(tb, err)
		require.Len(tb, events, 10)
		out = append(out, ticket.Creation{Ticket: final, Comments: comments, Events: events})
	}
	return out
}

// clone is template c as the creation of a new ticket: new IDs, the same log.
func clone(c ticket.Creation) ticket.Creation {
	id := uuid.Must(uuid.NewV7())
	ids := map[uuid.UUID]uuid.UUID{}
	c.Ticket.ID, c.Ticket.Number, c.Ticket.Version = id, "", 0
	comments := make([]ticket.Comment, len(c.Comments))
	for i, cm := range c.Comments {
		ids[cm.ID] = uuid.Must(uuid.NewV7())
		cm.ID, cm.TicketID = ids[cm.ID], id
		comments[i] = cm
	}
	events := make([]ticket.Event, len(c.Events))
	for i, e := range c.Events {
		e.TicketID = id
		if e.CommentID != uuid.Nil {
			e.CommentID = ids[e.CommentID]
		}
		events[i] = e
	}
	c.Comments, c.Events = comments, events
	c.Number = func(seq int64) string { return fmt.Sprintf("SUP-%d", seq) }
	return c
}

// fillStore writes n tickets of ten events each, cloned from the templates, from eight
// writers, committing without waiting for the WAL flush (the load is setup, not measured).
func fillStore(b *testing.B, schema string, n int) {
	ctx := context.Background()
	pool := pgtest.Pool(b, func(c *pgxpool.Config) {
		c.MaxConns = 8
		c.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
	})
	store, err := postgres.NewTicketStore(pool, postgres.Config{Schema: schema})
	require.NoError(b, err)
	tpl := templates(b)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				if _, _, err := store.Create(ctx, clone(tpl[i%3])); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, table := range []string{"tickets", "comments", "events"} {
		_, err = pool.Exec(ctx, "VACUUM ANALYZE "+schema+"."+table)
		require.NoError(b, err)
	}
}

// restartSetup returns the setup of BenchmarkRestart with n tickets written: a new schema,
// dropped when the benchmark ends, or with -restart.schema that schema, kept, and filled only
// when it does not hold a complete fill of n tickets (its comment records one).
func restartSetup(b *testing.B, n int) setup {
	if *restartSchema == "" {
		st := newSetup(b, func(c *pgxpool.Config) { c.MaxConns = 8 })
		fillLogged(b, st.schema, n)
		return st
	}
	ctx := context.Background()
	schema := *restartSchema
	pool := pgtest.Pool(b, func(c *pgxpool.Config) { c.MaxConns = 8 })
	mark := fmt.Sprintf("restart benchmark: %d tickets", n)
	var comment *string
	err := pool.QueryRow(ctx, "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = $1", schema).Scan(&comment)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		require.NoError(b, err)
	}
	complete := comment != nil && *comment == mark
	if !complete {
		_, err = pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		require.NoError(b, err)
	}
	_, err = postgres.Migrate(ctx, pool, schema)
	require.NoError(b, err)
	if complete {
		b.Logf("reusing schema %s (%s)", schema, mark)
	} else {
		fillLogged(b, schema, n)
		_, err = pool.Exec(ctx, "COMMENT ON SCHEMA "+pgx.Identifier{schema}.Sanitize()+" IS '"+mark+"'")
		require.NoError(b, err)
	}
	store, err := postgres.NewTicketStore(pool, postgres.Config{Schema: schema, PollInterval: 200 * time.Millisecond})
	require.NoError(b, err)
	return setup{pool: pool, schema: schema, store: store}
}

// fillLogged fills the schema with n tickets and logs how long it took.
func fillLogged(b *testing.B, schema string, n int) {
	began := time.Now()
	fillStore(b, schema, n)
	b.Logf("wrote %d tickets and %d events in %v", n, 10*n, time.Since(began).Round(time.Millisecond))
}

// BenchmarkRestart measures how long a Desk over PostgreSQL takes to be ready after a
// restart: Load reads the change feed from its start (or lists the store) and rebuilds
// metrics, the SLA clocks of open tickets and the routing queue, with a PostgreSQL clock
// index. The store holds -restart.tickets tickets of ten events each (default 10,000, so
// 100,000 events; 100,000 tickets and a million events is the goal's size, whose setup
// takes minutes).
//
//	go test -run '^$' -bench Restart -benchtime 1x . -restart.tickets 100000
func BenchmarkRestart(b *testing.B) {
	ctx := context.Background()
	n := *restartTickets
	st := restartSetup(b, n)
	p, err := sla.NewPolicies(sla.Policy{Name: "standard", Targets: map[string]sla.Targets{"": {
		FirstResponse: &sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Percent: 50}}},
		Resolution:    &sla.Target{Within: 8 * time.Hour},
	}}})
	require.NoError(b, err)
	now := chaosStart.Add(time.Hour)
	for _, feed := range []bool{true, false} {
		name := "list"
		if feed {
			name = "feed"
		}
		b.Run(name, func(b *testing.B) {
			cpu := cpuTime()
			defer func() { b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op") }()
			for b.Loop() {
				clocks, err := postgres.NewClockIndex(st.pool, postgres.Config{Schema: st.schema}, "restart")
				require.NoError(b, err)
				require.NoError(b, clocks.Clear(ctx))
				cfg := supportkit.Config{Store: st.store, Clocks: clocks, Policies: p, Routing: &routing.Config{},
					Now: func() time.Time { return now }}
				if feed {
					cfg.Feed = st.store
				}
				d, err := supportkit.New(cfg)
				require.NoError(b, err)
				_, err = d.AddAgent(routing.Agent{ID: "agent-1", Capacity: map[routing.Channel]int{routing.ChannelEmail: 1_000_000}})
				require.NoError(b, err)
				require.NoError(b, d.Load(ctx))
				_, _ = d.NextWake(ctx, now) // writes the clock index
				if d.Metrics().Len() != n {
					b.Fatalf("%d records", d.Metrics().Len())
				}
			}
		})
	}
}
