package kb

import (
	"strings"

	"golang.org/x/text/language"
)

// Keyboard rows of the US QWERTY and Russian ЙЦУКЕН layouts, key for key.
const (
	latinKeys    = "`qwertyuiop[]asdfghjkl;'zxcvbnm,./~QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>?"
	cyrillicKeys = "ёйцукенгшщзхъфывапролджэячсмитьбю.ЁЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,"
)

var (
	toCyrillic = layoutMap(latinKeys, cyrillicKeys)
	toLatin    = layoutMap(cyrillicKeys, latinKeys)
)

func layoutMap(from, to string) map[rune]rune {
	f, t := []rune(from), []rune(to)
	m := make(map[rune]rune, len(f))
	for i, r := range f {
		if _, ok := m[r]; !ok {
			m[r] = t[i]
		}
	}
	return m
}

// SwitchLayout returns s as it would have been typed with the other keyboard
// layout: text with Cyrillic letters is mapped to QWERTY keys, anything else
// to ЙЦУКЕН keys ("ghbdtn" → "привет", "сщьзгеук" → "computer"). Characters
// with no key on the other layout are kept.
func SwitchLayout(s string) string {
	m := toCyrillic
	if DetectLanguage(s) == language.Russian {
		m = toLatin
	}
	var b strings.Builder
	b.Grow(len(s) * 2)
	for _, r := range s {
		if to, ok := m[r]; ok {
			r = to
		}
		b.WriteRune(r)
	}
	return b.String()
}
