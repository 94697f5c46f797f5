package ticket

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Erasure finds a person's data in free text written any way: in compatibility forms
// (full-width "Ａｎｎ"), with ё written as е, in any case, and with any kind of space.
// Text is folded for matching (NFKC, then ё→е), and a match found in the folded text is
// mapped back to the bytes of the original it came from.

// foldYo replaces ё with е, as Russian text is often written.
func foldYo(r rune) rune {
	switch r {
	case 'ё':
		return 'е'
	case 'Ё':
		return 'Е'
	}
	return r
}

// foldString returns s in NFKC with ё written as е.
func foldString(s string) string {
	return strings.Map(foldYo, norm.NFKC.String(s))
}

// folded is a text folded for matching, with the way back to the original.
type folded struct {
	s    string
	segs []foldSeg // ascending; nil when s is the original itself
}

// foldSeg is one normalization segment: folded bytes from f come from original bytes
// [o, end).
type foldSeg struct{ f, o, end int }

// foldText folds s segment by segment (NFKC works on segments independently, so the whole
// is the concatenation of the parts).
func foldText(s string) folded {
	if norm.NFKC.IsNormalString(s) && !strings.ContainsAny(s, "ёЁ") {
		return folded{s: s}
	}
	var b strings.Builder
	var segs []foldSeg
	for i := 0; i < len(s); {
		n := norm.NFKC.NextBoundaryInString(s[i:], true)
		if n <= 0 {
			n = len(s) - i
		}
		segs = append(segs, foldSeg{f: b.Len(), o: i, end: i + n})
		b.WriteString(foldString(s[i : i+n]))
		i += n
	}
	return folded{s: b.String(), segs: segs}
}

// original returns the original bytes that the folded bytes [i, j) come from.
func (f folded) original(i, j int) (int, int) {
	if f.segs == nil {
		return i, j
	}
	a := sort.Search(len(f.segs), func(k int) bool { return f.segs[k].f > i }) - 1
	b := sort.Search(len(f.segs), func(k int) bool { return f.segs[k].f >= j }) - 1
	return f.segs[max(a, 0)].o, f.segs[max(b, 0)].end
}

// skeleton is what Mentions compares: s folded, lower-cased, with only its letters, marks and
// digits kept, so that a term is found however the text spaces, punctuates or writes it
// ("8 (495) 123-45-67" holds "4567", "ANN LEE" holds "ann\u00a0lee").
func skeleton(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii && !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				return r + 'a' - 'A'
			}
			if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
				return r
			}
			return -1
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			return unicode.ToLower(foldYo(r))
		}
		return -1
	}, s)
}
