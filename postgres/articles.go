package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/supportkit/supportkit/kb"
)

// ArticleStore is a kb.Store on PostgreSQL: an article is a row with its tenant, slug (unique
// within the tenant) and version as columns and the whole article as jsonb. It is safe for concurrent use by many
// goroutines and processes; every write is one statement, guarded by the version, sent in one
// round trip with a notification that Sync receives when the write commits. A write of an
// article with a text that is not valid UTF-8 or holds a NUL byte, which PostgreSQL cannot
// store as it is, gives an error wrapping kb.ErrInvalid; a lookup by such a text finds nothing.
type ArticleStore struct {
	pool    *pgxpool.Pool
	schema  string
	channel string
}

var _ kb.Store = (*ArticleStore)(nil)

// NewArticleStore returns a store over the tables Migrate made in cfg.Schema (only Schema is
// used). It does no I/O.
func NewArticleStore(pool *pgxpool.Pool, cfg Config) (*ArticleStore, error) {
	if pool == nil {
		return nil, fmt.Errorf("%w: nil pool", ErrInvalid)
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &ArticleStore{pool: pool, schema: quote(cfg.Schema), channel: "skkb_" + cfg.Schema}, nil
}

// Create implements kb.Store.
func (s *ArticleStore) Create(ctx context.Context, a *kb.Article) error {
	if a == nil {
		return fmt.Errorf("postgres: %w: nil article", kb.ErrInvalid)
	}
	if err := storableArticle(a); err != nil {
		return err
	}
	c := a.Clone()
	c.Version = 1
	data, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("postgres: article: %w", err)
	}
	b := &pgx.Batch{}
	b.Queue("INSERT INTO "+s.schema+".articles (id, tenant, slug, version, data) VALUES ($1, $2, $3, 1, $4)", c.ID, c.Tenant, c.Slug, data)
	s.queueNotify(b, "u", c.ID)
	if err := runBatch(ctx, s.pool, b); err != nil {
		return articleError(ctx, "create article", err)
	}
	a.Version = 1
	return nil
}

// Get implements kb.Store.
func (s *ArticleStore) Get(ctx context.Context, id uuid.UUID) (*kb.Article, error) {
	return s.one(ctx, "WHERE id = $1", id)
}

// GetBySlug implements kb.Store.
func (s *ArticleStore) GetBySlug(ctx context.Context, tenant, slug string) (*kb.Article, error) {
	if storable(tenant) != nil || storable(slug) != nil {
		return nil, orErr(ctx.Err(), kb.ErrNotFound) // no stored article has it
	}
	return s.one(ctx, "WHERE tenant = $1 AND slug = $2", tenant, slug)
}

func (s *ArticleStore) one(ctx context.Context, where string, args ...any) (*kb.Article, error) {
	var version int64
	var data []byte
	err := s.pool.QueryRow(ctx, "SELECT version, data FROM "+s.schema+".articles "+where, args...).Scan(&version, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, kb.ErrNotFound
	}
	if err != nil {
		return nil, wrap(ctx, "read article", err)
	}
	return decodeArticle(version, data)
}

// Update implements kb.Store.
func (s *ArticleStore) Update(ctx context.Context, a *kb.Article) error {
	if a == nil {
		return fmt.Errorf("postgres: %w: nil article", kb.ErrInvalid)
	}
	if err := storableArticle(a); err != nil {
		return err
	}
	c := a.Clone()
	c.Version++
	data, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("postgres: article: %w", err)
	}
	b := &pgx.Batch{}
	b.Queue(`WITH u AS (UPDATE `+s.schema+`.articles SET slug = $3, version = version + 1, data = $4
			WHERE id = $1 AND tenant = $5 AND version = $2 RETURNING version)
		SELECT CASE WHEN EXISTS (SELECT 1 FROM u) THEN (SELECT version FROM u)
			WHEN EXISTS (SELECT 1 FROM `+s.schema+`.articles WHERE id = $1 AND tenant = $5) THEN `+s.schema+`.fail('`+codeConflict+`', 'stale version')
			ELSE `+s.schema+`.fail('`+codeNotFound+`', 'no such article') END`, a.ID, a.Version, a.Slug, data, a.Tenant)
	s.queueNotify(b, "u", a.ID)
	if err := runBatch(ctx, s.pool, b); err != nil {
		return articleError(ctx, "update article", err)
	}
	a.Version++
	return nil
}

