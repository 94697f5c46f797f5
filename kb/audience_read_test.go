package kb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// A customer reading a public article must not learn the IDs of the internal,
// draft, archived or deleted articles it links to; an agent still sees the
// ones that exist.
func TestReadHidesRelatedArticlesTheAudienceMayNotSee(t *testing.T) {
	ctx := context.Background()
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{})
	require.NoError(t, err)
	add := func(slug string, v kb.Visibility, s kb.Status, related ...uuid.UUID) *kb.Article {
		a := article(slug, v, s, language.English, slug, "text")
		a.Related = related
		require.NoError(t, k.Create(ctx, a))
		return a
	}
	internal := add("internal", kb.Internal, kb.Published)
	draft := add("draft", kb.Public, kb.Draft)
	archived := add("archived", kb.Public, kb.Archived)
	public := add("public", kb.Public, kb.Published)
	gone := add("gone", kb.Public, kb.Published)
	require.NoError(t, k.Delete(ctx, gone.ID, gone.Version))
	main := add("main", kb.Public, kb.Published, internal.ID, draft.ID, public.ID, archived.ID, gone.ID)

	r, err := k.Read(ctx, main.ID, kb.Customer)
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{public.ID}, r.Article.Related)
	r, err = k.Read(ctx, main.ID, kb.Agent)
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{internal.ID, draft.ID, public.ID, archived.ID}, r.Article.Related)
	stored, err := k.Get(ctx, main.ID)
	require.NoError(t, err)
	assert.Len(t, stored.Related, 5, "reading filters the copy, not the stored article")
}

// A customer may neither count a vote on a hidden article nor learn that it
// exists from the answer.
func TestCustomerCannotVoteOnHiddenArticles(t *testing.T) {
	ctx := context.Background()
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{})
	require.NoError(t, err)
	hidden := article("hidden", kb.Internal, kb.Published, language.English, "Hidden", "text")
	require.NoError(t, k.Create(ctx, hidden))
	require.ErrorIs(t, k.Vote(ctx, hidden.ID, kb.Customer, true), kb.ErrNotFound)
	require.ErrorIs(t, k.Vote(ctx, hidden.ID, kb.Audience(0), true), kb.ErrInvalid)
	got, err := k.Get(ctx, hidden.ID)
	require.NoError(t, err)
	assert.Zero(t, got.Helpful)
	assert.Equal(t, hidden.Version, got.Version)
	require.NoError(t, k.Vote(ctx, hidden.ID, kb.Agent, false))
	got, err = k.Get(ctx, hidden.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(1), got.NotHelpful)
}

// Property: for random articles linking to each other, whatever a customer
// reads, votes on or searches for, every ID it gets back is of an existing
// published public article, and a hidden article's counters never move.
func TestCustomerGetsOnlyIDsOfVisibleArticles(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(21, 22))
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{})
	require.NoError(t, err)
	var all []*kb.Article
	for i := range 40 {
		v := []kb.Visibility{kb.Public, kb.Internal}[rng.IntN(2)]
		s := []kb.Status{kb.Draft, kb.Published, kb.Archived}[rng.IntN(3)]
		a := article(fmt.Sprintf("a-%d", i), v, s, language.English, "printer guide", "printer text")
		for range rng.IntN(6) {
			if len(all) > 0 {
				a.Related = append(a.Related, all[rng.IntN(len(all))].ID)
			}
		}
		if rng.IntN(4) == 0 {
			a.Related = append(a.Related, uuid.New())
		}
		require.NoError(t, k.Create(ctx, a))
		all = append(all, a)
	}
	visible := func(id uuid.UUID) bool {
		a, err := k.Get(ctx, id)
		return err == nil && a.Visibility == kb.Public && a.Status == kb.Published
	}
	for range 300 {
		a := all[rng.IntN(len(all))]
		before, err := k.Get(ctx, a.ID)
		require.NoError(t, err)
		var opErr error
		if rng.IntN(2) == 0 {
			var r *kb.Reading
			r, opErr = k.Read(ctx, a.ID, kb.Customer)
			if opErr == nil {
				for _, id := range r.Article.Related {
					require.True(t, visible(id), "Related of %s holds a hidden ID", a.Slug)
				}
			}
		} else {
			opErr = k.Vote(ctx, a.ID, kb.Customer, rng.IntN(2) == 0)
		}
		if visible(a.ID) {
			require.NoError(t, opErr)
			continue
		}
		require.ErrorIs(t, opErr, kb.ErrNotFound)
		after, err := k.Get(ctx, a.ID)
		require.NoError(t, err)
		require.Equal(t, before, after, "a customer changed hidden article %s", a.Slug)
	}
	res, err := k.Search(ctx, kb.Query{Text: "printer", Audience: kb.Customer, Limit: 100, Facets: true})
	require.NoError(t, err)
	for _, h := range res.Hits {
		require.True(t, visible(h.ArticleID))
	}
	require.Len(t, res.Hits, res.Total)
}
