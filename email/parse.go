package email

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Limits bound what one message may cost. The zero value is the documented defaults; a
// negative field is invalid. Going over MaxSize, MaxParts, MaxDepth, MaxHeader or
// MaxAttachment stops the parse with a *LimitError (wrapping ErrTooLarge); MaxText is a
// truncation, reported by Message.Truncated.
type Limits struct {
	// MaxSize is the most bytes read from the raw message. Default 32 MiB.
	MaxSize int64
	// MaxParts is the most MIME parts, the message itself counting as one. Default 500.
	MaxParts int
	// MaxDepth is the deepest nesting of multiparts and attached messages. Default 20.
	MaxDepth int
	// MaxHeader is the most bytes of one header block (the message's or a part's).
	// Default 256 KiB. The message's header is read within it; a part's header is read by
	// mime/multipart, which stops at 10 MiB (and 10,000 fields), and then checked.
	MaxHeader int
	// MaxAttachment is the most decoded bytes of one attachment. Default 25 MiB.
	MaxAttachment int64
	// MaxText is the most bytes of body text kept, for Text and HTML each; the rest of a
	// longer body is read and dropped, and Message.Truncated is set. Default 4 MiB.
	MaxText int
}

const (
	defaultMaxSize       = 32 << 20
	defaultMaxParts      = 500
	defaultMaxDepth      = 20
	defaultMaxHeader     = 256 << 10
	defaultMaxAttachment = 25 << 20
	defaultMaxText       = 4 << 20
)

func (l *Limits) fill() error {
	if l.MaxSize < 0 || l.MaxParts < 0 || l.MaxDepth < 0 || l.MaxHeader < 0 || l.MaxAttachment < 0 || l.MaxText < 0 {
		return invalid("Limits", "negative limit")
	}
	l.MaxSize = or(l.MaxSize, defaultMaxSize)
	l.MaxParts = or(l.MaxParts, defaultMaxParts)
	l.MaxDepth = or(l.MaxDepth, defaultMaxDepth)
	l.MaxHeader = or(l.MaxHeader, defaultMaxHeader)
	l.MaxAttachment = or(l.MaxAttachment, defaultMaxAttachment)
	l.MaxText = or(l.MaxText, defaultMaxText)
	return nil
}

