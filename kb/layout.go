package kb

import (
	"strings"
	"unicode/utf8"

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

// layoutTable maps the keys of one layout to the other's. Every key is ASCII
// or in the basic Cyrillic block, so two arrays hold the map.
type layoutTable struct {
	ascii    [utf8.RuneSelf]rune
	cyrillic [0x60]rune // U+0400 to U+045F
}

func layoutMap(from, to string) *layoutTable {
	f, t := []rune(from), []rune(to)
	m := &layoutTable{}
	for i, r := range f {
		if slot := m.slot(r); slot != nil && *slot == 0 {
			*slot = t[i]
		}
	}
	return m
}

// slot returns where the mapping of r is kept, or nil for a rune that is
// no key.
func (m *layoutTable) slot(r rune) *rune {
	switch {
	case r >= 0 && r < utf8.RuneSelf:
		return &m.ascii[r]
	case r >= 0x400 && r < 0x460:
		return &m.cyrillic[r-0x400]
	}
	return nil
}

// lookup returns the rune on the same key of the other layout.
func (m *layoutTable) lookup(r rune) (rune, bool) {
	if slot := m.slot(r); slot != nil && *slot != 0 {
		return *slot, true
	}
	return 0, false
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
		if to, ok := m.lookup(r); ok {
			r = to
		}
		b.WriteRune(r)
	}
	return b.String()
}
