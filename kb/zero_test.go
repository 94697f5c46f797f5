package kb_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// Zero values of the exported types either work with their documented
// defaults or return ErrInvalid; none panics.
func TestZeroValuesGiveErrorsNotPanics(t *testing.T) {
	ctx := context.Background()
	id := uuid.New()
	a := article("a", kb.Public, kb.Published, language.English, "Printer", "printer")

	var k kb.KB
	for name, err := range map[string]error{
		"Create":  k.Create(ctx, a.Clone()),
		"Update":  k.Update(ctx, a.Clone()),
		"Delete":  k.Delete(ctx, id, 1),
		"Vote":    k.Vote(ctx, id, kb.Customer, true),
		"Click":   k.RecordClick(ctx, "printer", id),
		"Reindex": k.Reindex(ctx),
	} {
		assert.ErrorIs(t, err, kb.ErrInvalid, name)
	}
	_, err := k.Get(ctx, id)
	assert.ErrorIs(t, err, kb.ErrInvalid)
	_, err = k.Read(ctx, id, kb.Customer)
	assert.ErrorIs(t, err, kb.ErrInvalid)
	_, err = k.Search(ctx, kb.Query{Text: "printer", Audience: kb.Customer})
	assert.ErrorIs(t, err, kb.ErrInvalid)
	_, err = k.ContentGaps(ctx, 1)
	assert.ErrorIs(t, err, kb.ErrInvalid)
	_, err = k.SuggestForTicket(ctx, "printer", "", language.Und, kb.Customer)
	assert.ErrorIs(t, err, kb.ErrInvalid)

	var ix kb.MemoryIndex
	assert.ErrorIs(t, ix.Upsert(ctx, a), kb.ErrInvalid)
	assert.ErrorIs(t, ix.Delete(ctx, id), kb.ErrInvalid)
	_, err = ix.Search(ctx, kb.Query{Text: "printer", Audience: kb.Customer})
	assert.ErrorIs(t, err, kb.ErrInvalid)
	assert.Zero(t, ix.Len())

	var store kb.MemoryStore
	require.NoError(t, store.Create(ctx, a.Clone()))
	got, err := store.GetBySlug(ctx, "", "a")
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)

	var m kb.MemoryAnalytics
	require.NoError(t, m.RecordSearch(ctx, kb.SearchEvent{Query: "printer"}))
	require.NoError(t, m.RecordClick(ctx, kb.ClickEvent{Query: "scanner"}))
	gaps, err := m.ContentGaps(ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, []kb.Gap{{Query: "printer", Searches: 1, ZeroResults: 1}}, gaps)

	assert.Equal(t, kb.WordTokenizer{}.Tokenize("two words"), kb.Chain{}.Analyze("two words"))
}
