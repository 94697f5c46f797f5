package email_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
)

func parseFlowed(t *testing.T, params, body string) string {
	t.Helper()
	m, err := email.Parse([]byte("From: a@example.com\r\nContent-Type: text/plain; charset=utf-8; format=flowed" + params + "\r\n\r\n" + body))
	require.NoError(t, err)
	return m.Text
}

func TestFlowedTextIsJoined(t *testing.T) {
	body := "The backup failed again at 02:13 with the \r\nmessage \"disk full\", and the one before \r\nas well.\r\n\r\n" +
		"On 01.12.2025 10:15, Support wrote:\r\n> Did the backup \r\n> finish?\r\n>> older \r\n>> quote\r\n\r\n" +
		" From the logs: nothing.\r\n-- \r\nBob\r\n"
	want := "The backup failed again at 02:13 with the message \"disk full\", and the one before as well.\n\n" +
		"On 01.12.2025 10:15, Support wrote:\n> Did the backup finish?\n> > older quote\n\n" +
		"From the logs: nothing.\n-- \nBob\n"
	assert.Equal(t, want, parseFlowed(t, "", body))
	assert.Equal(t, "The backup failed again at 02:13 with the message \"disk full\", and the one before as well.\n\nFrom the logs: nothing.",
		email.StripText(parseFlowed(t, "", body)), "the quote is dropped, the answer after it kept, the signature cut")
}

func TestFlowedDelSpJoinsWithoutTheSpace(t *testing.T) {
	assert.Equal(t, "Привет, мир", parseFlowed(t, "; delsp=yes", "Привет, м \r\nир"))
}
