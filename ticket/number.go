package ticket

import (
	"strconv"
	"strings"
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

// PrefixNumbers numbers tickets "<Prefix>-<n>" with n = First + seq - 1. The zero value
// numbers "SUP-1", "SUP-2", ...
type PrefixNumbers struct {
	Prefix string // letters and digits; default "SUP"
	First  int64  // the number of the first ticket; default 1
}

func (p PrefixNumbers) prefix() string {
	if p.Prefix == "" {
		return "SUP"
	}
	return p.Prefix
}

// Number returns "<Prefix>-<First+seq-1>".
func (p PrefixNumbers) Number(seq int64) string {
	first := p.First
	if first == 0 {
		first = 1
	}
	return p.prefix() + "-" + strconv.FormatInt(first+seq-1, 10)
}

// Find returns the first "<Prefix>-<digits>" in text that stands on its own: the prefix does
// not continue a longer word, the digits are followed by a non-alphanumeric character or the
// end, and the number fits in an int64. The prefix matches case-insensitively ("sup-7"), and
// the number is returned as Number writes it ("SUP-7", leading zeros dropped).
func (p PrefixNumbers) Find(text string) (string, bool) {
	prefix := p.prefix()
	for i := 0; i+len(prefix) < len(text); i++ {
		if i > 0 && isWordByte(text[i-1]) {
			continue
		}
		if !strings.EqualFold(text[i:i+len(prefix)], prefix) {
			continue
		}
		j := i + len(prefix)
		if j >= len(text) || text[j] != '-' {
			continue
		}
		k := j + 1
		for k < len(text) && text[k] >= '0' && text[k] <= '9' {
			k++
		}
		if k == j+1 || (k < len(text) && isWordByte(text[k])) {
			continue
		}
		n, err := strconv.ParseInt(text[j+1:k], 10, 64)
		if err != nil {
			continue
		}
		return prefix + "-" + strconv.FormatInt(n, 10), true
	}
	return "", false
}

func isWordByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b >= 0x80
}
