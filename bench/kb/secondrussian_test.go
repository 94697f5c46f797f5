package kb_test

import (
	"slices"
	"testing"

	"golang.org/x/text/language"
)

// ru2Kinds maps each query of the second Russian collection
// (kb/testdata/ru2) to its kind: paraphrase, synonym, typo and so on.
func ru2Kinds(t testing.TB) map[string]string {
	var queries []struct{ Query, Kind string }
	readJSON(t, "../../kb/testdata/ru2/queries.json", &queries)
	kinds := make(map[string]string, len(queries))
	for _, q := range queries {
		kinds[q.Query] = q.Kind
	}
	return kinds
}

// withSecondRussian returns cs with the second Russian collection added as
// "ru2", unless cs already has it. Like the first, it is searched as one
// audience that sees every article; it has no synonym list, and its
// no_answer queries, which have no relevant article, are left out.
func withSecondRussian(t testing.TB, cs []collection) []collection {
	t.Helper()
	if slices.ContainsFunc(cs, func(c collection) bool { return c.name == "ru2" }) {
		return cs
	}
	var docs []struct {
		ID, Slug, Title, Body string
		Keywords              []string
	}
	var queries []struct {
		Query    string
		Relevant []string
	}
	readJSON(t, "../../kb/testdata/ru2/articles.json", &docs)
	readJSON(t, "../../kb/testdata/ru2/queries.json", &queries)
	c := collection{name: "ru2", lang: language.Russian, analyzer: "ru"}
	slugs := map[string]string{}
	for _, d := range docs {
		slugs[d.ID] = d.Slug
		c.docs = append(c.docs, article{slug: d.Slug, title: d.Title, body: d.Body, keywords: d.Keywords})
	}
	for _, q := range queries {
		if len(q.Relevant) == 0 {
			continue
		}
		j := judged{query: q.Query}
		for _, id := range q.Relevant {
			j.relevant = append(j.relevant, slugs[id])
		}
		c.queries = append(c.queries, j)
	}
	return append(cs, c)
}
