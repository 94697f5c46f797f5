package ticket_test

import (
	"cmp"
	"math"
	"math/big"
	"strings"
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

// TestPrefixNumbersFindNextToNonASCIIPunctuation guards word boundaries outside ASCII:
// punctuation such as « » — „ “ 【 】 separates a number, while letters, digits and combining
// marks of any script continue a word.
func TestPrefixNumbersFindNextToNonASCIIPunctuation(t *testing.T) {
	p := ticket.PrefixNumbers{}
	tests := []struct {
		text, want string
	}{
		{"Re: «SUP-5» принтер", "SUP-5"},
		{"Re:—SUP-5", "SUP-5"},
		{"SUP-5—printer", "SUP-5"},
		{"„SUP-6“", "SUP-6"},
		{"【SUP-7】", "SUP-7"},
		{"SUP-8。", "SUP-8"},
		{"\u00a0SUP-9\u00a0", "SUP-9"},
		{"ЯSUP-10", ""},
		{"SUP-11я", ""},
		{"SUP-12١", ""}, // an Arabic-Indic digit continues the number
		{"éSUP-13", ""},
		{"e\u0301SUP-14", ""}, // a combining mark continues the word before
		{"SUP-15\u0301", ""},
		{"ЯSUP-16 «SUP-17»", "SUP-17"},
		{"\xffSUP-18\xff", "SUP-18"}, // invalid UTF-8 is no word character
	}
	for _, tc := range tests {
		got, ok := p.Find(tc.text)
		assert.Equal(t, tc.want, got, tc.text)
		assert.Equal(t, tc.want != "", ok, tc.text)
	}
}

func FuzzPrefixNumbersFind(f *testing.F) {
	for _, seed := range []string{
		"Re: [SUP-1042] Printer", "sup-7", "SUP-", "SUP-99999999999999999999", "ＳＵＰ-1", "xSUP-1",
		"SUP-1x SUP-2", "", "Re: «SUP-5» принтер", "Re:—SUP-5", "SUP-5—printer", "ЯSUP-1 SUP-2я",
		"e\u0301SUP-3", "SUP-4\u0301", "SUP-5١", "\xffSUP-6\xc3", "【SUP-7】",
	} {
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

// TestReceiveRejectsUnknownChannelOnReply guards Inbound.Channel on the path that threads a
// message onto an existing ticket: it is validated there as it is for a new ticket.
func TestReceiveRejectsUnknownChannelOnReply(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{})
	before := b.events(t, tk.ID)
	for name, subject := range map[string]string{"reply": "Re: [" + tk.Number + "] Printer", "new": "Scanner"} {
		_, err := b.svc.Receive(ctx, ticket.Inbound{Key: "<m-" + name + "@example.com>", From: ann, Channel: "fax", Subject: subject, Body: "Still jams."})
		var ve *ticket.ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.Equal(t, "channel", ve.Field, name)
	}
	assert.Equal(t, before, b.events(t, tk.ID), "nothing added to the ticket")
	page, err := b.svc.List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 1, "no ticket created")

	got, err := b.svc.Receive(ctx, ticket.Inbound{From: ann, Channel: ticket.ChannelChat, Subject: "Re: [" + tk.Number + "]", Body: "Still jams."})
	require.NoError(t, err)
	assert.Equal(t, tk.ID, got.ID, "a known channel threads as before")
}

// TestPrefixNumbersNearTheTopOfTheRangeAreFound guards fault 16: PrefixNumbers{First:
// math.MaxInt64} numbered its second ticket "SUP--9223372036854775808", which Find cannot
// read, so a reply to it opened a new ticket.
func TestPrefixNumbersNearTheTopOfTheRangeAreFound(t *testing.T) {
	b := setup(t, ticket.Config{Numbers: ticket.PrefixNumbers{First: math.MaxInt64}})
	first := b.create(t, ticket.NewTicket{})
	second := b.create(t, ticket.NewTicket{})
	assert.Equal(t, "SUP-9223372036854775807", first.Number)
	assert.Equal(t, "SUP-9223372036854775808", second.Number)
	got, err := b.svc.Receive(ctx, ticket.Inbound{Key: "<r@example.com>", From: ann, Subject: "Re: [" + second.Number + "]", Body: "Thanks."})
	require.NoError(t, err)
	assert.Equal(t, second.ID, got.ID, "the reply threads onto its ticket")

	p := ticket.PrefixNumbers{First: math.MaxInt64}
	top := p.Number(math.MaxInt64)
	assert.Equal(t, "SUP-18446744073709551613", top)
	found, ok := p.Find("Re: " + top)
	assert.True(t, ok)
	assert.Equal(t, top, found)
	_, err = ticket.NewService(ticket.NewMemoryStore(), ticket.Config{Numbers: ticket.PrefixNumbers{First: -1}})
	assert.ErrorIs(t, err, ticket.ErrInvalid)
}

// FuzzPrefixNumbersFindsWhatNumberWrites checks that Find reads back every number the
// generator writes, for any valid prefix, first number and sequence value, and that
// distinct sequence values give distinct numbers. The oracle is big-integer arithmetic.
func FuzzPrefixNumbersFindsWhatNumberWrites(f *testing.F) {
	f.Add("SUP", int64(1), int64(1), int64(2))
	f.Add("", int64(math.MaxInt64), int64(math.MaxInt64), int64(2))
	f.Add("a1", int64(0), int64(0), int64(-1))
	f.Add("Z", int64(1<<62), int64(1<<62+1), int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, prefix string, first, seq, other int64) {
		p := ticket.PrefixNumbers{Prefix: prefix, First: first}
		if _, err := ticket.NewService(ticket.NewMemoryStore(), ticket.Config{Numbers: p}); err != nil {
			return // not a generator NewService accepts
		}
		seq, other = max(seq, 1), max(other, 1)
		n := p.Number(seq)
		want := new(big.Int).SetInt64(max(first, 1))
		want.Add(want, big.NewInt(seq-1))
		require.Equal(t, cmp.Or(prefix, "SUP")+"-"+want.String(), n)
		for _, text := range []string{n, "Re: [" + n + "] x", strings.ToLower(n) + "."} {
			got, ok := p.Find(text)
			require.True(t, ok, text)
			require.Equal(t, n, got, text)
		}
		if other != seq {
			require.NotEqual(t, n, p.Number(other))
		}
	})
}

