package tickettest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// tenantService returns a Service over s bound to tenant.
func tenantService(t *testing.T, s ticket.Store, tenant string) *ticket.Service {
	t.Helper()
	c := &clock{now: fixedStart}
	svc, err := ticket.NewService(s, ticket.Config{Now: c.Now, Tenant: tenant})
	require.NoError(t, err)
	return svc
}

// population is what tenantFixture made: each tenant's tickets, all with the same requesters,
// keys, groups and subjects, so that only the tenant tells them apart.
type population map[string][]ticket.Ticket

// tenantFixture creates n tickets in each tenant through a Service per tenant, with the same
// keys and requesters in every tenant.
func tenantFixture(t *testing.T, s ticket.Store, tenants []string, n int) population {
	t.Helper()
	pop := population{}
	for _, tenant := range tenants {
		svc := tenantService(t, s, tenant)
		for i := range n {
			pop[tenant] = append(pop[tenant], create(t, svc, ticket.NewTicket{
				Key:     fmt.Sprintf("key-%d", i),
				Subject: fmt.Sprintf("Ticket %d", i),
				Requester: ticket.Requester{
					ID: fmt.Sprintf("cust-%d", i%3), Email: fmt.Sprintf("c%d@example.com", i%3),
					Organization: fmt.Sprintf("org-%d", i%2),
				},
				Group: []string{"network", "billing"}[i%2], Assignee: "agent-1",
				Tags: []string{"all"},
			}))
		}
	}
	return pop
}

func ids(ts []ticket.Ticket) map[uuid.UUID]bool {
	out := map[uuid.UUID]bool{}
	for _, tk := range ts {
		out[tk.ID] = true
	}
	return out
}

// testTenantNumbersAndKeys checks that numbers and idempotency keys are per tenant: one key
// (same requester, same payload) makes one ticket in each tenant, and a number finds each
// tenant's own ticket.
func testTenantNumbersAndKeys(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	pop := tenantFixture(t, s, []string{"", "acme", "globex"}, 4)
	for tenant, tickets := range pop {
		svc := tenantService(t, s, tenant)
		for i, tk := range tickets {
			assert.Equal(t, tenant, tk.Tenant)
			again := create(t, svc, ticket.NewTicket{
				Key: fmt.Sprintf("key-%d", i), Subject: tk.Subject, Requester: tk.Requester,
				Group: tk.Group, Assignee: "agent-1", Tags: []string{"all"},
			})
			assert.Equal(t, tk.ID, again.ID, "the key names the tenant's own ticket")
			byNumber, err := s.TicketByNumber(ctx, tenant, tk.Number)
			require.NoError(t, err)
			assert.Equal(t, tk.ID, byNumber.ID, "a number names the tenant's own ticket")
		}
	}
	// Numbers come from one sequence per tenant: a tenant's numbers are distinct, and the
	// same number may stand in several tenants.
	for tenant, tickets := range pop {
		seen := map[string]bool{}
		for _, tk := range tickets {
			assert.False(t, seen[tk.Number], "number %s twice in tenant %q", tk.Number, tenant)
			seen[tk.Number] = true
		}
	}
	c := record(uuid.Must(uuid.NewV7()), "")
	c.Ticket.Tenant = "initech"
	only, _, err := s.Create(ctx, c)
	require.NoError(t, err)
	back, err := s.Ticket(ctx, only.ID)
	require.NoError(t, err)
	assert.Equal(t, "initech", back.Tenant, "the tenant is stored")
	for tenant := range pop {
		got, err := s.TicketByNumber(ctx, tenant, only.Number)
		require.ErrorIs(t, err, ticket.ErrNotFound, "tenant %q reads initech's %s", tenant, only.Number)
		assert.Zero(t, got)
	}
}

