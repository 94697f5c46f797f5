package kb_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// A nil store is the in-memory default, as for every constructor of the module.
func TestNewWithNilStoreUsesTheMemoryStore(t *testing.T) {
	ctx := context.Background()
	k, err := kb.New(nil, kb.Config{})
	require.NoError(t, err)
	a := &kb.Article{Slug: "jam", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "Printer jams", Body: "Open the tray."}}}
	require.NoError(t, k.Create(ctx, a))
	got, err := k.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "jam", got.Slug)
}
