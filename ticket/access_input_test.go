package ticket_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// TestTenantAndVisibilityInputAreChecked checks the bad inputs of tenants, organizations and
// visibility filters: each is refused with ErrInvalid and nothing is listed or created.
func TestTenantAndVisibilityInputAreChecked(t *testing.T) {
	for _, tenant := range []string{"a\x00b", strings.Repeat("t", 129), "\xff"} {
		_, err := ticket.NewService(nil, ticket.Config{Tenant: tenant})
		assert.ErrorIs(t, err, ticket.ErrInvalid, "tenant %q", tenant)
	}
	b := setup(t, ticket.Config{})
	many := make([]string, 1001)
	for i := range many {
		many[i] = fmt.Sprint("g", i)
	}
	for name, q := range map[string]ticket.Query{
		"organization":    {Organization: "o\x00"},
		"many groups":     {Visible: &ticket.Visibility{Groups: many}},
		"bad requester":   {Visible: &ticket.Visibility{Requesters: []string{"\xff"}}},
		"long assignee":   {Visible: &ticket.Visibility{Assignees: []string{strings.Repeat("a", 255)}}},
		"control in orgs": {Visible: &ticket.Visibility{Organizations: []string{"a\nb"}}},
	} {
		_, err := b.svc.List(ctx, q)
		assert.ErrorIs(t, err, ticket.ErrInvalid, name)
	}
	r := ann
	r.Organization = strings.Repeat("o", 129)
	_, err := b.svc.Create(ctx, ticket.NewTicket{Subject: "x", Requester: r})
	assert.ErrorIs(t, err, ticket.ErrInvalid)
	_, err = b.svc.As(ticket.Actor{Kind: "ghost"}).List(ctx, ticket.Query{})
	assert.ErrorIs(t, err, ticket.ErrInvalid, "an unknown actor kind")
	page, err := b.svc.List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Empty(t, page.Tickets, "nothing created")
}

// nilGrant is an Authorizer that answers with no Grant.
type nilGrant struct{}

func (nilGrant) Grant(context.Context, ticket.Actor) (ticket.Grant, error) { return nil, nil }

// TestANilGrantRefusesEverything checks that an Authorizer returning no Grant fails closed.
func TestANilGrantRefusesEverything(t *testing.T) {
	open := setup(t, ticket.Config{})
	tk, err := open.svc.Create(ctx, ticket.NewTicket{Subject: "x", Requester: ann})
	require.NoError(t, err)
	svc, err := ticket.NewService(open.store, ticket.Config{Authorizer: nilGrant{}})
	require.NoError(t, err)
	_, err = svc.Get(ctx, tk.ID)
	assert.ErrorIs(t, err, ticket.ErrNotFound)
	page, err := svc.List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Empty(t, page.Tickets)
	_, err = svc.Create(ctx, ticket.NewTicket{Subject: "y", Requester: ann})
	assert.ErrorIs(t, err, ticket.ErrForbidden)
}
