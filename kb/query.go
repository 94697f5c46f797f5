package kb

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// parsedQuery is a query split into whitespace-separated chunks.
type parsedQuery struct {
	text   string // sanitized and trimmed
	chunks []queryChunk
	// openEnd reports whether the text ends inside a word, so the last word
	// may be half typed.
	openEnd bool
}

type queryChunk struct {
	text    string
	exclude bool
}

// written returns the chunk as it is written in a query.
func (c queryChunk) written() string {
	if c.exclude {
		return "-" + c.text
	}
	return c.text
}

// parseQuery sanitizes text (invalid UTF-8 becomes a space), checks its
// length against maxRunes after trimming, and splits it into chunks. Unless
// literal is set, a chunk written -word whose word starts with a letter
// excludes; a minus before a digit or a sign ("-14", "-0x1F", "--") is
// content, since error codes and numbers are written that way. A blank text
// gives no chunks and no error.
func parseQuery(text string, maxRunes int, literal bool) (parsedQuery, error) {
	trimmed, err := checkQueryText(text, maxRunes)
	if trimmed == "" || err != nil {
		return parsedQuery{}, err
	}
	pq := parsedQuery{text: trimmed, chunks: make([]queryChunk, 0, countFields(trimmed))}
	start := -1
	for i, r := range trimmed {
		switch {
		case !isSpace(r):
			if start < 0 {
				start = i
			}
		case start >= 0:
			pq.chunks = append(pq.chunks, newChunk(trimmed[start:i], literal))
			start = -1
		}
	}
	pq.chunks = append(pq.chunks, newChunk(trimmed[start:], literal))
	// An invalid last byte decodes as utf8.RuneError, no word rune, as the
	// space it reads as would be.
	last, _ := utf8.DecodeLastRuneInString(text)
	pq.openEnd = isWordRune(last)
	return pq, nil
}

// newChunk reads one whitespace-free field of a query: -word excludes when
// the word starts with a letter and literal is not set.
func newChunk(f string, literal bool) queryChunk {
	if !literal && len(f) > 1 && f[0] == '-' {
		if r, _ := utf8.DecodeRuneInString(f[1:]); unicode.IsLetter(r) {
			return queryChunk{text: f[1:], exclude: true}
		}
	}
	return queryChunk{text: f}
}

// countFields returns the number of runs of non-space runes in s.
func countFields(s string) int {
	n, inField := 0, false
	for _, r := range s {
		space := isSpace(r)
		if !space && !inField {
			n++
		}
		inField = !space
	}
	return n
}

// checkQueryText returns text trimmed, with invalid UTF-8 replaced by
// spaces, or ErrInvalid when that is longer than maxRunes.
func checkQueryText(text string, maxRunes int) (string, error) {
	trimmed := strings.TrimSpace(strings.ToValidUTF8(text, " "))
	if utf8.RuneCountInString(trimmed) > maxRunes {
		return "", invalid("Text", "query longer than the limit")
	}
	return trimmed, nil
}

// isSpace is unicode.IsSpace written out for the loops that read every
// rune of a query: Cyrillic and the other letters answer without a table
// lookup. The white space of Unicode outside ASCII is U+0085, U+00A0,
// U+1680, U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F and U+3000.
func isSpace(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return r == ' ' || '\t' <= r && r <= '\r'
	case r < 0x2000:
		return r == 0x85 || r == 0xA0 || r == 0x1680
	case r <= 0x200A:
		return true
	}
	return r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000
}
