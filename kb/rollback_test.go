package kb_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

var errIndexDown = errors.New("index down")

// failingIndex is a MemoryIndex whose writes fail while down is set.
type failingIndex struct {
	*kb.MemoryIndex
	down atomic.Bool
}

func (f *failingIndex) Upsert(ctx context.Context, a *kb.Article) error {
	if f.down.Load() {
		return errIndexDown
	}
	return f.MemoryIndex.Upsert(ctx, a)
}

func (f *failingIndex) Delete(ctx context.Context, id uuid.UUID) error {
	if f.down.Load() {
		return errIndexDown
	}
	return f.MemoryIndex.Delete(ctx, id)
}

func newFailingKB(t *testing.T) (*kb.KB, kb.Store, *failingIndex) {
	t.Helper()
	mem, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)
	ix := &failingIndex{MemoryIndex: mem}
	store := kb.NewMemoryStore()
	k, err := kb.New(store, kb.Config{Index: ix})
	require.NoError(t, err)
	return k, store, ix
}

func customerSlugs(t *testing.T, k *kb.KB, text string) []string {
	t.Helper()
	res, err := k.Search(context.Background(), kb.Query{Text: text, Audience: kb.Customer})
	require.NoError(t, err)
	slugs := []string{}
	for _, h := range res.Hits {
		slugs = append(slugs, h.Slug)
	}
	return slugs
}

// A write whose index half fails leaves the store as it was, so a retry with
// the same input succeeds and customers see what the store says.
func TestWritesAreAllOrNothingWhenTheIndexFails(t *testing.T) {
	ctx := context.Background()
	k, store, ix := newFailingKB(t)
	newArticle := func() *kb.Article {
		return &kb.Article{Slug: "salaries", Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.English: {Title: "Salary table", Body: "salary"}}}
	}

	ix.down.Store(true)
	a := newArticle()
	require.ErrorIs(t, k.Create(ctx, a), errIndexDown)
	list, err := store.List(ctx, "")
	require.NoError(t, err)
	require.Empty(t, list, "a failed create leaves nothing in the store")
	ix.down.Store(false)
	a = newArticle()
	require.NoError(t, k.Create(ctx, a), "the retry finds no duplicate")

	ix.down.Store(true)
	hide := a.Clone()
	hide.Visibility = kb.Internal
	require.ErrorIs(t, k.Update(ctx, hide), errIndexDown)
	got, err := k.Get(ctx, a.ID)
	require.NoError(t, err)
	require.Equal(t, kb.Public, got.Visibility, "a failed update leaves the stored article")
	require.Equal(t, a.Version, got.Version)
	ix.down.Store(false)
	require.Equal(t, []string{"salaries"}, customerSlugs(t, k, "salary"))
	require.NoError(t, k.Update(ctx, hide), "the retry has the right version")
	require.Empty(t, customerSlugs(t, k, "salary"))

	ix.down.Store(true)
	require.ErrorIs(t, k.Delete(ctx, a.ID, hide.Version), errIndexDown)
	_, err = k.Get(ctx, a.ID)
	require.NoError(t, err, "a failed delete leaves the stored article")
	ix.down.Store(false)
	require.NoError(t, k.Delete(ctx, a.ID, hide.Version))
	_, err = k.Get(ctx, a.ID)
	require.ErrorIs(t, err, kb.ErrNotFound)
}

// When the store rejects an update after the index took it, the index goes
// back to the stored article.
func TestRejectedUpdateLeavesTheIndexAsStored(t *testing.T) {
	ctx := context.Background()
	k, _, _ := newFailingKB(t)
	mk := func(slug, title string) *kb.Article {
		a := &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.English: {Title: title, Body: "text"}}}
		require.NoError(t, k.Create(ctx, a))
		return a
	}
	first := mk("first", "Printer setup")
	mk("second", "Scanner setup")
	taken := first.Clone()
	taken.Slug = "second"
	taken.Translations[language.English] = kb.Translation{Title: "Confidential roadmap", Body: "text"}
	require.ErrorIs(t, k.Update(ctx, taken), kb.ErrDuplicate)
	require.Empty(t, customerSlugs(t, k, "roadmap"))
	require.Equal(t, []string{"first"}, customerSlugs(t, k, "printer"))
	require.ErrorIs(t, k.Delete(ctx, first.ID, first.Version+1), kb.ErrConflict)
	require.Equal(t, []string{"first"}, customerSlugs(t, k, "printer"))
}
