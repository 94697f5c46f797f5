package ticket_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/ticket"
)

// TestMacroExpansionIsBoundedBeforeRendering guards the work a macro body multiplies into:
// a body within MaxBody made of placeholders of long values (58,000 subjects of 1,000 bytes)
// was rendered in full, tens of megabytes, before the result was refused as too long.
func TestMacroExpansionIsBoundedBeforeRendering(t *testing.T) {
	body := strings.Repeat("{{ticket.subject}}", (1<<20)/len("{{ticket.subject}}"))
	m := ticket.Macro{Name: "boom", Comment: ticket.MacroComment{Bodies: []ticket.Translation{{Language: language.English, Text: body}}}}
	b := setup(t, ticket.Config{Macros: []ticket.Macro{m}})
	tk := b.create(t, ticket.NewTicket{Subject: strings.Repeat("翻", 250)})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := b.svc.ApplyMacro(ctx, agent, tk.ID, "boom")
	runtime.ReadMemStats(&after)
	var ve *ticket.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "macro.comment", ve.Field)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20), "bytes allocated to refuse it")
	got, err := b.svc.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, tk, got, "nothing written")

	// A body that renders within the limit still works.
	small := ticket.Macro{Name: "ok", Comment: ticket.MacroComment{Bodies: []ticket.Translation{{Text: "Re: {{ticket.subject}}"}}}}
	require.NoError(t, b.svc.DefineMacro(small))
	_, err = b.svc.ApplyMacro(ctx, agent, tk.ID, "ok")
	require.NoError(t, err)
}

// TestTicketTagsAndFieldsAreBoundedInTotal guards the totals that per-request limits let
// grow: each Update could add 100 tags or 100 fields of 4,096 characters, without bound
// across updates, and every copy and event of the ticket carried them all.
func TestTicketTagsAndFieldsAreBoundedInTotal(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{})
	names := func(prefix string, from int) []string {
		out := make([]string, 100)
		for i := range out {
			out[i] = fmt.Sprintf("%s%d", prefix, from+i)
		}
		return out
	}
	fields := func(from int) map[string]string {
		out := map[string]string{}
		for _, k := range names("f", from) {
			out[k] = "v"
		}
		return out
	}
	tk, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{AddTags: names("t", 0), Fields: fields(0)})
	require.NoError(t, err, "100 of each is allowed")
	for name, c := range map[string]ticket.Changes{
		"tags":          {AddTags: []string{"one-more"}},
		"fields":        {Fields: map[string]string{"one-more": "v"}},
		"tags swap":     {AddTags: names("u", 0), RemoveTags: names("t", 0)[:99]},
		"fields in one": {Fields: fields(100), RemoveFields: names("f", 0)[:99]},
	} {
		_, err := b.svc.Update(ctx, agent, tk.ID, c)
		assert.ErrorIs(t, err, ticket.ErrInvalid, name)
	}
	_, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{AddTags: names("u", 0), RemoveTags: names("t", 0)})
	assert.NoError(t, err, "replacing all 100 keeps the total")
	_, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{RemoveFields: names("f", 0)[:100:100]})
	assert.NoError(t, err)
	_, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{RemoveFields: append(names("f", 0), "f100")})
	assert.ErrorIs(t, err, ticket.ErrInvalid, "more than 100 fields to remove in one change")
	got, err := b.svc.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Len(t, got.Tags, 100)
	assert.Empty(t, got.Fields)
}

// queryRecorder records the queries the Service hands the store.
type queryRecorder struct {
	*ticket.MemoryStore
	last ticket.Query
}

func (s *queryRecorder) List(ctx context.Context, q ticket.Query) (ticket.Page, error) {
	s.last = q
	return s.MemoryStore.List(ctx, q)
}

// TestListQueryValuesAreDeduplicated guards the work a query multiplies into: every listed
// ticket is checked against every status and priority given, so a query repeating one value
// a million times cost a million comparisons per ticket for the same answer.
func TestListQueryValuesAreDeduplicated(t *testing.T) {
	store := &queryRecorder{MemoryStore: ticket.NewMemoryStore()}
	svc, err := ticket.NewService(store, ticket.Config{})
	require.NoError(t, err)
	_, err = svc.Create(ctx, ticket.NewTicket{Subject: "s", Requester: ann})
	require.NoError(t, err)
	statuses := make([]ticket.Status, 100_000)
	for i := range statuses {
		statuses[i] = []ticket.Status{ticket.StatusNew, ticket.StatusOpen}[i%2]
	}
	q := ticket.Query{Statuses: statuses, Priorities: []ticket.Priority{ticket.PriorityNormal, ticket.PriorityNormal}}
	page, err := svc.List(ctx, q)
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 1)
	assert.Equal(t, []ticket.Status{ticket.StatusNew, ticket.StatusOpen}, store.last.Statuses)
	assert.Equal(t, []ticket.Priority{ticket.PriorityNormal}, store.last.Priorities)
	assert.Equal(t, ticket.StatusNew, statuses[0], "the caller's slice is untouched")
	assert.Equal(t, ticket.StatusOpen, statuses[1])
}
