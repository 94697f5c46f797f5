package kb

import (
	"context"
	"math"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// variant is one index term a query word may match, with its weight.
type variant struct {
	stem   string
	weight float64
	idf    float64
	entry  *termEntry // the term's entry in the index
	// from is, for a word of the other language found through the support
	// glossary, the script of the query word it translates: it matches
	// only articles that have no translation in that word's language, not
	// the loanwords of articles in the word's own language nor the other
	// translation of an article the word finds as written. It is
	// scriptOther for every other variant.
	from script
}

// queryTerm is one analysed query word and the terms it expands to.
type queryTerm struct {
	surface  string
	stem     string
	last     bool
	variants []variant
	// groups are multi-word synonyms: the words of a group add up, and the
	// best group or variant counts.
	groups [][]variant
}

// searcher holds the state of one search under the read lock.
type searcher struct {
	ix      *MemoryIndex
	q       *Query
	n       float64 // documents the audience may see
	avgLen  [numFields]float64
	allowed []int8 // per doc: 0 unknown, 1 yes, 2 no
	sc      *scratch
	boost   [numFields]float64 // the fields' boosts, learned scaled
	// gates has the gateBit of every visibility and status pair the
	// audience, statuses and visibilities of the query admit.
	gates uint16
	// gated reports that the query has no other filter, so gates alone
	// decides whether a doc is allowed.
	gated bool
}

// scratch is reused between searches to avoid per-query allocation.
type scratch struct {
	acc                       []docAcc // per doc, for scoring
	grp                       []float64
	cover                     []float64
	touched, curList, grpList []uint32
	allowed                   []int8
	slot                      []int32    // per doc: 1 + its place among the rescored, or 0
	pos                       [][]uint32 // position buffers for proximity
	cands                     []candidate
}

// positions returns two sets of n empty position buffers.
func (s *scratch) positions(n int) (a, b [][]uint32) {
	for len(s.pos) < 2*n {
		s.pos = append(s.pos, nil)
	}
	for i := range s.pos {
		s.pos[i] = s.pos[i][:0]
	}
	return s.pos[:n], s.pos[n : 2*n]
}

// docAcc is one doc's running score: the current word's best contribution
// (cur) and variant weight (curW), and the totals.
type docAcc struct {
	cur, curW, score, rel float64
	covered               int32
}

var scratchPool = sync.Pool{New: func() any { return &scratch{} }}

func (s *scratch) reset(n int) {
	if cap(s.acc) < n {
		s.acc = make([]docAcc, n)
		s.grp = make([]float64, n)
		s.allowed = make([]int8, n)
		s.slot = make([]int32, n)
	}
	s.acc, s.grp, s.allowed, s.slot = s.acc[:n], s.grp[:n], s.allowed[:n], s.slot[:n]
	s.touched, s.curList, s.grpList = s.touched[:0], s.curList[:0], s.grpList[:0]
}

func (s *scratch) clear() {
	for _, d := range s.touched {
		s.acc[d] = docAcc{}
	}
	clear(s.allowed)
}

// Search implements Index.
func (ix *MemoryIndex) Search(ctx context.Context, q Query) (*Results, error) {
	if err := ix.ready(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	maxRunes := DefaultMaxQueryRunes
	if q.MaxRunes > 0 {
		maxRunes = q.MaxRunes
	}
	pq, err := parseQuery(q.Text, maxRunes, q.Literal)
	if err != nil {
		return nil, err
	}
	if len(pq.chunks) == 0 {
		return &Results{Hits: []Hit{}}, nil
	}
	if q.Limit == 0 {
		q.Limit = 10
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	res := ix.run(&q, pq, true)
	if res.Total == 0 && q.Language != language.Und {
		// Nothing in the reader's language: offer the other languages'
		// articles, and say so.
		other := q
		other.Language = language.Und
		if alt := ix.run(&other, pq, true); alt.Total > 0 {
			alt.OtherLanguages = true
			return alt, nil
		}
	}
	return res, nil
}

// run searches under the read lock. With suggest set, a query that finds
// nothing gets a did-you-mean respelling, kept only when it finds
// something itself.
func (ix *MemoryIndex) run(q *Query, pq parsedQuery, suggest bool) *Results {
	res := &Results{Hits: []Hit{}}
	s := ix.newSearcher(q)
	terms, excludes, corrected := s.terms(pq)
	if corrected != "" {
		res.Corrected = corrected
	}
	sc := scratchPool.Get().(*scratch)
	sc.reset(len(ix.docs))
	s.allowed, s.sc = sc.allowed, sc
	var cands []candidate
	defer func() {
		sc.cands = cands[:0]
		sc.clear()
		scratchPool.Put(sc)
	}()
	cands = s.score(terms, sc)
	cands = s.dropExcluded(cands, excludes)
	cands = s.bestPerArticle(cands)
	s.rescore(cands, terms)
	res.Total = len(cands)
	if q.Facets {
		res.Facets = s.facets(cands)
	}
	if len(cands) == 0 {
		if suggest {
			res.DidYouMean = ix.checkSuggestion(q, s.didYouMean(terms))
		}
		return res
	}
	lo := min(q.Offset, len(cands))
	hi := min(lo+q.Limit, len(cands))
	res.Hits = make([]Hit, 0, hi-lo)
	translating := hasTranslations(terms)
	for _, c := range cands[lo:hi] {
		res.Hits = append(res.Hits, s.hit(c, terms))
		res.Translated = res.Translated || translating && s.translated(c.doc, terms)
	}
	return res
}

// hasTranslations reports whether a query word has a translation the
// index holds.
func hasTranslations(terms []queryTerm) bool {
	for _, qt := range terms {
		for _, v := range qt.variants {
			if v.from != scriptOther {
				return true
			}
		}
	}
	return false
}

// checkSuggestion returns the respelled text when a search for it finds
// something, so a suggestion always does better than the query, or "".
func (ix *MemoryIndex) checkSuggestion(q *Query, text string) string {
	if text == "" {
		return ""
	}
	pq, err := parseQuery(text, max(q.MaxRunes, DefaultMaxQueryRunes), true)
	if err != nil || len(pq.chunks) == 0 {
		return ""
	}
	alt := *q
	alt.Facets, alt.Highlight, alt.Offset, alt.Limit = false, false, 0, 1
	if ix.run(&alt, pq, false).Total == 0 {
		return ""
	}
	return text
}

func (ix *MemoryIndex) newSearcher(q *Query) *searcher {
	r := &ix.rank
	s := &searcher{ix: ix, q: q, n: float64(ix.live),
		boost: [numFields]float64{r.TitleBoost, r.KeywordsBoost, r.BodyBoost, r.LearnedBoost / learnedScale}}
	if q.Audience == Customer {
		s.n = float64(ix.livePub)
	}
	sumLen, n := ix.sumLen, ix.live
	if q.Audience == Customer {
		sumLen, n = ix.sumLenPub, ix.livePub
	}
	for f := range numFields {
		if n > 0 {
			s.avgLen[f] = float64(sumLen[f]) / float64(n)
		}
	}
	for v := Public; v <= Internal; v++ {
		for st := Draft; st <= Archived; st++ {
			if s.admits(v, st) {
				s.gates |= gateBit(v, st)
			}
		}
	}
	s.gated = q.Language == language.Und && q.Category == "" && len(q.Tags) == 0
	return s
}

// df returns the document frequency of a stem for the query's audience.
func (s *searcher) df(stem string) int {
	_, df := s.lookup(stem)
	return df
}

// knows reports whether a live doc the query's audience may see holds the
// vocabulary word id.
func (s *searcher) knows(id int32) bool {
	if s.q.Audience == Customer {
		return s.ix.wordPub[id] > 0
	}
	return s.ix.wordLive[id] > 0
}

// lookup returns the index entry of a stem, or nil, and its document
// frequency for the query's audience.
func (s *searcher) lookup(stem string) (*termEntry, int) {
	e := s.ix.terms[stem]
	switch {
	case e == nil:
		return nil, 0
	case s.q.Audience == Customer:
		return e, e.dfPub
	}
	return e, e.df
}

func (s *searcher) idfOf(df int) float64 {
	return math.Log(1 + (s.n-float64(df)+0.5)/(float64(df)+0.5))
}

// allow reports whether doc d passes the audience rules and the filters.
func (s *searcher) allow(id uint32) bool {
	if s.gated {
		return s.ix.meta[id].gate&s.gates != 0
	}
	switch s.allowed[id] {
	case 1:
		return true
	case 2:
		return false
	}
	ok := s.check(&s.ix.docs[id])
	s.allowed[id] = 2
	if ok {
		s.allowed[id] = 1
	}
	return ok
}

func (s *searcher) check(d *doc) bool {
	q := s.q
	if !d.live || !s.admits(d.visibility, d.status) {
		return false
	}
	if q.Language != language.Und && !sameBase(q.Language, d.lang) {
		return false
	}
	if q.Category != "" && !inCategory(d.category, q.Category) {
		return false
	}
	for _, t := range q.Tags {
		if !slices.Contains(d.tags, t) {
			return false
		}
	}
	return true
}

// inCategory reports whether category is the path filter (a trailing "/"
// aside) or lies below it.
func inCategory(category, filter string) bool {
	filter = strings.TrimSuffix(filter, "/")
	return category == filter || strings.HasPrefix(category, filter+"/")
}

// admits reports whether the audience rules and the status and visibility
// filters let the query see a doc with this visibility and status.
func (s *searcher) admits(v Visibility, st Status) bool {
	q := s.q
	if !visibleTo(q.Audience, v, st) {
		return false
	}
	if q.Audience == Agent {
		if len(q.Statuses) == 0 && st != Published || len(q.Statuses) > 0 && !slices.Contains(q.Statuses, st) {
			return false
		}
		if len(q.Visibilities) > 0 && !slices.Contains(q.Visibilities, v) {
			return false
		}
	}
	return true
}

func sameBase(a, b language.Tag) bool {
	ab, _ := a.Base()
	bb, _ := b.Base()
	return ab == bb
}
