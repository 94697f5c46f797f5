package email_test

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
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

// renderedForEdit returns an acknowledgement as Render made it, for a host to edit.
func renderedForEdit(t *testing.T) *email.Outgoing {
	t.Helper()
	out, err := newTestRenderer(t).Render(email.Notice{
		Kind: email.NoticeAcknowledgement, Number: "SUP-1", Subject: "printer",
		To: []email.Address{{Name: "Ann", Address: "ann@example.com"}}, InReplyTo: "m1@example.com",
	})
	require.NoError(t, err)
	require.NoError(t, out.Validate())
	return out
}

// headerNames are the headers Bytes writes.
var headerNames = map[string]bool{"From": true, "To": true, "Subject": true, "Date": true, "Message-ID": true,
	"In-Reply-To": true, "References": true, "Auto-Submitted": true, "X-Auto-Response-Suppress": true,
	"MIME-Version": true, "Content-Type": true}

// assertNoInjectedHeader checks that raw holds only the headers Bytes writes, each line
// ended by CRLF alone, and its two body parts.
func assertNoInjectedHeader(t *testing.T, raw []byte, what string) {
	t.Helper()
	for _, l := range headerLines(raw) {
		assert.False(t, bytes.ContainsAny(l, "\r\n\x00"), "%s: header line %q", what, l)
		if len(l) > 0 && l[0] != ' ' && l[0] != '\t' {
			name, _, _ := bytes.Cut(l, []byte(":"))
			assert.True(t, headerNames[string(name)], "%s: header line %q", what, l)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	require.NoError(t, err, what)
	assert.Empty(t, msg.Header["Bcc"], what)
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err, what)
	parts := 0
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		assert.Empty(t, p.Header["Bcc"], what)
		parts++
	}
	assert.Equal(t, 2, parts, "%s: body parts", what)
}

// Bytes has no error to return, and wrote the fields of an Outgoing a host edited after
// Render raw into headers: a line break in an address's domain, a message ID or
// Auto-Submitted started a Bcc header of the writer's choosing. No field can now break out
// of its header, and Message refuses those written raw.
func TestOutgoingFieldsCannotInjectHeaders(t *testing.T) {
	for _, payload := range []string{"\r\nBcc: victim@example.com", "\nBcc: victim@example.com",
		"\rBcc: victim@example.com", "\x00\r\n\r\nBcc: victim@example.com"} {
		for _, f := range []struct {
			field string // the Field Message names; "" when the field is encoded, not refused
			edit  func(o *email.Outgoing, p string)
		}{
			{"", func(o *email.Outgoing, p string) { o.Subject += p }},
			{"", func(o *email.Outgoing, p string) { o.From.Name += p }},
			{"", func(o *email.Outgoing, p string) { o.To[0].Name += p }},
			{"Outgoing.From", func(o *email.Outgoing, p string) { o.From.Address += p }},
			{"Outgoing.To", func(o *email.Outgoing, p string) { o.To[0].Address += p }},
			{"Outgoing.To", func(o *email.Outgoing, p string) {
				o.To = append(o.To, email.Address{Name: "Bo", Address: "bo@example.com" + p})
			}},
			{"Outgoing.MessageID", func(o *email.Outgoing, p string) { o.MessageID += p }},
			{"Outgoing.InReplyTo", func(o *email.Outgoing, p string) { o.InReplyTo += p }},
			{"Outgoing.References", func(o *email.Outgoing, p string) { o.References = append(o.References, "r@x"+p) }},
			{"Outgoing.AutoSubmitted", func(o *email.Outgoing, p string) { o.AutoSubmitted += p }},
		} {
			o := renderedForEdit(t)
			f.edit(o, payload)
			what := fmt.Sprintf("%s %q", f.field, payload)
			assertNoInjectedHeader(t, o.Bytes(), what)
			raw, err := o.Message()
			if f.field == "" {
				require.NoError(t, err, what)
				assertNoInjectedHeader(t, raw, what)
				continue
			}
			require.ErrorIs(t, err, email.ErrInvalid, what)
			var ve *email.ValidationError
			require.ErrorAs(t, err, &ve, what)
			assert.Equal(t, f.field, ve.Field, what)
			assert.Nil(t, raw, what)
		}
	}
}

// The MIME boundary was the Message-ID with its dots and @ replaced, so a body an edit gave
// the boundary's line started a part of its own. Quoted-printable text never holds the "=_"
// the boundary now holds.
func TestOutgoingBodyCannotInjectParts(t *testing.T) {
	o := renderedForEdit(t)
	msg, err := mail.ReadMessage(bytes.NewReader(o.Bytes()))
	require.NoError(t, err)
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	boundary := params["boundary"]
	// what the boundary would be if it were the Message-ID's characters
	plain := "sk-" + strings.NewReplacer("@", "-", ".", "-").Replace(o.MessageID)
	for _, b := range []string{boundary, plain} {
		o.Text = "hello\r\n--" + b + "\r\nContent-Type: text/html\r\nBcc: victim@example.com\r\n\r\n<evil>\r\n"
		o.HTML = "<p>hi</p>\n--" + b + "--\n"
		raw, err := o.Message()
		require.NoError(t, err)
		assertNoInjectedHeader(t, raw, b)
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		require.NoError(t, err)
		_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		require.NoError(t, err)
		p, err := multipart.NewReader(msg.Body, params["boundary"]).NextPart()
		require.NoError(t, err)
		text, err := io.ReadAll(p)
		require.NoError(t, err)
		assert.Equal(t, strings.ReplaceAll(o.Text, "\r\n", "\n"), strings.ReplaceAll(string(text), "\r\n", "\n"))
	}
}

// An Outgoing whose Message-ID is long keeps its boundary within the 70 characters RFC 2046
// allows.
func TestOutgoingBoundaryIsShort(t *testing.T) {
	o := renderedForEdit(t)
	o.MessageID = strings.Repeat("a", 300) + "@example.com"
	msg, err := mail.ReadMessage(bytes.NewReader(o.Bytes()))
	require.NoError(t, err)
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.LessOrEqual(t, len(params["boundary"]), 70)
}
