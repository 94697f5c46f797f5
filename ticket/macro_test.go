package ticket_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/ticket"
)

var askForLogs = ticket.Macro{
	Name:       "ask-for-logs",
	Status:     ticket.StatusPending,
	AddTags:    []string{"Needs-Logs"},
	AssignSelf: true,
	Comment: ticket.MacroComment{Public: true, Bodies: []ticket.Translation{
		{Language: language.English, Text: "Hello {{requester.name}}, please send the logs for {{ticket.number}}. {{agent.name}}"},
		{Language: language.Russian, Text: "Здравствуйте, {{ requester.name }}! Пришлите, пожалуйста, логи по {{ticket.number}}. {{agent.name}}"},
	}},
}

func TestMacroWithUnknownPlaceholderIsRejectedWhenDefined(t *testing.T) {
	b := setup(t, ticket.Config{})
	for name, text := range map[string]string{
		"unknown":  "Hi {{requester.nickname}}",
		"unclosed": "Hi {{requester.name",
		"unopened": "Hi requester.name}}",
		"empty":    "Hi {{}}",
		"blank":    " ",
	} {
		m := ticket.Macro{Name: "m", Comment: ticket.MacroComment{Bodies: []ticket.Translation{{Language: language.English, Text: text}}}}
		assert.ErrorIs(t, b.svc.DefineMacro(m), ticket.ErrInvalid, name)
	}
	_, err := b.svc.Macro("m")
	assert.ErrorIs(t, err, ticket.ErrNotFound, "a rejected macro is not defined")
	_, err = ticket.NewService(ticket.NewMemoryStore(), ticket.Config{Macros: []ticket.Macro{{Name: "x", Status: "bogus"}}})
	assert.ErrorIs(t, err, ticket.ErrInvalid)
}

func TestMacroChoosesBodyByTicketLanguage(t *testing.T) {
	b := setup(t, ticket.Config{Macros: []ticket.Macro{askForLogs}})
	tests := []struct {
		lang language.Tag
		want string
	}{
		{language.Russian, "Здравствуйте, Ann Lee! Пришлите, пожалуйста, логи по SUP-1. Alex"},
		{language.MustParse("en-GB"), "Hello Ann Lee, please send the logs for SUP-2. Alex"},
		{language.German, "Hello Ann Lee, please send the logs for SUP-3. Alex"}, // fallback: the first body
	}
	for _, tc := range tests {
		tk := b.create(t, ticket.NewTicket{Language: tc.lang})
		tk, err := b.svc.ApplyMacro(ctx, agent, tk.ID, "ask-for-logs")
		require.NoError(t, err)
		cs, err := b.svc.Comments(ctx, tk.ID)
		require.NoError(t, err)
		last := cs[len(cs)-1]
		assert.Equal(t, tc.want, last.Body, tc.lang.String())
		assert.True(t, last.Public)
		assert.Equal(t, ticket.StatusPending, tk.Status)
		assert.Equal(t, "agent-7", tk.Assignee)
		assert.Equal(t, []string{"needs-logs"}, tk.Tags)
	}
}

func TestMacroApplicationIsAtomic(t *testing.T) {
	solve := ticket.Macro{
		Name: "solve", Status: ticket.StatusSolved, AddTags: []string{"done"},
		Comment: ticket.MacroComment{Public: true, Bodies: []ticket.Translation{{Language: language.English, Text: "Solved."}}},
	}
	b := setup(t, ticket.Config{Macros: []ticket.Macro{solve}})
	tk := b.create(t, ticket.NewTicket{})
	_, err := b.svc.ApplyMacro(ctx, agent, tk.ID, "solve")
	require.ErrorIs(t, err, ticket.ErrTransition, "unassigned")
	got, err := b.svc.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, tk, got, "no comment, no tag, no status")
	cs, err := b.svc.Comments(ctx, tk.ID)
	require.NoError(t, err)
	assert.Len(t, cs, 1)

	_, err = b.svc.ApplyMacro(ctx, agent, tk.ID, "nope")
	assert.ErrorIs(t, err, ticket.ErrNotFound)
}

