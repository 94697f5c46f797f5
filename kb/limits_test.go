package kb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// Property: an article is accepted exactly when the text the index would
// analyse (each translation with the tags, plus slug and category) is within
// MaxArticleBytes, however it is split between translations and tags; a
// rejected Create leaves nothing behind. (Indexing 4 MiB of repeated
// letters takes seconds, so accepted articles are only validated.)
func TestArticleTextIsBoundedAcrossTranslationsAndTags(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(31, 32))
	store := kb.NewMemoryStore()
	k, err := kb.New(store, kb.Config{})
	require.NoError(t, err)
	langs := []language.Tag{language.English, language.Russian, language.German, language.French, language.Spanish}
	accepted, rejected := 0, 0
	for i := range 30 {
		a := &kb.Article{ID: uuid.New(), Slug: fmt.Sprintf("a-%d", i), Category: "c", Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{}}
		tags := rng.IntN(3) * (kb.MaxArticleBytes / 8)
		if tags > 0 {
			a.Tags = []string{strings.Repeat("t", tags)}
		}
		body := rng.IntN(kb.MaxArticleBytes / 2)
		total := len(a.Slug) + len(a.Category)
		for _, lang := range langs[:1+rng.IntN(len(langs))] {
			a.Translations[lang] = kb.Translation{Title: "Title", Body: strings.Repeat("b", body), Keywords: []string{"kw"}}
			total += len("Title") + body + len("kw") + tags
		}
		if total <= kb.MaxArticleBytes {
			require.NoError(t, a.Validate(), "%d bytes", total)
			accepted++
			continue
		}
		require.ErrorIs(t, a.Validate(), kb.ErrInvalid, "%d bytes", total)
		require.ErrorIs(t, k.Create(ctx, a), kb.ErrInvalid, "%d bytes", total)
		_, err = store.GetBySlug(ctx, "", a.Slug)
		require.ErrorIs(t, err, kb.ErrNotFound)
		rejected++
	}
	require.Positive(t, accepted)
	require.Positive(t, rejected)
}

func TestRelatedAndQueryFiltersAreBounded(t *testing.T) {
	ctx := context.Background()
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{})
	require.NoError(t, err)
	a := article("a", kb.Public, kb.Published, language.English, "Title", "body")
	for range kb.MaxRelated + 1 {
		a.Related = append(a.Related, uuid.New())
	}
	require.ErrorIs(t, k.Create(ctx, a), kb.ErrInvalid)
	a.Related = a.Related[:kb.MaxRelated]
	require.NoError(t, k.Create(ctx, a))

	q := kb.Query{Text: "title", Audience: kb.Agent}
	for range kb.MaxQueryFilters {
		q.Tags = append(q.Tags, "t")
		q.Statuses = append(q.Statuses, kb.Published)
	}
	_, err = k.Search(ctx, q)
	require.NoError(t, err)
	for _, grow := range []func(*kb.Query){
		func(q *kb.Query) { q.Tags = append(q.Tags, "t") },
		func(q *kb.Query) { q.Statuses = append(q.Statuses, kb.Published) },
		func(q *kb.Query) {
			for range kb.MaxQueryFilters + 1 {
				q.Visibilities = append(q.Visibilities, kb.Public)
			}
		},
	} {
		big := q
		big.Tags, big.Statuses = append([]string(nil), q.Tags...), append([]kb.Status(nil), q.Statuses...)
		grow(&big)
		_, err := k.Search(ctx, big)
		assert.ErrorIs(t, err, kb.ErrInvalid)
	}
}

// Tags are indexed with every translation, so they count once per
// translation: tags a quarter of the limit long fit an article with four
// translations but not one with five.
func TestArticleTagsCountOncePerTranslation(t *testing.T) {
	langs := []language.Tag{language.English, language.Russian, language.German, language.French, language.Spanish}
	tag := strings.Repeat("t", kb.MaxArticleBytes/4-64)
	for n := 1; n <= len(langs); n++ {
		a := &kb.Article{ID: uuid.New(), Slug: "a", Visibility: kb.Public, Status: kb.Published,
			Tags: []string{tag}, Translations: map[language.Tag]kb.Translation{}}
		for _, lang := range langs[:n] {
			a.Translations[lang] = kb.Translation{Title: "Title"}
		}
		if n <= 4 {
			assert.NoError(t, a.Validate(), "%d translations", n)
		} else {
			assert.ErrorIs(t, a.Validate(), kb.ErrInvalid, "%d translations", n)
		}
	}
}
