package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/kb"
)

// syncRetry is how long Sync waits before it reconnects after losing its connection.
const syncRetry = 500 * time.Millisecond

// Sync keeps ix, a search index of this process, in step with the tenant's articles that
// every process writes to the store, until ctx ends; articles of other tenants never reach
// ix (an index serves one tenant, like the KB over it); then it returns ctx.Err(). It listens for the
// notification each write sends when it commits, loads every stored article into ix, then
// applies each change as it is notified (reading the article as it is then, so that changes
// arriving out of order still end in the stored state). When its connection is lost it
// reconnects and loads every article again, deleting from ix those that vanished meanwhile,
// since notifications sent while it was away are lost. It holds one connection of the pool.
// An error of ix ends it with that error. Run it in a goroutine of its own, one per index.
func (s *ArticleStore) Sync(ctx context.Context, tenant string, ix kb.Index) error {
	known := map[uuid.UUID]bool{}
	for {
		err := s.syncOnce(ctx, tenant, ix, known)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var ie *indexError
		if errors.As(err, &ie) {
			return ie.err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(syncRetry):
		}
	}
}

// indexError is an error of the index Sync feeds, which ends Sync.
type indexError struct{ err error }

func (e *indexError) Error() string { return e.err.Error() }

// syncOnce loads every article into ix and then follows notifications until its connection
// fails or ctx ends.
func (s *ArticleStore) syncOnce(ctx context.Context, tenant string, ix kb.Index, known map[uuid.UUID]bool) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	defer conn.Conn().Close(context.Background()) // it listens: the pool must not hand it out again
	if _, err := conn.Exec(ctx, "LISTEN "+quote(s.channel)); err != nil {
		return err
	}
	all, err := s.List(ctx, tenant)
	if err != nil {
		return err
	}
	present := make(map[uuid.UUID]bool, len(all))
	for _, a := range all {
		if err := ix.Upsert(ctx, a); err != nil {
			return &indexError{fmt.Errorf("postgres: sync: index article %s: %w", a.ID, err)}
		}
		present[a.ID] = true
	}
	for id := range known {
		if !present[id] {
			if err := ix.Delete(ctx, id); err != nil {
				return &indexError{fmt.Errorf("postgres: sync: %w", err)}
			}
		}
	}
	clear(known)
	for id := range present {
		known[id] = true
	}
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			return err
		}
		op, text, _ := strings.Cut(n.Payload, ":")
		id, err := uuid.Parse(text)
		if err != nil {
			continue
		}
		if err := s.apply(ctx, tenant, ix, known, op, id); err != nil {
			return err
		}
	}
}

// apply brings one article of ix to its stored state; another tenant's article is none of
// its business (an article never changes tenant).
func (s *ArticleStore) apply(ctx context.Context, tenant string, ix kb.Index, known map[uuid.UUID]bool, op string, id uuid.UUID) error {
	var a *kb.Article
	if op == "u" {
		var err error
		a, err = s.Get(ctx, id)
		if err != nil && !errors.Is(err, kb.ErrNotFound) {
			return err
		}
		if a != nil && a.Tenant != tenant {
			return nil
		}
	}
	if a == nil && !known[id] {
		return nil
	}
	if a == nil {
		delete(known, id)
		if err := ix.Delete(ctx, id); err != nil {
			return &indexError{fmt.Errorf("postgres: sync: %w", err)}
		}
		return nil
	}
	known[id] = true
	if err := ix.Upsert(ctx, a); err != nil {
		return &indexError{fmt.Errorf("postgres: sync: index article %s: %w", a.ID, err)}
	}
	return nil
}
