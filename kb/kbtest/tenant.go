package kbtest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// tenants are the tenants the suite writes to: the default one and two more.
var tenants = []string{"", "acme", "globex"}

// testTenants runs the tenant part of the Store contract.
func testTenants(t *testing.T, newStore func(t *testing.T) kb.Store) {
	ctx := context.Background()
	t.Run("SlugsArePerTenant", func(t *testing.T) {
		s := newStore(t)
		ids := map[string]uuid.UUID{}
		for _, tenant := range tenants {
			a := inTenant(NewArticle("reset"), tenant)
			require.NoError(t, s.Create(ctx, a), "tenant %q", tenant)
			ids[tenant] = a.ID
		}
		for _, tenant := range tenants {
			got, err := s.GetBySlug(ctx, tenant, "reset")
			require.NoError(t, err)
			assert.Equal(t, ids[tenant], got.ID, "tenant %q", tenant)
			assert.Equal(t, tenant, got.Tenant)
		}
		_, err := s.GetBySlug(ctx, "initech", "reset")
		assert.ErrorIs(t, err, kb.ErrNotFound, "a tenant without the slug")
		assert.ErrorIs(t, s.Create(ctx, inTenant(NewArticle("reset"), "acme")), kb.ErrDuplicate)
	})
	t.Run("IDsAreUniqueAcrossTenants", func(t *testing.T) {
		s := newStore(t)
		a := inTenant(NewArticle("one"), "acme")
		require.NoError(t, s.Create(ctx, a))
		b := inTenant(NewArticle("two"), "globex")
		b.ID = a.ID
		assert.ErrorIs(t, s.Create(ctx, b), kb.ErrDuplicate)
		got, err := s.Get(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, "acme", got.Tenant, "Get returns the stored tenant")
		_, err = s.GetBySlug(ctx, "globex", "two")
		assert.ErrorIs(t, err, kb.ErrNotFound, "a failed create must not half-apply")
	})
	t.Run("UpdateNeverMovesAnArticleToAnotherTenant", func(t *testing.T) {
		s := newStore(t)
		a := inTenant(NewArticle("stay"), "acme")
		require.NoError(t, s.Create(ctx, a))
		moved := a.Clone()
		moved.Tenant = "globex"
		assert.ErrorIs(t, s.Update(ctx, moved), kb.ErrNotFound)
		got, err := s.Get(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, "acme", got.Tenant)
		assert.Equal(t, int64(1), got.Version, "nothing changes")
		_, err = s.GetBySlug(ctx, "globex", "stay")
		assert.ErrorIs(t, err, kb.ErrNotFound)
	})
	t.Run("RenamingChecksSlugsInTheTenantOnly", func(t *testing.T) {
		s := newStore(t)
		a := inTenant(NewArticle("a"), "acme")
		b := inTenant(NewArticle("b"), "acme")
		other := inTenant(NewArticle("c"), "globex")
		for _, x := range []*kb.Article{a, b, other} {
			require.NoError(t, s.Create(ctx, x))
		}
		b.Slug = "a"
		assert.ErrorIs(t, s.Update(ctx, b), kb.ErrDuplicate, "taken in the tenant")
		b.Slug = "c"
		require.NoError(t, s.Update(ctx, b), "taken in another tenant only")
		require.NoError(t, s.Delete(ctx, other.ID, other.Version))
		got, err := s.GetBySlug(ctx, "acme", "c")
		require.NoError(t, err, "deleting another tenant's article keeps this one's slug")
		assert.Equal(t, b.ID, got.ID)
	})
	t.Run("ListReturnsOnlyTheTenantsArticles", func(t *testing.T) {
		s := newStore(t)
		rng := rand.New(rand.NewPCG(7, 11))
		want := map[string][]uuid.UUID{}
		for i := range 30 {
			tenant := tenants[rng.IntN(len(tenants))]
			a := inTenant(NewArticle(fmt.Sprintf("list-%d", i)), tenant)
			a.ID = uuid.New()
			require.NoError(t, s.Create(ctx, a))
			want[tenant] = append(want[tenant], a.ID)
		}
		for _, tenant := range append(slices.Clone(tenants), "initech") {
			all, err := s.List(ctx, tenant)
			require.NoError(t, err)
			got := []uuid.UUID{}
			for _, a := range all {
				assert.Equal(t, tenant, a.Tenant)
				got = append(got, a.ID)
			}
			w := append([]uuid.UUID{}, want[tenant]...)
			slices.SortFunc(w, func(x, y uuid.UUID) int { return bytes.Compare(x[:], y[:]) })
			assert.Equal(t, w, got, "tenant %q", tenant)
		}
	})
	t.Run("KBsOfTenantsOverOneStoreNeverMeet", func(t *testing.T) {
		for seed := range uint64(3) {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
				kbsNeverMeet(t, newStore(t), seed)
			})
		}
	})
	t.Run("SearchesFeedbackAndLearningStayInTheirTenant", func(t *testing.T) {
		learningStaysInItsTenant(t, newStore(t))
	})
}

