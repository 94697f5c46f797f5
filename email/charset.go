package email

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// candidates are the single-byte charsets tried when a label is missing or wrong, Cyrillic
// first; windows-1252 stands for Western text.
var candidates = []struct {
	name string
	enc  *charmap.Charmap
}{
	{"windows-1251", charmap.Windows1251},
	{"koi8-r", charmap.KOI8R},
	{"iso-8859-5", charmap.ISO8859_5},
	{"ibm866", charmap.CodePage866},
	{"windows-1252", charmap.Windows1252},
}

// cyrillicLabels are the labels trusted as they are: a text so labelled is decoded with the
// label's charset unless it is valid UTF-8.
var cyrillicLabels = map[string]bool{
	"windows-1251": true, "koi8-r": true, "koi8-u": true, "iso-8859-5": true, "ibm866": true,
	"x-mac-cyrillic": true,
}

// charsetReader serves mime.WordDecoder: it decodes input labelled charset to UTF-8.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(io.LimitReader(input, 1<<20))
	if err != nil {
		return nil, err
	}
	return strings.NewReader(toUTF8(b, charset)), nil
}

// toUTF8 decodes b to UTF-8. label is the declared charset ("" when none). Valid UTF-8
// stays UTF-8 whatever the label says (a common mislabel); a Cyrillic label is trusted
// otherwise, unless the detected charset reads more like Russian (windows-1251 text
// labelled koi8-r, say); a missing, Western, ASCII or unknown label on 8-bit text makes
// the charset be detected among windows-1251, koi8-r, iso-8859-5, cp866 and windows-1252.
func toUTF8(b []byte, label string) string {
	if isASCII(b) {
		return string(b)
	}
	if utf8.Valid(b) {
		return string(b)
	}
	name := canonical(label)
	if cyrillicLabels[name] {
		if s, ok := decodeWith(name, b); ok {
			if d, score := detect(b); score > plausibility(s) {
				return d // a Cyrillic text under another Cyrillic label (koi8-r for windows-1251)
			}
			return s
		}
	}
	if name != "" && name != "utf-8" && name != "windows-1252" && name != "iso-8859-1" && name != "us-ascii" && !cyrillicLabels[name] {
		// a known charset that is neither Western nor Cyrillic (Greek, CJK...): trust it
		if s, ok := decodeWith(name, b); ok {
			return s
		}
	}
	if western(b) {
		if name == "iso-8859-1" || name == "" || name == "us-ascii" {
			name = "windows-1252" // a superset of Latin-1 that mail clients use under its name
		}
		if s, ok := decodeWith(name, b); ok {
			return s
		}
	}
	d, _ := detect(b)
	return d
}

// western reports whether b is mostly ASCII letters with a few 8-bit bytes (accents,
// dashes, quotes), as Western European text is; Russian text has more 8-bit bytes than
// ASCII letters.
func western(b []byte) bool {
	letters, high := 0, 0
	for _, c := range b {
		switch {
		case c >= utf8.RuneSelf:
			high++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		}
	}
	return high*4 < letters
}

// canonical returns the WHATWG name for label, "" when unknown or empty.
func canonical(label string) string {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	switch label {
	case "":
		return ""
	case "us-ascii", "ascii", "ansi_x3.4-1968":
		return "us-ascii"
	case "iso-8859-1", "latin1":
		return "iso-8859-1"
	case "utf8", "utf-8":
		return "utf-8"
	case "cp-866", "866":
		return "ibm866"
	}
	e, err := htmlindex.Get(label)
	if err != nil {
		return ""
	}
	name, err := htmlindex.Name(e)
	if err != nil {
		return ""
	}
	return strings.ToLower(name)
}

func decodeWith(name string, b []byte) (string, bool) {
	e, err := htmlindex.Get(name)
	if err != nil {
		return "", false
	}
	return decodeBytes(e, b)
}

func decodeBytes(e encoding.Encoding, b []byte) (string, bool) {
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return "", false
	}
	return string(out), true
}

// detect picks the candidate charset whose decoding of b reads most like Russian or
// Western text (see plausibility), and returns that decoding with its score.
func detect(b []byte) (string, int) {
	best, bestScore := "", -1<<31
	for _, c := range candidates {
		s, ok := decodeBytes(c.enc, b)
		if !ok {
			continue
		}
		if sc := plausibility(s); sc > bestScore {
			best, bestScore = s, sc
		}
	}
	if best == "" {
		best = strings.ToValidUTF8(string(b), "\uFFFD")
		return best, plausibility(best)
	}
	return best, bestScore
}

// russianFreq holds lower-case Russian letters from the most to the least frequent.
const russianFreq = "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё"

var letterWeight = func() map[rune]int {
	m := make(map[rune]int)
	n := utf8.RuneCountInString(russianFreq)
	i := 0
	for _, r := range russianFreq {
		m[r] = 2 + 6*(n-i)/n
		i++
	}
	return m
}()

// plausibility scores decoded text: Cyrillic letters score by their frequency in Russian
// (case aside), a lower-case letter after a capital inside a word is normal but a capital
// after a lower-case letter costs, as do a Cyrillic letter next to a Latin one, box
// drawing and other symbols. Latin text decoded as windows-1252 scores its accented
// letters lightly, so that Cyrillic wins when the bytes were Cyrillic.
func plausibility(s string) int {
	score := 0
	prev := ' '
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
		case unicode.Is(unicode.Cyrillic, r):
			score += letterWeight[unicode.ToLower(r)]
			if isLatin(prev) {
				score -= 6
			}
			if unicode.IsUpper(r) && unicode.IsLower(prev) {
				score -= 10
			}
		case unicode.IsLetter(r):
			if unicode.IsLower(r) && isLatin(prev) {
				score += 2
			} else {
				score -= 3
			}
		case strings.ContainsRune("«»—–№…“”’\u00a0", r):
			score++
		default:
			score -= 6
		}
		prev = r
	}
	return score
}

func isLatin(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
