package kb_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

var errStoreDown = errors.New("store down")

// gatedStore is a MemoryStore whose next Update, once armed, waits inside the
// write until released, then fails or commits. committed counts the updates
// that reached the store.
type gatedStore struct {
	*kb.MemoryStore
	armed     atomic.Bool
	entered   chan struct{}
	release   chan bool // true: commit, false: fail
	committed atomic.Int64
}

func newGatedStore() *gatedStore {
	return &gatedStore{MemoryStore: kb.NewMemoryStore(), entered: make(chan struct{}), release: make(chan bool)}
}

func (s *gatedStore) Update(ctx context.Context, a *kb.Article) error {
	if s.armed.CompareAndSwap(true, false) {
		s.entered <- struct{}{}
		if !<-s.release {
			return errStoreDown
		}
		err := s.MemoryStore.Update(ctx, a)
		if err == nil {
			s.committed.Add(1)
		}
		return err
	}
	return s.MemoryStore.Update(ctx, a)
}

// While an update that changes who may read an article waits in the store,
// and after it fails there, customers searching all the while find the
// article exactly when the committed article is public: an internal-to-public
// update shows only once stored, a public-to-internal (or archiving) update
// hides it from the moment the store write starts, and a failed write leaves
// what was stored.
func TestCustomersNeverSeeAnUncommittedVisibility(t *testing.T) {
	ctx := context.Background()
	store := newGatedStore()
	k, err := kb.New(store, kb.Config{})
	require.NoError(t, err)
	a := article("payroll", kb.Internal, kb.Published, language.English, "Payroll calendar", "payroll dates")
	require.NoError(t, k.Create(ctx, a))

	// public is what customers may see according to the store: set before
	// a widening commit is allowed, cleared before a narrowing write starts.
	var public atomic.Bool
	var wrong atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				before := public.Load()
				res, err := k.Search(ctx, kb.Query{Text: "payroll", Audience: kb.Customer})
				after := public.Load()
				if err != nil || len(res.Hits) > 0 && !before && !after {
					wrong.Add(1)
				}
			}
		})
	}
	found := func() bool {
		res, err := k.Search(ctx, kb.Query{Text: "payroll", Audience: kb.Customer})
		require.NoError(t, err)
		return len(res.Hits) > 0
	}
	change := func(v kb.Visibility, s kb.Status, commit bool) {
		next := a.Clone()
		next.Visibility, next.Status = v, s
		widens := v == kb.Public && s == kb.Published
		store.armed.Store(true)
		done := make(chan error, 1)
		go func() { done <- k.Update(ctx, next) }()
		<-store.entered
		if !widens {
			public.Store(false)
		}
		assert.False(t, found(), "found while %v/%v waits in the store", v, s)
		// What the store will hold once released.
		public.Store(commit && widens || !commit && a.Visibility == kb.Public && a.Status == kb.Published)
		store.release <- commit
		err := <-done
		if !commit {
			require.ErrorIs(t, err, errStoreDown)
			stored, err := k.Get(ctx, a.ID)
			require.NoError(t, err)
			require.Equal(t, a, stored, "a failed write leaves the stored article")
			assert.Equal(t, public.Load(), found(), "after a failed write to %v/%v", v, s)
			return
		}
		require.NoError(t, err)
		a = next
		assert.Equal(t, widens, found(), "after %v/%v is stored", v, s)
	}
	change(kb.Public, kb.Published, false)
	change(kb.Public, kb.Published, true)
	change(kb.Internal, kb.Published, false)
	change(kb.Internal, kb.Published, true)
	change(kb.Public, kb.Published, true)
	change(kb.Public, kb.Archived, false)
	change(kb.Public, kb.Archived, true)
	close(stop)
	wg.Wait()
	assert.Zero(t, wrong.Load(), "searches that saw an uncommitted visibility")
	assert.Equal(t, int64(4), store.committed.Load())
}

// When the index refuses an update that the store already committed, the
// stored article is restored, so the store and the index agree on the old
// article and customers never find what was rolled back.
func TestUpdateIndexedAfterTheStoreIsRestoredWhenIndexingFails(t *testing.T) {
	ctx := context.Background()
	k, _, ix := newFailingKB(t)
	a := article("payroll", kb.Internal, kb.Published, language.English, "Payroll calendar", "payroll dates")
	require.NoError(t, k.Create(ctx, a))
	require.NoError(t, k.Vote(ctx, a.ID, kb.Agent, true))
	a, err := k.Get(ctx, a.ID)
	require.NoError(t, err)

	ix.down.Store(true)
	open := a.Clone()
	open.Visibility = kb.Public
	open.Translations[language.English] = kb.Translation{Title: "Payroll calendar", Body: "payroll dates and salaries"}
	require.ErrorIs(t, k.Update(ctx, open), errIndexDown)
	assert.Equal(t, a.Version, open.Version, "the caller's article is not bumped")
	ix.down.Store(false)

	got, err := k.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, kb.Internal, got.Visibility)
	assert.Equal(t, a.Translations, got.Translations)
	assert.Equal(t, int64(1), got.Helpful, "counters survive the restore")
	assert.Empty(t, customerSlugs(t, k, "payroll"))
	assert.Empty(t, customerSlugs(t, k, "salaries"))

	open.Version = got.Version
	require.NoError(t, k.Update(ctx, open), "a retry from the stored version succeeds")
	assert.Equal(t, []string{"payroll"}, customerSlugs(t, k, "salaries"))
}

// conflictingStore reports every update as stale.
type conflictingStore struct {
	*kb.MemoryStore
	updates atomic.Int64
}

func (s *conflictingStore) Update(context.Context, *kb.Article) error {
	s.updates.Add(1)
	return kb.ErrConflict
}

