package ticket_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

func TestCreateRejectsBadInputBeforeWriting(t *testing.T) {
	ok := ticket.NewTicket{Subject: "Printer", Requester: ann, Description: "jams"}
	tests := []struct {
		name  string
		edit  func(*ticket.NewTicket)
		field string
	}{
		{"empty subject", func(n *ticket.NewTicket) { n.Subject = "  " }, "subject"},
		{"long subject", func(n *ticket.NewTicket) { n.Subject = strings.Repeat("я", 251) }, "subject"},
		{"subject with newline", func(n *ticket.NewTicket) { n.Subject = "a\nb" }, "subject"},
		{"invalid UTF-8 subject", func(n *ticket.NewTicket) { n.Subject = "bad \xff" }, "subject"},
		{"body over limit", func(n *ticket.NewTicket) { n.Description = strings.Repeat("x", 1<<20+1) }, "description"},
		{"invalid UTF-8 body", func(n *ticket.NewTicket) { n.Description = "\xc3\x28" }, "description"},
		{"body with NUL", func(n *ticket.NewTicket) { n.Description = "a\x00b" }, "description"},
		{"no requester", func(n *ticket.NewTicket) { n.Requester = ticket.Requester{Name: "Ann"} }, "requester"},
		{"bad email", func(n *ticket.NewTicket) { n.Requester.Email = "ann at example" }, "requester.email"},
		{"email with name", func(n *ticket.NewTicket) { n.Requester.Email = "Ann <ann@example.com>" }, "requester.email"},
		{"unknown channel", func(n *ticket.NewTicket) { n.Channel = "fax" }, "channel"},
		{"unknown type", func(n *ticket.NewTicket) { n.Type = "complaint" }, "type"},
		{"unknown impact", func(n *ticket.NewTicket) { n.Impact = "huge" }, "impact"},
		{"unknown urgency", func(n *ticket.NewTicket) { n.Urgency = "now" }, "urgency"},
		{"unknown priority", func(n *ticket.NewTicket) { n.Priority = "p0" }, "priority"},
		{"unknown status", func(n *ticket.NewTicket) { n.Status = "done" }, "status"},
		{"line 4", func(n *ticket.NewTicket) { n.Line = 4 }, "line"},
		{"tag with control", func(n *ticket.NewTicket) { n.Tags = []string{"ok", "bad\x07"} }, "tags[1]"},
		{"empty tag", func(n *ticket.NewTicket) { n.Tags = []string{" "} }, "tags[0]"},
		{"tag with space", func(n *ticket.NewTicket) { n.Tags = []string{"two words"} }, "tags[0]"},
		{"reserved field name", func(n *ticket.NewTicket) { n.Fields = map[string]string{"subject": "v"} }, "fields name"},
		{"empty field name", func(n *ticket.NewTicket) { n.Fields = map[string]string{"": "v"} }, "fields name"},
		{"attachment without name", func(n *ticket.NewTicket) { n.Attachments = []ticket.Attachment{{Size: 1}} }, "attachments[0].name"},
		{"negative attachment size", func(n *ticket.NewTicket) { n.Attachments = []ticket.Attachment{{Name: "a", Size: -1}} }, "attachments[0].size"},
		{"unknown author kind", func(n *ticket.NewTicket) { n.Author = ticket.Actor{Kind: "robot"} }, "author.kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := setup(t, ticket.Config{})
			nt := ok
			tc.edit(&nt)
			_, err := b.svc.Create(ctx, nt)
			var ve *ticket.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.ErrorIs(t, err, ticket.ErrInvalid)
			assert.Equal(t, tc.field, ve.Field)
			page, err := b.svc.List(ctx, ticket.Query{})
			require.NoError(t, err)
			assert.Empty(t, page.Tickets, "nothing stored")
			assert.Empty(t, b.rec.seen(), "nothing published")
		})
	}
}

