package supportkit_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/internal/kbdata"
	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/ticket"
)

// ru2Article, ru2Query and deskTicket are the records of kb/testdata/ru2 and
// kb/testdata/desk (see their READMEs).
type (
	ru2Article = kbdata.Article
	ru2Query   = kbdata.Query
	deskTicket = kbdata.DeskTicket
)

func readTestdata(t *testing.T, name string, v any) {
	t.Helper()
	kbdata.Decode(t, "kb/testdata/"+name, v)
}

// heldOutMRR is MRR@10 of a customer's help-center search over queries, each judged by
// its public relevant articles.
func heldOutMRR(t *testing.T, d *supportkit.Desk, queries []ru2Query, public map[string]uuid.UUID) float64 {
	t.Helper()
	sum, n := 0.0, 0
	for _, q := range queries {
		var relevant []uuid.UUID
		for _, id := range q.Relevant {
			if a, ok := public[id]; ok {
				relevant = append(relevant, a)
			}
		}
		if len(relevant) == 0 {
			continue
		}
		res, err := d.HelpSearch(context.Background(), "", kb.Query{Text: q.Query, Limit: 10})
		require.NoError(t, err)
		n++
		if i := slices.IndexFunc(res.Hits, func(h kb.Hit) bool { return slices.Contains(relevant, h.ArticleID) }); i >= 0 {
			sum += 1 / float64(i+1)
		}
	}
	require.NotZero(t, n)
	return sum / float64(n)
}

// TestDeskLearnsFromItsSolvedTickets simulates a desk through the Desk's API: the articles of
// kb/testdata/ru2, then the stream of kb/testdata/desk, one ticket a day, each created in the
// customer's words, given its internal note and solved with its article (SolveWith). The
// held-out half of ru2, which the tickets were not written from, is searched as customers
// search the help center, before and after, and again on a Desk restarted over the store.
func TestDeskLearnsFromItsSolvedTickets(t *testing.T) {
	ctx := context.Background()
	var arts []ru2Article
	var queries []ru2Query
	var tickets []deskTicket
	readTestdata(t, "ru2/articles.json", &arts)
	readTestdata(t, "ru2/queries.json", &queries)
	readTestdata(t, "desk/tickets.json", &tickets)
	var heldOut, paraphrase []ru2Query
	for _, q := range queries {
		if q.Half == "heldout" {
			heldOut = append(heldOut, q)
			if q.Kind == "paraphrase" {
				paraphrase = append(paraphrase, q)
			}
		}
	}
	require.NotEmpty(t, paraphrase)

	first := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := &fakeClock{now: first}
	store := ticket.NewMemoryStore()
	ids, public := map[string]uuid.UUID{}, map[string]uuid.UUID{}
	newDesk := func() *supportkit.Desk {
		d, err := supportkit.New(supportkit.Config{Store: store, Now: clock.Now, Knowledge: &kb.Config{}})
		require.NoError(t, err)
		for _, ra := range arts {
			if ids[ra.ID] == uuid.Nil {
				ids[ra.ID] = uuid.New()
			}
			vis := kb.Public
			if ra.Visibility == "internal" {
				vis = kb.Internal
			} else {
				public[ra.ID] = ids[ra.ID]
			}
			require.NoError(t, d.KB().Create(ctx, &kb.Article{ID: ids[ra.ID], Slug: ra.Slug, Category: ra.Category, Tags: ra.Tags,
				Visibility: vis, Status: kb.Published,
				Translations: map[language.Tag]kb.Translation{language.Russian: {Title: ra.Title, Body: ra.Body, Keywords: ra.Keywords}}}))
		}
		return d
	}
	d := newDesk()
	beforeP, beforeAll := heldOutMRR(t, d, paraphrase, public), heldOutMRR(t, d, heldOut, public)

	for i, dt := range tickets {
		clock.set(first.AddDate(0, 0, i))
		lang := language.Russian
		if dt.Language != "" {
			lang = language.Make(dt.Language)
		}
		tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: dt.Subject, Description: dt.Description,
			Requester: customer, Assignee: agent.ID, Language: lang})
		require.NoError(t, err)
		if dt.Note != "" {
			_, err = d.Tickets().Comment(ctx, agent, tk.ID, ticket.NewComment{Body: dt.Note})
			require.NoError(t, err)
		}
		_, err = d.SolveWith(ctx, agent, tk.ID, ids[dt.Article])
		require.NoError(t, err)
	}
	afterP, afterAll := heldOutMRR(t, d, paraphrase, public), heldOutMRR(t, d, heldOut, public)
	t.Logf("held-out paraphrase MRR@10 %.3f -> %.3f (%d queries); held-out half %.3f -> %.3f (%d queries)",
		beforeP, afterP, len(paraphrase), beforeAll, afterAll, len(heldOut))
	assert.Greater(t, afterP, beforeP, "held-out paraphrase MRR@10 improves")
	assert.GreaterOrEqual(t, afterP, 0.65, "held-out paraphrase MRR@10 after learning, the issue's goal")
	assert.GreaterOrEqual(t, afterAll, beforeAll, "the held-out half as a whole does not get worse")

	clock.set(first.AddDate(0, 0, len(tickets)))
	restarted := newDesk()
	require.NoError(t, restarted.Load(ctx))
	assert.InDelta(t, afterP, heldOutMRR(t, restarted, paraphrase, public), 0.02, "a restarted Desk learns it again from the store")
}
