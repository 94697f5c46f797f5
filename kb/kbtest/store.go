package kbtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// NewArticle returns a valid published public article with an English and
// a Russian translation, a fresh ID and the given slug.
func NewArticle(slug string) *kb.Article {
	return &kb.Article{
		ID:         uuid.Must(uuid.NewV7()),
		Slug:       slug,
		Category:   "account/password",
		Tags:       []string{"password"},
		Visibility: kb.Public,
		Status:     kb.Published,
		Translations: map[language.Tag]kb.Translation{
			language.English: {Title: "Reset your password", Body: "Open the sign-in page and choose Forgot password.", Keywords: []string{"reset"}},
			language.Russian: {Title: "Как сбросить пароль", Body: "Откройте страницу входа и нажмите «Забыли пароль?».", Keywords: []string{"сброс"}},
		},
	}
}

// TestStore runs the kb.Store contract against stores made by newStore,
// one fresh, empty store per subtest.
func TestStore(t *testing.T, newStore func(t *testing.T) kb.Store) {
	ctx := context.Background()
	t.Run("CreateThenGetReturnsACopy", func(t *testing.T) {
		s := newStore(t)
		a := NewArticle("reset-password")
		require.NoError(t, s.Create(ctx, a))
		assert.Equal(t, int64(1), a.Version)
		got, err := s.Get(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, a.Slug, got.Slug)
		assert.Equal(t, a.Translations, got.Translations)
		got.Translations[language.English] = kb.Translation{Title: "changed"}
		got.Tags[0] = "changed"
		again, err := s.Get(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, "Reset your password", again.Translations[language.English].Title)
		assert.Equal(t, "password", again.Tags[0])
	})
	t.Run("CallerChangesAfterCreateDoNotLeakIn", func(t *testing.T) {
		s := newStore(t)
		a := NewArticle("leak")
		require.NoError(t, s.Create(ctx, a))
		a.Tags[0] = "changed"
		got, err := s.Get(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, "password", got.Tags[0])
	})
	t.Run("GetMissingReturnsErrNotFound", func(t *testing.T) {
		s := newStore(t)
		_, err := s.Get(ctx, uuid.Must(uuid.NewV7()))
		assert.ErrorIs(t, err, kb.ErrNotFound)
		_, err = s.GetBySlug(ctx, "", "nothing")
		assert.ErrorIs(t, err, kb.ErrNotFound)
	})
	t.Run("GetBySlugFindsTheArticle", func(t *testing.T) {
		s := newStore(t)
		a := NewArticle("by-slug")
		require.NoError(t, s.Create(ctx, a))
		got, err := s.GetBySlug(ctx, "", "by-slug")
		require.NoError(t, err)
		assert.Equal(t, a.ID, got.ID)
	})
	t.Run("DuplicateIDOrSlugReturnsErrDuplicate", func(t *testing.T) {
		s := newStore(t)
		a := NewArticle("dup")
		require.NoError(t, s.Create(ctx, a))
		b := NewArticle("dup")
		assert.ErrorIs(t, s.Create(ctx, b), kb.ErrDuplicate)
		c := NewArticle("other")
		c.ID = a.ID
		assert.ErrorIs(t, s.Create(ctx, c), kb.ErrDuplicate)
		_, err := s.GetBySlug(ctx, "", "other")
		assert.ErrorIs(t, err, kb.ErrNotFound, "a failed create must not half-apply")
	})
	t.Run("UpdateBumpsVersion", func(t *testing.T) {
		s := newStore(t)
		a := NewArticle("update")
		require.NoError(t, s.Create(ctx, a))
		a.Slug = "update-renamed"
		require.NoError(t, s.Update(ctx, a))
		assert.Equal(t, int64(2), a.Version)
		got, err := s.GetBySlug(ctx, "", "update-renamed")
		require.NoError(t, err)
		assert.Equal(t, int64(2), got.Version)
		_, err = s.GetBySlug(ctx, "", "update")
		assert.ErrorIs(t, err, kb.ErrNotFound, "the old slug is released")
	})
	t.Run("UpdateWithStaleVersionReturnsErrConflict", func(t *testing.T) {
		s := newStore(t)
		a := NewArticle("stale")
		require.NoError(t, s.Create(ctx, a))
		stale := a.Clone()
		require.NoError(t, s.Update(ctx, a))
		stale.Slug = "stale-write"
		assert.ErrorIs(t, s.Update(ctx, stale), kb.ErrConflict)
		got, err := s.Get(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, "stale", got.Slug)
	})
	t.Run("UpdateMissingReturnsErrNotFound", func(t *testing.T) {
		s := newStore(t)
		a := NewArticle("missing")
		a.Version = 1
		assert.ErrorIs(t, s.Update(ctx, a), kb.ErrNotFound)
	})
	t.Run("UpdateToTakenSlugReturnsErrDuplicate", func(t *testing.T) {
		s := newStore(t)
		a, b := NewArticle("a"), NewArticle("b")
		require.NoError(t, s.Create(ctx, a))
		require.NoError(t, s.Create(ctx, b))
		b.Slug = "a"
		assert.ErrorIs(t, s.Update(ctx, b), kb.ErrDuplicate)
		got, err := s.GetBySlug(ctx, "", "a")
		require.NoError(t, err)
		assert.Equal(t, a.ID, got.ID)
	})
	t.Run("DeleteChecksVersion", func(t *testing.T) {
		s := newStore(t)
		a := NewArticle("delete")
		require.NoError(t, s.Create(ctx, a))
		assert.ErrorIs(t, s.Delete(ctx, a.ID, 7), kb.ErrConflict)
		require.NoError(t, s.Delete(ctx, a.ID, a.Version))
		_, err := s.Get(ctx, a.ID)
		assert.ErrorIs(t, err, kb.ErrNotFound)
		assert.ErrorIs(t, s.Delete(ctx, a.ID, a.Version), kb.ErrNotFound)
		require.NoError(t, s.Create(ctx, NewArticle("delete")), "a deleted slug can be reused")
	})
	t.Run("UpdateCopiesWhatItIsGiven", func(t *testing.T) {
		s := newStore(t)
		a := NewArticle("update-copy")
		require.NoError(t, s.Create(ctx, a))
		a.Tags = []string{"updated"}
		require.NoError(t, s.Update(ctx, a))
		a.Tags[0] = "changed"
		a.Translations[language.English] = kb.Translation{Title: "changed"}
		got, err := s.Get(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, []string{"updated"}, got.Tags)
		assert.Equal(t, "Reset your password", got.Translations[language.English].Title)
	})
	t.Run("ListReturnsAllOrderedByID", func(t *testing.T) {
		s := newStore(t)
		var want []uuid.UUID
		for i := range 20 {
			a := NewArticle(fmt.Sprintf("list-%d", i))
			a.ID = uuid.New() // random, so creation order is not ID order
			require.NoError(t, s.Create(ctx, a))
			want = append(want, a.ID)
		}
		slices.SortFunc(want, func(x, y uuid.UUID) int { return bytes.Compare(x[:], y[:]) })
		all, err := s.List(ctx, "")
		require.NoError(t, err)
		got := make([]uuid.UUID, 0, len(all))
		for _, a := range all {
			got = append(got, a.ID)
		}
		assert.Equal(t, want, got)
	})
	t.Run("ConcurrentUpdatesNeverLoseOne", func(t *testing.T) {
		s := newStore(t)
		a := NewArticle("counter")
		require.NoError(t, s.Create(ctx, a))
		const workers, each = 8, 20
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range each {
					for {
						cur, err := s.Get(ctx, a.ID)
						if !assert.NoError(t, err) {
							return
						}
						cur.Views++
						err = s.Update(ctx, cur)
						if err == nil {
							break
						}
						if !errors.Is(err, kb.ErrConflict) {
							assert.NoError(t, err)
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		got, err := s.Get(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(workers*each), got.Views)
		assert.Equal(t, int64(1+workers*each), got.Version)
	})
	t.Run("CanceledContextReturnsItsErrorAndChangesNothing", func(t *testing.T) {
		s := newStore(t)
		a := NewArticle("kept")
		require.NoError(t, s.Create(ctx, a))
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		assert.ErrorIs(t, s.Create(cctx, NewArticle("canceled")), context.Canceled, "Create")
		_, err := s.Get(cctx, a.ID)
		assert.ErrorIs(t, err, context.Canceled, "Get")
		_, err = s.GetBySlug(cctx, "", a.Slug)
		assert.ErrorIs(t, err, context.Canceled, "GetBySlug")
		changed := a.Clone()
		changed.Slug = "changed"
		assert.ErrorIs(t, s.Update(cctx, changed), context.Canceled, "Update")
		assert.ErrorIs(t, s.Delete(cctx, a.ID, a.Version), context.Canceled, "Delete")
		_, err = s.List(cctx, "")
		assert.ErrorIs(t, err, context.Canceled, "List")
		all, err := s.List(ctx, "")
		require.NoError(t, err)
		require.Len(t, all, 1)
		assert.Equal(t, "kept", all[0].Slug)
		assert.Equal(t, a.Version, all[0].Version)
	})
	testTenants(t, newStore)
}
