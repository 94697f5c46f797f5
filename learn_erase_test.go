package supportkit_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/ticket"
)

// eraseWorld is a Desk with a Directory and a knowledge base of three articles over store;
// every Desk it makes over the same store and directory has the same articles.
type eraseWorld struct {
	store    *ticket.MemoryStore
	people   *party.Service
	clock    *fakeClock
	articles []uuid.UUID
}

func newEraseWorld(t *testing.T) *eraseWorld {
	t.Helper()
	people, err := party.NewService(party.NewMemoryDirectory(), party.Config{})
	require.NoError(t, err)
	return &eraseWorld{store: ticket.NewMemoryStore(), people: people, clock: &fakeClock{now: start},
		articles: []uuid.UUID{uuid.New(), uuid.New(), uuid.New()}}
}

func (w *eraseWorld) desk(t *testing.T) *supportkit.Desk {
	t.Helper()
	d, err := supportkit.New(supportkit.Config{Store: w.store, Directory: w.people, Now: w.clock.Now, Knowledge: &kb.Config{}})
	require.NoError(t, err)
	for i, title := range []string{"No connection after a power failure", "Printer prints blank pages", "Reset a forgotten password"} {
		require.NoError(t, d.KB().Create(context.Background(), &kb.Article{ID: w.articles[i], Slug: fmt.Sprint("a", i),
			Visibility: kb.Public, Status: kb.Published, Translations: map[language.Tag]kb.Translation{
				language.English: {Title: title, Body: "Follow the steps below, then try again."}}}))
	}
	return d
}

// solve files a ticket from requester in English with a public reply, and solves it with
// the article.
func (w *eraseWorld) solve(t *testing.T, d *supportkit.Desk, requester ticket.Requester, subject, description, reply string, article int) ticket.Ticket {
	t.Helper()
	ctx := context.Background()
	w.clock.set(w.clock.Now().Add(time.Hour))
	tk, err := d.Create(ctx, ticket.NewTicket{Subject: subject, Description: description, Requester: requester,
		Assignee: agent.ID, Language: language.English})
	require.NoError(t, err)
	if reply != "" {
		_, err = d.Tickets().Comment(ctx, ticket.Actor{Kind: ticket.ActorCustomer, ID: tk.Requester.ID, Name: requester.Name},
			tk.ID, ticket.NewComment{Public: true, Body: reply})
		require.NoError(t, err)
	}
	solved, err := d.SolveWith(ctx, agent, tk.ID, w.articles[article])
	require.NoError(t, err)
	return solved
}

// searches returns what each query finds, for customers and agents, as "score slug"
// ordered by score then slug, with the did-you-mean, and the synonym suggestions.
func searches(t *testing.T, d *supportkit.Desk, queries []string) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	for _, q := range queries {
		for _, aud := range []kb.Audience{kb.Customer, kb.Agent} {
			res, err := d.KB().Search(ctx, kb.Query{Text: q, Audience: aud, Language: language.English})
			require.NoError(t, err)
			hits := slices.Clone(res.Hits)
			slices.SortFunc(hits, func(a, b kb.Hit) int { return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.Slug, b.Slug)) })
			line := fmt.Sprintf("%s/%v: %q", q, aud, res.DidYouMean)
			for _, h := range hits {
				line += fmt.Sprintf(" %v %s", h.Score, h.Slug)
			}
			out = append(out, line)
		}
	}
	syn, err := d.KB().SuggestSynonyms(ctx, 0)
	require.NoError(t, err)
	for _, s := range syn {
		out = append(out, fmt.Sprint(s.Words, s.Source, s.Evidence))
	}
	slices.Sort(out[len(out)-len(syn):])
	return out
}

