package kb

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/russian"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Token is one unit of analysed text. Start and End are rune offsets of the
// token in the original text (End exclusive); Pos is the token's ordinal
// position, used for phrase and proximity matching. Filters rewrite Text and
// keep the offsets, so a highlight always points at what the user wrote.
type Token struct {
	// Text is the token as the filters left it (lower-cased, stemmed...).
	Text string
	// Pos is the ordinal of the token's word in the text, from 0: the parts of
	// a compound word ("e-mail") share the word's Pos, and filters that drop
	// tokens keep the others' positions.
	Pos int
	// Start is the rune offset of the token's first rune in the original text.
	Start int
	// End is the rune offset just past the token's last rune (exclusive).
	End int
}

// Tokenizer splits text into tokens. Implementations must be safe for
// concurrent use and must not panic on any input, including invalid UTF-8.
type Tokenizer interface {
	// Tokenize returns the tokens of text in order, with Pos counting from 0
	// and Start/End as rune offsets into text. Empty or token-free text gives
	// an empty result, never an error.
	Tokenize(text string) []Token
}

// TokenFilter rewrites a token stream: it may change, drop or add tokens. It
// may reuse the slice it is given. Implementations must be safe for
// concurrent use.
type TokenFilter interface {
	// Filter returns the rewritten stream. It may modify and return the
	// given slice; callers must use only the returned slice.
	Filter(tokens []Token) []Token
}

// Analyzer turns text into the tokens that are indexed or searched.
// Implementations must be safe for concurrent use.
type Analyzer interface {
	// Analyze returns the tokens of text, with offsets into text. It never
	// panics, whatever the input.
	Analyze(text string) []Token
}

// Chain is an Analyzer made of a Tokenizer followed by TokenFilters applied in
// order. A Chain is safe for concurrent use when its parts are.
type Chain struct {
	// Tokenizer splits the text. Default: WordTokenizer.
	Tokenizer Tokenizer
	// Filters run over the tokens in order.
	Filters []TokenFilter
}

// Analyze tokenizes text and runs every filter over the tokens.
func (c Chain) Analyze(text string) []Token {
	tok := c.Tokenizer
	if tok == nil {
		tok = WordTokenizer{}
	}
	tokens := tok.Tokenize(text)
	for _, f := range c.Filters {
		tokens = f.Filter(tokens)
	}
	return tokens
}

// WordTokenizer splits text on Unicode word boundaries: a word is a run of
// letters, digits and combining marks. A joiner (. - _ @ + ' ’) between two
// word characters does not split, so error codes (0x80070005), versions
// (1.2.3), e-mail addresses and hyphenated words stay whole; for a compound
// word that has letters (wi-fi, user@example.com) the parts are also emitted
// at the same position. Invalid UTF-8 bytes count as separators.
type WordTokenizer struct{}

// Tokenize implements Tokenizer.
func (WordTokenizer) Tokenize(text string) []Token {
	tokens := make([]Token, 0, len(text)/8+1)
	pos, runeAt := 0, 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			runeAt++
			continue
		}
		start, startRune := i, runeAt
		compound := false
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if isWordRune(r) {
				i += size
				runeAt++
				continue
			}
			if isJoiner(r) && i+size < len(text) {
				if next, _ := utf8.DecodeRuneInString(text[i+size:]); isWordRune(next) {
					i += size
					runeAt++
					compound = true
					continue
				}
			}
			break
		}
		tokens = append(tokens, Token{Text: text[start:i], Pos: pos, Start: startRune, End: runeAt})
		if compound {
			tokens = appendParts(tokens, text[start:i], startRune, pos)
		}
		pos++
	}
	return tokens
}

// appendParts emits the parts of a compound word that contains letters.
func appendParts(tokens []Token, word string, startRune, pos int) []Token {
	if strings.IndexFunc(word, unicode.IsLetter) < 0 {
		return tokens
	}
	partStart, partRune, runeAt := 0, startRune, startRune
	for i, r := range word {
		if isJoiner(r) {
			if i > partStart {
				tokens = append(tokens, Token{Text: word[partStart:i], Pos: pos, Start: partRune, End: runeAt})
			}
			partStart, partRune = i+utf8.RuneLen(r), runeAt+1
		}
		runeAt++
	}
	if partStart < len(word) {
		tokens = append(tokens, Token{Text: word[partStart:], Pos: pos, Start: partRune, End: runeAt})
	}
	return tokens
}

func isWordRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return 'a' <= r|0x20 && r|0x20 <= 'z' || '0' <= r && r <= '9'
	case 'А' <= r && r <= 'я' || r == 'ё' || r == 'Ё':
		return true
	}
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

func isJoiner(r rune) bool {
	switch r {
	case '.', '-', '_', '@', '+', '\'', '’':
		return true
	}
	return false
}

// FoldFilter normalizes every token with NFKC, Unicode case folding and
// ё → е (and ’ → '). It drops a token only when folding leaves it empty.
type FoldFilter struct{}

var caserPool = sync.Pool{New: func() any { c := cases.Fold(); return &c }}

// Filter implements TokenFilter.
func (FoldFilter) Filter(tokens []Token) []Token {
	out := tokens[:0]
	for _, t := range tokens {
		t.Text = Fold(t.Text)
		if t.Text != "" {
			out = append(out, t)
		}
	}
	return out
}

// Fold returns s with NFKC normalization, Unicode case folding and ё folded
// to е. It is the normalization every index term goes through.
func Fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	if f, ok := foldSimple(s); ok {
		return f
	}
	s = norm.NFKC.String(s)
	c := caserPool.Get().(*cases.Caser)
	s = c.String(s)
	caserPool.Put(c)
	return foldReplacer.Replace(s)
}

// foldSimple folds text made only of ASCII and basic Cyrillic letters, for
// which NFKC changes nothing and case folding is lowering; it reports false
// for anything else.
func foldSimple(s string) (string, bool) {
	if folded(s) {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		case r == 'ё' || r == 'Ё':
			r = 'е'
		case 'А' <= r && r <= 'Я':
			r += 'а' - 'А'
		case 'а' <= r && r <= 'я':
		default:
			return "", false
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// folded reports whether s is made only of lower-case ASCII and basic
// Cyrillic letters other than ё and other ASCII characters that are not
// upper-case letters, which Fold keeps as they are.
func folded(s string) bool {
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				return false
			}
		case 'а' <= r && r <= 'я':
		default:
			return false
		}
	}
	return true
}

var foldReplacer = strings.NewReplacer("ё", "е", "’", "'")

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// StopFilter drops tokens that are in its word set. Words must be folded.
type StopFilter struct {
	// Words are the folded words to drop.
	Words map[string]bool
}

// Filter implements TokenFilter.
func (f StopFilter) Filter(tokens []Token) []Token {
	out := tokens[:0]
	for _, t := range tokens {
		if !f.Words[t.Text] {
			out = append(out, t)
		}
	}
	return out
}

// StemFilter replaces each folded token by its Snowball stem: Russian for
// Cyrillic words and English for Latin words, so mixed-language text and
// queries stem consistently. Tokens with digits or joiners (codes, versions,
// addresses) are kept as they are.
type StemFilter struct{}

// Filter implements TokenFilter.
func (StemFilter) Filter(tokens []Token) []Token {
	for i := range tokens {
		tokens[i].Text = Stem(tokens[i].Text)
	}
	return tokens
}

// Stem returns the Snowball stem of a folded word, choosing the Russian or
// English stemmer by the word's script. Words of other scripts, and words
// containing digits or joiners, are returned unchanged.
func Stem(word string) string {
	switch wordScript(word) {
	case scriptCyrillic:
		env := snowballstem.NewEnv(word)
		russian.Stem(env)
		return env.Current()
	case scriptLatin:
		env := snowballstem.NewEnv(word)
		english.Stem(env)
		return env.Current()
	}
	return word
}

type script int

const (
	scriptOther script = iota
	scriptLatin
	scriptCyrillic
)

// wordScript reports the script of a word made only of letters of one
// script; anything else (digits, joiners, mixed scripts) is scriptOther.
func wordScript(word string) script {
	s := scriptOther
	for _, r := range word {
		var rs script
		switch {
		case r == '\'' || r == '’':
			continue
		case 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z':
			rs = scriptLatin
		case 'а' <= r && r <= 'я' || 'А' <= r && r <= 'Я':
			rs = scriptCyrillic
		case r < utf8.RuneSelf:
			return scriptOther
		case unicode.Is(unicode.Cyrillic, r):
			rs = scriptCyrillic
		case unicode.Is(unicode.Latin, r):
			rs = scriptLatin
		default:
			return scriptOther
		}
		if s != scriptOther && s != rs {
			return scriptOther
		}
		s = rs
	}
	return s
}
