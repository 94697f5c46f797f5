package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/kb/kbtest"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/postgres/internal/pgtest"
)

// TestSyncKeepsAnotherProcessIndexInStep writes articles through one pool (process A) while
// process B, with a pool and an index of its own, runs Sync: B's index follows every create,
// update and delete, also across the loss of its connection.
func TestSyncKeepsAnotherProcessIndexInStep(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	a, err := postgres.NewArticleStore(st.pool, postgres.Config{Schema: st.schema})
	require.NoError(t, err)
	poolB := pgtest.Pool(t, func(c *pgxpool.Config) { c.ConnConfig.RuntimeParams["application_name"] = "sk-sync-" + st.schema })
	b, err := postgres.NewArticleStore(poolB, postgres.Config{Schema: st.schema})
	require.NoError(t, err)
	ix, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)

	first := kbtest.NewArticle("reset-password")
	require.NoError(t, a.Create(ctx, first))
	syncCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- b.Sync(syncCtx, "", ix) }()
	defer func() {
		stop()
		require.ErrorIs(t, <-done, context.Canceled)
	}()

	finds := func(text string) []uuid.UUID {
		res, err := ix.Search(ctx, kb.Query{Text: text, Audience: kb.Agent})
		require.NoError(t, err)
		var ids []uuid.UUID
		for _, h := range res.Hits {
			ids = append(ids, h.ArticleID)
		}
		return ids
	}
	eventually := func(what string, cond func() bool) {
		t.Helper()
		require.Eventually(t, cond, 10*time.Second, 20*time.Millisecond, what)
	}
	eventually("the article stored before Sync", func() bool { return len(finds("password")) == 1 })

	second := kbtest.NewArticle("printer")
	second.Tags, second.Category = []string{"hardware"}, "hardware"
	second.Translations = map[language.Tag]kb.Translation{language.English: {Title: "Printer jams", Body: "Open the tray."}}
	require.NoError(t, a.Create(ctx, second))
	eventually("a created article", func() bool { return len(finds("printer")) == 1 })

	second.Translations = map[language.Tag]kb.Translation{language.English: {Title: "Scanner stalls", Body: "Restart it."}}
	require.NoError(t, a.Update(ctx, second))
	eventually("an updated article", func() bool { return len(finds("scanner")) == 1 && len(finds("printer")) == 0 })

	require.NoError(t, a.Delete(ctx, first.ID, first.Version))
	eventually("a deleted article", func() bool { return len(finds("password")) == 0 })

	var killed bool
	require.NoError(t, st.pool.QueryRow(ctx, `SELECT coalesce(bool_or(pg_terminate_backend(pid)), false)
		FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`, "sk-sync-"+st.schema).Scan(&killed))
	require.True(t, killed, "found Sync's connection")
	require.NoError(t, a.Delete(ctx, second.ID, second.Version))
	third := kbtest.NewArticle("vpn")
	third.Tags, third.Category = []string{"network"}, "network"
	third.Translations = map[language.Tag]kb.Translation{language.English: {Title: "VPN drops", Body: "Update the client."}}
	require.NoError(t, a.Create(ctx, third))
	eventually("writes made while Sync was away", func() bool { return len(finds("vpn")) == 1 && len(finds("scanner")) == 0 })
}

// TestSyncFeedsOneTenantsArticlesOnly runs Sync for tenant acme while articles of acme and
// globex are stored and changed: the index holds acme's only, and a MemoryIndex (bound to one
// tenant) never sees globex's, which would end Sync with ErrInvalid.
func TestSyncFeedsOneTenantsArticlesOnly(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	s, err := postgres.NewArticleStore(st.pool, postgres.Config{Schema: st.schema})
	require.NoError(t, err)
	ix, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)
	acme, globex := kbtest.NewArticle("vpn"), kbtest.NewArticle("vpn")
	acme.Tenant, globex.Tenant = "acme", "globex"
	require.NoError(t, s.Create(ctx, acme))
	require.NoError(t, s.Create(ctx, globex))

	syncCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Sync(syncCtx, "acme", ix) }()
	found := func() []uuid.UUID {
		res, err := ix.Search(ctx, kb.Query{Text: "password", Audience: kb.Agent})
		require.NoError(t, err)
		var ids []uuid.UUID
		for _, h := range res.Hits {
			ids = append(ids, h.ArticleID)
		}
		return ids
	}
	require.Eventually(t, func() bool { return len(found()) == 1 }, 10*time.Second, 20*time.Millisecond)
	require.NoError(t, s.Update(ctx, globex))
	later := kbtest.NewArticle("later")
	later.Tenant = "globex"
	require.NoError(t, s.Create(ctx, later))
	marker := kbtest.NewArticle("marker")
	marker.Tenant = "acme"
	require.NoError(t, s.Create(ctx, marker))
	require.Eventually(t, func() bool { return len(found()) == 2 }, 10*time.Second, 20*time.Millisecond, "acme's later article")
	require.ElementsMatch(t, []uuid.UUID{acme.ID, marker.ID}, found())
	stop()
	require.ErrorIs(t, <-done, context.Canceled, "globex's writes did not end Sync")
}
