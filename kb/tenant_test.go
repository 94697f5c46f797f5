package kb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

func TestBadTenantIsInvalid(t *testing.T) {
	for _, tenant := range []string{"a\x00b", "line\nbreak", "\xff", strings.Repeat("я", kb.MaxTenantRunes+1)} {
		_, err := kb.New(nil, kb.Config{Tenant: tenant})
		var ve *kb.ValidationError
		require.ErrorAs(t, err, &ve, "%q", tenant)
		assert.Equal(t, "Tenant", ve.Field)
	}
	_, err := kb.New(nil, kb.Config{Tenant: strings.Repeat("я", kb.MaxTenantRunes)})
	assert.NoError(t, err)
}

func TestBuiltInIndexAndAnalyticsServeOneTenant(t *testing.T) {
	ix, err := kb.NewMemoryIndex(kb.IndexConfig{})
	require.NoError(t, err)
	an := kb.NewMemoryAnalytics(0)
	_, err = kb.New(nil, kb.Config{Tenant: "acme", Index: ix, Analytics: an})
	require.NoError(t, err)
	_, err = kb.New(nil, kb.Config{Tenant: "acme", Index: ix, Analytics: an})
	require.NoError(t, err, "KBs of one tenant may share them")
	_, err = kb.New(nil, kb.Config{Tenant: "globex", Index: ix})
	assert.ErrorIs(t, err, kb.ErrInvalid, "an index of another tenant")
	_, err = kb.New(nil, kb.Config{Tenant: "globex", Analytics: an})
	assert.ErrorIs(t, err, kb.ErrInvalid, "analytics of another tenant")

	a := tenantArticle("globex", "vpn")
	assert.ErrorIs(t, ix.Upsert(context.Background(), a), kb.ErrInvalid, "upserting another tenant's article")
}

func TestReadListsOnlyTheTenantsRelatedArticles(t *testing.T) {
	ctx := context.Background()
	store := kb.NewMemoryStore()
	acme, err := kb.New(store, kb.Config{Tenant: "acme"})
	require.NoError(t, err)
	globex, err := kb.New(store, kb.Config{Tenant: "globex"})
	require.NoError(t, err)
	theirs := tenantArticle("", "theirs")
	require.NoError(t, globex.Create(ctx, theirs))
	assert.Equal(t, "globex", theirs.Tenant, "Create sets the KB's tenant")
	own := tenantArticle("", "own")
	require.NoError(t, acme.Create(ctx, own))
	mine := tenantArticle("", "mine")
	mine.Related = []uuid.UUID{theirs.ID, own.ID}
	require.NoError(t, acme.Create(ctx, mine))
	r, err := acme.Read(ctx, mine.ID, kb.Agent)
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{own.ID}, r.Article.Related)
}

// tenantArticle returns a published public article of the tenant.
func tenantArticle(tenant, slug string) *kb.Article {
	return &kb.Article{Tenant: tenant, Slug: slug, Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "Set up the VPN " + slug}}}
}
