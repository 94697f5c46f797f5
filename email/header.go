package email

import (
	"bytes"
	"mime"
	"net/mail"
	"strings"
)

// Field is one header field as it came, unfolded: Name as written, Value undecoded (RFC 2047
// words are left in place; Header.Text decodes them).
type Field struct {
	Name  string // the field name, e.g. "Subject"
	Value string // the raw value with folding removed and surrounding space trimmed
}

// Header is a message's or a part's header fields in their order. Lookups are
// case-insensitive on the name.
type Header []Field

// Get returns the value of the first field named name, or "".
func (h Header) Get(name string) string {
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Has reports whether h has a field named name.
func (h Header) Has(name string) bool {
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

// Values returns the values of every field named name, in order; nil when none.
func (h Header) Values(name string) []string {
	var out []string
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			out = append(out, f.Value)
		}
	}
	return out
}

// Text returns the first field named name with RFC 2047 encoded words decoded to UTF-8,
// whatever their charset; words that cannot be decoded are kept as written.
func (h Header) Text(name string) string { return decodeWords(h.Get(name)) }

var wordDecoder = &mime.WordDecoder{CharsetReader: charsetReader}

// decodeWords decodes the RFC 2047 words of s. Undecodable words stay as they are, and raw
// 8-bit bytes (sent without encoding by broken clients) are decoded as detected.
func decodeWords(s string) string {
	if strings.Contains(s, "=?") {
		if d, err := wordDecoder.DecodeHeader(s); err == nil {
			s = d
		}
	}
	return toUTF8([]byte(s), "")
}

// parseHeader reads header fields from b (the bytes before the blank line). It is lenient:
// lines without a colon are skipped and a continuation line before any field is ignored.
func parseHeader(b []byte) Header {
	var h Header
	for len(b) > 0 {
		var line []byte
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			line, b = b, nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(h) > 0 {
				f := &h[len(h)-1]
				f.Value = strings.TrimSpace(f.Value + " " + strings.TrimSpace(string(line)))
			}
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			continue
		}
		name := string(bytes.TrimSpace(line[:colon]))
		if name == "" || strings.ContainsAny(name, " \t") {
			continue
		}
		h = append(h, Field{Name: name, Value: strings.TrimSpace(string(line[colon+1:]))})
	}
	return h
}

// Address is a mailbox: a display name (decoded) and a bare address.
type Address struct {
	Name    string // display name, decoded to UTF-8; "" when none
	Address string // the bare address, e.g. "ann@example.com"
}

// String formats a as for a header, encoding a non-ASCII name as RFC 2047 requires.
func (a Address) String() string {
	return (&mail.Address{Name: a.Name, Address: a.Address}).String()
}

var addressParser = &mail.AddressParser{WordDecoder: wordDecoder}

// addressList parses an address header leniently: raw 8-bit names are decoded as
// detected, encoded words are decoded even inside quotes, and an unparseable list gives
// the bare addresses found in it (with the name before "<" when there is one address).
func addressList(v string) []Address {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	if !isASCII([]byte(v)) {
		v = toUTF8([]byte(v), "")
	}
	list, err := addressParser.ParseList(v)
	if err != nil {
		found := scanAddresses(decodeWords(v), 0)
		if len(found) == 1 {
			if name, _, ok := strings.Cut(v, "<"); ok {
				found[0].Name = strings.Trim(strings.TrimSpace(decodeWords(name)), `"`)
			}
		}
		return found
	}
	out := make([]Address, 0, len(list))
	for _, a := range list {
		name := a.Name
		if strings.Contains(name, "=?") {
			name = decodeWords(name)
		}
		out = append(out, Address{Name: name, Address: a.Address})
	}
	return out
}

// scanAddresses finds up to max (0: any number) bare addresses in free text.
func scanAddresses(s string, max int) []Address {
	var out []Address
	for i := 0; i < len(s); i++ {
		if s[i] != '@' {
			continue
		}
		start := i
		for start > 0 && addrByte(s[start-1]) {
			start--
		}
		end := i + 1
		for end < len(s) && addrByte(s[end]) {
			end++
		}
		for end > i+1 && s[end-1] == '.' {
			end--
		}
		if start < i && end > i+1 && strings.Contains(s[i+1:end], ".") {
			out = append(out, Address{Address: s[start:end]})
			if max > 0 && len(out) == max {
				return out
			}
		}
		i = end - 1
	}
	return out
}

func addrByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte(".-_+=", c) >= 0
}

// msgIDs returns the message IDs in an In-Reply-To or References value, without angle
// brackets, in order, duplicates removed.
func msgIDs(v string) []string {
	var out []string
	for {
		i := strings.IndexByte(v, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(v[i:], '>')
		if j < 0 {
			break
		}
		id := strings.TrimSpace(v[i+1 : i+j])
		v = v[i+j+1:]
		if goodMsgID(id) && !contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		if f := strings.Fields(v); len(f) == 1 && strings.Contains(f[0], "@") && goodMsgID(f[0]) {
			out = append(out, f[0])
		}
	}
	return out
}

// maxLine is the longest line RFC 5322 allows in a message, without its CRLF.
const maxLine = 998

// goodMsgID reports whether id can stand between angle brackets in a header we write: not
// empty, at most 998 bytes, and without spaces, control characters (a bare CR would start
// a header of the sender's choosing) or angle brackets.
func goodMsgID(id string) bool {
	if id == "" || len(id) > maxLine {
		return false
	}
	for i := 0; i < len(id); i++ {
		if notIDByte(id[i]) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// rfc2231 reads parameter name of a header value written with RFC 2231 extended syntax
// (name*=charset'lang'%XX... or continuations name*0*=, name*1=...) in any charset, which
// mime.ParseMediaType leaves out when the charset is not UTF-8 or ASCII. It returns "" when
// the parameter is missing.
func rfc2231(v, name string) string {
	type seg struct {
		ext  bool
		text string
	}
	segs := map[int]seg{}
	maxN := -1
	for _, p := range strings.Split(v, ";")[1:] {
		key, val, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.Trim(strings.TrimSpace(val), `"`)
		rest, ok := strings.CutPrefix(key, strings.ToLower(name)+"*")
		if !ok {
			continue
		}
		ext := strings.HasSuffix(rest, "*") || rest == ""
		rest = strings.TrimSuffix(rest, "*")
		n := 0
		if rest != "" {
			var err error
			if n, err = atoi(rest); err != nil || n > 100 {
				continue
			}
		}
		segs[n] = seg{ext: ext, text: val}
		maxN = max(maxN, n)
	}
	if maxN < 0 {
		return ""
	}
	var charset string
	var raw []byte
	for i := 0; i <= maxN; i++ {
		s, ok := segs[i]
		if !ok {
			break
		}
		text := s.text
		if i == 0 && s.ext {
			parts := strings.SplitN(text, "'", 3)
			if len(parts) == 3 {
				charset, text = parts[0], parts[2]
			}
		}
		if s.ext {
			raw = append(raw, percentDecode(text)...)
		} else {
			raw = append(raw, text...)
		}
	}
	return toUTF8(raw, charset)
}

func atoi(s string) (int, error) {
	n := 0
	if s == "" {
		return 0, invalid("number", "empty")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, invalid("number", "not a digit")
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s)+0 && isHex(s[i+1]) && isHex(s[i+2]) {
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