func TestCreateSolvedOrClosedOnFirstContact(t *testing.T) {
	b := setup(t, ticket.Config{})
	_, err := b.svc.Create(ctx, ticket.NewTicket{Subject: "s", Requester: ann, Status: ticket.StatusSolved})
	assert.ErrorIs(t, err, ticket.ErrTransition, "solving needs an assignee")
	_, err = b.svc.Create(ctx, ticket.NewTicket{Subject: "s", Requester: ann, Status: ticket.StatusClosed})
	assert.ErrorIs(t, err, ticket.ErrTransition)
	tk, err := b.svc.Create(ctx, ticket.NewTicket{Subject: "s", Requester: ann, Status: ticket.StatusSolved, Assignee: "a"})
	require.NoError(t, err)
	assert.Equal(t, start, tk.SolvedAt)
}

func TestBodyLimitIsConfigurable(t *testing.T) {
	b := setup(t, ticket.Config{MaxBody: 10})
	tk := b.create(t, ticket.NewTicket{Description: "short"})
	_, err := b.svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: strings.Repeat("x", 11)})
	assert.ErrorIs(t, err, ticket.ErrInvalid)
	_, err = b.svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: strings.Repeat("x", 10)})
	assert.NoError(t, err)
}

func TestCommentRejectsBadInput(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{})
	for name, c := range map[string]struct {
		actor ticket.Actor
		nc    ticket.NewComment
	}{
		"empty body":             {agent, ticket.NewComment{Body: ""}},
		"customer internal note": {annAc, ticket.NewComment{Body: "psst"}},
		"bot internal note":      {ticket.Actor{Kind: ticket.ActorBot, ID: "b"}, ticket.NewComment{Body: "psst"}},
		"no author":              {ticket.Actor{}, ticket.NewComment{Body: "who?"}},
		"invalid UTF-8":          {agent, ticket.NewComment{Body: "\xff"}},
	} {
		_, err := b.svc.Comment(ctx, c.actor, tk.ID, c.nc)
		assert.ErrorIs(t, err, ticket.ErrInvalid, name)
	}
	got, err := b.svc.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, tk, got)
}

func TestUpdateIsAllOrNothing(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{})
	// Valid tags and group, but solving an unassigned ticket is refused: none of it lands.
	_, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{
		AddTags: []string{"vip"}, Group: ticket.Ptr("network"), Status: ticket.Ptr(ticket.StatusSolved),
	})
	require.ErrorIs(t, err, ticket.ErrTransition)
	got, err := b.svc.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, tk, got)
	// An assignee in the same change set counts for solving.
	got, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Assignee: ticket.Ptr("agent-7"), Status: ticket.Ptr(ticket.StatusSolved)})
	require.NoError(t, err)
	assert.Equal(t, ticket.StatusSolved, got.Status)
}

func TestUpdateRejectsBadInput(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{})
	for name, c := range map[string]ticket.Changes{
		"empty subject":    {Subject: ticket.Ptr("")},
		"unknown type":     {Type: ticket.Ptr(ticket.Type("x"))},
		"unknown impact":   {Impact: ticket.Ptr(ticket.Level("x"))},
		"unknown priority": {Priority: ticket.Ptr(ticket.Priority("x"))},
		"unknown status":   {Status: ticket.Ptr(ticket.Status("x"))},
		"bad tag":          {AddTags: []string{"\x01"}},
		"set and derive":   {Priority: ticket.Ptr(ticket.PriorityLow), DerivePriority: true},
		"control in group": {Group: ticket.Ptr("a\tb")},
	} {
		_, err := b.svc.Update(ctx, agent, tk.ID, c)
		assert.ErrorIs(t, err, ticket.ErrInvalid, name)
	}
	_, err := b.svc.Update(ctx, ticket.Actor{}, tk.ID, ticket.Changes{})
	assert.ErrorIs(t, err, ticket.ErrInvalid, "no actor")
}

