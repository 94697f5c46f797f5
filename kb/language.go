package kb

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// NewAnalyzer returns the analyzer for a language. Russian and English (and
// their regional variants) get word splitting, folding, Russian and English
// stop words and Snowball stemming; the stemmer is chosen per word by its
// script, so English terms inside Russian text (and the reverse) stem the same
// way as in a query. Any other language gets word splitting and folding only.
// The returned Analyzer is safe for concurrent use.
func NewAnalyzer(lang language.Tag) Analyzer {
	if stems(lang) {
		return Chain{Tokenizer: WordTokenizer{}, Filters: []TokenFilter{FoldFilter{}, StopFilter{Words: stopWords}, StemFilter{}}}
	}
	return Chain{Tokenizer: WordTokenizer{}, Filters: []TokenFilter{FoldFilter{}}}
}

// stems reports whether NewAnalyzer stems the language.
func stems(lang language.Tag) bool {
	base, _ := lang.Base()
	switch base.String() {
	case "ru", "en":
		return true
	}
	return false
}

// surfaceAnalyzer is NewAnalyzer's Russian and English chain without the
// stemmer: the MemoryIndex stems query words it has already indexed by
// looking them up in its vocabulary.
var surfaceAnalyzer = Chain{Tokenizer: WordTokenizer{}, Filters: []TokenFilter{FoldFilter{}, StopFilter{Words: stopWords}}}

var stopWords = StopWords()

// DetectLanguage guesses a query's language from its script: Russian when
// Cyrillic letters are the majority, English when there are Latin letters,
// and language.Und when there are neither.
func DetectLanguage(text string) language.Tag {
	cyr, lat := 0, 0
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf:
			if 'a' <= r|0x20 && r|0x20 <= 'z' {
				lat++
			}
		case 0x400 <= r && r <= 0x484 || unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.Is(unicode.Latin, r):
			lat++
		}
	}
	switch {
	case cyr > 0 && cyr >= lat:
		return language.Russian
	case lat > 0:
		return language.English
	}
	return language.Und
}
