package kb

import (
	"math"
	"slices"

	"github.com/google/uuid"
)

type candidate struct {
	doc   uint32
	score float64
	rel   float64 // the doc's share of the query (see relevance)
}

// score accumulates BM25F over the query words; for each word only its best
// variant, or best synonym group, counts.
func (s *searcher) score(terms []queryTerm, sc *scratch) []candidate {
	matchable := 0
	den := 0.0
	acc := sc.acc
	for _, qt := range terms {
		if len(qt.variants) > 0 || len(qt.groups) > 0 {
			matchable++
		}
		idf := s.termIDF(qt)
		den += idf
		for _, v := range qt.variants {
			s.accumulate(v, sc, s.q.Relevance)
		}
		for _, g := range qt.groups {
			for _, v := range g {
				s.accumulateGroup(v, sc)
			}
			for _, d := range sc.grpList {
				a := &acc[d]
				a.curW = max(a.curW, g[0].weight)
				if sc.grp[d] > a.cur {
					if a.cur == 0 {
						sc.curList = append(sc.curList, d)
					}
					a.cur = sc.grp[d]
				}
				sc.grp[d] = 0
			}
			sc.grpList = sc.grpList[:0]
		}
		for _, d := range sc.curList {
			a := &acc[d]
			if a.score == 0 {
				sc.touched = append(sc.touched, d)
			}
			a.score += a.cur
			a.rel += a.curW * idf
			a.covered++
			a.cur, a.curW = 0, 0
		}
		sc.curList = sc.curList[:0]
	}
	cands := sc.cands[:0]
	cover := s.coverage(matchable)
	for _, d := range sc.touched {
		a := &acc[d]
		score := a.score
		if cover != nil {
			score *= cover[min(int(a.covered), matchable)]
		}
		cands = append(cands, candidate{doc: d, score: score, rel: min(1, a.rel/den)})
	}
	return cands
}

// coverage returns the factor (k/matchable)^Coverage for every k from 0
// to matchable, or nil when the query has fewer than two words to cover.
func (s *searcher) coverage(matchable int) []float64 {
	switch {
	case matchable < 2:
		return nil
	case matchable < len(s.ix.cover):
		return s.ix.cover[matchable]
	}
	f := s.sc.cover[:0]
	for k := range matchable + 1 {
		f = append(f, math.Pow(float64(k)/float64(matchable), s.ix.rank.Coverage))
	}
	s.sc.cover = f
	return f
}

// coverTable returns coverage factors for queries of fewer than 32 words.
func coverTable(p float64) [][]float64 {
	t := make([][]float64, 32)
	for m := 2; m < len(t); m++ {
		t[m] = make([]float64, m+1)
		for k := range m + 1 {
			t[m][k] = math.Pow(float64(k)/float64(m), p)
		}
	}
	return t
}

// termIDF is the IDF of a query word's own stem, as rare as the rarest
// indexed word when no document holds it.
func (s *searcher) termIDF(qt queryTerm) float64 {
	for _, v := range qt.variants {
		if v.stem == qt.stem {
			return v.idf
		}
	}
	return s.idfOf(max(1, s.df(qt.stem)))
}

// accumulate scores variant v on every allowed document that has it,
// keeping for each document the best contribution of the word's variants
// and, when weighed is set, their best weight (for Hit.Relevance); new
// documents are appended to sc.curList. The BM25F sum is written out here,
// not called, as this is the loop every search spends most in.
func (s *searcher) accumulate(v variant, sc *scratch, weighed bool) {
	acc := sc.acc
	r := &s.ix.rank
	k1, b := r.K1, r.B
	scale := v.weight * v.idf
	postings := v.entry.postings
	own := v.ownScript()
	for i := range postings {
		p := &postings[i]
		if !s.allow(p.doc) || s.ix.meta[p.doc].scripts&own != 0 {
			continue
		}
		length := &s.ix.meta[p.doc].length
		tfn := 0.0
		for f := range fieldLearned {
			if p.tf[f] == 0 || s.avgLen[f] == 0 {
				continue
			}
			tfn += s.boost[f] * float64(p.tf[f]) / (1 - b + b*float64(length[f])/s.avgLen[f])
		}
		if p.tf[fieldLearned] != 0 {
			tfn += s.boost[fieldLearned] * float64(p.tf[fieldLearned])
		}
		c := scale * tfn / (k1 + tfn)
		a := &acc[p.doc]
		if a.cur == 0 {
			sc.curList = append(sc.curList, p.doc)
		}
		a.cur = max(a.cur, c)
		if weighed {
			a.curW = max(a.curW, v.weight)
		}
	}
}