// TestApplyMacroRejectsInternalNoteByCustomerOrBot guards the internal-note rule in macros:
// as with Comment, a customer or a bot applying a macro whose comment is an internal note
// gets ErrInvalid and nothing is applied.
func TestApplyMacroRejectsInternalNoteByCustomerOrBot(t *testing.T) {
	note := ticket.Macro{
		Name: "triage", AddTags: []string{"triaged"}, Group: "printers",
		Comment: ticket.MacroComment{Bodies: []ticket.Translation{{Language: language.English, Text: "Triaged."}}},
	}
	b := setup(t, ticket.Config{Macros: []ticket.Macro{note}})
	tk := b.create(t, ticket.NewTicket{})
	seen := len(b.rec.seen())
	bot := ticket.Actor{Kind: ticket.ActorBot, ID: "triage-bot"}
	for _, actor := range []ticket.Actor{bot, annAc} {
		_, err := b.svc.ApplyMacro(ctx, actor, tk.ID, "triage")
		var ve *ticket.ValidationError
		require.ErrorAs(t, err, &ve, actor.Kind)
		assert.ErrorIs(t, err, ticket.ErrInvalid, actor.Kind)
		got, err := b.svc.Get(ctx, tk.ID)
		require.NoError(t, err)
		assert.Equal(t, tk, got, "%s: nothing applied", actor.Kind)
	}
	assert.Len(t, b.rec.seen(), seen, "nothing published")

	got, err := b.svc.ApplyMacro(ctx, agent, tk.ID, "triage")
	require.NoError(t, err, "agents write internal notes")
	assert.Equal(t, []string{"triaged"}, got.Tags)
}

// TestMacroReturnsACopy guards Service.Macro: changing the slices of the returned macro
// changes neither the defined macro nor what applying it does.
func TestMacroReturnsACopy(t *testing.T) {
	b := setup(t, ticket.Config{Macros: []ticket.Macro{askForLogs}})
	m, err := b.svc.Macro("ask-for-logs")
	require.NoError(t, err)
	m.AddTags[0] = "changed"
	m.Comment.Bodies[0].Text = "changed"
	m.Comment.Bodies[0].Language = language.Russian

	again, err := b.svc.Macro("ask-for-logs")
	require.NoError(t, err)
	assert.Equal(t, []string{"needs-logs"}, again.AddTags)
	assert.Equal(t, askForLogs.Comment.Bodies, again.Comment.Bodies)

	tk := b.create(t, ticket.NewTicket{Language: language.English})
	tk, err = b.svc.ApplyMacro(ctx, agent, tk.ID, "ask-for-logs")
	require.NoError(t, err)
	assert.Equal(t, []string{"needs-logs"}, tk.Tags)
	cs, err := b.svc.Comments(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, "Hello Ann Lee, please send the logs for SUP-1. Alex", cs[len(cs)-1].Body)
}

// TestMacroBodyWithoutLanguageIsOnlyTheFallback guards Translation.Language: a body tagged
// language.Und is used only as the fallback (the first body), so a ticket whose language is
// unknown gets the first body, not an untagged one further down.
func TestMacroBodyWithoutLanguageIsOnlyTheFallback(t *testing.T) {
	m := ticket.Macro{Name: "thanks", Comment: ticket.MacroComment{Public: true, Bodies: []ticket.Translation{
		{Language: language.English, Text: "Thank you."},
		{Language: language.Und, Text: "Untagged."},
	}}}
	b := setup(t, ticket.Config{Macros: []ticket.Macro{m}})
	for _, lang := range []language.Tag{language.Und, language.Russian, language.English} {
		tk := b.create(t, ticket.NewTicket{Language: lang})
		_, err := b.svc.ApplyMacro(ctx, agent, tk.ID, "thanks")
		require.NoError(t, err)
		cs, err := b.svc.Comments(ctx, tk.ID)
		require.NoError(t, err)
		assert.Equal(t, "Thank you.", cs[len(cs)-1].Body, lang.String())
	}
}