// A store that keeps reporting conflicts used to make Read and Vote retry
// forever; they now give up with ErrConflict.
func TestCountersGiveUpOnEndlessConflicts(t *testing.T) {
	ctx := context.Background()
	store := &conflictingStore{MemoryStore: kb.NewMemoryStore()}
	k, err := kb.New(store, kb.Config{})
	require.NoError(t, err)
	a := article("a", kb.Public, kb.Published, language.English, "Printer", "printer")
	require.NoError(t, k.Create(ctx, a))
	_, err = k.Read(ctx, a.ID, kb.Customer)
	require.ErrorIs(t, err, kb.ErrConflict)
	require.ErrorIs(t, k.Vote(ctx, a.ID, kb.Customer, true), kb.ErrConflict)
	assert.Equal(t, int64(32), store.updates.Load())
}

// commitOnceStore commits the first update and reports every later one as
// stale.
type commitOnceStore struct {
	*kb.MemoryStore
	updates atomic.Int64
}

func (s *commitOnceStore) Update(ctx context.Context, a *kb.Article) error {
	if s.updates.Add(1) == 1 {
		return s.MemoryStore.Update(ctx, a)
	}
	return kb.ErrConflict
}

// Restoring an article after its indexing failed gives up after a bounded
// number of stale writes and reports both failures.
func TestRestoreGivesUpOnEndlessConflicts(t *testing.T) {
	ctx := context.Background()
	mem, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)
	ix := &failingIndex{MemoryIndex: mem}
	store := &commitOnceStore{MemoryStore: kb.NewMemoryStore()}
	k, err := kb.New(store, kb.Config{Index: ix})
	require.NoError(t, err)
	a := article("a", kb.Internal, kb.Published, language.English, "Printer", "printer")
	require.NoError(t, k.Create(ctx, a))
	ix.down.Store(true)
	open := a.Clone()
	open.Visibility = kb.Public
	err = k.Update(ctx, open)
	require.ErrorIs(t, err, errIndexDown)
	require.ErrorIs(t, err, kb.ErrConflict, "the failed restore is reported")
	assert.Equal(t, int64(17), store.updates.Load(), "one commit and 16 restore attempts")
}

// When the store refuses a narrowing update and putting the article back in
// the index fails too, the error reports both.
func TestFailedRollbackIsReported(t *testing.T) {
	ctx := context.Background()
	mem, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)
	ix := &failingIndex{MemoryIndex: mem}
	store := newGatedStore()
	k, err := kb.New(store, kb.Config{Index: ix})
	require.NoError(t, err)
	a := article("a", kb.Public, kb.Published, language.English, "Printer", "printer")
	require.NoError(t, k.Create(ctx, a))
	hide := a.Clone()
	hide.Visibility = kb.Internal
	store.armed.Store(true)
	done := make(chan error, 1)
	go func() { done <- k.Update(ctx, hide) }()
	<-store.entered
	ix.down.Store(true)
	store.release <- false
	err = <-done
	require.ErrorIs(t, err, errStoreDown)
	require.ErrorIs(t, err, errIndexDown)
	ix.down.Store(false)
	assert.Empty(t, customerSlugs(t, k, "printer"), "the index fails closed: withdrawn until reindexed")
	require.NoError(t, k.Reindex(ctx))
	assert.Equal(t, []string{"a"}, customerSlugs(t, k, "printer"))
}

// deleteFailingStore fails every Delete.
type deleteFailingStore struct {
	*kb.MemoryStore
}

func (deleteFailingStore) Delete(context.Context, uuid.UUID, int64) error { return errStoreDown }

// When indexing a new article fails and deleting it from the store again
// fails too, the error reports both.
func TestFailedCreateRollbackIsReported(t *testing.T) {
	ctx := context.Background()
	mem, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)
	ix := &failingIndex{MemoryIndex: mem}
	ix.down.Store(true)
	k, err := kb.New(deleteFailingStore{kb.NewMemoryStore()}, kb.Config{Index: ix})
	require.NoError(t, err)
	err = k.Create(ctx, article("a", kb.Public, kb.Published, language.English, "Printer", "printer"))
	require.ErrorIs(t, err, errIndexDown)
	require.ErrorIs(t, err, errStoreDown)
}

// A view counted between a failed indexing and the rollback of a Create does
// not keep the article in the store.
func TestCreateRollbackSurvivesAConcurrentView(t *testing.T) {
	ctx := context.Background()
	store := &viewOnDeleteStore{MemoryStore: kb.NewMemoryStore()}
	mem, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)
	ix := &failingIndex{MemoryIndex: mem}
	ix.down.Store(true)
	k, err := kb.New(store, kb.Config{Index: ix})
	require.NoError(t, err)
	store.kb = k
	a := article("a", kb.Public, kb.Published, language.English, "Printer", "printer")
	require.ErrorIs(t, k.Create(ctx, a), errIndexDown)
	_, err = store.GetBySlug(ctx, "", "a")
	require.ErrorIs(t, err, kb.ErrNotFound)
	assert.True(t, store.viewed.Load(), "a view was counted before the first delete")
}

// viewOnDeleteStore counts a view of the article through kb just before its
// first Delete, as a concurrent agent reader could (customer reads wait for
// the write to finish).
type viewOnDeleteStore struct {
	*kb.MemoryStore
	kb     *kb.KB
	viewed atomic.Bool
}

func (s *viewOnDeleteStore) Delete(ctx context.Context, id uuid.UUID, version int64) error {
	if s.viewed.CompareAndSwap(false, true) {
		if _, err := s.kb.Read(ctx, id, kb.Agent); err != nil {
			return err
		}
	}
	return s.MemoryStore.Delete(ctx, id, version)
}