func or[T int | int64](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// AttachmentSink receives attachments as they are decoded, so that a host can stream them
// to its own storage instead of holding them in memory. It must be safe for concurrent use
// when one Parser serves several goroutines.
type AttachmentSink interface {
	// Store reads the attachment's decoded content from r until EOF (or an error) and
	// returns the host's reference to it (a URL or a key), kept in Attachment.Ref. a carries
	// the metadata known before the content (Size is 0). r returns an error wrapping
	// ErrTooLarge past Limits.MaxAttachment; Store must return an error then (returning
	// r's error is enough). An error from Store stops the parse and is returned wrapped.
	Store(ctx context.Context, a Attachment, r io.Reader) (ref string, err error)
}

// Config configures a Parser. The zero value is the documented defaults.
type Config struct {
	// Limits bound a message's cost. Default: see Limits.
	Limits Limits
	// Sink receives attachment contents. Default nil: contents are kept in Attachment.Data.
	Sink AttachmentSink
}

// Parser turns raw RFC 5322 messages into Messages. It is safe for concurrent use. The zero
// Parser is one made by NewParser with the zero Config.
type Parser struct {
	cfg Config
}

// NewParser returns a Parser, or an error wrapping ErrInvalid for a negative limit.
func NewParser(cfg Config) (*Parser, error) {
	if err := cfg.Limits.fill(); err != nil {
		return nil, err
	}
	return &Parser{cfg: cfg}, nil
}

var defaultParser, _ = NewParser(Config{})

// Parse parses raw with the default Config. See Parser.Parse.
func Parse(raw []byte) (*Message, error) {
	return defaultParser.Parse(context.Background(), bytes.NewReader(raw))
}

// Message is a parsed mail message. Text and HTML are UTF-8 whatever the charsets of the
// parts were; Text is always the full text, quoted history included (see NewText for the
// new part).
type Message struct {
	Header     Header    // the top-level header fields, in order, undecoded
	From       Address   // the first From address; zero when missing or unreadable
	To         []Address // To recipients; nil when none
	Cc         []Address // Cc recipients; nil when none
	ReplyTo    []Address // Reply-To addresses; nil when none
	Subject    string    // decoded to UTF-8, trimmed
	Date       time.Time // zero when missing or unreadable
	MessageID  string    // without angle brackets; "" when missing
	InReplyTo  []string  // message IDs from In-Reply-To, without angle brackets
	References []string  // message IDs from References, oldest first
	// Text is the plain-text body: the text/plain parts (the plain alternative of each
	// multipart/alternative), or the text of the HTML when the message has no plain text.
	Text string
	// HTML is the HTML body decoded to UTF-8; "" when the message has none.
	HTML string
	// Attachments are the files and inline images, in message order; nil when none.
	Attachments []Attachment
	// Report is the delivery status of an RFC 3464 multipart/report; nil for other mail.
	Report *Report
	// Truncated reports that Text or HTML was cut at Limits.MaxText.
	Truncated bool
	// Defects lists what was malformed and worked around (a bad encoding, a missing
	// boundary...); nil when nothing was.
	Defects []string
	// Size is the number of raw bytes read.
	Size int64
	// htmlOnly is set when Text was made from HTML.
	htmlOnly bool
}

// Attachment is a file or inline image of a message.
type Attachment struct {
	// Filename is the decoded name (RFC 2047 or RFC 2231) made safe to store a file under
	// and to show:
	//   - every code point that is not visible is removed: control characters, format
	//     characters (Cf, such as the bidi override in "invoice\u202Efdp.exe" and zero-width
	//     spaces; an emoji sequence loses its joiners), line and paragraph separators,
	//     private-use code points, the other default-ignorable ones (such as U+3164) and
	//     those unassigned in the Unicode version Go knows;
	//   - only what follows the last slash or backslash is kept, so "../../x" and
	//     `C:\docs\x` give "x";
	//   - leading spaces are trimmed, and so are trailing spaces and dots, which Windows
	//     would drop on its own ("x.exe. " is stored there as "x.exe");
	//   - a name Windows reserves for a device (CON, PRN, AUX, NUL, COM0-9, LPT0-9, with any
	//     case and extension, such as "nul.txt") gets a leading "_";
	//   - it is at most 255 bytes, cut at a rune boundary; the cut is taken from before an
	//     extension of up to 16 bytes (its dot included), so a long "....pdf" still ends in
	//     ".pdf".
	// Other characters some file systems refuse (such as : * ? " < > | on Windows) are kept;
	// a host storing files under these names there must replace them. Filename is "" when
	// the part names none or nothing but dots and spaces is left of its name; a
	// message/rfc822 part without one is "message.eml".
	Filename    string
	ContentType string // media type, lower case, e.g. "image/png"
	ContentID   string // without angle brackets; set for inline images referred to as cid:
	Inline      bool   // Content-Disposition inline, or an image with a Content-ID
	Size        int64  // decoded bytes
	Data        []byte // the decoded content; nil when a Sink took it
	Ref         string // the Sink's reference; "" without a Sink
}

// Report is what a delivery status notification (RFC 3464) says.
type Report struct {
	ReportingMTA string            // the Reporting-MTA field's value; "" when missing
	Recipients   []RecipientStatus // one per recipient block
	// OriginalMessageID is the Message-ID of the message that was not delivered, from the
	// returned message or its headers; "" when not included.
	OriginalMessageID string
}

// RecipientStatus is one recipient's block of a delivery status notification.
type RecipientStatus struct {
	Address    string // from Final-Recipient (or Original-Recipient), without the "rfc822;" type
	Action     string // lower case: "failed", "delayed", "delivered", "relayed" or "expanded"
	Status     string // the status code, e.g. "5.1.1"
	Diagnostic string // Diagnostic-Code, as written; "" when missing
}

// Failed returns the addresses whose Action is "failed", in order.
func (r *Report) Failed() []string {
	if r == nil {
		return nil
	}
	var out []string
	for _, rs := range r.Recipients {
		if rs.Action == "failed" && rs.Address != "" {
			out = append(out, rs.Address)
		}
	}
	return out
}

// Parse reads one raw RFC 5322 message from r. It returns a *LimitError (wrapping
// ErrTooLarge) when the message goes over a limit, a *ValidationError (wrapping ErrInvalid)
// when r holds no header field at all, and r's or the Sink's error wrapped. Malformed parts
// (bad base64, a missing boundary, an unknown charset) never fail the parse: they are
// worked around and listed in Message.Defects. ctx is passed to the Sink and checked
// between parts.
func (p *Parser) Parse(ctx context.Context, r io.Reader) (*Message, error) {
	if p == nil {
		return nil, invalid("Parser", "not made by NewParser")
	}
	if p.cfg.Limits.MaxSize == 0 { // the zero Parser: NewParser fills every limit
		p = defaultParser
	}
	cr := &countingReader{r: r, max: p.cfg.Limits.MaxSize}
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(cr)
	defer func() {
		br.Reset(nil)
		readerPool.Put(br)
	}()
	hb, err := readHeaderBlock(br, p.cfg.Limits.MaxHeader)
	if err != nil {
		if le := limitErr(err); le != nil {
			return nil, le
		}
		return nil, fmt.Errorf("email: reading the header: %w", err)
	}
	h := parseHeader(hb)
	if len(h) == 0 {
		return nil, invalid("header", "no header fields")
	}
	m := &Message{Header: h}
	m.fillHeader()
	w := &walker{p: p, ctx: ctx, m: m}
	err = w.part(h, br, 0, nil)
	if err == nil && cr.err != nil {
		err = cr.err // a read error a lenient step worked around is still the reader's failure
	}
	if err != nil {
		if le := limitErr(err); le != nil {
			return nil, le
		}
		return nil, fmt.Errorf("email: reading the message: %w", err)
	}
	if m.Text == "" && m.HTML != "" {
		m.Text = htmlToText(m.HTML, false)
		m.htmlOnly = true
	}
	m.Size = cr.n
	return m, nil
}

func (m *Message) fillHeader() {
	h := m.Header
	if from := addressList(h.Get("From")); len(from) > 0 {
		m.From = from[0]
	}
	m.To = addressList(h.Get("To"))
	m.Cc = addressList(h.Get("Cc"))
	m.ReplyTo = addressList(h.Get("Reply-To"))
	m.Subject = strings.TrimSpace(h.Text("Subject"))
	if d, err := mail.ParseDate(h.Get("Date")); err == nil {
		m.Date = d
	}
	if ids := msgIDs(h.Get("Message-ID")); len(ids) > 0 {
		m.MessageID = ids[0]
	}
	m.InReplyTo = msgIDs(h.Get("In-Reply-To"))
	m.References = msgIDs(h.Get("References"))
}

func (m *Message) defect(s string) {
	if len(m.Defects) < 50 && !contains(m.Defects, s) {
		m.Defects = append(m.Defects, s)
	}
}

// countingReader counts bytes, fails past max, and keeps the first error of r other
// than io.EOF, so that a failing reader is never mistaken for a short message.
type countingReader struct {
	r   io.Reader
	n   int64
	max int64
	err error
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n > c.max {
		return 0, &LimitError{Limit: "MaxSize", Max: c.max}
	}
	if rest := c.max - c.n + 1; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		return n, &LimitError{Limit: "MaxSize", Max: c.max}
	}
	if err != nil && err != io.EOF && c.err == nil {
		c.err = err
	}
	return n, err
}

