package kb_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/internal/kbdata"
	"github.com/supportkit/supportkit/kb"
)

// deskTicket is one resolved ticket of testdata/desk.
type deskTicket = kbdata.DeskTicket

// learnDesk feeds the simulated desk's resolved tickets to k, oldest first,
// one a day up to now.
func learnDesk(t *testing.T, k *kb.KB, ids map[string]uuid.UUID, now time.Time) {
	t.Helper()
	var tickets []deskTicket
	readJSON(t, "testdata/desk/tickets.json", &tickets)
	for i, tk := range tickets {
		id, ok := ids[tk.Article]
		require.True(t, ok, tk.Article)
		lang := language.Russian
		if tk.Language != "" {
			lang = language.Make(tk.Language)
		}
		r := kb.Resolution{ArticleID: id, Language: lang, Public: []string{tk.Subject, tk.Description},
			At: now.AddDate(0, 0, i-len(tickets))}
		if tk.Note != "" {
			r.Notes = []string{tk.Note}
		}
		require.NoError(t, k.Learn(context.Background(), r))
	}
}

// ru2IDs maps the collection's article ids to the ids in k.
func ru2IDs(t *testing.T, k *kb.KB, arts []ru2Article) map[string]uuid.UUID {
	t.Helper()
	ids := map[string]uuid.UUID{}
	for _, a := range arts {
		res, err := k.Search(context.Background(), kb.Query{Text: a.Title, Audience: kb.Agent, Limit: 100})
		require.NoError(t, err)
		for _, h := range res.Hits {
			if h.Slug == a.Slug {
				ids[a.ID] = h.ArticleID
			}
		}
		require.Contains(t, ids, a.ID, a.Slug)
	}
	return ids
}

// TestLearningFromTheDesk simulates a desk: the stream of resolved tickets
// of testdata/desk is learned, and the held-out half of the second Russian
// collection, which the tickets were not written from, is measured before
// and after. Held-out paraphrases measured 0.746 after learning while the
// stop list let forms of "мой", "свой" and "хотеть" through: the tickets
// taught their articles those stems, and queries that used the same forms
// leaned to them. That was no topic signal; with whole paradigms stopped,
// nothing of it is learned, and 0.706 is what the topic words give.
func TestLearningFromTheDesk(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	k, _, customer, arts := ru2Base(t, kb.Config{Now: func() time.Time { return now }})
	tune, heldOut := halves(customer)
	report := func(when string) (paraphrase, all float64) {
		for _, kind := range []string{"paraphrase", "english"} {
			t.Logf("%s: %-10s tune %v", when, kind, measureAs(t, k, kb.Customer, ofKind(tune, kind), nil))
			t.Logf("%s: %-10s held-out %v", when, kind, measureAs(t, k, kb.Customer, ofKind(heldOut, kind), nil))
		}
		qh := measureAs(t, k, kb.Customer, heldOut, nil)
		t.Logf("%s: all        held-out %v", when, qh)
		return measureAs(t, k, kb.Customer, ofKind(heldOut, "paraphrase"), nil).mrr10, qh.mrr10
	}
	beforeP, beforeAll := report("before")
	learnDesk(t, k, ru2IDs(t, k, arts), now)
	afterP, afterAll := report("after")
	assert.Greater(t, afterP, beforeP, "held-out paraphrase MRR@10 improves")
	assert.GreaterOrEqual(t, afterP, 0.65, "held-out paraphrase MRR@10 after learning (measured 0.781, from 0.664 before)")
	assert.GreaterOrEqual(t, afterAll, beforeAll, "the held-out half as a whole does not get worse")
}
