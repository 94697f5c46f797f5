package email_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
)

func parseWith(t *testing.T, cfg email.Config, raw string) (*email.Message, error) {
	t.Helper()
	p, err := email.NewParser(cfg)
	require.NoError(t, err)
	return p.Parse(context.Background(), strings.NewReader(raw))
}

func requireLimit(t *testing.T, err error, limit string) {
	t.Helper()
	require.ErrorIs(t, err, email.ErrTooLarge)
	var le *email.LimitError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, limit, le.Limit)
}

// mixed builds a multipart/mixed message with the given parts (each a full part with its
// header).
func mixed(parts ...string) string {
	var b strings.Builder
	b.WriteString("From: a@example.com\r\nSubject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"BB\"\r\n\r\n")
	for _, p := range parts {
		b.WriteString("--BB\r\n" + p + "\r\n")
	}
	b.WriteString("--BB--\r\n")
	return b.String()
}

func attachmentPart(name string, data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc)
	return "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\n\r\n" + b.String()
}

func TestParseOverMaxSizeIsLimitError(t *testing.T) {
	raw := "From: a@example.com\r\nSubject: big\r\n\r\n" + strings.Repeat("x", 5000)
	_, err := parseWith(t, email.Config{Limits: email.Limits{MaxSize: 4096}}, raw)
	requireLimit(t, err, "MaxSize")

	m, err := parseWith(t, email.Config{Limits: email.Limits{MaxSize: int64(len(raw))}}, raw)
	require.NoError(t, err, "a message of exactly MaxSize bytes is read")
	assert.Equal(t, int64(len(raw)), m.Size)
}

func TestParseOverMaxPartsIsLimitError(t *testing.T) {
	parts := make([]string, 6)
	for i := range parts {
		parts[i] = "Content-Type: text/plain\r\n\r\npart " + fmt.Sprint(i)
	}
	raw := mixed(parts...)
	_, err := parseWith(t, email.Config{Limits: email.Limits{MaxParts: 6}}, raw)
	requireLimit(t, err, "MaxParts")
	m, err := parseWith(t, email.Config{Limits: email.Limits{MaxParts: 7}}, raw)
	require.NoError(t, err, "six parts and the message itself make seven")
	assert.Contains(t, m.Text, "part 5")
}

func nested(depth int) string {
	body := "Content-Type: text/plain\r\n\r\ndeep text"
	for i := range depth {
		b := fmt.Sprintf("b%d", i)
		body = "Content-Type: multipart/mixed; boundary=\"" + b + "\"\r\n\r\n--" + b + "\r\n" + body + "\r\n--" + b + "--"
	}
	return "From: a@example.com\r\nSubject: deep\r\nMIME-Version: 1.0\r\n" + body + "\r\n"
}

func TestParseOverMaxDepthIsLimitError(t *testing.T) {
	_, err := parseWith(t, email.Config{Limits: email.Limits{MaxDepth: 5}}, nested(6))
	requireLimit(t, err, "MaxDepth")
	m, err := parseWith(t, email.Config{Limits: email.Limits{MaxDepth: 5}}, nested(5))
	require.NoError(t, err)
	assert.Equal(t, "deep text", m.Text)
}

func TestParseOverMaxHeaderIsLimitError(t *testing.T) {
	raw := "From: a@example.com\r\nX-Junk: " + strings.Repeat("j", 2000) + "\r\n\r\nbody"
	_, err := parseWith(t, email.Config{Limits: email.Limits{MaxHeader: 1024}}, raw)
	requireLimit(t, err, "MaxHeader")

	part := "Content-Type: text/plain\r\nX-Junk: " + strings.Repeat("j", 2000) + "\r\n\r\nbody"
	_, err = parseWith(t, email.Config{Limits: email.Limits{MaxHeader: 1024}}, mixed(part))
	requireLimit(t, err, "MaxHeader")
}

func TestParseOverMaxAttachmentIsLimitError(t *testing.T) {
	raw := mixed("Content-Type: text/plain\r\n\r\nhi", attachmentPart("a.bin", make([]byte, 2000)))
	_, err := parseWith(t, email.Config{Limits: email.Limits{MaxAttachment: 1999}}, raw)
	requireLimit(t, err, "MaxAttachment")
	_, err = parseWith(t, email.Config{Limits: email.Limits{MaxAttachment: 1999}, Sink: &memSink{}}, raw)
	requireLimit(t, err, "MaxAttachment")
	m, err := parseWith(t, email.Config{Limits: email.Limits{MaxAttachment: 2000}}, raw)
	require.NoError(t, err)
	require.Len(t, m.Attachments, 1)
	assert.Equal(t, int64(2000), m.Attachments[0].Size)
}

func TestParseTruncatesTextAtMaxText(t *testing.T) {
	raw := "From: a@example.com\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + strings.Repeat("я", 1000)
	m, err := parseWith(t, email.Config{Limits: email.Limits{MaxText: 101}}, raw)
	require.NoError(t, err)
	assert.True(t, m.Truncated)
	assert.LessOrEqual(t, len(m.Text), 101)
	assert.Equal(t, strings.Repeat("я", 50), m.Text, "cut on a character boundary")
}