// ownScript is the bit of articleScripts that keeps a translated variant
// from matching a doc: that of the script it was translated from, or none.
func (v variant) ownScript() uint8 {
	if v.from == scriptOther {
		return 0
	}
	return 1 << v.from
}

// accumulateGroup adds variant v's contribution on every allowed document
// that has it to sc.grp: the words of a multi-word synonym add up. New
// documents are appended to sc.grpList.
func (s *searcher) accumulateGroup(v variant, sc *scratch) {
	postings := v.entry.postings
	for i := range postings {
		p := &postings[i]
		if !s.allow(p.doc) {
			continue
		}
		if sc.grp[p.doc] == 0 {
			sc.grpList = append(sc.grpList, p.doc)
		}
		sc.grp[p.doc] += s.bm25(p, v)
	}
}

// bm25 is variant v's BM25F contribution for posting p.
func (s *searcher) bm25(p *posting, v variant) float64 {
	r := &s.ix.rank
	length := &s.ix.meta[p.doc].length
	tfn := 0.0
	for f := range fieldLearned {
		if p.tf[f] == 0 || s.avgLen[f] == 0 {
			continue
		}
		tfn += s.boost[f] * float64(p.tf[f]) / (1 - r.B + r.B*float64(length[f])/s.avgLen[f])
	}
	if p.tf[fieldLearned] != 0 {
		tfn += s.boost[fieldLearned] * float64(p.tf[fieldLearned])
	}
	return v.weight * v.idf * tfn / (r.K1 + tfn)
}

// posting returns doc id's posting of stem, or nil.
func (s *searcher) posting(stem string, id uint32) *posting {
	e := s.ix.terms[stem]
	if e == nil {
		return nil
	}
	return findPosting(e.postings, id)
}

// dropExcluded drops candidates whose article has an excluded word in any
// translation.
func (s *searcher) dropExcluded(cands []candidate, excludes []string) []candidate {
	if len(excludes) == 0 {
		return cands
	}
	return slices.DeleteFunc(cands, func(c candidate) bool {
		for _, id := range s.ix.byArticle[s.ix.docs[c.doc].article] {
			for _, stem := range excludes {
				if s.posting(stem, id) != nil {
					return true
				}
			}
		}
		return false
	})
}

// bestPerArticle keeps each article's best-scoring translation.
func (s *searcher) bestPerArticle(cands []candidate) []candidate {
	if s.ix.multi == 0 {
		return cands
	}
	best := make(map[uuid.UUID]int, len(cands))
	out := cands[:0]
	for _, c := range cands {
		a := s.ix.docs[c.doc].article
		if i, ok := best[a]; ok {
			rel := max(out[i].rel, c.rel)
			if c.score > out[i].score {
				out[i] = c
			}
			out[i].rel = rel
			continue
		}
		best[a] = len(out)
		out = append(out, c)
	}
	return out
}

// rescoreDepth is how many leading candidates get the proximity and exact
// title boosts.
const rescoreDepth = 10

// rescore adds phrase, proximity and exact-title boosts to the leading
// candidates and sorts the candidates up to the end of the requested page.
func (s *searcher) rescore(cands []candidate, terms []queryTerm) {
	top := min(len(cands), rescoreDepth)
	selectTop(cands, top, before)
	var bonus [rescoreDepth]float64
	s.proximity(cands[:top], terms, bonus[:top])
	for i := range cands[:top] {
		cands[i].score += bonus[i]
		if s.exactTitle(cands[i].doc, terms) {
			cands[i].score *= s.ix.rank.ExactBoost
		}
	}
	sortCandidates(cands[:top])
	// Hits past the rescored ones keep their BM25F order; every page sees
	// the same ranking because the rescored set does not depend on paging.
	if end := min(len(cands), s.q.Offset+s.q.Limit); end > top {
		rest := cands[top:]
		selectTop(rest, end-top, before)
		sortCandidates(rest[:end-top])
	}
}

// before reports whether candidate a ranks before b: a higher score, or the
// same score and a lower doc.
func before(a, b candidate) bool {
	return a.score > b.score || a.score == b.score && a.doc < b.doc
}

