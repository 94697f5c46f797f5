package ticket_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

var annPerson = ticket.Person{
	IDs: []string{"cust-1"}, Emails: []string{"ANN@example.com"}, Names: []string{"Ann Lee"}, Phones: []string{"+7 495 123-45-67"},
}

// TestEraseReplacesWholeWordsAndPhonesOnly checks the matching rules of free text: names and
// IDs as whole words (case aside), emails anywhere, phones by their digits whatever the
// format, and nothing else.
func TestEraseReplacesWholeWordsAndPhonesOnly(t *testing.T) {
	b := setup(t, ticket.Config{})
	bob := ticket.Requester{ID: "cust-2", Name: "Bob", Email: "bob@example.com"}
	tk, err := b.svc.Create(ctx, ticket.NewTicket{Subject: "Printer", Requester: bob, Description: "d"})
	require.NoError(t, err)
	cases := map[string]string{
		"Ask ann lee first.":                      "Ask [erased] first.",
		"JoAnn Leeds and Ann Leeway stay.":        "JoAnn Leeds and Ann Leeway stay.",
		"cc: xann@example.com":                    "cc: x[erased]",
		"ticket of cust-1, not cust-12":           "ticket of [erased], not cust-12",
		"call 8 (495) 123 45 67 or +74951234567.": "call [erased] or [erased].",
		"order 2026-03-02 1234567 is not a phone": "order 2026-03-02 1234567 is not a phone",
		"Анна Ли и Ann Lee":                       "Анна Ли и [erased]",
	}
	for body := range cases {
		_, err := b.svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: body})
		require.NoError(t, err)
	}
	_, err = b.svc.Erase(ctx, ticket.System, annPerson)
	require.NoError(t, err)
	comments, err := b.svc.Comments(ctx, tk.ID)
	require.NoError(t, err)
	got := map[string]bool{}
	for _, c := range comments {
		got[c.Body] = true
	}
	for in, want := range cases {
		assert.True(t, got[want], "%q should read %q", in, want)
	}
}

// TestEraseRefusesBadInput checks that a person without an ID or email, a short phone, a bad
// actor and a store that cannot erase are refused before anything is written.
func TestEraseRefusesBadInput(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk, err := b.svc.Create(ctx, ticket.NewTicket{Subject: "Ann Lee", Requester: ann})
	require.NoError(t, err)
	for name, p := range map[string]ticket.Person{
		"nobody":      {Names: []string{"Ann Lee"}},
		"short phone": {IDs: []string{"cust-1"}, Phones: []string{"12-34"}},
		"blank id":    {IDs: []string{" "}},
		"control":     {Emails: []string{"a\x00@b"}},
	} {
		_, err := b.svc.Erase(ctx, ticket.System, p)
		assert.ErrorIs(t, err, ticket.ErrInvalid, name)
		_, err = b.svc.Export(ctx, ticket.System, p)
		assert.ErrorIs(t, err, ticket.ErrInvalid, name)
	}
	_, err = b.svc.Erase(ctx, ticket.Actor{}, annPerson)
	assert.ErrorIs(t, err, ticket.ErrInvalid)
	plain, err := ticket.NewService(storeOnly{ticket.NewMemoryStore()}, ticket.Config{})
	require.NoError(t, err)
	_, err = plain.Erase(ctx, ticket.System, annPerson)
	assert.ErrorIs(t, err, ticket.ErrInvalid)
	got, err := b.svc.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, tk.Version, got.Version, "nothing written")
}

// storeOnly hides every ability of a store beyond Store.
type storeOnly struct{ ticket.Store }

// TestOnlyAnAdminErasesOrExports checks the policy: an agent who reads the person's tickets
// may not erase or export them, a customer may not even see another's, and nothing is
// written on a refusal.
func TestOnlyAnAdminErasesOrExports(t *testing.T) {
	w := newWorld(t, rand.New(rand.NewPCG(5, 5)))
	person := ticket.Person{IDs: []string{"cust-9"}}
	tk, err := w.svc.Create(ctx, ticket.NewTicket{Subject: "Mine", Requester: ticket.Requester{ID: "cust-9"}, Author: ticket.System, Group: "network"})
	require.NoError(t, err)
	w.ids = append(w.ids, tk.ID)
	agentActor := ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-0"}
	w.people["agent-0"] = ticket.Principal{Role: ticket.RoleAgent, Groups: []string{"network"}}
	before := dump(t, w)
	_, err = w.svc.As(agentActor).Get(ctx, tk.ID)
	require.NoError(t, err, "the agent reads the ticket")
	_, err = w.svc.Erase(ctx, agentActor, person)
	require.ErrorIs(t, err, ticket.ErrForbidden)
	_, err = w.svc.Export(ctx, agentActor, person)
	require.ErrorIs(t, err, ticket.ErrForbidden)
	_, err = w.svc.Erase(ctx, requesterN(1).Actor(), person)
	require.ErrorIs(t, err, ticket.ErrNotFound)
	assert.Equal(t, before, dump(t, w), "a refused erasure writes nothing")
	boss := ticket.Actor{Kind: ticket.ActorAgent, ID: "boss"}
	report, err := w.svc.Erase(ctx, boss, person)
	require.NoError(t, err)
	assert.Equal(t, 1, report.Tickets)
}

