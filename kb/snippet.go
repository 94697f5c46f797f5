package kb

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// snippetRunes is the length of a snippet before word-boundary trimming.
const snippetRunes = 200

const ellipsis = "…"

// snippetScanBytes bounds the start of a body that a snippet is sought in.
const snippetScanBytes = 32 << 10

// snippetHead returns the first snippetScanBytes of body, cut at a space
// when there is one in its second half (else at a rune boundary), and
// whether anything was cut off.
func snippetHead(body string) (string, bool) {
	if len(body) <= snippetScanBytes {
		return body, false
	}
	cut := snippetScanBytes
	for cut > 0 && !utf8.RuneStart(body[cut]) {
		cut--
	}
	if i := strings.LastIndexFunc(body[:cut], unicode.IsSpace); i > cut/2 {
		cut = i
	}
	return body[:cut], true
}

// highlights returns the merged rune spans of tokens whose term is in stems.
func highlights(tokens []Token, stems map[string]bool) []Span {
	var spans []Span
	for _, t := range tokens {
		if stems[t.Text] {
			spans = append(spans, Span{Start: t.Start, End: t.End})
		}
	}
	slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
	out := spans[:0]
	for _, sp := range spans {
		if n := len(out); n > 0 && sp.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, sp.End)
			continue
		}
		out = append(out, sp)
	}
	return out
}

// snippet cuts the passage of body, about width runes long, that holds the
// most distinct matched terms, on word boundaries, with … where it was cut,
// and marks the matched words with rune offsets into the passage. cut
// reports that body is the start of a longer text, so a passage that
// reaches its end ends in … too.
func snippet(body string, tokens []Token, stems map[string]bool, width int, cut bool) Snippet {
	runes := []rune(body)
	spans := highlights(tokens, stems)
	if len(runes) <= width {
		return Snippet{Text: body, Highlights: spans}
	}
	hit := bestWindow(tokens, stems, width)
	start := max(0, hit-width/8)
	lead := start
	for start > 0 && !unicode.IsSpace(runes[start-1]) {
		start--
	}
	if lead-start > width/8 {
		// A long token (an address, a log line) before the match: cut into
		// it rather than push the match out of the window.
		start = lead
		for start < hit && !unicode.IsSpace(runes[start-1]) {
			start++
		}
	}
	end := min(len(runes), start+width)
	for end < len(runes) && end > start && !unicode.IsSpace(runes[end]) {
		end--
	}
	if end <= hit {
		end = min(len(runes), start+width)
	}
	prefix := 0
	text := string(runes[start:end])
	if start > 0 {
		text = ellipsis + text
		prefix = 1
	}
	if end < len(runes) || cut {
		text += ellipsis
	}
	var out []Span
	for _, sp := range spans {
		if sp.Start >= start && sp.End <= end {
			out = append(out, Span{Start: sp.Start - start + prefix, End: sp.End - start + prefix})
		}
	}
	return Snippet{Text: text, Highlights: out}
}

// bestWindow returns the rune offset of the matched token that starts the
// window of width runes holding the most distinct matched terms.
func bestWindow(tokens []Token, stems map[string]bool, width int) int {
	var hits []Token
	for _, t := range tokens {
		if stems[t.Text] {
			hits = append(hits, t)
		}
	}
	best, bestStart := 0, 0
	for i, h := range hits {
		seen := map[string]bool{}
		for _, o := range hits[i:] {
			if o.End-h.Start > width {
				break
			}
			seen[o.Text] = true
		}
		if len(seen) > best {
			best, bestStart = len(seen), h.Start
		}
	}
	return bestStart
}
