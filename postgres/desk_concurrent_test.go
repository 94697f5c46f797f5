package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/postgres/internal/pgtest"
	"github.com/supportkit/supportkit/ticket"
)

// Three Desks, each a process with a pool of its own, update one ticket at once: every
// change lands (none is lost to another's), each once, and every Desk ends with the same
// metrics record of it. A write made with a stale version gets ErrConflict from the store.
func TestDesksUpdatingOneTicketLoseNothing(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	const desks, each = 3, 15
	var ds []*supportkit.Desk
	var stores []*postgres.TicketStore
	for range desks {
		pool := pgtest.Pool(t, func(c *pgxpool.Config) { c.MaxConns = 4 })
		store, err := postgres.NewTicketStore(pool, postgres.Config{Schema: st.schema, PollInterval: 50 * time.Millisecond})
		require.NoError(t, err)
		d, err := supportkit.New(supportkit.Config{Store: store, Feed: store, Tickets: ticket.Config{MaxRetries: 1000}})
		require.NoError(t, err)
		ds, stores = append(ds, d), append(stores, store)
	}
	tk, err := ds[0].Tickets().Create(ctx, ticket.NewTicket{Subject: "Printer jams", Description: "It jams.",
		Requester: ticket.Requester{ID: "cust-1"}, Assignee: "agent-1"})
	require.NoError(t, err)
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-1"}
	var wg sync.WaitGroup
	for i, d := range ds {
		wg.Go(func() {
			for j := range each {
				_, err := d.Tickets().Update(ctx, agent, tk.ID, ticket.Changes{
					AddTags: []string{fmt.Sprintf("d%d-%d", i, j)},
					Fields:  map[string]string{fmt.Sprintf("desk-%d", i): fmt.Sprint(j)},
				})
				assert.NoError(t, err)
				_, err = d.Tickets().Comment(ctx, agent, tk.ID, ticket.NewComment{Body: fmt.Sprintf("note %d-%d", i, j)})
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	got, err := ds[0].Tickets().Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Len(t, got.Tags, desks*each, "every tag added")
	for i := range desks {
		assert.Equal(t, fmt.Sprint(each-1), got.Fields[fmt.Sprintf("desk-%d", i)])
	}
	comments, err := ds[0].Tickets().Comments(ctx, tk.ID)
	require.NoError(t, err)
	assert.Len(t, comments, 1+desks*each, "every comment added once")

	stale := got
	stale.Version--
	_, err = stores[1].Update(ctx, ticket.Change{Ticket: stale})
	assert.ErrorIs(t, err, ticket.ErrConflict, "a stale version")

	for _, d := range ds {
		require.NoError(t, d.Follow(ctx))
	}
	record := func(d *supportkit.Desk) string {
		r, ok := d.Metrics().Record(tk.ID.String())
		require.True(t, ok)
		b, err := json.Marshal(r) // instants compared as instants
		require.NoError(t, err)
		return string(b)
	}
	for i, d := range ds[1:] {
		assert.JSONEq(t, record(ds[0]), record(d), "desk %d", i+1)
	}
}
