package ticket_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/ticket"
)

// firstSight is an Observer that keeps the ticket as the first event of each ticket showed it.
type firstSight struct {
	mu    sync.Mutex
	first []ticket.Ticket
}

func (f *firstSight) observe(_ context.Context, e ticket.Event, t ticket.Ticket) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e.Seq == 1 {
		f.first = append(f.first, t)
	}
}

func triagedMail() ticket.Inbound {
	return ticket.Inbound{
		Key: "<m-1@example.com>", From: ann, Subject: "VPN down for the whole floor",
		Body: "Nobody on floor 3 can connect.", Type: ticket.TypeIncident, Impact: ticket.LevelHigh,
		Urgency: ticket.LevelHigh, Group: "network", Tags: []string{"VPN", " Floor-3 "},
		Fields: map[string]string{"site": "Moscow"},
	}
}

// Email triage took two writes: Inbound had no type, urgency, group or tags, so a host had
// to Receive and then Update, and observers (routing) saw the ticket untriaged first.
func TestReceiveTriagesANewTicketInItsCreationWrite(t *testing.T) {
	seen := &firstSight{}
	b := setup(t, ticket.Config{Observers: []ticket.Observer{seen.observe}})

	tk, err := b.svc.Receive(ctx, triagedMail())
	require.NoError(t, err)

	assert.EqualValues(t, 1, tk.Version, "one write")
	assert.Equal(t, ticket.TypeIncident, tk.Type)
	assert.Equal(t, ticket.LevelHigh, tk.Impact)
	assert.Equal(t, ticket.LevelHigh, tk.Urgency)
	assert.Equal(t, ticket.PriorityUrgent, tk.Priority, "derived from high impact and urgency")
	assert.Equal(t, "network", tk.Group)
	assert.Equal(t, []string{"floor-3", "vpn"}, tk.Tags)
	assert.Equal(t, map[string]string{"site": "Moscow"}, tk.Fields)
	assert.Equal(t, ticket.ChannelEmail, tk.Channel)
	assert.Equal(t, []ticket.EventKind{ticket.EventCreated, ticket.EventFieldChanged, ticket.EventCommented},
		kinds(b.events(t, tk.ID)), "the events of the creation only")

	require.Len(t, seen.first, 1)
	assert.Equal(t, tk, seen.first[0], "observers see the triaged ticket first")
}

func TestReceiveTakesAPriorityByHand(t *testing.T) {
	b := setup(t, ticket.Config{})
	m := triagedMail()
	m.Priority = ticket.PriorityLow
	tk, err := b.svc.Receive(ctx, m)
	require.NoError(t, err)
	assert.Equal(t, ticket.PriorityLow, tk.Priority)
	assert.True(t, tk.PriorityExplicit)
}

func TestReceiveRedeliveryWithTheSameTriageAddsNothing(t *testing.T) {
	b := setup(t, ticket.Config{})
	first, err := b.svc.Receive(ctx, triagedMail())
	require.NoError(t, err)
	again, err := b.svc.Receive(ctx, triagedMail())
	require.NoError(t, err)
	assert.Equal(t, first, again)

	other := triagedMail()
	other.Group = "facilities"
	_, err = b.svc.Receive(ctx, other)
	assert.ErrorIs(t, err, ticket.ErrConflict, "the same key with other triage is another request")
}

// A reply keeps the ticket's triage: an agent may have re-triaged it since it was created.
func TestReceiveReplyIgnoresTriage(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk, err := b.svc.Receive(ctx, triagedMail())
	require.NoError(t, err)
	tk, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Group: ticket.Ptr("service-desk")})
	require.NoError(t, err)

	reply := triagedMail()
	reply.Key, reply.Subject, reply.Body = "<m-2@example.com>", "Re: ["+tk.Number+"] VPN down", "Still down."
	reply.Type, reply.Group, reply.Tags = ticket.TypeProblem, "network", []string{"other"}
	got, err := b.svc.Receive(ctx, reply)
	require.NoError(t, err)
	assert.Equal(t, tk.ID, got.ID)
	assert.Equal(t, "service-desk", got.Group)
	assert.Equal(t, ticket.TypeIncident, got.Type)
	assert.Equal(t, []string{"floor-3", "vpn"}, got.Tags)
	assert.Equal(t, ticket.EventCommented, b.events(t, tk.ID)[len(b.events(t, tk.ID))-1].Kind)
}

func TestReceiveRejectsBadTriageOnEveryPath(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk, err := b.svc.Receive(ctx, triagedMail())
	require.NoError(t, err)
	for name, spoil := range map[string]func(*ticket.Inbound){
		"type":     func(m *ticket.Inbound) { m.Type = "Incident" },
		"impact":   func(m *ticket.Inbound) { m.Impact = "huge" },
		"urgency":  func(m *ticket.Inbound) { m.Urgency = "now" },
		"priority": func(m *ticket.Inbound) { m.Priority = "High" },
		"group":    func(m *ticket.Inbound) { m.Group = "net\nwork" },
		"tags[0]":  func(m *ticket.Inbound) { m.Tags = []string{" "} },
		"fields":   func(m *ticket.Inbound) { m.Fields = map[string]string{"subject": "x"} },
	} {
		for _, subject := range []string{"New mail", "Re: [" + tk.Number + "] VPN down"} {
			m := triagedMail()
			m.Key, m.Subject = "<bad@example.com>", subject
			spoil(&m)
			_, err := b.svc.Receive(ctx, m)
			var ve *ticket.ValidationError
			require.ErrorAs(t, err, &ve, "%s: %s", name, subject)
			assert.Contains(t, ve.Field, name[:4], subject)
		}
	}
	page, err := b.svc.List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 1, "nothing was created")
	assert.Len(t, b.events(t, tk.ID), 3, "nothing was added to the ticket")
}