// readHeaderBlock reads lines up to and including the blank line that ends a header. A
// message without a blank line is all header.
func readHeaderBlock(br *bufio.Reader, max int) ([]byte, error) {
	var buf []byte
	for {
		line, err := br.ReadSlice('\n')
		if len(buf)+len(line) > max {
			return nil, &LimitError{Limit: "MaxHeader", Max: int64(max)}
		}
		buf = append(buf, line...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if t := bytes.TrimRight(line, "\r\n"); len(t) == 0 {
			return buf, nil
		}
	}
}

// walker walks a message's part tree, filling its Message.
type walker struct {
	p     *Parser
	ctx   context.Context
	m     *Message
	parts int
	plain strings.Builder
	html  strings.Builder
}

// alternative remembers which bodies one multipart/alternative has given.
type alternative struct{ plain, html bool }

func (w *walker) part(h Header, body io.Reader, depth int, alt *alternative) error {
	lim := &w.p.cfg.Limits
	w.parts++
	if w.parts > lim.MaxParts {
		return &LimitError{Limit: "MaxParts", Max: int64(lim.MaxParts)}
	}
	if depth > lim.MaxDepth {
		return &LimitError{Limit: "MaxDepth", Max: int64(lim.MaxDepth)}
	}
	if err := w.ctx.Err(); err != nil {
		return err
	}
	ct, params := w.mediaType(h.Get("Content-Type"))
	switch {
	case strings.HasPrefix(ct, "multipart/"):
		boundary := params["boundary"]
		if boundary == "" {
			w.m.defect("multipart without boundary")
			return w.leaf(h, "text/plain", params, body, alt)
		}
		return w.multipart(ct, params, boundary, body, depth)
	case ct == "message/delivery-status" || ct == "message/global-delivery-status":
		return w.deliveryStatus(h, body)
	case ct == "text/rfc822-headers" || (ct == "message/rfc822" || ct == "message/global") && w.m.Report != nil:
		return w.returnedHeaders(h, body)
	}
	return w.leaf(h, ct, params, body, alt)
}

// mediaType parses a Content-Type leniently: a missing or broken one is text/plain, with
// the parameters that could be read.
func (w *walker) mediaType(v string) (string, map[string]string) {
	if v == "" {
		return "text/plain", map[string]string{}
	}
	ct, params, err := mime.ParseMediaType(v)
	if err != nil {
		w.m.defect("bad Content-Type")
		ct = strings.ToLower(strings.TrimSpace(strings.SplitN(v, ";", 2)[0]))
		params = looseParams(v)
		if !strings.Contains(ct, "/") {
			ct = "text/plain"
		}
	}
	return ct, params
}

// looseParams reads name=value parameters from a header value mime.ParseMediaType refused.
func looseParams(v string) map[string]string {
	out := map[string]string{}
	for _, p := range strings.Split(v, ";")[1:] {
		name, value, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		out[strings.ToLower(strings.TrimSpace(name))] = strings.Trim(strings.TrimSpace(value), `"`)
	}
	return out
}

func (w *walker) multipart(ct string, params map[string]string, boundary string, body io.Reader, depth int) error {
	var alt *alternative
	if ct == "multipart/alternative" {
		alt = &alternative{}
	}
	if ct == "multipart/report" && strings.Contains(strings.ToLower(params["report-type"]), "delivery-status") && w.m.Report == nil {
		w.m.Report = &Report{}
	}
	mr := multipart.NewReader(body, boundary)
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var le *LimitError
			if errors.As(err, &le) {
				return le
			}
			w.m.defect("broken multipart: " + firstLine(err.Error()))
			return nil
		}
		h := fromMIMEHeader(p.Header)
		if n := headerSize(h); n > w.p.cfg.Limits.MaxHeader {
			return &LimitError{Limit: "MaxHeader", Max: int64(w.p.cfg.Limits.MaxHeader)}
		}
		if err := w.part(h, p, depth+1, alt); err != nil {
			return err
		}
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func fromMIMEHeader(mh map[string][]string) Header {
	var h Header
	for name, vs := range mh {
		for _, v := range vs {
			h = append(h, Field{Name: name, Value: strings.TrimSpace(v)})
		}
	}
	return h
}

func headerSize(h Header) int {
	n := 0
	for _, f := range h {
		n += len(f.Name) + len(f.Value) + 4
	}
	return n
}

// decoded returns body with its Content-Transfer-Encoding undone.
func (w *walker) decoded(h Header, body io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &base64Filter{r: body})
	case "quoted-printable":
		return quotedprintable.NewReader(body)
	}
	return body
}

