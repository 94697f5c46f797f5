package email_test

import (
	"context"
	"encoding/base64"
	"io"
	"sync"
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

// nameSink records the file name each attachment is handed to the Sink under.
type nameSink struct {
	mu    sync.Mutex
	names []string
}

func (s *nameSink) Store(_ context.Context, a email.Attachment, r io.Reader) (string, error) {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.names = append(s.names, a.Filename)
	return "ref", nil
}

// TestEncodedAttachmentNamesAreSafeFileNames: a file name decoded from RFC 2047 words or
// RFC 2231 percent escapes keeps no control character (NUL, CR, LF, DEL, C1) and no
// directory part, both in Message.Attachments and in what the Sink is handed.
func TestEncodedAttachmentNamesAreSafeFileNames(t *testing.T) {
	for name, tc := range map[string]struct{ disposition, want string }{
		"2231 NUL":            {`filename*=utf-8''report%00.exe%00.pdf`, "report.exe.pdf"},
		"2231 CRLF":           {`filename*=utf-8''invoice%0D%0ABcc: x.pdf`, "invoiceBcc: x.pdf"},
		"2231 DEL and C1":     {`filename*=utf-8''a%7Fb%C2%85c%C2%9F.txt`, "abc.txt"},
		"2231 traversal":      {`filename*=utf-8''..%2F..%2Fetc%2Fpasswd`, "passwd"},
		"2231 continued":      {`filename*0*=utf-8''..%5C..%5C; filename*1*=win.ini`, "win.ini"},
		"2231 dots only":      {`filename*=utf-8''..`, ""},
		"2231 dir only":       {`filename*=utf-8''x%2F..%2F`, ""},
		"2047 Q traversal":    {`filename="=?utf-8?Q?=2E=2E=2Fboot.ini?="`, "boot.ini"},
		"2047 B CRLF and NUL": {`filename="=?utf-8?B?` + base64.StdEncoding.EncodeToString([]byte("x\r\ny\x00.txt")) + `?="`, "xy.txt"},
		"plain path":          {`filename="C:\\Users\\ann\\scan.pdf"`, "scan.pdf"},
		"plain kept":          {`filename="отчёт за май.pdf"`, "отчёт за май.pdf"},
	} {
		t.Run(name, func(t *testing.T) {
			raw := mixed("Content-Type: text/plain\r\n\r\nSee attached.",
				"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; "+tc.disposition+"\r\n\r\ndata")
			sink := &nameSink{}
			m, err := parseWith(t, email.Config{Sink: sink}, raw)
			require.NoError(t, err)
			require.Len(t, m.Attachments, 1)
			assert.Equal(t, tc.want, m.Attachments[0].Filename)
			assert.Equal(t, []string{tc.want}, sink.names)
			assert.Equal(t, "See attached.", m.Text)
		})
	}
}