// A requester with no language left the ticket's language und, and a Russian ticket was
// offered to an English-only agent: the Service now asks Config.DetectLanguage at creation.
func TestCreateDetectsTheLanguageInTheCreationWrite(t *testing.T) {
	var asked []string
	seen := &firstSight{}
	b := setup(t, ticket.Config{Observers: []ticket.Observer{seen.observe},
		DetectLanguage: func(subject, description string) language.Tag {
			asked = append(asked, subject+" | "+description)
			return language.Russian
		}})
	tk := b.create(t, ticket.NewTicket{Subject: "Не работает VPN", Description: "Ошибка 809.",
		Requester: ticket.Requester{Email: "ivan@example.com"}})

	assert.Equal(t, language.Russian, tk.Language)
	assert.True(t, tk.LanguageDetected)
	assert.EqualValues(t, 1, tk.Version)
	assert.Equal(t, []string{"Не работает VPN | Ошибка 809."}, asked)
	require.Len(t, seen.first, 1)
	assert.Equal(t, language.Russian, seen.first[0].Language, "observers see the guess from the first event")
}

func TestReceiveDetectsTheLanguageOfANewTicket(t *testing.T) {
	b := setup(t, ticket.Config{DetectLanguage: func(string, string) language.Tag { return language.Russian }})
	m := triagedMail()
	m.From = ticket.Requester{Email: "ivan@example.com"}
	tk, err := b.svc.Receive(ctx, m)
	require.NoError(t, err)
	assert.Equal(t, language.Russian, tk.Language)
	assert.True(t, tk.LanguageDetected)
}

func TestDetectLanguageIsNotAskedWhenALanguageIsKnown(t *testing.T) {
	b := setup(t, ticket.Config{DetectLanguage: func(string, string) language.Tag {
		t.Error("a ticket with a language needs no guess")
		return language.Russian
	}})
	given := b.create(t, ticket.NewTicket{Language: language.German})
	assert.Equal(t, language.German, given.Language)
	assert.False(t, given.LanguageDetected)
	requesters := b.create(t, ticket.NewTicket{Requester: ticket.Requester{Email: "jo@example.com", Language: language.French}})
	assert.Equal(t, language.French, requesters.Language)
	assert.False(t, requesters.LanguageDetected)
}

func TestNoDetectorOrNoGuessLeavesTheLanguageUnknown(t *testing.T) {
	for name, detect := range map[string]func(string, string) language.Tag{
		"no detector": nil,
		"no guess":    func(string, string) language.Tag { return language.Und },
	} {
		b := setup(t, ticket.Config{DetectLanguage: detect})
		tk := b.create(t, ticket.NewTicket{})
		assert.Equal(t, language.Und, tk.Language, name)
		assert.False(t, tk.LanguageDetected, name)
	}
}

// The guess is the host's to overwrite; setting the guessed language by hand confirms it.
func TestUpdateReplacesOrConfirmsTheDetectedLanguage(t *testing.T) {
	b := setup(t, ticket.Config{DetectLanguage: func(string, string) language.Tag { return language.Russian }})
	tk := b.create(t, ticket.NewTicket{})

	confirmed, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Language: ticket.Ptr(language.Russian)})
	require.NoError(t, err)
	assert.Equal(t, language.Russian, confirmed.Language)
	assert.False(t, confirmed.LanguageDetected)
	last := b.events(t, tk.ID)[len(b.events(t, tk.ID))-1]
	assert.Equal(t, ticket.Event{Kind: ticket.EventFieldChanged, Field: "language", FromValue: "ru", ToValue: "ru"},
		ticket.Event{Kind: last.Kind, Field: last.Field, FromValue: last.FromValue, ToValue: last.ToValue})

	again, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Language: ticket.Ptr(language.Russian)})
	require.NoError(t, err)
	assert.Equal(t, confirmed.Version, again.Version, "a language set by hand is not set again")

	other := b.create(t, ticket.NewTicket{Key: "2"})
	replaced, err := b.svc.Update(ctx, agent, other.ID, ticket.Changes{Language: ticket.Ptr(language.English)})
	require.NoError(t, err)
	assert.Equal(t, language.English, replaced.Language)
	assert.False(t, replaced.LanguageDetected)
}

// A follow-up of a closed ticket whose language was only guessed guesses again from the reply;
// one whose language was set keeps it.
func TestFollowUpGuessesAgainOnlyWhenTheLanguageWasAGuess(t *testing.T) {
	b := setup(t, ticket.Config{DetectLanguage: func(_, description string) language.Tag {
		if description == "Снова не работает." {
			return language.Russian
		}
		return language.English
	}})
	for _, tc := range []struct {
		set  language.Tag
		want language.Tag
	}{{language.Und, language.Russian}, {language.German, language.German}} {
		tk := b.create(t, ticket.NewTicket{Key: tc.set.String(), Language: tc.set})
		_, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Assignee: ticket.Ptr(agent.ID), Status: ticket.Ptr(ticket.StatusSolved)})
		require.NoError(t, err)
		_, err = b.svc.Close(ctx, agent, tk.ID)
		require.NoError(t, err)
		c, err := b.svc.Comment(ctx, annAc, tk.ID, ticket.NewComment{Public: true, Body: "Снова не работает."})
		require.NoError(t, err)
		fu, err := b.svc.Get(ctx, c.TicketID)
		require.NoError(t, err)
		assert.Equal(t, tc.want, fu.Language, tc.set.String())
		assert.Equal(t, tc.set == language.Und, fu.LanguageDetected, tc.set.String())
	}
}
