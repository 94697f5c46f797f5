package email_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
)

// TestTextLabelledBase64ThatIsNotIsKept checks that a text part whose
// Content-Transfer-Encoding says base64 but whose body is plain text (a broken mailer's
// label) keeps its text, with the defect listed, rather than become an empty message.
func TestTextLabelledBase64ThatIsNotIsKept(t *testing.T) {
	for _, text := range []string{
		"Привет, принтер не печатает.",
		"Hello, the printer does not print.\nSecond line.",
	} {
		body := strings.ReplaceAll(text, "\n", "\r\n") + "\r\n"
		m, err := email.Parse([]byte("From: a@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body))
		require.NoError(t, err)
		assert.Equal(t, text, strings.TrimSpace(m.Text), "the text is lost")
		assert.Contains(t, m.Defects, "bad transfer encoding")
	}
	m, err := email.Parse([]byte("From: a@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n0J/RgNC40LLQtdGC\r\n"))
	require.NoError(t, err)
	assert.Equal(t, "Привет", m.Text, "real base64 still decodes")
}
