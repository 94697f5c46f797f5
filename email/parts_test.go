package email_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
)

func TestAForwardedMessageIsAnAttachment(t *testing.T) {
	raw := mixed("Content-Type: text/plain\r\n\r\nSee the attached mail.",
		"Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\nFrom: x@example.com\r\nSubject: old\r\n\r\nold body")
	m, err := email.Parse([]byte(raw))
	require.NoError(t, err)
	assert.Equal(t, "See the attached mail.", m.Text, "the attached message's text is not the body")
	require.Len(t, m.Attachments, 1)
	assert.Equal(t, "message.eml", m.Attachments[0].Filename)
	assert.Equal(t, "message/rfc822", m.Attachments[0].ContentType)
	assert.Contains(t, string(m.Attachments[0].Data), "Subject: old")
}

func TestABounceWithTheWholeOriginalNamesItsMessageID(t *testing.T) {
	raw := "From: MAILER-DAEMON@mx.example.com\r\nSubject: Returned mail\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n" +
		"--R\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n" +
		"--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\n" +
		"Final-Recipient: rfc822;a@x.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n" +
		"Final-Recipient: rfc822; b@x.example\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\n" +
		"--R\r\nContent-Type: message/rfc822\r\n\r\nFrom: support@desk.example\r\nMessage-ID: <sk.9@desk.example>\r\nSubject: [SUP-9] x\r\n\r\nbody\r\n--R--\r\n"
	m, err := email.Parse([]byte(raw))
	require.NoError(t, err)
	require.NotNil(t, m.Report)
	assert.Equal(t, "mx.example.com", m.Report.ReportingMTA)
	assert.Equal(t, []email.RecipientStatus{
		{Address: "a@x.example", Action: "failed", Status: "5.1.1"},
		{Address: "b@x.example", Action: "delayed", Status: "4.4.1"},
	}, m.Report.Recipients)
	c := email.Classify(m)
	assert.Equal(t, email.KindBounce, c.Kind)
	assert.Equal(t, []string{"a@x.example"}, c.Failed, "a delay is not a failure")
	assert.Equal(t, "sk.9@desk.example", c.Original)
	assert.Empty(t, m.Attachments, "the returned message is read for its ID, not kept")
}
