package kb_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// ruArticle and ruQuery are the formats of testdata/ru.
type ruArticle struct {
	ID         string   `json:"id"`
	Slug       string   `json:"slug"`
	Category   string   `json:"category"`
	Tags       []string `json:"tags"`
	Visibility string   `json:"visibility"`
	Title      string   `json:"title"`
	Body       string   `json:"body"`
	Keywords   []string `json:"keywords"`
}

type ruQuery struct {
	Query    string   `json:"query"`
	Relevant []string `json:"relevant"`
	Kind     string   `json:"kind"`
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v))
}

// russianBase builds a KB of the Russian collection with its synonyms and
// returns the judged queries for agents (all) and for customers (public
// relevant articles only; queries with none are left out).
func russianBase(t testing.TB) (k *kb.KB, agent, customer []judged) {
	t.Helper()
	var articles []ruArticle
	var queries []ruQuery
	var synonyms [][]string
	readJSON(t, "testdata/ru/articles.json", &articles)
	readJSON(t, "testdata/ru/queries.json", &queries)
	readJSON(t, "testdata/ru/synonyms.json", &synonyms)
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{IndexConfig: kb.IndexConfig{Synonyms: synonyms}})
	require.NoError(t, err)
	slugs := map[string]string{}
	public := map[string]bool{}
	for _, ra := range articles {
		vis := kb.Public
		if ra.Visibility == "internal" {
			vis = kb.Internal
		}
		a := &kb.Article{
			ID: uuid.New(), Slug: ra.Slug, Category: ra.Category, Tags: ra.Tags, Visibility: vis, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: {Title: ra.Title, Body: ra.Body, Keywords: ra.Keywords}},
		}
		require.NoError(t, k.Create(context.Background(), a))
		slugs[ra.ID] = ra.Slug
		public[ra.ID] = vis == kb.Public
	}
	for i, q := range queries {
		all := judged{query: q.Query, kind: q.Kind, heldOut: ruHeldOut(i)}
		pub := all
		for _, id := range q.Relevant {
			require.Contains(t, slugs, id)
			all.relevant = append(all.relevant, slugs[id])
			if public[id] {
				pub.relevant = append(pub.relevant, slugs[id])
			}
		}
		agent = append(agent, all)
		if len(pub.relevant) > 0 {
			customer = append(customer, pub)
		}
	}
	return k, agent, customer
}

// ruHeldOut reports whether query i (in file order, from 0) of
// testdata/ru belongs to the held-out half: the odd ones do.
func ruHeldOut(i int) bool { return i%2 == 1 }

// TestQualityRussian guards the Russian collection's figures: measured
// agent MRR@10 0.968, Hit@3 0.993; customer MRR@10 0.966, Hit@3 1.000.
func TestQualityRussian(t *testing.T) {
	k, agent, customer := russianBase(t)
	require.GreaterOrEqual(t, len(agent), 100)
	byKind := map[string][]judged{}
	for _, q := range agent {
		byKind[q.kind] = append(byKind[q.kind], q)
	}
	for kind, qs := range byKind {
		t.Logf("agent %-10s %v", kind, measureAs(t, k, kb.Agent, qs, nil))
	}
	qa := measureAs(t, k, kb.Agent, agent, func(q judged, hits []kb.Hit) {
		if testing.Verbose() {
			var got []string
			for _, h := range hits[:min(3, len(hits))] {
				got = append(got, h.Slug)
			}
			t.Logf("miss %-10s %q want %v got %v", q.kind, q.query, q.relevant, got)
		}
	})
	qc := measureAs(t, k, kb.Customer, customer, nil)
	tune, heldOut := halves(agent)
	t.Logf("Russian, agent, tune:     %v", measureAs(t, k, kb.Agent, tune, nil))
	t.Logf("Russian, agent, held-out: %v", measureAs(t, k, kb.Agent, heldOut, nil))
	t.Logf("Russian, agent (all queries): %v", qa)
	t.Logf("Russian, customer (public relevant): %v", qc)
	assert.GreaterOrEqual(t, qa.mrr10, 0.92, "agent MRR@10")
	assert.GreaterOrEqual(t, qa.hit3, 0.96, "agent Hit@3")
	assert.GreaterOrEqual(t, qc.mrr10, 0.91, "customer MRR@10")
	assert.GreaterOrEqual(t, qc.hit3, 0.97, "customer Hit@3")
}
