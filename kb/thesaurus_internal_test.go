package kb

import (
	"strings"
	"testing"
)

// Every line of the thesaurus reads as everyday words, a colon and the
// help-centre words, and none of its words is a stop word, which would
// never reach it.
func TestEverydayThesaurusLines(t *testing.T) {
	lines := 0
	for line := range strings.Lines(everydayRussian) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		lines++
		from, to, ok := strings.Cut(line, ":")
		if !ok || len(strings.Fields(from)) == 0 || len(strings.Fields(to)) == 0 {
			t.Errorf("line %q is not \"words: words\"", line)
			continue
		}
		for _, w := range strings.Fields(from + " " + to) {
			if stopWords[Fold(w)] {
				t.Errorf("line %q: %q is a stop word", line, w)
			}
		}
	}
	n := 0
	for _, e := range glossary() {
		if len(e.everyday) > 0 {
			n++
		}
	}
	if n < 2*lines {
		t.Errorf("%d everyday stems from %d lines", n, lines)
	}
}