// sortCandidates sorts candidates best first.
func sortCandidates(c []candidate) {
	if len(c) <= 16 {
		for i := 1; i < len(c); i++ {
			for j := i; j > 0 && before(c[j], c[j-1]); j-- {
				c[j], c[j-1] = c[j-1], c[j]
			}
		}
		return
	}
	slices.SortFunc(c, func(a, b candidate) int {
		switch {
		case before(a, b):
			return -1
		case before(b, a):
			return 1
		}
		return 0
	})
}

// proximity adds to bonus[i], for each of the top candidates (at most
// rescoreDepth), consecutive query words that appear near each other in the
// title or body, in query order.
func (s *searcher) proximity(top []candidate, terms []queryTerm, bonus []float64) {
	r := s.ix.rank
	var prevIDF [rescoreDepth]float64
	prev, cur := s.sc.positions(len(top))
	for _, qt := range terms {
		if len(qt.variants) == 0 {
			continue
		}
		s.collectPositions(top, qt.variants, cur)
		idf := qt.variants[0].idf
		for i := range top {
			if len(cur[i]) == 0 {
				continue
			}
			if !slices.IsSorted(cur[i]) {
				slices.Sort(cur[i])
			}
			if len(prev[i]) > 0 {
				if gap := minGap(prev[i], cur[i]); gap == 1 {
					bonus[i] += r.PhraseBoost * (idf + prevIDF[i]) / 2
				} else if gap > 1 && gap <= r.ProximityWindow {
					bonus[i] += r.ProximityBoost * (idf + prevIDF[i]) / 2 / float64(gap)
				}
			}
			prev[i], cur[i] = cur[i], prev[i][:0]
			prevIDF[i] = idf
		}
	}
}

// collectPositions sets out[i] to the positions of the variants in the
// document of top[i]. Short posting lists are scanned, long ones searched.
func (s *searcher) collectPositions(top []candidate, variants []variant, out [][]uint32) {
	for i := range out {
		out[i] = out[i][:0]
	}
	slot := s.sc.slot
	for i, c := range top {
		slot[c.doc] = int32(i + 1)
	}
	for _, v := range variants {
		e := v.entry
		postings := e.postings
		if len(postings) > 64*len(top) {
			for i, c := range top {
				if p := findPosting(postings, c.doc); p != nil {
					out[i] = append(out[i], e.positionsOf(p)...)
				}
			}
			continue
		}
		for k := range postings {
			if i := slot[postings[k].doc]; i > 0 {
				out[i-1] = append(out[i-1], e.positionsOf(&postings[k])...)
			}
		}
	}
	for _, c := range top {
		slot[c.doc] = 0
	}
}

// findPosting returns the posting of doc id in a list sorted by doc, or nil.
func findPosting(postings []posting, id uint32) *posting {
	lo, hi := 0, len(postings)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if postings[m].doc < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(postings) && postings[lo].doc == id {
		return &postings[lo]
	}
	return nil
}

// minGap returns the smallest b-a > 0 with a in x and b in y in the same
// field, or 0 when there is none. Both slices are sorted.
func minGap(x, y []uint32) int {
	best := 0
	j := 0
	for _, a := range x {
		for j < len(y) && y[j] <= a {
			j++
		}
		if j < len(y) && y[j]>>24 == a>>24 {
			if g := int(y[j] - a); best == 0 || g < best {
				best = g
			}
		}
	}
	return best
}

// exactTitle reports whether the title's words are the query's words.
func (s *searcher) exactTitle(id uint32, terms []queryTerm) bool {
	title := s.ix.docs[id].titleStems
	if len(title) != len(terms) || len(terms) == 0 {
		return false
	}
	for i, qt := range terms {
		if title[i] != qt.stem {
			return false
		}
	}
	return true
}

// selectTop moves the k elements of s that come first under before, a
// strict total order, to the front, in any order: the partial sort of
// quickselect, in time linear in len(s) on average.
func selectTop[T any](s []T, k int, before func(a, b T) bool) {
	lo, hi := 0, len(s)
	for hi-lo > 1 && k > lo && k < hi {
		p := s[lo+(hi-lo)/2]
		i, j := lo, hi-1
		for i <= j {
			for before(s[i], p) {
				i++
			}
			for before(p, s[j]) {
				j--
			}
			if i <= j {
				s[i], s[j] = s[j], s[i]
				i++
				j--
			}
		}
		if k <= j {
			hi = j + 1
		} else if k >= i {
			lo = i
		} else {
			return
		}
	}
}
