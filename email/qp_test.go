package email_test

import (
	"mime/quotedprintable"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
)

func parseQP(t *testing.T, body string) string {
	t.Helper()
	m, err := email.Parse([]byte("From: a@example.com\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + body))
	require.NoError(t, err)
	return m.Text
}

// TestQuotedPrintableMatchesTheStandardLibrary checks the one-pass decoder against
// mime/quotedprintable on what its writer produces.
func TestQuotedPrintableMatchesTheStandardLibrary(t *testing.T) {
	for _, text := range []string{
		"Добрый день!\r\nПринтер = сломан.\r\n",
		strings.Repeat("длинная строка без переносов ", 20) + "\r\nend",
		"tab\tand trailing spaces   \r\nnext",
		"=3D literal equals, 100% ok\r\n",
	} {
		var b strings.Builder
		w := quotedprintable.NewWriter(&b)
		_, _ = w.Write([]byte(text))
		require.NoError(t, w.Close())
		want := strings.ReplaceAll(text, "\r\n", "\n")
		assert.Equal(t, want, parseQP(t, b.String()))
	}
}

func TestQuotedPrintableIsLenient(t *testing.T) {
	cases := map[string]string{
		"a=ZZb":            "a=ZZb",       // not hex: kept
		"soft=\nbreak":     "softbreak",   // LF-only soft break
		"trailing   \r\nx": "trailing\nx", // transport padding dropped
		"lower =c3=a9 hex": "lower é hex",
		"ends with =":      "ends with ",
		"=\r\n=\r\n":       "",
		"equals at end =4": "equals at end =4",
		"=E2=80=94 dash":   "— dash",
		"kept=20\r\nnext":  "kept \nnext", // an encoded space is content
	}
	for in, want := range cases {
		assert.Equal(t, want, parseQP(t, in), "%q", in)
	}
}
