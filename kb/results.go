package kb

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
)

func (s *searcher) facets(cands []candidate) Facets {
	f := Facets{Categories: map[string]int{}, Tags: map[string]int{}, Languages: map[string]int{}}
	for _, c := range cands {
		d := &s.ix.docs[c.doc]
		if d.category != "" {
			f.Categories[d.category]++
		}
		for _, t := range d.tags {
			f.Tags[t]++
		}
		f.Languages[d.lang.String()]++
	}
	return f
}

// didYouMean respells unknown query words as the most frequent known word
// within suggestEdits, or returns "" when nothing changes. Words of the
// lexicon are real words and stay as they are.
func (s *searcher) didYouMean(terms []queryTerm) string {
	words := make([]string, 0, len(terms))
	changed := false
	for _, qt := range terms {
		word := qt.surface
		q := []rune(word)
		if k := suggestEdits(len(q)); k > 0 && s.df(qt.stem) == 0 && !s.ix.isWord(word) {
			bestDF, bestDist := 0, k+1
			s.ix.vocab.fuzzy(q, k, func(id int32, dist int) {
				df := s.df(s.ix.wordStem[id])
				if df == 0 || !s.knows(id) || dist == 2 && !sameFirstRune(q, s.ix.surface(id)) {
					return
				}
				if dist < bestDist || dist == bestDist && df > bestDF {
					bestDF, bestDist = df, dist
					word = s.ix.surface(id)
				}
			})
		}
		changed = changed || word != qt.surface
		words = append(words, word)
	}
	if !changed {
		return ""
	}
	return strings.Join(words, " ")
}

// suggestEdits is how far did-you-mean may respell a word of n runes: two
// edits (two only keeping the first letter), and never a word of four
// runes or fewer ("get my money back" is no typo of "net sony lock").
func suggestEdits(n int) int {
	if n <= 4 {
		return 0
	}
	return 2
}

// sameFirstRune reports whether word starts with q's first rune.
func sameFirstRune(q []rune, word string) bool {
	r, _ := utf8.DecodeRuneInString(word)
	return len(q) > 0 && q[0] == r
}

func (s *searcher) hit(c candidate, terms []queryTerm) Hit {
	d := &s.ix.docs[c.doc]
	if !s.q.Highlight {
		return Hit{ArticleID: d.article, Slug: d.slug, Category: d.category, Language: d.lang,
			Visibility: d.visibility, Status: d.status, Title: d.title, Score: c.score,
			Relevance: s.relevance(c, terms)}
	}
	stems := make(map[string]bool)
	for _, qt := range terms {
		for _, v := range qt.variants {
			stems[v.stem] = true
		}
		for _, g := range qt.groups {
			for _, v := range g {
				stems[v.stem] = true
			}
		}
	}
	return Hit{
		Relevance:       s.relevance(c, terms),
		ArticleID:       d.article,
		Slug:            d.slug,
		Category:        d.category,
		Language:        d.lang,
		Visibility:      d.visibility,
		Status:          d.status,
		Title:           d.title,
		TitleHighlights: highlights(s.mark(d.title, stems), stems),
		Snippet:         s.snippet(d.body, stems),
		Score:           c.score,
	}
}

// snippet returns the snippet of body, sought in its first
// snippetScanBytes only, so highlighting a hit costs the same whatever the
// length of its body.
func (s *searcher) snippet(body string, stems map[string]bool) Snippet {
	head, cut := snippetHead(body)
	return snippet(head, s.mark(head, stems), stems, snippetRunes, cut)
}

// mark splits text into words and sets each word's Text to its index term
// when that term is in stems, or to "" otherwise. Looking words up in the
// vocabulary instead of analysing them again keeps snippets cheap.
func (s *searcher) mark(text string, stems map[string]bool) []Token {
	toks := WordTokenizer{}.Tokenize(text)
	for i := range toks {
		id, ok := s.ix.wordID[Fold(toks[i].Text)]
		if ok && stems[s.ix.wordStem[id]] {
			toks[i].Text = s.ix.wordStem[id]
		} else {
			toks[i].Text = ""
		}
	}
	return toks
}

// relevance returns the hit's share of the query: the IDF-weighted share
// of the query's words that the article matches, each at the weight of its
// best variant there (a typo, prefix, root or synonym match counts less
// than the word itself), best over the article's translations. A word no
// article holds weighs as much as the rarest one, so a request made mostly
// of words no article holds scores low whatever else it matches. Scoring
// found it for the translations the query may see; the others, which a
// language filter leaves out, are looked up here.
func (s *searcher) relevance(c candidate, terms []queryTerm) float64 {
	if !s.q.Relevance {
		return 0
	}
	best := c.rel
	if ids := s.ix.byArticle[s.ix.docs[c.doc].article]; len(ids) > 1 && s.q.Language != language.Und {
		for _, id := range ids {
			if id != c.doc {
				best = max(best, s.docRelevance(id, terms))
			}
		}
	}
	return best
}

// docRelevance is relevance for one translation.
func (s *searcher) docRelevance(doc uint32, terms []queryTerm) float64 {
	num, den := 0.0, 0.0
	for _, qt := range terms {
		idf := s.termIDF(qt)
		den += idf
		best := 0.0
		for _, v := range qt.variants {
			if v.weight > best && s.ix.meta[doc].scripts&v.ownScript() == 0 && findPosting(v.entry.postings, doc) != nil {
				best = v.weight
			}
		}
		for _, g := range qt.groups {
			for _, v := range g {
				if v.weight > best && findPosting(v.entry.postings, doc) != nil {
					best = v.weight
				}
			}
		}
		num += best * idf
	}
	if den == 0 {
		return 0
	}
	return min(1, num/den)
}

// translated reports whether the doc matches a query word only through
// its translation into the doc's language (variant.from).
func (s *searcher) translated(doc uint32, terms []queryTerm) bool {
	scripts := s.ix.meta[doc].scripts
	for _, qt := range terms {
		if s.matchesTranslation(doc, scripts, qt.variants) && !s.matchesOwn(doc, qt) {
			return true
		}
	}
	return false
}

// matchesTranslation reports whether the doc holds a translated variant
// that may match it.
func (s *searcher) matchesTranslation(doc uint32, scripts uint8, vs []variant) bool {
	for _, v := range vs {
		if v.from != scriptOther && scripts&v.ownScript() == 0 && findPosting(v.entry.postings, doc) != nil {
			return true
		}
	}
	return false
}

// matchesOwn reports whether the doc holds a variant of qt that is no
// translation, or a word of one of its synonym groups.
func (s *searcher) matchesOwn(doc uint32, qt queryTerm) bool {
	for _, v := range qt.variants {
		if v.from == scriptOther && findPosting(v.entry.postings, doc) != nil {
			return true
		}
	}
	for _, g := range qt.groups {
		for _, v := range g {
			if findPosting(v.entry.postings, doc) != nil {
				return true
			}
		}
	}
	return false
}
