// Package kb_test compares the kb package's built-in index with Bleve v2.6.3
// (scorch in memory, BM25) on StackFAQ and on the two Russian collections.
//
// Both engines always get the same inputs: the same documents in the same
// fields, each engine's own analysis for the collection's language (kb:
// Snowball stemmers; Bleve: its "en" analyzer with the Porter stemmer and its
// "ru" analyzer with the Snowball stemmer), and the same synonyms. The Russian collection ships a synonym
// list; it is run twice, "ru+synonyms" with the list given to both engines
// (kb through IndexConfig.Synonyms, Bleve through its own synonym support, a
// synonym source with the "ru" analyzer on every field and each set indexed
// as an equivalent-terms SynonymDefinition, as Bleve's docs/synonyms.md
// describes), and "ru" with no synonyms for either. StackFAQ has no list.
package kb_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// article is one document as both engines see it.
type article struct {
	slug, title, body string
	keywords          []string
}

// judged is a query with the slugs of its relevant articles.
type judged struct {
	query    string
	relevant []string
	kind     string
	// heldOut marks the held-out half, on which kb's ranking is never
	// tuned: the odd StackFAQ threads (every paraphrase of thread i, in file
	// order from 0, is held out when i is odd) and the odd queries of the
	// Russian collection, the same split kb's own quality tests use.
	heldOut bool
}

// collection is a document set with its queries.
type collection struct {
	name     string
	lang     language.Tag
	analyzer string // Bleve analyzer name
	docs     []article
	queries  []judged
	// synonyms, when set, are given to both engines.
	synonyms [][]string
}

// collections returns the collections every comparison runs: StackFAQ, and
// the Russian collection with and without its synonyms, and the second and
// third Russian collections (kb/testdata/ru2 and ru3), which have none.
func collections(t testing.TB) []collection {
	withSynonyms := russian(t)
	without := withSynonyms
	without.name, without.synonyms = "ru", nil
	return []collection{stackFAQ(t), withSynonyms, without, russianN(t, "ru2"), russianN(t, "ru3")}
}

// russianN is the second or third Russian collection, which ship no
// synonym list; their no_answer queries, which have no relevant article,
// are left out, and their halves are their own ("half": "tune" or
// "heldout").
func russianN(t testing.TB, name string) collection {
	t.Helper()
	var docs []struct {
		ID, Slug, Title, Body string
		Keywords              []string
	}
	var queries []struct {
		Query, Kind, Half string
		Relevant          []string
	}
	c := collection{name: name, lang: language.Russian, analyzer: "ru"}
	readJSON(t, "../../kb/testdata/"+name+"/articles.json", &docs)
	readJSON(t, "../../kb/testdata/"+name+"/queries.json", &queries)
	slugs := map[string]string{}
	for _, d := range docs {
		slugs[d.ID] = d.Slug
		c.docs = append(c.docs, article{slug: d.Slug, title: d.Title, body: d.Body, keywords: d.Keywords})
	}
	for _, q := range queries {
		if len(q.Relevant) == 0 {
			continue
		}
		j := judged{query: q.Query, kind: q.Kind, heldOut: q.Half == "heldout"}
		for _, id := range q.Relevant {
			j.relevant = append(j.relevant, slugs[id])
		}
		c.queries = append(c.queries, j)
	}
	return c
}

func stackFAQ(t testing.TB) collection {
	t.Helper()
	f, err := os.Open("../../kb/testdata/stackfaq.xml")
	require.NoError(t, err)
	defer f.Close()
	var root struct {
		Threads []struct {
			Question string   `xml:"question"`
			Answers  []string `xml:"answer"`
			Rephr    []string `xml:"rephr"`
		} `xml:"qapair"`
	}
	require.NoError(t, xml.NewDecoder(f).Decode(&root))
	c := collection{name: "en", lang: language.English, analyzer: "en"}
	for i, th := range root.Threads {
		slug := fmt.Sprintf("faq-%03d", i)
		c.docs = append(c.docs, article{slug: slug, title: strings.TrimSpace(th.Question), body: strings.Join(th.Answers, "\n")})
		for _, r := range th.Rephr {
			if r = strings.TrimSpace(r); r != "" && r != "*" {
				c.queries = append(c.queries, judged{query: r, relevant: []string{slug}, heldOut: i%2 == 1})
			}
		}
	}
	return c
}

func russian(t testing.TB) collection {
	t.Helper()
	var docs []struct {
		ID, Slug, Title, Body string
		Keywords              []string
	}
	var queries []struct {
		Query    string
		Relevant []string
		Kind     string
	}
	c := collection{name: "ru+synonyms", lang: language.Russian, analyzer: "ru"}
	readJSON(t, "../../kb/testdata/ru/articles.json", &docs)
	readJSON(t, "../../kb/testdata/ru/queries.json", &queries)
	readJSON(t, "../../kb/testdata/ru/synonyms.json", &c.synonyms)
	slugs := map[string]string{}
	for _, d := range docs {
		slugs[d.ID] = d.Slug
		c.docs = append(c.docs, article{slug: d.Slug, title: d.Title, body: d.Body, keywords: d.Keywords})
	}
	for i, q := range queries {
		j := judged{query: q.Query, kind: q.Kind, heldOut: i%2 == 1}
		for _, id := range q.Relevant {
			j.relevant = append(j.relevant, slugs[id])
		}
		c.queries = append(c.queries, j)
	}
	return c
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v))
}

// engine answers a query with ranked slugs.
type engine interface {
	search(q string, n int) ([]string, error)
	close() error
}

// bleveEngine is Bleve with scorch in memory, BM25, the collection's
// language analyzer, the title boosted 2x over keywords and body, and the
// collection's synonyms, if any, as a synonym source on every field.
type bleveEngine struct {
	index bleve.Index
}

