package kb

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
)

func (s *searcher) analyzer(text string) Analyzer {
	lang := s.q.Language
	if lang == language.Und && s.ix.defaultAnalyzer {
		// The language detected is Russian or English, and NewAnalyzer
		// stems both.
		return vocabStemmer{s.ix}
	}
	if lang == language.Und {
		lang = DetectLanguage(text)
	}
	if lang == language.Und {
		lang = language.English
	}
	if s.ix.defaultAnalyzer && stems(lang) {
		return vocabStemmer{s.ix}
	}
	return s.ix.analyzerFor(lang)
}

// vocabStemmer analyses a query like NewAnalyzer for Russian and English,
// taking the stem of a word the index holds from its vocabulary and running
// the stemmer only on new words. It is used under the index's read lock.
type vocabStemmer struct {
	ix *MemoryIndex
}

// Analyze implements Analyzer.
func (v vocabStemmer) Analyze(text string) []Token {
	toks := surfaceAnalyzer.Analyze(text)
	for i := range toks {
		if id, ok := v.ix.wordID[toks[i].Text]; ok && v.ix.wordStemmed[id] {
			toks[i].Text = v.ix.wordStem[id]
		} else {
			toks[i].Text = Stem(toks[i].Text)
		}
	}
	return toks
}

// terms analyses the chunks, switching the keyboard layout of chunks whose
// words are all unknown when the switched text is known, and expands every
// word. It returns the corrected text when a chunk was switched.
func (s *searcher) terms(pq parsedQuery) (terms []queryTerm, excludes []string, corrected string) {
	var fixed []string // the chunks as read, once one was switched
	terms = make([]queryTerm, 0, len(pq.chunks))
	an := s.analyzer(pq.text)
	for ci, c := range pq.chunks {
		text := c.text
		toks := an.Analyze(text)
		if alt, altToks, ok := s.switchLayout(text, toks); ok {
			text, toks = alt, altToks
			if fixed == nil {
				fixed = make([]string, 0, len(pq.chunks))
				for _, prev := range pq.chunks[:ci] {
					fixed = append(fixed, prev.written())
				}
			}
		}
		if fixed != nil {
			fixed = append(fixed, queryChunk{text: text, exclude: c.exclude}.written())
		}
		if c.exclude {
			for _, t := range toks {
				excludes = append(excludes, t.Text)
			}
			continue
		}
		n := utf8.RuneCountInString(text)
		for _, t := range toks {
			qt := queryTerm{surface: Fold(runeSlice(text, t.Start, t.End)), stem: t.Text}
			qt.last = ci == len(pq.chunks)-1 && pq.openEnd && t.End == n
			qt.variants = s.expand(qt)
			terms = append(terms, qt)
		}
	}
	s.addSynonyms(terms)
	if fixed != nil {
		corrected = strings.Join(fixed, " ")
	}
	return terms, excludes, corrected
}

// runeSlice returns the runes start to end (exclusive) of s.
func runeSlice(s string, start, end int) string {
	from, i := len(s), 0
	for b := range s {
		if i == start {
			from = b
		}
		if i == end {
			return s[from:b]
		}
		i++
	}
	return s[from:]
}

// maxSynonymWords is the longest synonym phrase looked up in a query.
const maxSynonymWords = 3

// addSynonyms attaches to each query word the synonyms of the word, or of the
// phrase of up to three words that starts with it.
func (s *searcher) addSynonyms(terms []queryTerm) {
	if len(s.ix.synonyms) == 0 {
		return
	}
	w := s.ix.rank.SynonymWeight
	var buf [64]byte
	key := buf[:0]
	for i := range terms {
		key = key[:0]
		for n := 1; n <= min(maxSynonymWords, s.ix.synonymWords) && i+n <= len(terms); n++ {
			if n > 1 {
				key = append(key, ' ')
			}
			key = append(key, terms[i+n-1].stem...)
			sets := s.ix.synonyms[string(key)]
			if len(sets) == 0 {
				continue
			}
			written := string(key)
			for _, set := range sets {
				s.addSynonymSet(&terms[i], s.ix.synonymSets[set], written, w)
			}
		}
	}
}

