package ticket_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

func TestAllWalksEveryPageAndStopsEarly(t *testing.T) {
	b := setup(t, ticket.Config{})
	var want []string
	for range 23 {
		want = append(want, b.create(t, ticket.NewTicket{Group: "g"}).Number)
	}
	b.create(t, ticket.NewTicket{Group: "other"})
	var got []string
	for tk, err := range b.svc.All(ctx, ticket.Query{Group: "g", Limit: 5}) {
		require.NoError(t, err)
		got = append(got, tk.Number)
	}
	assert.Equal(t, want, got)

	n := 0
	for range b.svc.All(ctx, ticket.Query{Limit: 5}) {
		n++
		if n == 7 {
			break
		}
	}
	assert.Equal(t, 7, n)
}

func TestAllYieldsErrorOnce(t *testing.T) {
	b := setup(t, ticket.Config{})
	b.create(t, ticket.NewTicket{})
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	var errs []error
	for _, err := range b.svc.All(cctx, ticket.Query{}) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	_, err := b.svc.List(ctx, ticket.Query{Limit: 1001})
	assert.ErrorIs(t, err, ticket.ErrInvalid)
}

func TestReceiveOnClosedTicketOpensFollowUp(t *testing.T) {
	b := setup(t, ticket.Config{})
	old := b.create(t, ticket.NewTicket{Assignee: "agent-7", Status: ticket.StatusSolved})
	_, err := b.svc.Close(ctx, agent, old.ID)
	require.NoError(t, err)
	fu, err := b.svc.Receive(ctx, ticket.Inbound{From: ann, Subject: "Re: [" + old.Number + "] Printer jams", Body: "Back again."})
	require.NoError(t, err)
	assert.NotEqual(t, old.ID, fu.ID)
	assert.Equal(t, []ticket.Link{{Kind: ticket.LinkFollowUpOf, Target: old.ID}}, fu.Links)
}
