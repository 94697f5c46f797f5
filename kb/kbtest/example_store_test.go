package kbtest_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/kb/kbtest"
)

// countingStore is a host's kb.Store: it keeps articles in a kb.MemoryStore and counts the
// writes that succeed, as a store that feeds an audit log might. It must keep the contract
// documented on kb.Store; kbtest.TestStore checks it.
type countingStore struct {
	*kb.MemoryStore
	writes atomic.Int64
}

func (s *countingStore) Create(ctx context.Context, a *kb.Article) error {
	err := s.MemoryStore.Create(ctx, a)
	if err == nil {
		s.writes.Add(1)
	}
	return err
}

func (s *countingStore) Update(ctx context.Context, a *kb.Article) error {
	err := s.MemoryStore.Update(ctx, a)
	if err == nil {
		s.writes.Add(1)
	}
	return err
}

// The conformance suite runs against the store in an ordinary test:
//
//	func TestCountingStore(t *testing.T) {
//		kbtest.TestStore(t, func(*testing.T) kb.Store {
//			return &countingStore{MemoryStore: kb.NewMemoryStore()}
//		})
//	}
//
// Some of what it checks, with NewArticle's ready-made article: a second article with a
// taken slug is refused, and so is an update from a stale copy; neither counts as a write.
func Example() {
	ctx := context.Background()
	s := &countingStore{MemoryStore: kb.NewMemoryStore()}

	a := kbtest.NewArticle("reset-password")
	if err := s.Create(ctx, a); err != nil {
		panic(err)
	}
	fmt.Println("created, version", a.Version)

	err := s.Create(ctx, kbtest.NewArticle("reset-password"))
	fmt.Println("same slug is a duplicate:", errors.Is(err, kb.ErrDuplicate))

	stale := *a
	a.Tags = append(a.Tags, "sign-in")
	if err := s.Update(ctx, a); err != nil {
		panic(err)
	}
	err = s.Update(ctx, &stale)
	fmt.Println("stale copy conflicts:", errors.Is(err, kb.ErrConflict))
	fmt.Println("writes:", s.writes.Load(), "version", a.Version)
	// Output:
	// created, version 1
	// same slug is a duplicate: true
	// stale copy conflicts: true
	// writes: 2 version 2
}
