package ticket_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

func TestPrefixNumbersFind(t *testing.T) {
	p := ticket.PrefixNumbers{}
	tests := []struct {
		text, want string
	}{
		{"Re: [SUP-1042] Printer", "SUP-1042"},
		{"RE: FW: sup-7 again", "SUP-7"},
		{"SUP-0042", "SUP-42"},
		{"(SUP-12).", "SUP-12"},
		{"Ticket SUP-", ""},
		{"XSUP-12", ""},
		{"SUP-12abc", ""},
		{"SUP-99999999999999999999", ""},
		{"no number", ""},
		{"SUP-1 and SUP-2", "SUP-1"},
		{"Ответ: [SUP-5]", "SUP-5"},
		{"", ""},
	}
	for _, tc := range tests {
		got, ok := p.Find(tc.text)
		assert.Equal(t, tc.want, got, tc.text)
		assert.Equal(t, tc.want != "", ok, tc.text)
	}
	acme := ticket.PrefixNumbers{Prefix: "ACME", First: 1000}
	assert.Equal(t, "ACME-1000", acme.Number(1))
	n, ok := acme.Find("Re: ACME-1041")
	assert.True(t, ok)
	assert.Equal(t, "ACME-1041", n)
}

func FuzzPrefixNumbersFind(f *testing.F) {
	for _, seed := range []string{"Re: [SUP-1042] Printer", "sup-7", "SUP-", "SUP-99999999999999999999", "ＳＵＰ-1", "xSUP-1", "SUP-1x SUP-2", ""} {
		f.Add(seed)
	}
	p := ticket.PrefixNumbers{}
	f.Fuzz(func(t *testing.T, text string) {
		n, ok := p.Find(text)
		if !ok {
			require.Empty(t, n)
			return
		}
		// What Find returns it must find again, unchanged.
		again, ok := p.Find(n)
		require.True(t, ok, n)
		require.Equal(t, n, again)
	})
}

func TestReceiveThreadsRepliesBySubjectNumber(t *testing.T) {
	b := setup(t, ticket.Config{Numbers: ticket.PrefixNumbers{First: 1042}})
	first, err := b.svc.Receive(ctx, ticket.Inbound{Key: "<m1@example.com>", From: ann, Subject: "Printer", Body: "It jams."})
	require.NoError(t, err)
	assert.Equal(t, "SUP-1042", first.Number)
	assert.Equal(t, ticket.ChannelEmail, first.Channel)

	again, err := b.svc.Receive(ctx, ticket.Inbound{Key: "<m1@example.com>", From: ann, Subject: "Printer", Body: "It jams."})
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID, "a redelivered email creates nothing")

	reply, err := b.svc.Receive(ctx, ticket.Inbound{Key: "<m2@example.com>", From: ann, Subject: "Re: [SUP-1042] Printer", Body: "Also smokes."})
	require.NoError(t, err)
	assert.Equal(t, first.ID, reply.ID)
	cs, err := b.svc.Comments(ctx, first.ID)
	require.NoError(t, err)
	assert.Len(t, cs, 2)
	assert.Equal(t, "<m2@example.com>", cs[1].Key)

	_, err = b.svc.Receive(ctx, ticket.Inbound{Key: "<m2@example.com>", From: ann, Subject: "Re: [SUP-1042] Printer", Body: "Also smokes."})
	require.NoError(t, err)
	cs, err = b.svc.Comments(ctx, first.ID)
	require.NoError(t, err)
	assert.Len(t, cs, 2, "a redelivered reply adds nothing")

	stranger := ticket.Requester{Email: "eve@example.com"}
	other, err := b.svc.Receive(ctx, ticket.Inbound{From: stranger, Subject: "Re: [SUP-1042] Printer", Body: "me too"})
	require.NoError(t, err)
	assert.NotEqual(t, first.ID, other.ID, "another requester's mail does not thread onto the ticket")
}
