package ticket

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NumberGenerator turns the store's ticket sequence (1, 2, 3, ...) into human ticket numbers
// and finds such a number in free text, typically an email subject ("Re: [SUP-1042] Printer").
// Implementations must be safe for concurrent use and must give distinct numbers for distinct
// sequence values.
type NumberGenerator interface {
	// Number returns the human number for sequence value seq (seq >= 1).
	Number(seq int64) string
	// Find returns the first ticket number in text, and whether there was one.
	Find(text string) (string, bool)
}

// PrefixNumbers numbers tickets "<Prefix>-<n>" with n = First + seq - 1, worked out as an
// unsigned 64-bit number: every First and seq from 1 to math.MaxInt64 gives a distinct n
// below 2^64, which Find reads back. The zero value numbers "SUP-1", "SUP-2", ...
type PrefixNumbers struct {
	// Prefix is the text before the dash: ASCII letters and digits only (NewService rejects
	// anything else). Default "SUP".
	Prefix string
	// First is the number of the first ticket; it must not be negative. Default (0) 1.
	First int64
}

func (p PrefixNumbers) prefix() string {
	if p.Prefix == "" {
		return "SUP"
	}
	return p.Prefix
}

// Number returns "<Prefix>-<First+seq-1>". The sum never overflows (see PrefixNumbers); a
// seq below 1, which the Store contract rules out, still gives a number Find reads.
func (p PrefixNumbers) Number(seq int64) string {
	first := uint64(p.First)
	if first == 0 {
		first = 1
	}
	return p.prefix() + "-" + strconv.FormatUint(first+uint64(seq)-1, 10)
}

// Find returns the first "<Prefix>-<digits>" in text that stands on its own: the prefix does
// not continue a longer word, the digits are followed by a character that is not part of a
// word or by the end, and the number is below 2^64 (so every number Number writes is found). Word characters are Unicode letters,
// digits and combining marks, and '_'; anything else, including non-ASCII punctuation such
// as « » or —, separates the number ("Re: «SUP-5» принтер" finds "SUP-5"). The prefix
// matches case-insensitively ("sup-7"), and the number is returned as Number writes it
// ("SUP-7", leading zeros dropped). The dashes and full-width forms that editors and
// phones put in typed text read as their ASCII forms ("SUP–7", "ＳＵＰ－７").
func (p PrefixNumbers) Find(text string) (string, bool) {
	text = asciiNumberText(text)
	prefix := p.prefix()
	for i := 0; i+len(prefix) < len(text); i++ {
		j := i + len(prefix) // < len(text)
		if text[j] != '-' || !strings.EqualFold(text[i:j], prefix) || wordBefore(text, i) {
			continue
		}
		k := j + 1
		for k < len(text) && text[k] >= '0' && text[k] <= '9' {
			k++
		}
		if k == j+1 || wordAt(text, k) {
			continue
		}
		n, err := strconv.ParseUint(text[j+1:k], 10, 64)
		if err != nil {
			continue
		}
		return prefix + "-" + strconv.FormatUint(n, 10), true
	}
	return "", false
}

// wordBefore reports whether the rune that ends at byte i of text is a word character
// (false at the start).
func wordBefore(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return isWordRune(r)
}

// wordAt reports whether the rune that starts at byte i of text is a word character (false
// at the end).
func wordAt(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return isWordRune(r)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// asciiNumberText returns text with the Unicode dashes and minus signs read as '-' and the
// full-width forms of ASCII (U+FF01 to U+FF5E) as ASCII. strings.Map returns text itself,
// without copying, when nothing in it maps.
func asciiNumberText(text string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0x2010 && r <= 0x2015, r == 0x2212, r == 0xFE58, r == 0xFE63:
			return '-'
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFF01 + '!'
		}
		return r
	}, text)
}