// testTenantIsolation checks that no Store method that takes a tenant returns anything of
// another tenant, under every filter of a Query.
func testTenantIsolation(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tenants := []string{"", "acme", "globex"}
	pop := tenantFixture(t, s, tenants, 6)
	queries := []ticket.Query{
		{}, {Group: "network"}, {Requester: "cust-1"}, {Requester: "C1@example.com"},
		{Organization: "org-1"}, {Assignee: "agent-1"}, {Tag: "all"}, {Limit: 1},
		{Statuses: []ticket.Status{ticket.StatusNew}}, {Priorities: []ticket.Priority{ticket.PriorityNormal}},
		{Visible: &ticket.Visibility{Requesters: []string{"cust-0"}, Groups: []string{"billing"}}},
		{Visible: &ticket.Visibility{Organizations: []string{"org-0", "org-1"}}},
		{Visible: &ticket.Visibility{Assignees: []string{"agent-1"}}},
	}
	for _, tenant := range tenants {
		own := ids(pop[tenant])
		for _, q := range queries {
			q.Tenant = tenant
			for {
				page, err := s.List(ctx, q)
				require.NoError(t, err)
				for _, tk := range page.Tickets {
					require.True(t, own[tk.ID], "tenant %q lists %s of tenant %q (%+v)", tenant, tk.Number, tk.Tenant, q)
				}
				if page.Next == uuid.Nil {
					break
				}
				q.After = page.Next
			}
		}
		for other, tickets := range pop {
			for _, tk := range tickets {
				got, err := s.TicketByNumber(ctx, tenant, tk.Number)
				if err == nil {
					assert.True(t, own[got.ID], "tenant %q reads %s of tenant %q by number", tenant, tk.Number, other)
				} else {
					assert.ErrorIs(t, err, ticket.ErrNotFound)
				}
			}
		}
		if e, ok := s.(ticket.Eraser); ok {
			found, err := e.Mentioning(ctx, tenant, []string{"cust-1", "Ticket", "example.com"})
			require.NoError(t, err)
			assert.Len(t, found, len(own))
			for _, id := range found {
				assert.True(t, own[id], "tenant %q finds another tenant's ticket %s", tenant, id)
			}
		}
	}
}

// testServiceTenantIsolation checks that a Service bound to one tenant treats every ticket
// of another as missing through every method that takes a ticket ID or number.
func testServiceTenantIsolation(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	pop := tenantFixture(t, s, []string{"acme", "globex"}, 3)
	svc := tenantService(t, s, "globex")
	require.NoError(t, svc.DefineMacro(ticket.Macro{Name: "tag", AddTags: []string{"m"}}))
	own := pop["globex"][0].ID
	for _, foreign := range pop["acme"] {
		id := foreign.ID
		calls := map[string]func() error{
			"Get":          func() error { _, err := svc.Get(ctx, id); return err },
			"Comments":     func() error { _, err := svc.Comments(ctx, id); return err },
			"Events":       func() error { _, err := svc.Events(ctx, id); return err },
			"EventsAfter":  func() error { _, err := svc.EventsAfter(ctx, id, 0); return err },
			"CustomerView": func() error { _, err := svc.CustomerView(ctx, id); return err },
			"Comment": func() error {
				_, err := svc.Comment(ctx, agent, id, ticket.NewComment{Public: true, Body: "x"})
				return err
			},
			"Update": func() error {
				_, err := svc.Update(ctx, agent, id, ticket.Changes{AddTags: []string{"x"}})
				return err
			},
			"Assign":      func() error { _, err := svc.Assign(ctx, agent, id, "agent-2"); return err },
			"Solve":       func() error { _, err := svc.Solve(ctx, agent, id); return err },
			"Reopen":      func() error { _, err := svc.Reopen(ctx, agent, id); return err },
			"ApplyMacro":  func() error { _, err := svc.ApplyMacro(ctx, agent, id, "tag"); return err },
			"MergeSource": func() error { _, err := svc.Merge(ctx, agent, id, own); return err },
			"MergeTarget": func() error { _, err := svc.Merge(ctx, agent, own, id); return err },
			"Link":        func() error { _, err := svc.Link(ctx, agent, own, ticket.LinkRelated, id); return err },
			"Rate": func() error {
				_, err := svc.Rate(ctx, foreign.Requester.Actor(), id, ticket.Rating{CSAT: 5})
				return err
			},
			"FollowUpOf": func() error {
				_, err := svc.Create(ctx, ticket.NewTicket{Subject: "x", Requester: foreign.Requester, FollowUpOf: id})
				return err
			},
		}
		for name, call := range calls {
			err := call()
			assert.True(t, errors.Is(err, ticket.ErrNotFound), "%s on another tenant's ticket: %v", name, err)
		}
	}
	for _, tk := range pop["acme"] {
		stored, err := s.Ticket(ctx, tk.ID)
		require.NoError(t, err)
		assert.Equal(t, tk.Version, stored.Version, "nothing of acme's ticket changed")
	}
	// A message quoting acme's number lands in globex as a new ticket of globex's own.
	foreign := pop["acme"][0]
	got, err := svc.Receive(ctx, ticket.Inbound{Subject: "Re: [" + foreign.Number + "] hi", Body: "b", From: foreign.Requester})
	require.NoError(t, err)
	assert.Equal(t, "globex", got.Tenant)
	assert.NotEqual(t, foreign.ID, got.ID)
}