// base64Filter drops white space, ends the data where the encoded lines end (at a blank
// line after them, a line of dashes or underscores, a line holding a character that is not
// base64, or a character after the padding: a signature or footer a list server appended,
// garbage), accepts the URL-safe alphabet, and completes a missing padding, so that sloppy
// encoders still decode. The appended line is dropped whole, so no part of it is decoded.
type base64Filter struct {
	r    io.Reader
	br   *bufio.Reader
	line []byte // the current line's data, not yet read
	buf  []byte // holds line, reused
	err  error  // the reader's error, other than io.EOF
	done bool
	pad  int
	n    int // alphabet characters passed, to complete the padding at the end
}

func (f *base64Filter) Read(p []byte) (int, error) {
	if f.br == nil {
		f.br = bufio.NewReaderSize(f.r, 4096)
	}
	for len(f.line) == 0 {
		if f.err != nil {
			return 0, f.err
		}
		if f.done {
			return f.finish(p)
		}
		line, err := f.br.ReadSlice('\n')
		f.take(line)
		if err == io.EOF {
			f.done = true
		} else if err != nil && err != bufio.ErrBufferFull {
			f.err = err // returned once the line's data is read
		}
	}
	n := copy(p, f.line)
	f.line = f.line[n:]
	return n, nil
}