// TestEraseCustomerForgetsTheWordsTheKnowledgeBaseLearned: a customer's tickets taught the
// knowledge base their surname and a word only they used. After EraseCustomer no search,
// suggestion, did-you-mean or synonym suggestion, for customers or agents, reaches either
// word, what other customers taught stays, reports count the same, and a Desk restarted
// over the redacted store learns exactly what the live one holds.
func TestEraseCustomerForgetsTheWordsTheKnowledgeBaseLearned(t *testing.T) {
	ctx := context.Background()
	w := newEraseWorld(t)
	d := w.desk(t)
	zoya := ticket.Requester{Name: "Zoya Vishnevetskaya", Email: "zoya@example.com"}
	others := []ticket.Requester{{Name: "Ivan Petrov", Email: "ivan@example.com"}, {Name: "Mia Chen", Email: "mia@example.com"}}
	for i := range 2 {
		w.solve(t, d, others[i], "Internet gone after the thunderstorm", "The modem lights blink since the thunderstorm.", "", 0)
		w.solve(t, d, zoya, "Vishnevetskaya: internet gone", "Thunderclap last night, modem dead. Vishnevetskaya, flat 4.",
			"Still no thunderstorm luck, Vishnevetskaya", 0)
		w.solve(t, d, others[i], "Printer spits empty sheets", "Empty sheets from the office printer.", "", 1)
	}
	// Another customer names her: that ticket keeps his words, not her name.
	w.solve(t, d, others[0], "Smudged sheets", "Zoya Vishnevetskaya says the printer smudges sheets.", "", 1)
	w.solve(t, d, others[1], "Smudged sheets again", "Smudged sheets from the printer.", "", 1)
	_, err := d.HelpSearch(ctx, "visit-z", kb.Query{Text: "thunderclap Zoya Vishnevetskaya"})
	require.NoError(t, err)

	probes := []string{"vishnevetskaya", "thunderclap", "vishnevetskay", "thunderclp", "vishnev", "thunderc", "zoya", "thunderclap vishnevetskaya"}
	found := func(d *supportkit.Desk, q string) int {
		res, err := d.KB().Search(ctx, kb.Query{Text: q, Audience: kb.Agent, Language: language.English})
		require.NoError(t, err)
		return res.Total
	}
	require.Equal(t, 1, found(d, "vishnevetskaya"), "learned from her two tickets")
	require.Equal(t, 1, found(d, "thunderclap"), "learned from her two tickets")
	require.Equal(t, 1, found(d, "smudged"))
	byAgent := metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByAgent}}
	before, err := d.Report(ctx, byAgent)
	require.NoError(t, err)

	customer, err := w.people.FindByEmail(ctx, "", zoya.Email)
	require.NoError(t, err)
	report, err := d.EraseCustomer(ctx, ticket.System, customer.ID)
	require.NoError(t, err)
	require.Equal(t, 3, report.Tickets, "her two tickets and the one naming her")
	typed, err := d.KB().Queries(ctx, func(q string) bool { return strings.Contains(q, "zoya") })
	require.NoError(t, err)
	assert.Empty(t, typed, "her search is rewritten")

	for _, q := range probes {
		for _, aud := range []kb.Audience{kb.Customer, kb.Agent} {
			res, err := d.KB().Search(ctx, kb.Query{Text: q, Audience: aud, Language: language.English})
			require.NoError(t, err)
			assert.Zero(t, res.Total, "%q for %v", q, aud)
			assert.NotContains(t, strings.ToLower(res.DidYouMean), "vishnevetskaya")
			assert.NotContains(t, strings.ToLower(res.DidYouMean), "thunderclap")
			hits, err := d.KB().SuggestForTicket(ctx, q, q, language.English, aud)
			require.NoError(t, err)
			assert.Empty(t, hits, "%q for %v", q, aud)
		}
	}
	syn, err := d.KB().SuggestSynonyms(ctx, 0)
	require.NoError(t, err)
	for _, s := range syn {
		assert.NotContains(t, strings.ToLower(strings.Join(s.Words, " ")), "vishnevetskaya")
		assert.NotContains(t, strings.ToLower(strings.Join(s.Words, " ")), "thunderclap")
	}
	assert.Equal(t, 1, found(d, "thunderstorm"), "the others' words stay")
	assert.Equal(t, 1, found(d, "smudged"), "the ticket naming her still teaches its own words")

	after, err := d.Report(ctx, byAgent)
	require.NoError(t, err)
	require.Len(t, after.Groups(), len(before.Groups()))
	for i, g := range before.Groups() {
		assert.Equal(t, g.Stats.Tickets, after.Groups()[i].Stats.Tickets)
		assert.Equal(t, g.Stats.Duration(metrics.FullResolution), after.Groups()[i].Stats.Duration(metrics.FullResolution))
	}

	restarted := w.desk(t)
	require.NoError(t, restarted.Load(ctx))
	queries := append(slices.Clone(probes), "thunderstorm", "internet gone", "modem lights blink", "empty sheets", "smudged printer", "erased")
	assert.Equal(t, searches(t, restarted, queries), searches(t, d, queries), "the restarted Desk learned what the live one holds")
}
