package postgres_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/ticket"
)

// Lookups by text PostgreSQL cannot hold (a number from a URL, say) find nothing, as they
// do in the MemoryStore, instead of failing with the database's encoding error; a
// visibility with such a value among others still admits what the others admit.
func TestLookupsByUnstorableTextFindNothing(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	tk, _, err := st.store.Create(ctx, creation(""))
	require.NoError(t, err)
	for _, bad := range unstorable {
		_, err := st.store.TicketByNumber(ctx, tk.Tenant, tk.Number+bad)
		assert.ErrorIs(t, err, ticket.ErrNotFound, "number %q", bad)
		_, err = st.store.TicketByNumber(ctx, bad, tk.Number)
		assert.ErrorIs(t, err, ticket.ErrNotFound, "tenant %q", bad)
		for _, q := range []ticket.Query{
			{Tenant: bad}, {Assignee: bad}, {Group: bad}, {Requester: bad}, {Organization: bad}, {Tag: bad},
			{Statuses: []ticket.Status{ticket.Status(bad)}}, {Priorities: []ticket.Priority{ticket.Priority(bad)}},
		} {
			page, err := st.store.List(ctx, q)
			require.NoError(t, err, "query %+v", q)
			assert.Empty(t, page.Tickets, "query %+v", q)
		}
		page, err := st.store.List(ctx, ticket.Query{Visible: &ticket.Visibility{
			Requesters: []string{bad, tk.Requester.ID}, Groups: []string{bad}}})
		require.NoError(t, err)
		require.Len(t, page.Tickets, 1)
		assert.Equal(t, tk.ID, page.Tickets[0].ID)
	}
}

// An article PostgreSQL cannot store as it is gives an error wrapping kb.ErrInvalid and
// stores nothing, rather than a database error or, for invalid UTF-8, an article read back
// with its bytes replaced; lookups by such text find nothing.
func TestArticleStoreRejectsUnstorableText(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	as, err := postgres.NewArticleStore(st.pool, postgres.Config{Schema: st.schema})
	require.NoError(t, err)
	article := func(slug string) *kb.Article {
		return &kb.Article{ID: uuid.New(), Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.English: {Title: "Reset", Body: "Click reset."}}}
	}
	good := article("reset")
	require.NoError(t, as.Create(ctx, good))
	for _, bad := range unstorable {
		edits := map[string]func(a *kb.Article){
			"slug":     func(a *kb.Article) { a.Slug = "x" + bad },
			"category": func(a *kb.Article) { a.Category = bad },
			"tag":      func(a *kb.Article) { a.Tags = []string{bad} },
			"title":    func(a *kb.Article) { a.Translations[language.English] = kb.Translation{Title: bad} },
			"body": func(a *kb.Article) {
				a.Translations[language.English] = kb.Translation{Title: "T", Body: "b" + bad}
			},
			"keyword": func(a *kb.Article) {
				a.Translations[language.English] = kb.Translation{Title: "T", Keywords: []string{bad}}
			},
		}
		for field, edit := range edits {
			a := article("new")
			edit(a)
			assert.ErrorIs(t, as.Create(ctx, a), kb.ErrInvalid, "create with %s %q", field, bad)
			_, err := as.Get(ctx, a.ID)
			assert.ErrorIs(t, err, kb.ErrNotFound, "created with %s %q", field, bad)

			u, err := as.Get(ctx, good.ID)
			require.NoError(t, err)
			edit(u)
			assert.ErrorIs(t, as.Update(ctx, u), kb.ErrInvalid, "update with %s %q", field, bad)
		}
		_, err := as.GetBySlug(ctx, "", "reset"+bad)
		assert.ErrorIs(t, err, kb.ErrNotFound, "slug %q", bad)
		list, err := as.List(ctx, bad)
		require.NoError(t, err)
		assert.Empty(t, list)
	}
	stored, err := as.Get(ctx, good.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(1), stored.Version, "no update went through")
}
