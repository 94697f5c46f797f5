package kb

import "unicode/utf8"

// minRootRunes is the shortest root that rootOf strips a stem down to;
// shorter roots would join unrelated words ("банк" and "бан").
const minRootRunes = 4

// rootOf returns the root that a Russian Snowball stem shares with the
// other parts of speech of its word family, by rules Snowball lacks: a
// verb's theme vowel ("подключа" → "подключ"), the noun and participle
// suffix -ен/-ан ("подключен", "списан"), the noun suffix -к with or without
// its fleeting vowel ("ошибк", "ошибок" → "ошиб"; "доставк" → "достав"),
// and the л that a labial takes before it ("обновл" → "обнов"). Each rule
// applies at most once, in that order, and only while at least
// minRootRunes runes remain. Stems of other scripts are returned as they
// are. The roots join words of one family ("доставка", "доставить") and now
// and then two of different families; the MemoryIndex therefore weighs a
// match through a root below a match of the word itself (see
// Ranking.DerivedWeight).
func rootOf(stem string) string {
	if wordScript(stem) != scriptCyrillic {
		return stem
	}
	stem = stripSuffix(stem, "а", "я", "и", "е")
	if s := stripSuffix(stem, "ен", "ан", "ян"); s != stem {
		stem = s
	} else {
		stem = stripSuffix(stem, "ок", "ек", "к")
	}
	if n := len(stem); n >= 4 && stem[n-2:] == "л" {
		if r, _ := utf8.DecodeLastRuneInString(stem[:n-2]); r == 'в' || r == 'б' || r == 'м' || r == 'п' || r == 'ф' {
			stem = stripSuffix(stem, "л")
		}
	}
	return stem
}

// stripSuffix removes the first of suffixes that stem ends in, unless that
// leaves fewer than minRootRunes runes.
func stripSuffix(stem string, suffixes ...string) string {
	for _, suf := range suffixes {
		if len(stem) > len(suf) && stem[len(stem)-len(suf):] == suf {
			if rest := stem[:len(stem)-len(suf)]; utf8.RuneCountInString(rest) >= minRootRunes {
				return rest
			}
			return stem
		}
	}
	return stem
}