// inTenant sets a's tenant and returns a.
func inTenant(a *kb.Article, tenant string) *kb.Article {
	a.Tenant = tenant
	return a
}

// tokens are the searchable words of the random articles: four runes each,
// so that no typo correction or completion joins two of them.
var tokens = func() []string {
	out := make([]string, 12)
	for i := range out {
		out[i] = fmt.Sprintf("q%03d", 100+i*37)
	}
	return out
}()

// model is what the suite expects each tenant to hold: article ID to its
// words.
type model map[string]map[uuid.UUID][]string

// kbsNeverMeet writes random articles through one KB per tenant over s, tries
// every KB method on other tenants' articles, and checks after each step that
// every KB sees exactly its tenant's articles, in the store, in search and
// after reindexing a fresh index from the store.
func kbsNeverMeet(t *testing.T, s kb.Store, seed uint64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 99))
	kbs := map[string]*kb.KB{}
	for _, tenant := range tenants {
		k, err := kb.New(s, kb.Config{Tenant: tenant})
		require.NoError(t, err)
		kbs[tenant] = k
	}
	want := model{}
	slugs := map[string]map[string]bool{}
	for _, tenant := range tenants {
		want[tenant], slugs[tenant] = map[uuid.UUID][]string{}, map[string]bool{}
	}
	for step := range 60 {
		tenant := tenants[rng.IntN(len(tenants))]
		k := kbs[tenant]
		words := randomWords(rng)
		if op := rng.IntN(4); op < 2 || len(want[tenant]) == 0 {
			slug := fmt.Sprintf("s%d", rng.IntN(5))
			a := wordsArticle(slug, words)
			err := k.Create(ctx, a)
			if slugs[tenant][slug] {
				require.ErrorIs(t, err, kb.ErrDuplicate, "step %d: slug %s taken in %q", step, slug, tenant)
				continue
			}
			require.NoError(t, err, "step %d: slug %s is free in %q", step, slug, tenant)
			assert.Equal(t, tenant, a.Tenant)
			want[tenant][a.ID], slugs[tenant][slug] = words, true
		} else {
			id := pick(rng, want[tenant])
			a, err := k.Get(ctx, id)
			require.NoError(t, err)
			if op == 2 {
				a.Translations[language.English] = kb.Translation{Title: "Note " + strings.Join(words, " ")}
				require.NoError(t, k.Update(ctx, a), "step %d", step)
				want[tenant][id] = words
			} else {
				require.NoError(t, k.Delete(ctx, id, a.Version), "step %d", step)
				delete(want[tenant], id)
				delete(slugs[tenant], a.Slug)
			}
		}
		foreignIsMissing(t, s, kbs, want, rng)
		if step%10 == 9 {
			tenantsSeeTheirOwn(t, s, kbs, want)
		}
	}
	tenantsSeeTheirOwn(t, s, kbs, want)
}

// randomWords returns one to three distinct tokens.
func randomWords(rng *rand.Rand) []string {
	p := rng.Perm(len(tokens))[:1+rng.IntN(3)]
	out := make([]string, len(p))
	for i, j := range p {
		out[i] = tokens[j]
	}
	return out
}

// wordsArticle returns a published public English article titled by words.
func wordsArticle(slug string, words []string) *kb.Article {
	return &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "Note " + strings.Join(words, " ")}}}
}

// pick returns a random key of m, which is not empty.
func pick(rng *rand.Rand, m map[uuid.UUID][]string) uuid.UUID {
	ids := sortedIDs(m)
	return ids[rng.IntN(len(ids))]
}

func sortedIDs(m map[uuid.UUID][]string) []uuid.UUID {
	ids := make([]uuid.UUID, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(x, y uuid.UUID) int { return bytes.Compare(x[:], y[:]) })
	return ids
}

// foreignIsMissing tries every method of each KB that takes an article on an
// article of another tenant, and checks that each says ErrNotFound and that
// the stored article did not change.
func foreignIsMissing(t *testing.T, s kb.Store, kbs map[string]*kb.KB, want model, rng *rand.Rand) {
	t.Helper()
	ctx := context.Background()
	for _, owner := range tenants {
		if len(want[owner]) == 0 {
			continue
		}
		id := pick(rng, want[owner])
		before, err := s.Get(ctx, id)
		require.NoError(t, err)
		for tenant, k := range kbs {
			if tenant == owner {
				continue
			}
			_, err := k.Get(ctx, id)
			assert.ErrorIs(t, err, kb.ErrNotFound, "Get of %q's article in %q", owner, tenant)
			_, err = k.Read(ctx, id, kb.Agent)
			assert.ErrorIs(t, err, kb.ErrNotFound, "Read")
			assert.ErrorIs(t, k.Vote(ctx, id, kb.Agent, true), kb.ErrNotFound, "Vote")
			assert.ErrorIs(t, k.Delete(ctx, id, before.Version), kb.ErrNotFound, "Delete")
			assert.ErrorIs(t, k.Update(ctx, before.Clone()), kb.ErrNotFound, "Update naming its tenant")
			anon := before.Clone()
			anon.Tenant = ""
			assert.ErrorIs(t, k.Update(ctx, anon), kb.ErrNotFound, "Update with an empty tenant")
			assert.ErrorIs(t, k.Learn(ctx, kb.Resolution{ArticleID: id, Public: []string{"stolen words"}}), kb.ErrNotFound, "Learn")
			if owner != "" {
				foreign := before.Clone()
				foreign.ID = uuid.Nil
				assert.ErrorIs(t, k.Create(ctx, foreign), kb.ErrInvalid, "Create naming another tenant")
			}
		}
		after, err := s.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, before, after, "%q's article is unchanged", owner)
	}
}

