package kbtest_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/kb/kbtest"
)

// brokenEnv names the broken implementation a child test process runs the
// suites against.
const brokenEnv = "KBTEST_BROKEN"

// mustFail runs test in a child process with brokenEnv set to broken and
// requires it to fail in each of the named subtests.
func mustFail(t *testing.T, test, broken string, subtests ...string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), brokenEnv+"="+broken)
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the suite accepts %s:\n%s", broken, out)
	for _, name := range subtests {
		require.Contains(t, string(out), "--- FAIL: "+test+"/"+name+" ", "%s:\n%s", broken, out)
	}
}

// leakyIndex hides hidden hits from customers but counts Total, Facets and
// DidYouMean over every article.
type leakyIndex struct{ *kb.MemoryIndex }

func (l leakyIndex) Search(ctx context.Context, q kb.Query) (*kb.Results, error) {
	res, err := l.MemoryIndex.Search(ctx, q)
	if err != nil || q.Audience != kb.Customer {
		return res, err
	}
	all := q
	all.Audience, all.Facets = kb.Agent, true
	all.Statuses, all.Visibilities = []kb.Status{kb.Draft, kb.Published, kb.Archived}, nil
	full, err := l.MemoryIndex.Search(ctx, all)
	if err != nil {
		return nil, err
	}
	res.Total, res.Facets, res.DidYouMean = full.Total, full.Facets, full.DidYouMean
	return res, nil
}

func TestIndexSuiteRejectsHiddenCounts(t *testing.T) {
	if os.Getenv(brokenEnv) == "leaky-index" {
		kbtest.TestIndex(t, func(t *testing.T) kb.Index {
			ix, err := kb.NewMemoryIndex(kb.IndexConfig{})
			require.NoError(t, err)
			return leakyIndex{ix}
		})
		return
	}
	mustFail(t, "TestIndexSuiteRejectsHiddenCounts", "leaky-index", "CustomerCountsIgnoreHiddenArticles")
}

// notedLearner learns the internal notes too.
type notedLearner struct{ *kb.MemoryIndex }

func (n notedLearner) Learn(ctx context.Context, r kb.Resolution) error {
	r.Public = append(r.Public, r.Notes...)
	return n.MemoryIndex.Learn(ctx, r)
}

func TestIndexSuiteRejectsLearnedNotes(t *testing.T) {
	if os.Getenv(brokenEnv) == "noted-learner" {
		kbtest.TestIndex(t, func(t *testing.T) kb.Index {
			ix, err := kb.NewMemoryIndex(kb.IndexConfig{})
			require.NoError(t, err)
			return notedLearner{ix}
		})
		return
	}
	mustFail(t, "TestIndexSuiteRejectsLearnedNotes", "noted-learner", "LearnerKeepsNotesAndInternalTicketsFromCustomers")
}

// lazyForgetter says it forgets but keeps every word.
type lazyForgetter struct{ *kb.MemoryIndex }

func (l lazyForgetter) Forget(ctx context.Context, tickets ...uuid.UUID) ([]uuid.UUID, error) {
	var out []uuid.UUID
	for _, t := range tickets {
		if a, ok := l.LearnedArticle(t); ok && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out, nil
}

func TestIndexSuiteRejectsAForgetterThatKeepsWords(t *testing.T) {
	if os.Getenv(brokenEnv) == "lazy-forgetter" {
		kbtest.TestIndex(t, func(t *testing.T) kb.Index {
			ix, err := kb.NewMemoryIndex(kb.IndexConfig{})
			require.NoError(t, err)
			return lazyForgetter{ix}
		})
		return
	}
	mustFail(t, "TestIndexSuiteRejectsAForgetterThatKeepsWords", "lazy-forgetter", "ForgetterLeavesWhatTheOtherTicketsTaught")
}

// sloppyStore wraps a MemoryStore and breaks one rule of the Store
// contract.
type sloppyStore struct {
	*kb.MemoryStore
	broken string
	mu     sync.Mutex
	given  map[uuid.UUID]*kb.Article
}

func (s *sloppyStore) Update(ctx context.Context, a *kb.Article) error {
	if err := s.MemoryStore.Update(ctx, a); err != nil || s.broken != "keeps-pointer" {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.given[a.ID] = a
	return nil
}

func (s *sloppyStore) Get(ctx context.Context, id uuid.UUID) (*kb.Article, error) {
	s.mu.Lock()
	a, ok := s.given[id]
	s.mu.Unlock()
	if ok {
		return a, nil
	}
	return s.MemoryStore.Get(context.WithoutCancel(ctx), id)
}

func (s *sloppyStore) List(ctx context.Context, tenant string) ([]*kb.Article, error) {
	if s.broken == "all-tenants-list" {
		return s.everyTenant(ctx)
	}
	all, err := s.MemoryStore.List(ctx, tenant)
	if err == nil && s.broken == "unordered" {
		slices.Reverse(all)
	}
	return all, err
}

// suiteTenants are the tenants the suite writes to.
var suiteTenants = []string{"", "acme", "globex", "initech"}

// everyTenant lists the articles of every tenant the suite uses, by ID.
func (s *sloppyStore) everyTenant(ctx context.Context) ([]*kb.Article, error) {
	var out []*kb.Article
	for _, tenant := range suiteTenants {
		all, err := s.MemoryStore.List(ctx, tenant)
		if err != nil {
			return nil, err
		}
		out = append(out, all...)
	}
	slices.SortFunc(out, func(x, y *kb.Article) int { return bytes.Compare(x.ID[:], y.ID[:]) })
	return out, nil
}

func (s *sloppyStore) GetBySlug(ctx context.Context, tenant, slug string) (*kb.Article, error) {
	a, err := s.MemoryStore.GetBySlug(ctx, tenant, slug)
	if s.broken != "global-slugs" || !errors.Is(err, kb.ErrNotFound) {
		return a, err
	}
	for _, other := range suiteTenants {
		if a, err := s.MemoryStore.GetBySlug(ctx, other, slug); err == nil {
			return a, nil
		}
	}
	return nil, kb.ErrNotFound
}

func TestStoreSuiteRejectsSloppyStores(t *testing.T) {
	if broken := os.Getenv(brokenEnv); broken != "" {
		kbtest.TestStore(t, func(t *testing.T) kb.Store {
			return &sloppyStore{MemoryStore: kb.NewMemoryStore(), broken: broken, given: map[uuid.UUID]*kb.Article{}}
		})
		return
	}
	const test = "TestStoreSuiteRejectsSloppyStores"
	mustFail(t, test, "keeps-pointer", "UpdateCopiesWhatItIsGiven")
	mustFail(t, test, "unordered", "ListReturnsAllOrderedByID")
	mustFail(t, test, "all-tenants-list", "ListReturnsOnlyTheTenantsArticles", "KBsOfTenantsOverOneStoreNeverMeet")
	mustFail(t, test, "global-slugs", "SlugsArePerTenant")
	// Get of every variant ignores cancellation.
	mustFail(t, test, "ignores-cancel", "CanceledContextReturnsItsErrorAndChangesNothing")
}

func TestMemoryImplementationsPassTheSuites(t *testing.T) {
	if os.Getenv(brokenEnv) != "" {
		t.Skip("child process")
	}
	kbtest.TestStore(t, func(t *testing.T) kb.Store { return kb.NewMemoryStore() })
}