// take keeps the data of one line (or of a part of a line too long for the buffer).
func (f *base64Filter) take(line []byte) {
	t := bytes.TrimSpace(line)
	switch {
	case len(t) == 0:
		f.done = f.n > 0 // a blank line after the data ends it
		return
	case len(bytes.Trim(t, "-_")) == 0 || f.pad > 0 && t[0] != '=' || !allBase64(t):
		f.done = true // a rule, a signature, text, or data after the padding: not decoded
		return
	}
	out := f.buf[:0]
	defer func() { f.buf = out[:0] }()
	for _, c := range t {
		switch {
		case c == '=':
			f.pad++
			out = append(out, c)
			continue
		case f.pad > 0:
			f.line, f.done = out, true // a character after the padding: the data ended
			return
		case c == '-':
			c = '+'
		case c == '_':
			c = '/'
		}
		f.n++
		out = append(out, c)
	}
	f.line = out
}

// looksBase64 reports whether the first non-blank line of b holds only base64 characters,
// as every line of an encoded part does; a text part labelled base64 whose first line does
// not is text under a wrong label (the filter would stop at once and decode nothing).
func looksBase64(b []byte) bool {
	for line := range bytes.Lines(b) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		return allBase64(line)
	}
	return true
}

// allBase64 reports whether every byte of t is a base64 character.
func allBase64(t []byte) bool {
	for _, c := range t {
		if !base64Chars[c] {
			return false
		}
	}
	return true
}

// base64Chars holds the characters of the standard and URL-safe alphabets and the padding.
var base64Chars = func() (t [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_") {
		t[c] = true
	}
	return t
}()

// finish pads a truncated final quantum so that its complete bytes decode, then ends.
func (f *base64Filter) finish(p []byte) (int, error) {
	if f.pad == 0 && f.n%4 != 0 && f.n%4 != 1 && len(p) >= 4-f.n%4 {
		k := 4 - f.n%4
		for i := range k {
			p[i] = '='
		}
		f.pad = k
		return k, nil
	}
	return 0, io.EOF
}

func (w *walker) leaf(h Header, ct string, params map[string]string, body io.Reader, alt *alternative) error {
	disp, dparams := w.disposition(h.Get("Content-Disposition"))
	filename := decodeWords(firstNonEmpty(dparams["filename"], params["name"]))
	if filename == "" {
		filename = rfc2231(h.Get("Content-Disposition"), "filename")
	}
	if filename == "" {
		filename = rfc2231(h.Get("Content-Type"), "name")
	}
	isText := ct == "text/plain" || ct == "text/html"
	if isText && disp != "attachment" && filename == "" {
		return w.text(h, ct, params, body, alt)
	}
	filename = safeFilename(filename)
	if ct == "message/rfc822" && filename == "" {
		filename = "message.eml"
	}
	a := Attachment{Filename: filename, ContentType: ct, ContentID: firstID(h.Get("Content-ID"))}
	a.Inline = disp == "inline" || disp == "" && a.ContentID != "" && strings.HasPrefix(ct, "image/")
	return w.attachment(a, w.decoded(h, body))
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func firstID(v string) string {
	if ids := msgIDs(v); len(ids) > 0 {
		return ids[0]
	}
	return strings.Trim(strings.TrimSpace(v), "<>")
}

func (w *walker) disposition(v string) (string, map[string]string) {
	if v == "" {
		return "", map[string]string{}
	}
	d, params, err := mime.ParseMediaType(v)
	if err != nil {
		w.m.defect("bad Content-Disposition")
		return strings.ToLower(strings.TrimSpace(strings.SplitN(v, ";", 2)[0])), looseParams(v)
	}
	return d, params
}

func (w *walker) text(h Header, ct string, params map[string]string, body io.Reader, alt *alternative) error {
	lim := w.p.cfg.Limits.MaxText
	buf, out := getBuffer(), getBuffer()
	defer putBuffer(buf)
	defer putBuffer(out)
	_, err := buf.ReadFrom(io.LimitReader(body, 3*int64(lim)+4096)) // an encoding at most triples the size
	if le := limitErr(err); le != nil {
		return le
	}
	if err := drain(body); err != nil {
		return err
	}
	b := buf.Bytes()
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "quoted-printable":
		b = decodeQP(b)
	case "base64":
		if !looksBase64(b) {
			w.m.defect("bad transfer encoding") // plain text under a wrong label: keep it as it is
			break
		}
		if _, err := out.ReadFrom(base64.NewDecoder(base64.StdEncoding, &base64Filter{r: bytes.NewReader(b)})); err != nil {
			w.m.defect("bad transfer encoding")
		}
		b = out.Bytes()
	}
	if len(b) > lim {
		b = trimPartialRune(b[:lim])
		w.m.Truncated = true
	}
	s := toUTF8(b, params["charset"])
	if ct == "text/plain" && strings.EqualFold(params["format"], "flowed") {
		s = unflow(s, strings.EqualFold(params["delsp"], "yes"))
	}
	if ct == "text/html" {
		if alt != nil && alt.html || w.html.Len() >= lim {
			return nil
		}
		if alt != nil {
			alt.html = true
		}
		w.html.WriteString(s)
		w.m.HTML = truncate(w.html.String(), lim, w.m)
		return nil
	}
	if alt != nil && alt.plain || w.plain.Len() >= lim {
		return nil
	}
	if alt != nil {
		alt.plain = true
	}
	if w.plain.Len() > 0 {
		w.plain.WriteString("\n")
	}
	w.plain.WriteString(strings.ReplaceAll(s, "\r\n", "\n"))
	w.m.Text = truncate(w.plain.String(), lim, w.m)
	return nil
}