func dump(t *testing.T, w *world) []ticket.Ticket {
	t.Helper()
	var out []ticket.Ticket
	for _, id := range w.ids {
		out = append(out, w.stored(t, id))
	}
	return out
}

// TestExportIsJSONOfEverythingAboutThePerson checks that the export of a person names every
// ticket they requested with all its comments, and only their part of other tickets, and
// that it survives a JSON round trip.
func TestExportIsJSONOfEverythingAboutThePerson(t *testing.T) {
	b := setup(t, ticket.Config{})
	mine, err := b.svc.Create(ctx, ticket.NewTicket{Subject: "Printer", Requester: ann, Description: "It jams."})
	require.NoError(t, err)
	_, err = b.svc.Comment(ctx, agent, mine.ID, ticket.NewComment{Body: "Internal: known model."})
	require.NoError(t, err)
	bob := ticket.Requester{ID: "cust-2", Name: "Bob", Email: "bob@example.com"}
	theirs, err := b.svc.Create(ctx, ticket.NewTicket{Subject: "VPN", Requester: bob, Description: "Down."})
	require.NoError(t, err)
	_, err = b.svc.Comment(ctx, agent, theirs.ID, ticket.NewComment{Public: true, Body: "Ann Lee had this too."})
	require.NoError(t, err)
	_, err = b.svc.Comment(ctx, agent, theirs.ID, ticket.NewComment{Public: true, Body: "Fixed."})
	require.NoError(t, err)
	data, err := b.svc.Export(ctx, ticket.System, annPerson)
	require.NoError(t, err)
	raw, err := json.Marshal(data)
	require.NoError(t, err)
	var back ticket.PersonalData
	require.NoError(t, json.Unmarshal(raw, &back))
	require.Len(t, back.Requested, 1)
	assert.Equal(t, mine.ID, back.Requested[0].Ticket.ID)
	assert.Len(t, back.Requested[0].Comments, 2, "the description and the internal note")
	require.Len(t, back.Elsewhere, 1)
	assert.Equal(t, theirs.Number, back.Elsewhere[0].Ticket.Number)
	assert.Empty(t, back.Elsewhere[0].Ticket.Subject, "nothing of Bob's ticket but its number")
	require.Len(t, back.Elsewhere[0].Comments, 1)
	assert.Equal(t, "Ann Lee had this too.", back.Elsewhere[0].Comments[0].Body)
	assert.NotContains(t, string(raw), "bob@example.com")
	assert.True(t, strings.Contains(string(raw), "It jams."))
}

// TestEraseRetriesALostRace checks that an erasure racing a change made between its read
// and its write re-reads and still erases everything.
func TestEraseRetriesALostRace(t *testing.T) {
	store := &racingStore{MemoryStore: ticket.NewMemoryStore()}
	svc, err := ticket.NewService(store, ticket.Config{})
	require.NoError(t, err)
	tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "Printer", Requester: ann, Description: "Ann Lee here."})
	require.NoError(t, err)
	other, err := ticket.NewService(store.MemoryStore, ticket.Config{}) // another process
	require.NoError(t, err)
	store.before = func() {
		_, err := other.Comment(context.Background(), agent, tk.ID, ticket.NewComment{Body: "Ann Lee called again."})
		assert.NoError(t, err)
	}
	_, err = svc.Erase(ctx, ticket.System, annPerson)
	require.NoError(t, err)
	comments, err := svc.Comments(ctx, tk.ID)
	require.NoError(t, err)
	require.Len(t, comments, 2)
	for _, c := range comments {
		assert.NotContains(t, c.Body, "Ann Lee")
	}
}

// racingStore runs before once, just before the first Redact: another process's write
// between the erasure's read and its write.
type racingStore struct {
	*ticket.MemoryStore
	before func()
}

func (s *racingStore) Redact(ctx context.Context, r ticket.Redaction) (ticket.Ticket, error) {
	if f := s.before; f != nil {
		s.before = nil
		f()
	}
	return s.MemoryStore.Redact(ctx, r)
}
