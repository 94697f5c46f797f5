package email_test

import (
	"context"
	"encoding/base64"
	"io"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

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
		t.Run(name, func(t *testing.T) { checkStoredName(t, tc.disposition, tc.want) })
	}
}

// checkStoredName parses a message with one attachment under the given Content-Disposition
// parameters and checks the name both Message.Attachments and the Sink give it.
func checkStoredName(t *testing.T, disposition, want string) {
	t.Helper()
	raw := mixed("Content-Type: text/plain\r\n\r\nSee attached.",
		"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; "+disposition+"\r\n\r\ndata")
	sink := &nameSink{}
	m, err := parseWith(t, email.Config{Sink: sink}, raw)
	require.NoError(t, err)
	require.Len(t, m.Attachments, 1)
	assert.Equal(t, want, m.Attachments[0].Filename)
	assert.Equal(t, []string{want}, sink.names)
	assert.Equal(t, "See attached.", m.Text)
}

// b2047 is s as an RFC 2047 B encoded word.
func b2047(s string) string {
	return "=?utf-8?B?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
}

// TestAttachmentNamesKeepNoInvisibleCharacters: a decoded file name keeps no code point
// that shows nothing (bidi overrides and isolates, zero-width characters, soft hyphens,
// private-use and unassigned code points), so "invoice\u202Efdp.exe" cannot pass for
// "invoiceexe.pdf"; letters, marks and right-to-left scripts are kept.
func TestAttachmentNamesKeepNoInvisibleCharacters(t *testing.T) {
	for name, tc := range map[string]struct{ disposition, want string }{
		"2231 RLO":                   {`filename*=utf-8''invoice%E2%80%AEfdp.exe`, "invoicefdp.exe"},
		"2231 LRO PDF":               {`filename*=utf-8''%E2%80%ADreport%E2%80%AC.pdf`, "report.pdf"},
		"2047 B isolates":            {`filename="` + b2047("a\u2066b\u2067c\u2068d\u2069.txt") + `"`, "abcd.txt"},
		"2047 Q zero width and BOM":  {`filename="=?utf-8?Q?pay=E2=80=8Bpal=E2=80=8D=EF=BB=BF.pdf?="`, "paypal.pdf"},
		"2231 soft hyphen and marks": {`filename*=utf-8''sca%C2%ADn%E2%80%8E%E2%80%8F.png`, "scan.png"},
		"2231 private use":           {`filename*=utf-8''a%EE%80%80b%F3%B0%80%80.txt`, "ab.txt"},
		"2231 unassigned":            {`filename*=utf-8''a%CD%B8b%F4%8F%BF%BF.txt`, "ab.txt"},
		"2231 filler and separator":  {`filename*=utf-8''a%E3%85%A4b%E2%80%A8c%E2%80%A9.txt`, "abc.txt"},
		"2047 B Arabic kept":         {`filename="` + b2047("تقرير.pdf") + `"`, "تقرير.pdf"},
		"2231 combining mark kept":   {`filename*=utf-8''cafe%CC%81.txt`, "cafe\u0301.txt"},
	} {
		t.Run(name, func(t *testing.T) { checkStoredName(t, tc.disposition, tc.want) })
	}
}

// TestAttachmentNamesAreSafeOnWindows: a decoded file name does not end in a dot or space,
// which Windows would drop ("x.exe." stored as "x.exe"), and a device name Windows
// reserves, with any case and extension, gets a leading "_".
func TestAttachmentNamesAreSafeOnWindows(t *testing.T) {
	for name, tc := range map[string]struct{ disposition, want string }{
		"2231 trailing dots and spaces": {`filename*=utf-8''x.exe.%20.%20`, "x.exe"},
		"2047 trailing dot":             {`filename="=?utf-8?Q?invoice.exe.?="`, "invoice.exe"},
		"CON":                           {`filename="CON"`, "_CON"},
		"nul with extension":            {`filename="nul.txt"`, "_nul.txt"},
		"Com1 with space":               {`filename="Com1 .tar.gz"`, "_Com1 .tar.gz"},
		"2231 LPT superscript":          {`filename*=utf-8''LPT%C2%B9.log`, "_LPT¹.log"},
		"2047 aux after directory":      {`filename="=?utf-8?Q?x=5Caux.h?="`, "_aux.h"},
		"CONSOLE kept":                  {`filename="CONSOLE.txt"`, "CONSOLE.txt"},
		"com10 kept":                    {`filename="com10.txt"`, "com10.txt"},
		"nullable kept":                 {`filename="nullable.txt"`, "nullable.txt"},
	} {
		t.Run(name, func(t *testing.T) { checkStoredName(t, tc.disposition, tc.want) })
	}
}

// TestLongAttachmentNamesAreCutKeepingTheExtension: a decoded file name is at most 255
// bytes of valid UTF-8, cut between runes before an extension of up to 16 bytes.
func TestLongAttachmentNamesAreCutKeepingTheExtension(t *testing.T) {
	long16 := ".0123456789abcde"
	for name, tc := range map[string]struct{ disposition, want string }{
		"2231 two-byte runes": {`filename*0*=utf-8''` + strings.Repeat("%D0%B6", 150) + `; filename*1*=` + strings.Repeat("%D0%B6", 150) + `.pdf`,
			strings.Repeat("ж", 125) + ".pdf"},
		"2047 four-byte runes": {`filename="` + b2047(strings.Repeat("😀", 100)+".png") + `"`, strings.Repeat("😀", 62) + ".png"},
		"2047 ASCII":           {`filename="` + b2047(strings.Repeat("a", 300)+".docx") + `"`, strings.Repeat("a", 250) + ".docx"},
		"16-byte extension":    {`filename="` + strings.Repeat("a", 300) + long16 + `"`, strings.Repeat("a", 255-len(long16)) + long16},
		"longer extension cut": {`filename="` + strings.Repeat("a", 300) + long16 + "f" + `"`, strings.Repeat("a", 255)},
		"cut before a space":   {`filename="` + strings.Repeat("a", 254) + " " + strings.Repeat("b", 20) + `"`, strings.Repeat("a", 254)},
		"255 bytes kept":       {`filename="` + strings.Repeat("a", 251) + `.pdf"`, strings.Repeat("a", 251) + ".pdf"},
	} {
		t.Run(name, func(t *testing.T) {
			checkStoredName(t, tc.disposition, tc.want)
			assert.LessOrEqual(t, len(tc.want), 255)
			assert.True(t, utf8.ValidString(tc.want))
		})
	}
}
