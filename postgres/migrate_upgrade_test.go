package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/postgres/internal/pgtest"
)

// A schema one version behind, holding tickets, comments, events, an article and a ledger
// row written at that version, is migrated by applying the last migration only, and every
// record reads back as written.
func TestMigrateFromThePreviousVersionKeepsItsData(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, nil)
	schema := pgtest.Schema(t, pool)
	last := postgres.SchemaVersion()
	applied, err := postgres.MigrateTo(ctx, pool, schema, last-1)
	require.NoError(t, err)
	require.Len(t, applied, last-1)
	cfg := postgres.Config{Schema: schema}
	require.ErrorIs(t, postgres.CheckSchema(ctx, pool, schema), postgres.ErrSchemaVersion)

	store, err := postgres.NewTicketStore(pool, cfg)
	require.NoError(t, err)
	c := creation("old")
	c.Key, c.Fingerprint = "order-1", "fp"
	created, _, err := store.Create(ctx, c)
	require.NoError(t, err)
	odd, _, err := store.Create(ctx, creation(`say "<hi>" & \ é`)) // text jsonb prints otherwise than Go writes it
	require.NoError(t, err)
	articles, err := postgres.NewArticleStore(pool, cfg)
	require.NoError(t, err)
	a := &kb.Article{ID: uuid.New(), Slug: "reset", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "Reset", Body: "Click reset."}}}
	require.NoError(t, articles.Create(ctx, a))
	ledger, err := postgres.NewLedger(pool, cfg)
	require.NoError(t, err)
	require.NoError(t, ledger.Done(ctx, "solved/x/1", "desk-1"))
	feed, err := store.Changes(ctx, "", 0)
	require.NoError(t, err)
	events, err := store.Events(ctx, odd.ID, 0)
	require.NoError(t, err)
	logs, err := store.TicketLogs(ctx, []uuid.UUID{created.ID, odd.ID})
	require.NoError(t, err)

	migrated := time.Now()
	applied, err = postgres.Migrate(ctx, pool, schema)
	require.NoError(t, err)
	assert.Equal(t, []int{last}, applied)
	require.NoError(t, postgres.CheckSchema(ctx, pool, schema))
	pool.Reset() // the statements prepared before a column changed its type

	eventsAfter, err := store.Events(ctx, odd.ID, 0)
	require.NoError(t, err)
	assert.Equal(t, events, eventsAfter)
	logsAfter, err := store.TicketLogs(ctx, []uuid.UUID{created.ID, odd.ID})
	require.NoError(t, err)
	assert.Equal(t, logs, logsAfter)

	got, err := store.Ticket(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created.Number, got.Number)
	assert.Equal(t, created.Subject, got.Subject)
	assert.Equal(t, created.Version, got.Version)
	again, isNew, err := store.Create(ctx, c)
	require.NoError(t, err)
	assert.False(t, isNew, "the creation key still names the old ticket")
	assert.Equal(t, created.ID, again.ID)
	comments, err := store.Comments(ctx, created.ID)
	require.NoError(t, err)
	assert.Len(t, comments, len(c.Comments))
	feedAfter, err := store.Changes(ctx, "", 0)
	require.NoError(t, err)
	assert.Equal(t, feed, feedAfter, "the feed and its cursors are unchanged")
	stored, err := articles.GetBySlug(ctx, "", "reset")
	require.NoError(t, err)
	assert.Equal(t, a.ID, stored.ID)
	res, err := ledger.Claim(ctx, supportkit.Claim{Key: "solved/x/1", Owner: "desk-2", Now: time.Now(), Until: time.Now().Add(time.Minute)})
	require.NoError(t, err)
	assert.Equal(t, supportkit.Delivered, res.State)
	// A row delivered before version 8 counts as claimed until the migration ran.
	n, err := ledger.Prune(ctx, migrated.Add(-time.Minute))
	require.NoError(t, err)
	assert.Zero(t, n, "kept for the retention after the migration")
	n, err = ledger.Prune(ctx, time.Now().Add(time.Minute))
	require.NoError(t, err)
	assert.Equal(t, 1, n, "then pruned")
	// The new version's tables work on the old tickets.
	require.NoError(t, store.AddMessageID(ctx, created.ID, "<m1@example.com>"))
	byMsg, err := store.TicketByMessageID(ctx, created.Tenant, "<m1@example.com>")
	require.NoError(t, err)
	assert.Equal(t, created.ID, byMsg.ID)
}
