package email_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
)

// TestReadReceiptsAreAutomatic checks that read receipts (RFC 8098 disposition
// notifications, as Outlook and Thunderbird send them in English and Russian) are
// automatic mail: filed as a person's reply, one would reopen a solved ticket.
func TestReadReceiptsAreAutomatic(t *testing.T) {
	for _, raw := range []string{
		"From: Ann <ann@example.com>\r\nSubject: Read: [SUP-1] Printer\r\nContent-Type: multipart/report; report-type=disposition-notification; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nYour message was read on Monday.\r\n--b\r\nContent-Type: message/disposition-notification\r\n\r\nFinal-Recipient: rfc822;ann@example.com\r\nOriginal-Message-ID: <sk.1@desk.example>\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n--b--\r\n",
		"From: Ann <ann@example.com>\r\nSubject: =?utf-8?B?0J/RgNC+0YfQuNGC0LDQvdC+OiBbU1VQLTFd?=\r\nContent-Type: multipart/report; report-type=\"Disposition-Notification\"; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nВаше сообщение прочитано.\r\n--b--\r\n",
		"From: Ann <ann@example.com>\r\nSubject: Read: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nRead.\r\n--b\r\nContent-Type: message/disposition-notification\r\n\r\nDisposition: automatic-action/MDN-sent-automatically; displayed\r\n--b--\r\n",
	} {
		m, err := email.Parse([]byte(raw))
		require.NoError(t, err)
		c := email.Classify(m)
		assert.True(t, c.Kind.Automatic(), "%s: %s", m.Subject, c.Kind)
	}
	m, err := email.Parse([]byte("From: Ann <ann@example.com>\r\nSubject: Read: the manual\r\n\r\nI have read the manual, it does not help.\r\n"))
	require.NoError(t, err)
	assert.Equal(t, email.KindPersonal, email.Classify(m).Kind, "a person's mail about reading stays personal")
}

// TestRequestsAboutAutoRepliesArePersonal checks that a person's request whose subject
// mentions an auto-reply or out-of-office (an IT desk gets many) is personal mail, while
// the subjects mail servers give absence notices still mark one without machine headers.
func TestRequestsAboutAutoRepliesArePersonal(t *testing.T) {
	classify := func(subject string) email.Kind {
		m, err := email.Parse([]byte("From: Ann <ann@example.com>\r\nSubject: " + subject + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe setting does not save.\r\n"))
		require.NoError(t, err)
		return email.Classify(m).Kind
	}
	for _, s := range []string{
		"Auto reply not working in Outlook", "Out of office is not set up", "Автоответ не работает",
		"Настройте автоответ на время отпуска", "Не работает автоматический ответ в Outlook",
	} {
		assert.Equal(t, email.KindPersonal, classify(s), s)
	}
	for _, s := range []string{
		"Automatic reply: [SUP-1] Printer", "Out of Office: Printer", "Out of Office AutoReply: Printer",
		"Автоматический ответ: Принтер", "Автоответ", "Ann Lee is out of the office.",
	} {
		assert.Equal(t, email.KindOutOfOffice, classify(s), s)
	}
}