func TestTagsAreNormalized(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{Tags: []string{" VIP ", "vip", "Straße", "ＶＰＮ"}})
	assert.Equal(t, []string{"strasse", "vip", "vpn"}, tk.Tags)
	tk, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{AddTags: []string{"Billing"}, RemoveTags: []string{"VIP"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"billing", "strasse", "vpn"}, tk.Tags)
	evs := b.events(t, tk.ID)
	last := evs[len(evs)-1]
	assert.Equal(t, ticket.EventTagsChanged, last.Kind)
	assert.Equal(t, []string{"billing"}, last.TagsAdded)
	assert.Equal(t, []string{"vip"}, last.TagsRemoved)
	page, err := b.svc.List(ctx, ticket.Query{Tag: "BILLING"})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 1)
}

// TestUpdateTrimsSubjectLikeCreate guards the subject's normalization: Update trims it as
// Create does, and a subject that differs only in surrounding spaces is no change.
func TestUpdateTrimsSubjectLikeCreate(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{Subject: "  padded  "})
	assert.Equal(t, "padded", tk.Subject)
	tk, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Subject: ticket.Ptr("  again  ")})
	require.NoError(t, err)
	assert.Equal(t, "again", tk.Subject)
	evs := b.events(t, tk.ID)
	last := evs[len(evs)-1]
	assert.Equal(t, ticket.EventFieldChanged, last.Kind)
	assert.Equal(t, "subject", last.Field)
	assert.Equal(t, "again", last.ToValue)
	_, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Subject: ticket.Ptr(" again ")})
	require.NoError(t, err)
	assert.Len(t, b.events(t, tk.ID), len(evs), "the same subject with spaces around is no change")
}

// TestNormalizeTagLimitAppliesAfterNormalization guards the 64-character tag limit: it holds
// for the normalized tag, which NFKC and case folding can make longer or shorter than the
// input.
func TestNormalizeTagLimitAppliesAfterNormalization(t *testing.T) {
	tests := []struct {
		name, tag string
		runes     int // of the normalized tag; 0 when the tag is refused
	}{
		{"64 ASCII", strings.Repeat("a", 64), 64},
		{"65 ASCII", strings.Repeat("a", 65), 0},
		{"64 ligatures grow to 192", strings.Repeat("ﬃ", 64), 0},
		{"21 ligatures grow to 63", strings.Repeat("ﬃ", 21) + "a", 64},
		{"33 sharp s fold to 66", strings.Repeat("ß", 33), 0},
		{"32 sharp s fold to 64", strings.Repeat("ß", 32), 64},
		{"64 decomposed letters compose to 64", strings.Repeat("e\u0301", 64), 64},
		{"huge", strings.Repeat("a", 100_000), 0},
	}
	for _, tc := range tests {
		got, err := ticket.NormalizeTag(tc.tag)
		if tc.runes == 0 {
			var ve *ticket.ValidationError
			assert.ErrorAs(t, err, &ve, tc.name)
			assert.ErrorIs(t, err, ticket.ErrInvalid, tc.name)
			continue
		}
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.runes, utf8.RuneCountInString(got), tc.name)
		again, err := ticket.NormalizeTag(got)
		require.NoError(t, err, tc.name)
		assert.Equal(t, got, again, "%s: normalizing is idempotent", tc.name)
	}
	b := setup(t, ticket.Config{})
	_, err := b.svc.Create(ctx, ticket.NewTicket{Subject: "x", Requester: ann, Tags: []string{strings.Repeat("ﬃ", 64)}})
	assert.ErrorIs(t, err, ticket.ErrInvalid)
}

func TestListRejectsBadQueries(t *testing.T) {
	b := setup(t, ticket.Config{})
	for name, q := range map[string]ticket.Query{
		"unknown status":   {Statuses: []ticket.Status{"x"}},
		"unknown priority": {Priorities: []ticket.Priority{"x"}},
		"negative limit":   {Limit: -1},
		"huge limit":       {Limit: 1001},
		"bad tag":          {Tag: "\x00"},
	} {
		_, err := b.svc.List(ctx, q)
		assert.ErrorIs(t, err, ticket.ErrInvalid, name)
	}
}