// decodeQP decodes quoted-printable leniently, in one pass and in place (raw is
// overwritten): soft line breaks are joined,
// "=XX" becomes its byte, an "=" not followed by two hex digits stays as it is, and
// unencoded white space at line ends (transport padding) is dropped.
func decodeQP(raw []byte) []byte {
	j := 0    // raw[:j] is the decoded text; j never passes the read position i
	kept := 0 // raw[:kept] ends with an encoded byte, which line-end trimming keeps
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '=':
			if i+2 < len(raw) {
				if hi, lo := hexValue[raw[i+1]], hexValue[raw[i+2]]; hi >= 0 && lo >= 0 {
					raw[j] = byte(hi<<4 | lo)
					j++
					kept = j
					i += 2
					continue
				}
			}
			if i+1 < len(raw) && (raw[i+1] == '\n' || raw[i+1] == '\r') { // soft line break
				i++
				if raw[i] == '\r' && i+1 < len(raw) && raw[i+1] == '\n' {
					i++
				}
				continue
			}
			if i+1 == len(raw) {
				continue
			}
		case '\r', '\n':
			for j > kept && (raw[j-1] == ' ' || raw[j-1] == '\t') {
				j--
			}
		}
		raw[j] = c
		j++
	}
	return raw[:j]
}

// hexValue maps a byte to its value as a hex digit, -1 when it is none.
var hexValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = int8(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = int8(c - 'a' + 10)
		t[c-'a'+'A'] = int8(c - 'a' + 10)
	}
	return t
}()

// Buffers and readers reused across parses: a text part is decoded in a pooled buffer
// and copied out once, as a string.
var (
	bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 16<<10) }}
)

func getBuffer() *bytes.Buffer {
	b := bufferPool.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// putBuffer returns b to the pool unless it grew past 1 MiB, which would pin the memory
// of one large message.
func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		bufferPool.Put(b)
	}
}

// trimPartialRune drops the bytes of a UTF-8 character cut at the end of b, so that a
// truncated UTF-8 text is still read as UTF-8.
func trimPartialRune(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	for k := 1; k <= 3 && k < len(b); k++ {
		if utf8.Valid(b[:len(b)-k]) {
			return b[:len(b)-k]
		}
	}
	return b
}

func truncate(s string, lim int, m *Message) string {
	if len(s) <= lim {
		return s
	}
	m.Truncated = true
	s = s[:lim]
	return strings.ToValidUTF8(s, "")
}

func limitErr(err error) *LimitError {
	var le *LimitError
	if errors.As(err, &le) {
		return le
	}
	return nil
}

