package kb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// SuggestLimit defaults to 5, may be at most 100, and bounds what
// SuggestForTicket returns.
func TestSuggestLimitDefaultsAndBounds(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		limit, want int
		ok          bool
	}{{0, 5, true}, {3, 3, true}, {100, 8, true}, {101, 0, false}, {-1, 0, false}} {
		k, err := kb.New(kb.NewMemoryStore(), kb.Config{SuggestLimit: tc.limit})
		if !tc.ok {
			assert.ErrorIs(t, err, kb.ErrInvalid, "limit %d", tc.limit)
			continue
		}
		require.NoError(t, err, "limit %d", tc.limit)
		for i := range 8 {
			require.NoError(t, k.Create(ctx, article(fmt.Sprintf("p-%d", i), kb.Public, kb.Published, language.English, "Printer jams", "printer")))
		}
		hits, err := k.SuggestForTicket(ctx, "printer jams", "", language.Und, kb.Customer)
		require.NoError(t, err)
		assert.Len(t, hits, tc.want, "limit %d", tc.limit)
	}
}

// MaxQueryRunes below 16 is refused; 16 is the smallest accepted.
func TestMaxQueryRunesHasAFloor(t *testing.T) {
	_, err := kb.New(kb.NewMemoryStore(), kb.Config{MaxQueryRunes: 15})
	assert.ErrorIs(t, err, kb.ErrInvalid)
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{MaxQueryRunes: 16})
	require.NoError(t, err)
	_, err = k.Search(context.Background(), kb.Query{Text: "abcdefghijklmnopq", Audience: kb.Customer})
	assert.ErrorIs(t, err, kb.ErrInvalid)
}

// A subject longer than the query limit is cut so that the suggestion query
// (the subject twice and the description) stays within MaxQueryRunes.
func TestSuggestForTicketCutsALongSubject(t *testing.T) {
	ctx := context.Background()
	k, err := kb.New(kb.NewMemoryStore(), kb.Config{MaxQueryRunes: 100})
	require.NoError(t, err)
	require.NoError(t, k.Create(ctx, article("p", kb.Public, kb.Published, language.English, "Printer jams", "printer")))
	for _, n := range []int{49, 50, 51, 52, 1000} {
		subject := strings.Repeat("printer ", n/8+1)[:n]
		hits, err := k.SuggestForTicket(ctx, subject, strings.Repeat("jams ", 100), language.Und, kb.Customer)
		require.NoError(t, err, "subject of %d runes", n)
		assert.Len(t, hits, 1, "subject of %d runes", n)
	}
}