// tenantsSeeTheirOwn checks that the store lists, and every KB finds, exactly
// its tenant's articles, that a search's total is the number of the tenant's
// articles with the word, and that a fresh KB of the tenant reindexed from the
// store finds the same.
func tenantsSeeTheirOwn(t *testing.T, s kb.Store, kbs map[string]*kb.KB, want model) {
	t.Helper()
	ctx := context.Background()
	for _, tenant := range tenants {
		all, err := s.List(ctx, tenant)
		require.NoError(t, err)
		got := []uuid.UUID{}
		for _, a := range all {
			got = append(got, a.ID)
		}
		assert.Equal(t, sortedIDs(want[tenant]), got, "List(%q)", tenant)
		fresh, err := kb.New(s, kb.Config{Tenant: tenant})
		require.NoError(t, err)
		require.NoError(t, fresh.Reindex(ctx))
		for _, word := range tokens {
			for _, aud := range []kb.Audience{kb.Agent, kb.Customer} {
				q := kb.Query{Text: word, Audience: aud, Limit: 100}
				res, err := kbs[tenant].Search(ctx, q)
				require.NoError(t, err)
				n := 0
				for _, words := range want[tenant] {
					if slices.Contains(words, word) {
						n++
					}
				}
				assert.Equal(t, n, res.Total, "%q searching %s", tenant, word)
				for _, h := range res.Hits {
					_, own := want[tenant][h.ArticleID]
					assert.True(t, own, "%q found another tenant's article for %s", tenant, word)
				}
				again, err := fresh.Search(ctx, q)
				require.NoError(t, err)
				assert.ElementsMatch(t, hitIDs(res), hitIDs(again), "%q reindexed from the store, %s", tenant, word)
			}
		}
	}
}

func hitIDs(r *kb.Results) []uuid.UUID {
	out := make([]uuid.UUID, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ArticleID
	}
	return out
}

// learningStaysInItsTenant gives two tenants' KBs over s the same slugs,
// searches, clicks and resolutions, and checks that neither's gaps,
// feedback or learned words reach the other.
func learningStaysInItsTenant(t *testing.T, s kb.Store) {
	ctx := context.Background()
	learn := kb.IndexConfig{Learning: kb.LearnConfig{MinTickets: 1}}
	acme, err := kb.New(s, kb.Config{Tenant: "acme", IndexConfig: learn})
	require.NoError(t, err)
	globex, err := kb.New(s, kb.Config{Tenant: "globex", IndexConfig: learn})
	require.NoError(t, err)
	a := NewArticle("vpn")
	a.ID = uuid.Nil
	require.NoError(t, acme.Create(ctx, a))
	g := NewArticle("vpn")
	g.ID = uuid.Nil
	require.NoError(t, globex.Create(ctx, g))

	_, err = acme.Search(ctx, kb.Query{Text: "acmeonly gap", Audience: kb.Customer})
	require.NoError(t, err)
	res, err := acme.Search(ctx, kb.Query{Text: "password", Audience: kb.Customer, Session: "s1"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Hits)
	require.NoError(t, acme.RecordResultClick(ctx, kb.ResultClick{Query: "password", ArticleID: a.ID, Position: 1, Session: "s1"}))
	require.NoError(t, acme.Learn(ctx, kb.Resolution{ArticleID: a.ID, Language: language.English, Public: []string{"frobnicator broke"}}))

	gaps, err := globex.ContentGaps(ctx, 100)
	require.NoError(t, err)
	for _, gap := range gaps {
		assert.NotContains(t, gap.Query, "acmeonly", "globex reports acme's searches")
		assert.NotEqual(t, "password", gap.Query, "globex reports acme's searches")
	}
	fb, err := globex.Feedback(ctx)
	require.NoError(t, err)
	assert.Zero(t, fb.Searches, "globex counts acme's searches")
	assert.Empty(t, fb.Articles, "globex reports acme's clicks")
	mine, err := acme.ContentGaps(ctx, 100)
	require.NoError(t, err)
	assert.NotEmpty(t, mine, "acme's own gaps are kept")

	found, err := acme.Search(ctx, kb.Query{Text: "frobnicator", Audience: kb.Customer})
	require.NoError(t, err)
	assert.Equal(t, 1, found.Total, "acme learned the word")
	none, err := globex.Search(ctx, kb.Query{Text: "frobnicator", Audience: kb.Customer})
	require.NoError(t, err)
	assert.Zero(t, none.Total, "globex's same-slug article did not learn acme's word")
}