// Delete implements kb.Store.
func (s *ArticleStore) Delete(ctx context.Context, id uuid.UUID, version int64) error {
	b := &pgx.Batch{}
	b.Queue(`WITH d AS (DELETE FROM `+s.schema+`.articles WHERE id = $1 AND version = $2 RETURNING 1)
		SELECT CASE WHEN EXISTS (SELECT 1 FROM d) THEN 1
			WHEN EXISTS (SELECT 1 FROM `+s.schema+`.articles WHERE id = $1) THEN `+s.schema+`.fail('`+codeConflict+`', 'stale version')
			ELSE `+s.schema+`.fail('`+codeNotFound+`', 'no such article') END`, id, version)
	s.queueNotify(b, "d", id)
	if err := runBatch(ctx, s.pool, b); err != nil {
		return articleError(ctx, "delete article", err)
	}
	return nil
}

// queueNotify queues the notification of an article's change ("u") or deletion ("d").
func (s *ArticleStore) queueNotify(b *pgx.Batch, op string, id uuid.UUID) {
	b.Queue("SELECT pg_notify($1, $2)", s.channel, op+":"+id.String())
}

// List implements kb.Store.
func (s *ArticleStore) List(ctx context.Context, tenant string) ([]*kb.Article, error) {
	if storable(tenant) != nil {
		return []*kb.Article{}, ctx.Err() // no stored article has it
	}
	rows, err := s.pool.Query(ctx, "SELECT version, data FROM "+s.schema+".articles WHERE tenant = $1 ORDER BY id", tenant)
	if err != nil {
		return nil, wrap(ctx, "list articles", err)
	}
	out := []*kb.Article{}
	var version int64
	var data []byte
	_, err = pgx.ForEachRow(rows, []any{&version, &data}, func() error {
		a, err := decodeArticle(version, data)
		if err == nil {
			out = append(out, a)
		}
		return err
	})
	if err != nil {
		return nil, wrap(ctx, "list articles", err)
	}
	return out, nil
}

// storableArticle returns an error wrapping kb.ErrInvalid when a text of a is not valid
// UTF-8 or holds a NUL byte: PostgreSQL cannot store the first as it is (JSON would replace
// its bad bytes) nor the second at all.
func storableArticle(a *kb.Article) error {
	texts := append([]string{a.Tenant, a.Slug, a.Category}, a.Tags...)
	for _, tr := range a.Translations {
		texts = append(texts, tr.Title, tr.Body)
		texts = append(texts, tr.Keywords...)
	}
	for _, t := range texts {
		if err := storable(t); err != nil {
			return fmt.Errorf("postgres: article %s: %w: a text is %w", a.ID, kb.ErrInvalid, err)
		}
	}
	return nil
}

func decodeArticle(version int64, data []byte) (*kb.Article, error) {
	a := &kb.Article{}
	if err := json.Unmarshal(data, a); err != nil {
		return nil, fmt.Errorf("postgres: decode article: %w", err)
	}
	a.Version = version
	return a, nil
}

// articleError turns a write's error into kb's sentinels.
func articleError(ctx context.Context, op string, err error) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			return fmt.Errorf("postgres: %s: %w", op, kb.ErrDuplicate)
		case codeConflict:
			return fmt.Errorf("postgres: %s: %w", op, kb.ErrConflict)
		case codeNotFound:
			return fmt.Errorf("postgres: %s: %w", op, kb.ErrNotFound)
		}
	}
	return wrap(ctx, op, err)
}
