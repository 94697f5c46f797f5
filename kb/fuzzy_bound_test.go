package kb_test

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/kb"
)

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Regression: looking a word up for typos kept a row of distances per rune
// of the word for every rune of it, however short the index's words, so a
// query of one long word (a pasted token, a key held down) allocated
// megabytes, and a host's longer query limit made it hundreds.
func TestTypoLookupOfALongWordAllocatesLittle(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	for _, text := range []string{strings.Repeat("пароль", 166), strings.Repeat("passwordreset", 76)} {
		q := kb.Query{Text: text, Audience: kb.Customer}
		_, err := b.kb.Search(ctx, q)
		require.NoError(t, err)
		bytes := allocated(func() { _, _ = b.kb.Search(ctx, q) })
		assert.Less(t, bytes, uint64(1<<20), "a search for one word of %d runes allocates %d KiB", len([]rune(text)), bytes>>10)
	}
}