func TestNewParserRefusesNegativeLimits(t *testing.T) {
	for _, l := range []email.Limits{{MaxSize: -1}, {MaxParts: -1}, {MaxDepth: -1}, {MaxHeader: -1}, {MaxAttachment: -1}, {MaxText: -1}} {
		_, err := email.NewParser(email.Config{Limits: l})
		require.ErrorIs(t, err, email.ErrInvalid, "%+v", l)
	}
}

func TestParseWithoutHeaderIsInvalid(t *testing.T) {
	for _, raw := range []string{"", "\r\n\r\nbody only", "no colon here\r\nnor here\r\n\r\n"} {
		_, err := email.Parse([]byte(raw))
		require.ErrorIs(t, err, email.ErrInvalid, "%q", raw)
	}
}

// memSink keeps what it is given, keyed by a digest, as a host's blob store would.
type memSink struct {
	mu    sync.Mutex
	blobs map[string][]byte
	fail  error
}

func (s *memSink) Store(_ context.Context, a email.Attachment, r io.Reader) (string, error) {
	if s.fail != nil {
		return "", s.fail
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	ref := fmt.Sprintf("blob:%x", sum[:8])
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blobs == nil {
		s.blobs = map[string][]byte{}
	}
	s.blobs[ref] = b
	return ref, nil
}

func TestSinkReceivesAttachmentContent(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 500)
	raw := mixed("Content-Type: text/plain\r\n\r\nsee attached", attachmentPart("log.txt", data))
	sink := &memSink{}
	m, err := parseWith(t, email.Config{Sink: sink}, raw)
	require.NoError(t, err)
	require.Len(t, m.Attachments, 1)
	a := m.Attachments[0]
	assert.Nil(t, a.Data, "a sink takes the content")
	assert.Equal(t, int64(len(data)), a.Size)
	assert.Equal(t, data, sink.blobs[a.Ref])
	assert.Equal(t, "log.txt", a.Filename)
}

func TestSinkErrorStopsTheParse(t *testing.T) {
	boom := errors.New("disk full")
	raw := mixed(attachmentPart("x.bin", []byte("abc")))
	_, err := parseWith(t, email.Config{Sink: &memSink{fail: boom}}, raw)
	require.ErrorIs(t, err, boom)
}

func TestParseHonoursContext(t *testing.T) {
	p, err := email.NewParser(email.Config{})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = p.Parse(ctx, strings.NewReader(mixed("Content-Type: text/plain\r\n\r\nx")))
	require.ErrorIs(t, err, context.Canceled)
}

// countSink counts bytes and keeps nothing.
type countSink struct{}

func (countSink) Store(_ context.Context, _ email.Attachment, r io.Reader) (string, error) {
	n, err := io.Copy(io.Discard, r)
	return fmt.Sprint(n), err
}

// bigMessage returns a message with n attachments of size bytes each, base64 encoded.
func bigMessage(n, size int) []byte {
	var b bytes.Buffer
	b.WriteString("From: Ann <ann@example.com>\r\nTo: support@desk.example\r\nSubject: logs\r\nMessage-ID: <big@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"BIG\"\r\n\r\n--BIG\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe logs you asked for.\r\n")
	chunk := make([]byte, 57)
	for i := range n {
		fmt.Fprintf(&b, "--BIG\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"log%d.bin\"\r\n\r\n", i)
		for j := 0; j < size; j += len(chunk) {
			for k := range chunk {
				chunk[k] = byte(j + k + i)
			}
			b.WriteString(base64.StdEncoding.EncodeToString(chunk))
			b.WriteString("\r\n")
		}
	}
	b.WriteString("--BIG--\r\n")
	return b.Bytes()
}

func TestLargeMessageWithSinkStaysInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a 5.5 MB message")
	}
	raw := bigMessage(2, 2<<20)
	p, err := email.NewParser(email.Config{Sink: countSink{}})
	require.NoError(t, err)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := p.Parse(context.Background(), bytes.NewReader(raw))
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	require.Len(t, m.Attachments, 2)
	allocated := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, allocated, uint64(1<<20), "allocated %d bytes for a %d-byte message", allocated, len(raw))
}

// failingReader returns its data, then err instead of io.EOF.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestParseReturnsTheReadersError(t *testing.T) {
	boom := errors.New("connection reset")
	p, err := email.NewParser(email.Config{})
	require.NoError(t, err)
	for _, raw := range []string{
		"From: a@example.com\r\nSubj",
		"From: a@example.com\r\n\r\nhalf a body",
		mixed("Content-Type: text/plain\r\n\r\nfirst part")[:150],
		mixed(attachmentPart("a.bin", make([]byte, 3000)))[:1500],
	} {
		_, err := p.Parse(context.Background(), &failingReader{data: []byte(raw), err: boom})
		require.ErrorIs(t, err, boom, "a failing reader is not a short message: %q", raw[:20])
	}
}