// drain reads r to its end, passing on only a limit error (the rest of a broken part is
// dropped).
func drain(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	if le := limitErr(err); le != nil {
		return le
	}
	return nil
}

func (w *walker) attachment(a Attachment, r io.Reader) error {
	lim := w.p.cfg.Limits.MaxAttachment
	lr := &attachmentReader{r: r, max: lim}
	if sink := w.p.cfg.Sink; sink != nil {
		ref, err := sink.Store(w.ctx, a, lr)
		if lr.err != nil {
			return lr.err
		}
		if err != nil {
			return &sinkError{err: err}
		}
		if err := drain(lr); err != nil {
			return err
		}
		a.Ref, a.Size = ref, lr.n
		w.m.Attachments = append(w.m.Attachments, a)
		return nil
	}
	data, err := io.ReadAll(lr)
	if lr.err != nil {
		return lr.err
	}
	if err != nil {
		if le := limitErr(err); le != nil {
			return le
		}
		w.m.defect("bad transfer encoding")
	}
	a.Data, a.Size = data, int64(len(data))
	w.m.Attachments = append(w.m.Attachments, a)
	return nil
}

// sinkError wraps an AttachmentSink's error.
type sinkError struct{ err error }

func (e *sinkError) Error() string { return "email: attachment sink: " + e.err.Error() }
func (e *sinkError) Unwrap() error { return e.err }

// attachmentReader counts decoded bytes and fails past max. A decoding error (bad base64)
// ends the content quietly; a limit error of the raw stream is kept in err.
type attachmentReader struct {
	r   io.Reader
	n   int64
	max int64
	err error
}

func (a *attachmentReader) Read(p []byte) (int, error) {
	if a.err != nil {
		return 0, a.err
	}
	n, err := a.r.Read(p)
	a.n += int64(n)
	if a.n > a.max {
		a.err = &LimitError{Limit: "MaxAttachment", Max: a.max}
		return n, a.err
	}
	if err != nil && err != io.EOF {
		if le := limitErr(err); le != nil {
			a.err = le
			return n, le
		}
		return n, io.EOF
	}
	return n, err
}

// deliveryStatus reads an RFC 3464 message/delivery-status part: a per-message block, then
// one block per recipient.
func (w *walker) deliveryStatus(h Header, body io.Reader) error {
	b, err := io.ReadAll(io.LimitReader(w.decoded(h, body), int64(w.p.cfg.Limits.MaxHeader)))
	if le := limitErr(err); le != nil {
		return le
	}
	if err := drain(body); err != nil {
		return err
	}
	if w.m.Report == nil {
		w.m.Report = &Report{}
	}
	rep := w.m.Report
	blocks := bytes.Split(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\n\n"))
	for i, blk := range blocks {
		f := parseHeader(blk)
		if i == 0 && rep.ReportingMTA == "" {
			rep.ReportingMTA = typed(f.Get("Reporting-MTA"))
		}
		addr := typed(firstNonEmpty(f.Get("Final-Recipient"), f.Get("Original-Recipient")))
		if addr == "" {
			continue
		}
		rep.Recipients = append(rep.Recipients, RecipientStatus{
			Address:    strings.Trim(addr, "<>"),
			Action:     strings.ToLower(strings.TrimSpace(f.Get("Action"))),
			Status:     firstField(f.Get("Status")),
			Diagnostic: f.Get("Diagnostic-Code"),
		})
	}
	return nil
}

func firstField(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// typed strips the "rfc822;" or "dns;" type of a DSN field.
func typed(v string) string {
	if _, after, ok := strings.Cut(v, ";"); ok {
		return strings.TrimSpace(after)
	}
	return strings.TrimSpace(v)
}

// returnedHeaders reads the header of a message returned in a report, for its Message-ID.
func (w *walker) returnedHeaders(h Header, body io.Reader) error {
	br := bufio.NewReader(w.decoded(h, body))
	hb, err := readHeaderBlock(br, w.p.cfg.Limits.MaxHeader)
	if le := limitErr(err); le != nil {
		return le
	}
	if err := drain(body); err != nil {
		return err
	}
	if ids := msgIDs(parseHeader(hb).Get("Message-ID")); len(ids) > 0 && w.m.Report != nil {
		w.m.Report.OriginalMessageID = ids[0]
	}
	return nil
}
