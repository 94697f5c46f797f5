package kb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// hugeTicketText returns 8 MiB of a customer's words, as a pasted log or a
// forwarded mail thread may be.
func hugeTicketText() string {
	return strings.Repeat("пароль не работает после сброса ", 8<<20/59)
}

// Regression: Learn joined and converted a resolution's whole public text
// before cutting it to MaxResolutionRunes, so a long ticket cost memory in
// proportion to its length (several times over) for the few thousand runes
// kept.
func TestLearningAHugeTicketReadsOnlyWhatItKeeps(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	r := kb.Resolution{ArticleID: b.password.ID, Public: []string{"забыл пароль", hugeTicketText()}}
	var err error
	bytes := allocated(func() { err = b.kb.Learn(ctx, r) })
	require.NoError(t, err)
	assert.Less(t, bytes, uint64(4<<20), "learning 8 MiB of text allocates %d KiB", bytes>>10)
}

// Regression: SuggestForTicket normalized a ticket's whole subject and
// description before cutting them to the query limit, allocating hundreds
// of MiB for a long description.
func TestSuggestingForAHugeTicketReadsOnlyWhatItUses(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	huge := hugeTicketText()
	for _, ticket := range [][2]string{{"Не могу войти", huge}, {huge, "пароль"}} {
		var hits []kb.Hit
		var err error
		bytes := allocated(func() { hits, err = b.kb.SuggestForTicket(ctx, ticket[0], ticket[1], language.Und, kb.Customer) })
		require.NoError(t, err)
		assert.Less(t, bytes, uint64(4<<20), "suggesting for 8 MiB of text allocates %d KiB", bytes>>10)
		require.NotEmpty(t, hits)
		assert.Equal(t, "password-reset", hits[0].Slug)
	}
}
