package kb

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/google/uuid"
)

// Store keeps articles. Implementations must be safe for concurrent use, must
// copy what they are given and what they return (callers may change the
// articles afterwards), and must never lose an update: writes are checked
// against the article's Version. Every method returns the context's error,
// and changes nothing, when ctx is done before it starts. kbtest.TestStore
// checks an implementation.
//
// Tenants: every article belongs to one tenant (Article.Tenant, "" the
// default one), which never changes once it is created. Slugs are unique
// within a tenant: two tenants may each have an article "reset-password".
// GetBySlug and List name the tenant and only ever return its articles.
// Article IDs are unique across tenants, so Get and Delete address one
// article directly; a KB checks the Tenant of what Get returns and treats
// another tenant's article as missing.
type Store interface {
	// Create stores a new article in the tenant a.Tenant with Version 1 and
	// sets a.Version to 1. It returns ErrDuplicate when the ID is taken (in
	// any tenant) or the slug is taken in a.Tenant.
	Create(ctx context.Context, a *Article) error
	// Get returns the article, of whatever tenant, or ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (*Article, error)
	// GetBySlug returns the tenant's article with this slug, or ErrNotFound
	// (also when only another tenant has that slug).
	GetBySlug(ctx context.Context, tenant, slug string) (*Article, error)
	// Update replaces the stored article whose ID, Tenant and Version equal
	// a's and sets a.Version to the stored Version plus one. It returns
	// ErrNotFound when the tenant a.Tenant has no article a.ID (an article
	// never moves to another tenant), ErrConflict when a.Version is stale,
	// and ErrDuplicate when the new slug belongs to another article of the
	// tenant; on error nothing changes.
	Update(ctx context.Context, a *Article) error
	// Delete removes the article if its stored Version equals version. It
	// returns ErrNotFound or ErrConflict otherwise.
	Delete(ctx context.Context, id uuid.UUID, version int64) error
	// List returns all the tenant's articles ordered by ID.
	List(ctx context.Context, tenant string) ([]*Article, error)
}

// MemoryStore is the in-memory Store. The zero value is an empty store,
// like NewMemoryStore's. It is safe for concurrent use.
type MemoryStore struct {
	mu     sync.RWMutex
	byID   map[uuid.UUID]*Article
	bySlug map[string]uuid.UUID // slugKey(tenant, slug) -> ID
}

// slugKey scopes a slug to its tenant; a tenant holds no NUL (Validate), so
// the first NUL ends it.
func slugKey(tenant, slug string) string { return tenant + "\x00" + slug }

// NewMemoryStore returns an empty in-memory Store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{byID: make(map[uuid.UUID]*Article), bySlug: make(map[string]uuid.UUID)}
}

// Create implements Store.
func (s *MemoryStore) Create(ctx context.Context, a *Article) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if a == nil {
		return invalid("article", "nil")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byID == nil {
		s.byID, s.bySlug = make(map[uuid.UUID]*Article), make(map[string]uuid.UUID)
	}
	if _, ok := s.byID[a.ID]; ok {
		return ErrDuplicate
	}
	if _, ok := s.bySlug[slugKey(a.Tenant, a.Slug)]; ok {
		return ErrDuplicate
	}
	a.Version = 1
	s.byID[a.ID] = a.Clone()
	s.bySlug[slugKey(a.Tenant, a.Slug)] = a.ID
	return nil
}

// Get implements Store.
func (s *MemoryStore) Get(ctx context.Context, id uuid.UUID) (*Article, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.byID[id]
	if !ok {
		return nil, ErrNotFound
	}
	return a.Clone(), nil
}

// GetBySlug implements Store.
func (s *MemoryStore) GetBySlug(ctx context.Context, tenant, slug string) (*Article, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.bySlug[slugKey(tenant, slug)]
	if !ok {
		return nil, ErrNotFound
	}
	return s.byID[id].Clone(), nil
}

// Update implements Store.
func (s *MemoryStore) Update(ctx context.Context, a *Article) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if a == nil {
		return invalid("article", "nil")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.byID[a.ID]
	if !ok || old.Tenant != a.Tenant {
		return ErrNotFound
	}
	if old.Version != a.Version {
		return ErrConflict
	}
	if id, ok := s.bySlug[slugKey(a.Tenant, a.Slug)]; ok && id != a.ID {
		return ErrDuplicate
	}
	delete(s.bySlug, slugKey(old.Tenant, old.Slug))
	a.Version++
	s.byID[a.ID] = a.Clone()
	s.bySlug[slugKey(a.Tenant, a.Slug)] = a.ID
	return nil
}

// Delete implements Store.
func (s *MemoryStore) Delete(ctx context.Context, id uuid.UUID, version int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.byID[id]
	if !ok {
		return ErrNotFound
	}
	if old.Version != version {
		return ErrConflict
	}
	delete(s.byID, id)
	delete(s.bySlug, slugKey(old.Tenant, old.Slug))
	return nil
}

// List implements Store. It walks every article of every tenant.
func (s *MemoryStore) List(ctx context.Context, tenant string) ([]*Article, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	out := []*Article{}
	for _, a := range s.byID {
		if a.Tenant == tenant {
			out = append(out, a.Clone())
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(x, y *Article) int { return cmp.Compare(x.ID.String(), y.ID.String()) })
	return out, nil
}