// TestReceiveThreadsOnlyTheRequestersOwnMail guards who may add to a ticket by naming its
// number: the requester, matched by ID when both sides have one, else by email address
// case-insensitively. Anyone else's mail, including mail with neither, is not added to the
// ticket; and an email-only sender's reply is written by that address.
func TestReceiveThreadsOnlyTheRequestersOwnMail(t *testing.T) {
	for _, tc := range []struct {
		name      string
		requester ticket.Requester
		from      ticket.Requester
		threads   bool
	}{
		{"same ID", ann, ticket.Requester{ID: "cust-1"}, true},
		{"same email, any case", ann, ticket.Requester{Email: "ANN@example.com"}, true},
		{"email-only requester", ticket.Requester{Email: "ann@example.com"}, ticket.Requester{Email: "ann@example.com", Name: "Ann"}, true},
		{"other ID, same email", ann, ticket.Requester{ID: "cust-9", Email: "ann@example.com"}, false},
		{"other email", ann, ticket.Requester{Email: "eve@example.com"}, false},
		{"ID-only requester, email sender", ticket.Requester{ID: "cust-1"}, ticket.Requester{Email: "ann@example.com"}, false},
		{"sender with neither", ticket.Requester{ID: "cust-1"}, ticket.Requester{Name: "Nobody"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := setup(t, ticket.Config{})
			tk := b.create(t, ticket.NewTicket{Requester: tc.requester})
			got, err := b.svc.Receive(ctx, ticket.Inbound{Key: "<r@example.com>", From: tc.from, Subject: "Re: [" + tk.Number + "]", Body: "More."})
			cs, cerr := b.svc.Comments(ctx, tk.ID)
			require.NoError(t, cerr)
			if !tc.threads {
				assert.Len(t, cs, 1, "nothing added to the requester's ticket")
				if err == nil {
					assert.NotEqual(t, tk.ID, got.ID)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tk.ID, got.ID)
			require.Len(t, cs, 2)
			want := ticket.Actor{Kind: ticket.ActorCustomer, ID: cmp.Or(tc.from.ID, tc.from.Email), Name: tc.from.Name}
			assert.Equal(t, want, cs[1].Author)
		})
	}
}

// TestAssigneeAndGroupHold128Characters guards the length limit of the host's agent and
// group IDs on Create.
func TestAssigneeAndGroupHold128Characters(t *testing.T) {
	b := setup(t, ticket.Config{})
	long := strings.Repeat("ж", 128)
	tk := b.create(t, ticket.NewTicket{Assignee: long, Group: long})
	assert.Equal(t, long, tk.Group)
	for _, nt := range []ticket.NewTicket{{Assignee: long + "x"}, {Group: long + "x"}} {
		nt.Subject, nt.Requester = "s", ann
		_, err := b.svc.Create(ctx, nt)
		assert.ErrorIs(t, err, ticket.ErrInvalid)
	}
}

// TestPrefixNumbersWordBoundariesAtTheEdgesOfASCIIRanges checks every ASCII character at
// the edge of a word range, and its neighbour outside it, on both sides of a number.
func TestPrefixNumbersWordBoundariesAtTheEdgesOfASCIIRanges(t *testing.T) {
	p := ticket.PrefixNumbers{}
	for _, r := range "09azAZ_" {
		texts := []string{string(r) + "SUP-7"}
		if r > '9' { // a digit after the number is part of it
			texts = append(texts, "SUP-7"+string(r))
		}
		for _, text := range texts {
			_, ok := p.Find(text)
			assert.False(t, ok, "%q continues the word", text)
		}
	}
	for _, d := range "09" {
		got, ok := p.Find("SUP-7" + string(d))
		assert.True(t, ok)
		assert.Equal(t, "SUP-7"+string(d), got)
	}
	for _, r := range "/:@[`{^-" {
		for _, text := range []string{"SUP-7" + string(r), string(r) + "SUP-7"} {
			got, ok := p.Find(text)
			assert.True(t, ok, "%q separates the number", text)
			assert.Equal(t, "SUP-7", got, text)
		}
	}
}

// Dashes and full-width forms that editors and phones put in typed text read as ASCII, so
// a customer who typed the number by hand still reaches the ticket.
func TestPrefixNumbersFindTypedDashesAndFullWidthForms(t *testing.T) {
	p := ticket.PrefixNumbers{}
	for text, want := range map[string]string{
		"Re: SUP–12 printer": "SUP-12", // en dash
		"SUP—13":             "SUP-13", // em dash
		"SUP‑14":             "SUP-14", // non-breaking hyphen
		"SUP−15":             "SUP-15", // minus sign
		"ＳＵＰ－１６":             "SUP-16",
		"заявка ｓｕｐ－０１７":     "SUP-17",
		"SUP–":               "",
		"ЯSUP–18":            "",
	} {
		got, ok := p.Find(text)
		assert.Equal(t, want, got, text)
		assert.Equal(t, want != "", ok, text)
	}
}