// addSynonymSet attaches to t the members of a synonym set other than the
// one written key, each as a variant when it is one word, else as a group.
func (s *searcher) addSynonymSet(t *queryTerm, set []synonymMember, key string, w float64) {
	var words []variant
	for _, m := range set {
		if m.key == key {
			continue
		}
		syn := m.stems
		var g []variant
		for _, stem := range syn {
			if e, df := s.lookup(stem); df > 0 {
				g = append(g, variant{stem: stem, weight: w, idf: s.idfOf(df), entry: e})
			}
		}
		switch {
		case len(g) == 1 && len(syn) == 1:
			words = append(words, g[0])
		case len(g) > 0:
			t.groups = append(t.groups, g)
		}
	}
	t.variants = mergeVariants(t.variants, words)
}

// mergeVariants adds the variants add to vs, whose stems are distinct,
// raising the weight of a stem vs has to the heaviest, and returns them
// sorted heaviest first. It sorts once, however many it adds.
func mergeVariants(vs, add []variant) []variant {
	if len(add) == 0 {
		return vs
	}
	at := make(map[string]int, len(vs)+len(add))
	for i, v := range vs {
		at[v.stem] = i
	}
	for _, v := range add {
		if i, ok := at[v.stem]; ok {
			vs[i].weight = max(vs[i].weight, v.weight)
			continue
		}
		at[v.stem] = len(vs)
		vs = append(vs, v)
	}
	return sortVariants(vs)
}

func sortVariants(vs []variant) []variant {
	slices.SortFunc(vs, func(a, b variant) int {
		return cmp.Or(cmp.Compare(b.weight, a.weight), strings.Compare(a.stem, b.stem))
	})
	return vs
}

// switchLayout reports whether a chunk typed in the wrong keyboard layout
// should be read in the other one: none of its words is known and the
// switched chunk has a known word or only stop words.
func (s *searcher) switchLayout(text string, toks []Token) (string, []Token, bool) {
	if len(toks) == 0 {
		return "", nil, false
	}
	for _, t := range toks {
		if s.df(t.Text) > 0 {
			return "", nil, false
		}
	}
	alt := SwitchLayout(text)
	altToks := s.analyzer(alt).Analyze(alt)
	if len(altToks) == 0 {
		return alt, nil, DetectLanguage(alt) != language.Und
	}
	for _, t := range altToks {
		if s.df(t.Text) > 0 {
			return alt, altToks, true
		}
	}
	return "", nil, false
}

// minKinRunes is the shortest unknown Russian word matched by the start
// it shares with known words.
const minKinRunes = 7

// maxEdits is the typo allowance for a word of n runes.
func maxEdits(n int) int {
	switch {
	case n <= 4:
		return 0
	case n <= 8:
		return 1
	}
	return 2
}

