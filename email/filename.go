package email

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFilename is the longest Attachment.Filename in bytes; maxExt is the longest
// extension, its dot included, that a cut keeps.
const (
	maxFilename = 255
	maxExt      = 16
)

// safeFilename returns a decoded file name as Attachment.Filename documents it.
func safeFilename(s string) string {
	s = strings.Map(visible, s)
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = trimName(s)
	if s == "" {
		return ""
	}
	if reservedOnWindows(s) {
		s = "_" + s
	}
	return trimName(capName(s))
}

// visible drops a rune that shows nothing or may show differently on each system: it
// keeps only graphic runes (letters, marks, numbers, punctuation, symbols and spaces) that
// are not default-ignorable. strings.Map turns invalid UTF-8 into U+FFFD, which is kept.
func visible(r rune) rune {
	if !unicode.IsGraphic(r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) {
		return -1
	}
	return r
}

// trimName removes leading spaces and trailing spaces and dots.
func trimName(s string) string {
	return strings.TrimRightFunc(strings.TrimLeftFunc(s, unicode.IsSpace), func(r rune) bool {
		return r == '.' || unicode.IsSpace(r)
	})
}

// reservedOnWindows reports whether s names a device on Windows: what precedes its first
// dot, trailing spaces ignored, is CON, PRN, AUX or NUL, or COM or LPT with a digit, in
// any case.
func reservedOnWindows(s string) bool {
	stem, _, _ := strings.Cut(s, ".")
	stem = strings.ToUpper(strings.TrimRightFunc(stem, unicode.IsSpace))
	switch stem {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if !strings.HasPrefix(stem, "COM") && !strings.HasPrefix(stem, "LPT") {
		return false
	}
	switch stem[3:] {
	case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
		return true
	}
	return false
}

// capName cuts s to maxFilename bytes at a rune boundary, keeping a short extension.
func capName(s string) string {
	if len(s) <= maxFilename {
		return s
	}
	if i := strings.LastIndexByte(s, '.'); i > 0 && len(s)-i <= maxExt {
		return cutRunes(s[:i], maxFilename-(len(s)-i)) + s[i:]
	}
	return cutRunes(s, maxFilename)
}

// cutRunes returns the longest prefix of the valid UTF-8 s that has at most n bytes.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