func newBleve(t testing.TB, c collection) *bleveEngine {
	t.Helper()
	im := bleve.NewIndexMapping()
	im.ScoringModel = "bm25"
	im.DefaultAnalyzer = c.analyzer
	const synonymSource, synonymCollection = "thesaurus", "synonyms"
	if len(c.synonyms) > 0 {
		require.NoError(t, im.AddSynonymSource(synonymSource, map[string]any{"collection": synonymCollection, "analyzer": c.analyzer}))
	}
	dm := bleve.NewDocumentMapping()
	for _, name := range []string{"title", "body", "keywords"} {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = c.analyzer
		if len(c.synonyms) > 0 {
			fm.SynonymSource = synonymSource
		}
		dm.AddFieldMappingsAt(name, fm)
	}
	im.DefaultMapping = dm
	ix, err := bleve.NewUsing("", im, scorch.Name, scorch.Name, nil)
	require.NoError(t, err)
	batch := ix.NewBatch()
	for i, set := range c.synonyms {
		require.NoError(t, batch.IndexSynonym(fmt.Sprintf("synonyms-%d", i), synonymCollection, &bleve.SynonymDefinition{Synonyms: set}))
	}
	for _, d := range c.docs {
		require.NoError(t, batch.Index(d.slug, map[string]any{"title": d.title, "body": d.body, "keywords": strings.Join(d.keywords, " ")}))
	}
	require.NoError(t, ix.Batch(batch))
	return &bleveEngine{index: ix}
}

func (e *bleveEngine) close() error { return e.index.Close() }

func (e *bleveEngine) search(q string, n int) ([]string, error) {
	title := query.NewMatchQuery(q)
	title.SetField("title")
	title.SetBoost(2)
	keywords := query.NewMatchQuery(q)
	keywords.SetField("keywords")
	body := query.NewMatchQuery(q)
	body.SetField("body")
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery([]query.Query{title, keywords, body}), n, 0, false)
	res, err := e.index.Search(req)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out, nil
}

// kbEngine is the kb package's built-in index through a KB.
type kbEngine struct {
	k *kb.KB
}

func newKB(t testing.TB, c collection) *kbEngine {
	t.Helper()
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{IndexConfig: kb.IndexConfig{Synonyms: c.synonyms}})
	require.NoError(t, err)
	for _, d := range c.docs {
		a := &kb.Article{ID: uuid.New(), Slug: d.slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{c.lang: {Title: d.title, Body: d.body, Keywords: d.keywords}}}
		require.NoError(t, k.Create(context.Background(), a))
	}
	return &kbEngine{k: k}
}

func (e *kbEngine) close() error { return nil }

func (e *kbEngine) search(q string, n int) ([]string, error) {
	res, err := e.k.Search(context.Background(), kb.Query{Text: q, Audience: kb.Customer, Limit: n})
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, h.Slug)
	}
	return out, nil
}

// mrr10 is the mean reciprocal rank of the first relevant hit in the top 10.
func mrr10(t testing.TB, e engine, qs []judged) float64 {
	t.Helper()
	sum := 0.0
	for _, q := range qs {
		hits, err := e.search(q.query, 10)
		require.NoError(t, err)
		for i, h := range hits {
			if slices.Contains(q.relevant, h) {
				sum += 1 / float64(i+1)
				break
			}
		}
	}
	return sum / float64(len(qs))
}

// subsets splits queries into the whole set, the tuning and held-out
// halves, and one set per kind, in a stable order.
func subsets(qs []judged) (names []string, sets map[string][]judged) {
	sets = map[string][]judged{}
	add := func(name string, q judged) {
		if _, ok := sets[name]; !ok {
			names = append(names, name)
		}
		sets[name] = append(sets[name], q)
	}
	for _, q := range qs {
		add("all", q)
		if q.heldOut {
			add("held-out", q)
		} else {
			add("tune", q)
		}
	}
	for _, q := range qs {
		if q.kind != "" {
			add("kind "+q.kind, q)
		}
	}
	return names, sets
}

func TestRelevanceAgainstBleve(t *testing.T) {
	for _, c := range collections(t) {
		t.Run(c.name, func(t *testing.T) {
			k := newKB(t, c)
			bl := newBleve(t, c)
			defer bl.close()
			names, sets := subsets(c.queries)
			for _, name := range names {
				qs := sets[name]
				ours, peer := mrr10(t, k, qs), mrr10(t, bl, qs)
				t.Logf("%s %-16s %4d queries, MRR@10 kb %.4f, Bleve %.4f", c.name, name, len(qs), ours, peer)
				if name == "all" || name == "held-out" {
					require.GreaterOrEqual(t, ours, peer, "kb must rank at least as well as Bleve on %s", name)
				}
			}
		})
	}
}

// The comparison with synonyms is only fair if Bleve uses them: a query word
// that only a synonym links to the document must find it.
func TestBleveUsesTheSynonyms(t *testing.T) {
	c := collection{name: "ru+synonyms", lang: language.Russian, analyzer: "ru",
		docs:     []article{{slug: "reset", title: "Как сбросить пароль", body: "Откройте страницу входа."}},
		synonyms: [][]string{{"пароль", "password"}}}
	for _, withSynonyms := range []bool{true, false} {
		cc := c
		if !withSynonyms {
			cc.synonyms = nil
		}
		bl := newBleve(t, cc)
		hits, err := bl.search("password", 10)
		require.NoError(t, err)
		require.NoError(t, bl.close())
		require.Equal(t, withSynonyms, len(hits) == 1, "synonyms %v: %v", withSynonyms, hits)
	}
}
