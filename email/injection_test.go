package email_test

import (
	"bytes"
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
)

func newTestRenderer(t *testing.T) *email.Renderer {
	t.Helper()
	r, err := email.NewRenderer(email.RendererConfig{
		From: email.Address{Address: "support@desk.example"},
		Now:  func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) },
	})
	require.NoError(t, err)
	return r
}

// headerLines returns the header lines of a rendered message, split on CRLF only, so that a
// bare CR or LF inside a line stays visible.
func headerLines(raw []byte) [][]byte {
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	return bytes.Split(head, []byte("\r\n"))
}

// TestMessageIDsWithControlCharactersAreDropped checks that a Message-ID or reference holding
// a bare CR or another control character is not taken from a hostile message, so that the
// acknowledgement answering it cannot carry a header of the sender's choosing.
func TestMessageIDsWithControlCharactersAreDropped(t *testing.T) {
	raw := "From: Eve <eve@example.com>\r\nTo: support@desk.example\r\nSubject: hi\r\n" +
		"Message-ID: <abc\rBcc:victim@example.com>\r\n" +
		"In-Reply-To: <a\x00b@example.com>\r\n" +
		"References: <x\x7fy@example.com> <ok@example.com>\r\n" +
		"Content-Type: text/plain\r\n\r\nhello\r\n"
	m, err := email.Parse([]byte(raw))
	require.NoError(t, err)
	assert.Empty(t, m.MessageID)
	assert.Empty(t, m.InReplyTo)
	assert.Equal(t, []string{"ok@example.com"}, m.References)
	out, err := newTestRenderer(t).Render(email.Notice{
		Kind: email.NoticeAcknowledgement, Number: "SUP-1", To: []email.Address{{Address: "eve@example.com"}},
		InReplyTo: m.MessageID, References: m.References,
	})
	require.NoError(t, err)
	for _, l := range headerLines(out.Bytes()) {
		assert.False(t, bytes.ContainsAny(l, "\r\n\x00"), "header line %q", l)
	}
}

// TestRenderRefusesMessageIDsThatBreakHeaders checks that Render refuses an InReplyTo or a
// reference that would be written raw into a header with a line break or angle bracket.
func TestRenderRefusesMessageIDsThatBreakHeaders(t *testing.T) {
	r := newTestRenderer(t)
	for _, n := range []email.Notice{
		{InReplyTo: "x@y\r\nBcc: victim@example.com"},
		{InReplyTo: "x@y>\nBcc: victim@example.com"},
		{InReplyTo: "x@y> <z@w"},
		{References: []string{"ok@y", "x@y\rBcc:victim@example.com"}},
		{References: []string{""}},
	} {
		n.Kind, n.Number, n.To = email.NoticeAcknowledgement, "SUP-1", []email.Address{{Address: "a@example.com"}}
		_, err := r.Render(n)
		assert.ErrorIs(t, err, email.ErrInvalid, "%q %q", n.InReplyTo, n.References)
	}
}

// TestLongSubjectsAreFolded checks that the longest subject a ticket may have, in Cyrillic,
// renders to header lines within the 998 characters RFC 5322 allows and decodes back whole.
func TestLongSubjectsAreFolded(t *testing.T) {
	subject := strings.Repeat("Не работает принтер ", 12) + "ж"
	out, err := newTestRenderer(t).Render(email.Notice{
		Kind: email.NoticeAcknowledgement, Number: "SUP-1", Subject: subject, To: []email.Address{{Address: "a@example.com"}},
	})
	require.NoError(t, err)
	raw := out.Bytes()
	for _, l := range headerLines(raw) {
		assert.LessOrEqual(t, len(l), 998, "header line %.60q", l)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	require.NoError(t, err)
	got, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(t, err)
	assert.Equal(t, out.Subject, got)
}

// TestManyRecipientsAreFolded checks that a notice to many recipients keeps its To header
// within the line limit and that every recipient reads back.
func TestManyRecipientsAreFolded(t *testing.T) {
	var to []email.Address
	for i := range 60 {
		to = append(to, email.Address{Name: "Агент поддержки", Address: fmt.Sprintf("agent%02d@desk.example", i)})
	}
	out, err := newTestRenderer(t).Render(email.Notice{Kind: email.NoticeAssigned, Number: "SUP-1", Agent: "Bo", To: to})
	require.NoError(t, err)
	raw := out.Bytes()
	for _, l := range headerLines(raw) {
		assert.LessOrEqual(t, len(l), 998, "header line %.60q", l)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	require.NoError(t, err)
	list, err := msg.Header.AddressList("To")
	require.NoError(t, err)
	require.Len(t, list, len(to))
	for i, a := range list {
		assert.Equal(t, to[i].Address, a.Address)
		assert.Equal(t, to[i].Name, a.Name)
	}
}
