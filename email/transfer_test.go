package email_test

import (
	"encoding/base64"
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

// TestBase64TextKeepsItsTextWhenAFooterIsAppended checks that plain text a list server
// appends after a base64 text part's data (a signature, a mailing list footer) is not
// decoded as data: the few garbage bytes it made turned the whole text into mojibake.
func TestBase64TextKeepsItsTextWhenAFooterIsAppended(t *testing.T) {
	text := "Привет, принтер не печатает."
	data := base64.StdEncoding.EncodeToString([]byte(text))
	for name, footer := range map[string]string{
		"signature":                    "-- \r\nList footer\r\n",
		"signature after a blank line": "\r\n-- \r\nList footer\r\n",
		"Mailman footer":               "_______________________________________________\r\nUsers mailing list\r\nusers@lists.example\r\n",
		"text after a blank line":      "\r\nSent via the list\r\n",
	} {
		m, err := email.Parse([]byte("From: a@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + data + "\r\n" + footer))
		require.NoError(t, err)
		assert.Equal(t, text, m.Text, name)
	}
}
