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

// A long token, such as an address, just before the only match must not push
// the match out of the snippet.
func TestSnippetKeepsMatchAfterLongToken(t *testing.T) {
	for _, n := range []int{20, 100, 150, 180, 190, 195, 199, 200, 260, 400} {
		url := "https://example.com/" + strings.Repeat("a", n)
		body := strings.Repeat("вступление ", 20) + url + " пароль " + strings.Repeat("хвост ", 60)
		ix := indexOf(t, article("u", kb.Public, kb.Published, language.Russian, "Инструкция", body))
		res, err := ix.Search(context.Background(), kb.Query{Text: "пароль ", Audience: kb.Customer, Highlight: true})
		require.NoError(t, err)
		require.Len(t, res.Hits, 1)
		sn := res.Hits[0].Snippet
		require.Len(t, sn.Highlights, 1, "token of %d runes: snippet %q", n, sn.Text)
		r := []rune(sn.Text)
		assert.Equal(t, "пароль", string(r[sn.Highlights[0].Start:sn.Highlights[0].End]))
		assert.LessOrEqual(t, len(r), 202, "the snippet keeps its width")
	}
}