// expand lists the index terms a query word matches: itself, the words of
// its Russian root, its completions when it is the half-typed last word,
// and, when the word is unknown, its completions and, unless it is a word
// of the lexicon, spellings within its typo allowance.
func (s *searcher) expand(qt queryTerm) []variant {
	r := s.ix.rank
	out := make([]variant, 0, 4)
	put := func(stem string, w float64) {
		for i := range out {
			if out[i].stem == stem {
				out[i].weight = max(out[i].weight, w)
				return
			}
		}
		if e, df := s.lookup(stem); df > 0 {
			out = append(out, variant{stem: stem, weight: w, idf: s.idfOf(df), entry: e})
		}
	}
	e, df := s.lookup(qt.stem)
	if df > 0 {
		out = append(out, variant{stem: qt.stem, weight: 1, idf: s.idfOf(df), entry: e})
	}
	sc := wordScript(qt.stem)
	if sc == scriptCyrillic {
		root := ""
		if e != nil {
			root = e.root
		} else {
			root = rootOf(qt.stem)
		}
		for _, stem := range s.ix.roots[root] {
			put(stem, r.DerivedWeight)
		}
	}
	var g *glossaryEntry
	if sc != scriptOther && s.ix.defaultAnalyzer {
		g = glossary()[qt.stem]
	}
	// A word of a family the articles hold, or of the built-in vocabulary,
	// is a real word, no typo.
	known := len(out) > 0
	n := utf8.RuneCountInString(qt.surface)
	if !known && g == nil && !s.ix.isWord(qt.surface) {
		if k := maxEdits(n); k > 0 {
			q := []rune(qt.surface)
			s.ix.vocab.fuzzy(q, k, func(id int32, dist int) {
				// Two edits need more evidence: the first letter, which
				// people rarely get wrong, must stand.
				if s.knows(id) && (dist < 2 || sameFirstRune(q, s.ix.surface(id))) {
					put(s.ix.wordStem[id], math.Pow(r.FuzzyWeight, float64(dist)))
				}
			})
		}
	}
	if (qt.last && n >= 2) || (!known && n >= 3) {
		for _, stem := range s.completions(qt.surface, 8) {
			put(stem, r.PrefixWeight)
		}
	}
	if len(out) == 0 && n >= minKinRunes && sc == scriptCyrillic {
		// An unknown colloquial form ("посудомойка", "мобильник",
		// "стиралка") shares the start of the word it shortens.
		head := string([]rune(qt.surface)[:max(minKinRunes-1, 2*n/3)])
		for _, stem := range s.completions(head, 4) {
			put(stem, r.KinWeight)
		}
	}
	if g != nil {
		out = s.translate(g, sc, out)
		if s.ix.everyday {
			for _, stem := range g.everyday {
				put(stem, r.EverydayWeight)
			}
		}
	}
	return sortVariants(out)
}

// translate adds to out the index terms that spell the loanword of a stem
// of script from in the other script, and those that translate the stem
// through the support glossary into the other language with the words of
// their Russian roots, marked with from.
func (s *searcher) translate(g *glossaryEntry, from script, out []variant) []variant {
	r := s.ix.rank
	put := func(stem string, w float64, from script) {
		for i := range out {
			if out[i].stem == stem {
				return
			}
		}
		if e, df := s.lookup(stem); df > 0 {
			out = append(out, variant{stem: stem, weight: w, idf: s.idfOf(df), entry: e, from: from})
		}
	}
	for _, t := range g.spellings {
		put(t, r.TranslationWeight, scriptOther)
	}
	for _, t := range g.translations {
		put(t, r.TranslationWeight, from)
		if from == scriptLatin {
			for _, kin := range s.ix.roots[rootOf(t)] {
				put(kin, r.TranslationWeight*r.DerivedWeight, from)
			}
		}
	}
	return out
}

// completions returns up to limit stems of known words that start with
// prefix, the most frequent first.
func (s *searcher) completions(prefix string, limit int) []string {
	type known struct {
		stem string
		df   int
	}
	var buf [32]known
	found := buf[:0]
	s.ix.vocab.prefix(prefix, 4096, func(id int32) {
		stem := s.ix.wordStem[id]
		if df := s.df(stem); df > 0 && s.knows(id) {
			found = append(found, known{stem, df})
		}
	})
	slices.SortFunc(found, func(a, b known) int { return strings.Compare(a.stem, b.stem) })
	found = slices.CompactFunc(found, func(a, b known) bool { return a.stem == b.stem })
	slices.SortFunc(found, func(a, b known) int {
		return cmp.Or(cmp.Compare(b.df, a.df), strings.Compare(a.stem, b.stem))
	})
	stems := make([]string, min(limit, len(found)))
	for i := range stems {
		stems[i] = found[i].stem
	}
	return stems
}
