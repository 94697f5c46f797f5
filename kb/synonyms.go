package kb

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// SynonymSuggestion is a synonym set mined from the desk's own traffic for
// a host to approve. Suggestions are never applied by themselves: a host
// that approves one adds it to IndexConfig.Synonyms or calls
// MemoryIndex.SetSynonyms.
type SynonymSuggestion struct {
	// Words are the folded words proposed to find each other.
	Words []string
	// Source is "reformulation" (customers who found nothing with the
	// first word searched again with the second and opened a result) or
	// "ticket" (customers whose tickets a public article solved called its
	// subject by the first word, which the article lacks; the second is
	// the article's rarest title word).
	Source string
	// Evidence counts the sessions or tickets behind it.
	Evidence int
	// ArticleID is the article of a "ticket" suggestion.
	ArticleID uuid.UUID
}

// minSynonymEvidence is the least evidence a suggestion needs.
const minSynonymEvidence = 2

// maxReformulations bounds the query pairs kept.
const maxReformulations = 10000

// reformulation records that a session searched before, opened nothing,
// then searched after and opened a result. Called under f.mu.
func (f *feedback) reformulation(before, after string) {
	if before == "" || before == after {
		return
	}
	key := before + "\x00" + after
	if _, ok := f.reforms[key]; !ok && len(f.reforms) >= maxReformulations {
		return
	}
	f.reforms[key]++
}

// reformSuggestions returns the single-word swaps of reformulated
// queries with enough evidence.
func (f *feedback) reformSuggestions() []SynonymSuggestion {
	f.mu.Lock()
	defer f.mu.Unlock()
	swaps := map[[2]string]int{}
	for key, n := range f.reforms {
		before, after, _ := strings.Cut(key, "\x00")
		a, b := contentWords(before), contentWords(after)
		onlyA := slices.DeleteFunc(slices.Clone(a), func(w string) bool { return slices.Contains(b, w) })
		onlyB := slices.DeleteFunc(slices.Clone(b), func(w string) bool { return slices.Contains(a, w) })
		if len(onlyA) == 1 && len(onlyB) == 1 && Stem(onlyA[0]) != Stem(onlyB[0]) {
			pair := [2]string{onlyA[0], onlyB[0]}
			if pair[1] < pair[0] {
				pair[0], pair[1] = pair[1], pair[0]
			}
			swaps[pair] += n
		}
	}
	var out []SynonymSuggestion
	for pair, n := range swaps {
		if n >= minSynonymEvidence {
			out = append(out, SynonymSuggestion{Words: []string{pair[0], pair[1]}, Source: "reformulation", Evidence: n})
		}
	}
	return out
}

// contentWords returns the folded words of a query that could be
// synonyms: no stop words, no numbers, at least three runes.
func contentWords(q string) []string {
	var out []string
	for _, w := range strings.Fields(Fold(q)) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if utf8.RuneCountInString(w) < 3 || stopWords[w] || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
			continue
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// ticketSuggestions pairs each word customers used for an article that
// public says may be mined, in at least minSynonymEvidence resolutions,
// and that the article's own text lacks, with the article's rarest title
// word.
func (ix *MemoryIndex) ticketSuggestions(public func(uuid.UUID) bool) []SynonymSuggestion {
	ix.learnMu.Lock()
	learned := make(map[uuid.UUID][]learnedWord)
	for id, byLang := range ix.learned {
		for _, g := range byLang {
			for _, w := range g.words {
				if w.tickets >= minSynonymEvidence {
					learned[id] = append(learned[id], w)
				}
			}
		}
	}
	ix.learnMu.Unlock()
	var out []SynonymSuggestion
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for id, words := range learned {
		if !public(id) {
			continue
		}
		title := ix.rarestTitleWord(id)
		if title == "" {
			continue
		}
		for _, w := range words {
			if !ix.articleHas(id, Stem(w.surface)) && w.surface != title {
				out = append(out, SynonymSuggestion{Words: []string{w.surface, title}, Source: "ticket", Evidence: w.tickets, ArticleID: id})
			}
		}
	}
	return out
}

// articleHas reports whether the article's own text (not what it
// learned) holds stem. Called under ix.mu.
func (ix *MemoryIndex) articleHas(id uuid.UUID, stem string) bool {
	e := ix.terms[stem]
	if e == nil {
		return false
	}
	for _, d := range ix.byArticle[id] {
		if p := findPosting(e.postings, d); p != nil && p.tf[fieldTitle]+p.tf[fieldKeywords]+p.tf[fieldBody] > 0 {
			return true
		}
	}
	return false
}

// rarestTitleWord returns the folded title word of the article's first
// translation with the fewest documents, or "". Called under ix.mu.
func (ix *MemoryIndex) rarestTitleWord(id uuid.UUID) string {
	docs := ix.byArticle[id]
	if len(docs) == 0 {
		return ""
	}
	d := &ix.docs[docs[0]]
	best, bestDF := "", 0
	for _, t := range surfaceAnalyzer.Analyze(d.title) {
		e := ix.terms[Stem(t.Text)]
		if e == nil || utf8.RuneCountInString(t.Text) < 3 {
			continue
		}
		if best == "" || e.df < bestDF {
			best, bestDF = t.Text, e.df
		}
	}
	return best
}

// SuggestSynonyms returns up to limit (all when limit <= 0) synonym sets
// mined from customers' reformulated searches and from the tickets public
// articles solved, the best evidenced first, for a host to approve; they
// are never applied unapproved. Nothing is mined from internal notes or
// internal articles.
func (k *KB) SuggestSynonyms(ctx context.Context, limit int) ([]SynonymSuggestion, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	out := k.feedback.reformSuggestions()
	if ix, ok := k.index.(*MemoryIndex); ok {
		public := map[uuid.UUID]bool{}
		all, err := k.store.List(ctx, k.cfg.Tenant)
		if err != nil {
			return nil, err
		}
		for _, a := range all {
			public[a.ID] = visibleTo(Customer, a.Visibility, a.Status)
		}
		out = append(out, ix.ticketSuggestions(func(id uuid.UUID) bool { return public[id] })...)
	}
	slices.SortFunc(out, func(a, b SynonymSuggestion) int {
		return cmp.Or(cmp.Compare(b.Evidence, a.Evidence), strings.Compare(a.Source, b.Source),
			slices.Compare(a.Words, b.Words), strings.Compare(a.ArticleID.String(), b.ArticleID.String()))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
