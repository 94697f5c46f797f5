package supportkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// bilingualDesk has an English-only agent who has never had work (first in line) and a
// Russian-speaking one who had work an hour ago, each with room for five emails.
func bilingualDesk(t *testing.T, cfg supportkit.Config) *supportkit.Desk {
	t.Helper()
	clock := &fakeClock{now: start}
	router, err := routing.New(routing.Config{Now: clock.Now, OfferTimeout: time.Hour})
	require.NoError(t, err)
	for _, a := range []routing.Agent{
		{ID: "en", Languages: []language.Tag{language.English}},
		{ID: "ru", Languages: []language.Tag{language.Russian}, LastWork: start.Add(-time.Hour)},
	} {
		a.Presence = routing.Available
		a.Capacity = map[routing.Channel]int{routing.ChannelEmail: 5}
		require.NoError(t, router.AddAgent(a))
	}
	cfg.Now, cfg.Router = clock.Now, router
	d, err := supportkit.New(cfg)
	require.NoError(t, err)
	return d
}

// russianTicket is written in Russian by a requester whose language is not known.
func russianTicket(t *testing.T, d *supportkit.Desk) ticket.Ticket {
	t.Helper()
	tk, err := d.Tickets().Create(context.Background(), ticket.NewTicket{
		Subject: "Не работает VPN", Description: "После обновления VPN не подключается, пишет ошибку 809.",
		Requester: ticket.Requester{Name: "Ivan", Email: "ivan@example.com"}, Channel: ticket.ChannelEmail,
	})
	require.NoError(t, err)
	require.True(t, tk.LanguageDetected, "the Desk's detector guesses at creation")
	return tk
}

// A requester with no language made the ticket's language und, which every agent matches:
// a Russian ticket was offered to the English-only agent who had waited longest.
func TestRussianTicketWithoutLanguageGoesToTheRussianSpeakingAgent(t *testing.T) {
	d := bilingualDesk(t, supportkit.Config{})
	tk := russianTicket(t, d)

	offer := acceptOne(t, d, start)
	assert.Equal(t, "ru", offer.AgentID)
	got, err := d.Tickets().Get(context.Background(), tk.ID)
	require.NoError(t, err)
	assert.Equal(t, language.Russian, got.Language, "the guess is written on the ticket")
}

// The Desk's detector guessed only for routing and suggestions, so the ticket (and the host,
// and every observer) kept language.Und; now the ticket service writes the guess in the
// creation write, unless the host gave the service a detector of its own.
func TestDeskWritesTheGuessedLanguageOnTheTicketAtCreation(t *testing.T) {
	seen := map[language.Tag]int{}
	first := func(_ context.Context, e ticket.Event, tk ticket.Ticket) {
		if e.Seq == 1 {
			seen[tk.Language]++
		}
	}
	d, err := supportkit.New(supportkit.Config{Tickets: ticket.Config{Observers: []ticket.Observer{first}}})
	require.NoError(t, err)
	tk := russianTicket(t, d)
	assert.Equal(t, language.Russian, tk.Language)
	assert.EqualValues(t, 1, tk.Version, "in the creation write")
	assert.Equal(t, map[language.Tag]int{language.Russian: 1}, seen)

	own, err := supportkit.New(supportkit.Config{Tickets: ticket.Config{
		DetectLanguage: func(string, string) language.Tag { return language.Ukrainian }}})
	require.NoError(t, err)
	assert.Equal(t, language.Ukrainian, russianTicket(t, own).Language, "the service's own detector wins")
}

func TestHostDetectLanguageOverridesTheDefault(t *testing.T) {
	var seen []string
	d := bilingualDesk(t, supportkit.Config{DetectLanguage: func(subject, description string) language.Tag {
		seen = append(seen, subject+" | "+description)
		return language.English
	}})
	russianTicket(t, d)

	offer := acceptOne(t, d, start)
	assert.Equal(t, "en", offer.AgentID)
	assert.Equal(t, []string{"Не работает VPN | После обновления VPN не подключается, пишет ошибку 809."}, seen)
}

func TestTicketLanguageWinsOverTheGuess(t *testing.T) {
	d := bilingualDesk(t, supportkit.Config{DetectLanguage: func(string, string) language.Tag {
		t.Error("a ticket with a language needs no guess")
		return language.Russian
	}})
	_, err := d.Tickets().Create(context.Background(), ticket.NewTicket{
		Subject: "Не работает VPN", Requester: customer, Channel: ticket.ChannelEmail, Language: language.English,
	})
	require.NoError(t, err)
	assert.Equal(t, "en", acceptOne(t, d, start).AgentID)
}

// Suggest asks the knowledge base in the language the Desk guesses, so a host's detector
// decides which translations answer a ticket without a language.
func TestSuggestUsesTheGuessedLanguage(t *testing.T) {
	ctx := context.Background()
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{})
	require.NoError(t, err)
	require.NoError(t, k.Create(ctx, &kb.Article{Slug: "vpn", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{
			language.English: {Title: "VPN error 809", Body: "The VPN does not connect after an update: reinstall the VPN client."},
			language.Russian: {Title: "Ошибка VPN 809", Body: "VPN не подключается после обновления: переустановите клиент VPN."},
		}}))
	for _, guess := range []language.Tag{language.Russian, language.English} {
		d, err := supportkit.New(supportkit.Config{KB: k, DetectLanguage: func(string, string) language.Tag { return guess }})
		require.NoError(t, err)
		tk := russianTicket(t, d)

		s, err := d.Suggest(ctx, tk.ID, kb.Customer)
		require.NoError(t, err)
		require.Len(t, s.Hits, 1)
		assert.Equal(t, guess, s.Hits[0].Language, s.Hits[0].Title)
		assert.False(t, s.OtherLanguages)
	}
}

// Agents who list no languages speak none to the router: a guess there would leave every
// ticket without a language waiting forever, so the Desk routes it to anyone as before.
func TestGuessIsNotRequiredWhenNoAgentSpeaksIt(t *testing.T) {
	clock := &fakeClock{now: start}
	d, _ := routedDesk(t, clock)
	russianTicket(t, d)
	assert.Equal(t, "l1-a", acceptOne(t, d, start).AgentID)
}

// A wrong guess must not hide the articles that answer the ticket: with nothing in the
// guessed language, Suggest searches every language.
func TestSuggestFallsBackToEveryLanguageWhenTheGuessFindsNothing(t *testing.T) {
	ctx := context.Background()
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{})
	require.NoError(t, err)
	require.NoError(t, k.Create(ctx, &kb.Article{Slug: "vpn", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{
			language.Russian: {Title: "Ошибка VPN 809", Body: "VPN не подключается после обновления: переустановите клиент VPN."},
		}}))
	d, err := supportkit.New(supportkit.Config{KB: k, DetectLanguage: func(string, string) language.Tag { return language.German }})
	require.NoError(t, err)
	tk := russianTicket(t, d)

	s, err := d.Suggest(ctx, tk.ID, kb.Customer)
	require.NoError(t, err)
	assert.Equal(t, []string{"vpn"}, slugs(s.Hits))
	assert.True(t, s.OtherLanguages, "the Russian article answers a ticket guessed German")
}
