package kb

import (
	"context"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

const (
	fieldTitle = iota
	fieldKeywords
	fieldBody
	// fieldLearned holds the words learned from resolved tickets; it has
	// no positions and no length normalization.
	fieldLearned
	numFields
)

// IndexConfig configures a MemoryIndex. The zero value is the defaults.
type IndexConfig struct {
	// Ranking tunes scoring; zero fields take their defaults.
	Ranking Ranking
	// Synonyms are sets of words that find each other, such as
	// {"пароль", "password"}. Default: none.
	Synonyms [][]string
	// Analyzer returns the analyzer for a translation's language.
	// Default: NewAnalyzer.
	Analyzer func(language.Tag) Analyzer
	// Lexicon lists correctly spelled words of the languages served (a
	// spelling dictionary's words, any case). A query word in it is a real
	// word, never a typo: it is not respelled into a word the articles hold
	// nor offered a did-you-mean, though it still matches through its stem,
	// root, synonyms and completions. Stop words count as lexicon words
	// too. Default: none.
	Lexicon []string
	// Learning tunes what the index learns from resolved tickets.
	Learning LearnConfig
	// NoThesaurus turns off the built-in thesaurus of customers' everyday
	// Russian (see Ranking.EverydayWeight), for a host whose customers'
	// words mean something else. It applies only with the default Analyzer.
	NoThesaurus bool
}

// MemoryIndex is the built-in in-memory Index: BM25F ranking over title,
// keywords and body, phrase and proximity boosts, typo tolerance, prefix
// matching, keyboard-layout correction, synonyms, filters, facets and
// snippets. It is safe for concurrent use; writes are visible to the next
// search. Make one with NewMemoryIndex: a MemoryIndex it did not make
// returns ErrInvalid from Upsert, Delete and Search.
//
// A MemoryIndex holds the articles of one tenant, since its statistics,
// corrections and completions come from every article it holds: the first
// article upserted, or the first KB made over it, binds it to a tenant, and
// Upsert of another tenant's article then returns ErrInvalid.
type MemoryIndex struct {
	rank     Ranking
	analyzer func(language.Tag) Analyzer
	// defaultAnalyzer reports whether analyzer is NewAnalyzer.
	defaultAnalyzer bool
	// everyday reports whether queries take the built-in thesaurus.
	everyday bool
	// synonyms maps the stems of a synonym, joined by spaces, to the sets of
	// synonymSets that hold it, a set once for each time it holds it. A set
	// is kept once, not once per member, so its memory grows with its size.
	synonyms    map[string][]int32
	synonymSets [][]synonymMember
	// cover holds the coverage factors by query length (coverTable).
	cover [][]float64
	// lexicon holds the folded words of IndexConfig.Lexicon.
	lexicon map[string]bool
	learn   LearnConfig
	// learned holds, per article and base language, the resolutions
	// learned and the words they make; learnedBy where each ticket's
	// resolution is, and learnSeq the last resolution's place in the
	// learning order.
	learnMu   sync.Mutex
	learned   map[uuid.UUID]map[string]*learnedGroup
	learnedBy map[uuid.UUID]learnedRef
	learnSeq  uint64
	// synonymWords is the number of words of the longest synonym.
	synonymWords int
	// analyzers caches the analyzer of up to maxCachedAnalyzers languages;
	// queries choose languages, so the cache must not grow with them.
	analyzersMu sync.RWMutex
	analyzers   map[language.Tag]Analyzer

	mu sync.RWMutex
	// tenant is the tenant whose articles the index holds, once bound.
	tenant string
	bound  bool
	docs   []doc
	// meta holds, per doc, what scoring reads for every posting, apart from
	// the bulky doc so that scoring stays in the cache.
	meta      []docMeta
	byArticle map[uuid.UUID][]uint32
	terms     map[string]*termEntry
	// roots maps the root of every Cyrillic term (rootOf) to the terms
	// that have it; terms that no doc holds any more stay until a
	// compaction and are skipped by their document frequency.
	roots  map[string][]string
	sumLen [numFields]int64
	// sumLenPub sums the field lengths of docs customers may see, so their
	// scores do not depend on hidden articles.
	sumLenPub [numFields]int64
	live      int
	livePub   int
	dead      int
	multi     int // articles with more than one indexed translation
	vocab     lexicon
	wordID    map[string]int32
	wordStem  []string
	wordText  []string
	// wordStemmed marks words whose stem came from NewAnalyzer's stemming
	// chain, so it equals Stem(word) and a query may reuse it.
	wordStemmed []bool
	// wordLive and wordPub count, per word, the live docs that hold it and
	// those of them customers may see: typo correction, completion and "did
	// you mean" offer only words the audience's articles hold.
	wordLive, wordPub []int32
}

// doc is one indexed translation.
type doc struct {
	article    uuid.UUID
	lang       language.Tag
	slug       string
	category   string
	tags       []string
	visibility Visibility
	status     Status
	title      string
	body       string
	titleStems []string
	length     [numFields]int32
	terms      []string
	words      [][2]string // surface word and stem, until the doc is added
	wordIDs    []int32     // vocabulary ids of words, once the doc is added
	stemmed    bool        // the words were stemmed by NewAnalyzer
	live       bool
	scripts    uint8 // the article's articleScripts
}

func (d *doc) public() bool { return d.visibility == Public && d.status == Published }

// docMeta is the part of a doc that scoring reads for every posting.
type docMeta struct {
	length [numFields]int32
	// gate is the doc's gateBit, or 0 once the doc is deleted.
	gate uint16
	// scripts is the doc's article's articleScripts.
	scripts uint8
}

// gateBit returns the bit that stands for a visibility and status pair in a
// gate mask, or 0 for values that are not defined.
func gateBit(v Visibility, s Status) uint16 {
	if v < Public || v > Internal || s < Draft || s > Archived {
		return 0
	}
	return 1 << (uint(v)*4 + uint(s))
}

// posting is one doc's entry in a term's list: the term's frequency in each
// field and where the doc's positions of the term lie in the term's
// positions.
type posting struct {
	doc      uint32
	tf       [numFields]uint16
	pos, end uint32
}

// docTerm is a term of a doc being analysed: its frequency in each field and
// its positions.
type docTerm struct {
	tf  [numFields]uint16
	pos []uint32 // field<<24 | position, for title and body
}

type termEntry struct {
	// term is the indexed term; docs share this copy of it.
	term     string
	postings []posting
	// positions holds the positions of every posting, one run per posting
	// in the order of the postings, so a posting needs no list of its own.
	positions []uint32
	df        int
	dfPub     int
	// root is rootOf(term) for a Cyrillic term, filed under it in roots.
	root string
}

// positionsOf returns the positions of posting p of the term.
func (e *termEntry) positionsOf(p *posting) []uint32 { return e.positions[p.pos:p.end] }

// NewMemoryIndex returns an empty index. It returns ErrInvalid when the
// ranking has a negative weight.
func NewMemoryIndex(cfg IndexConfig) (*MemoryIndex, error) {
	rank, err := cfg.Ranking.withDefaults()
	if err != nil {
		return nil, err
	}
	learn, err := cfg.Learning.withDefaults()
	if err != nil {
		return nil, err
	}
	ix := &MemoryIndex{
		rank:      rank,
		analyzer:  cfg.Analyzer,
		synonyms:  make(map[string][]int32),
		analyzers: make(map[language.Tag]Analyzer),
		learn:     learn,
		cover:     coverTable(rank.Coverage),
		learned:   make(map[uuid.UUID]map[string]*learnedGroup),
		learnedBy: make(map[uuid.UUID]learnedRef),
	}
	if ix.analyzer == nil {
		ix.analyzer = NewAnalyzer
		ix.defaultAnalyzer = true
		ix.everyday = !cfg.NoThesaurus
	}
	ix.reset()
	ix.buildSynonyms(cfg.Synonyms)
	ix.lexicon = make(map[string]bool, len(cfg.Lexicon))
	for _, w := range cfg.Lexicon {
		ix.lexicon[Fold(strings.ToValidUTF8(w, " "))] = true
	}
	return ix, nil
}

// ready returns ErrInvalid for a MemoryIndex that NewMemoryIndex did not
// make.
func (ix *MemoryIndex) ready() error {
	if ix == nil || ix.analyzer == nil {
		return invalid("MemoryIndex", "not made by NewMemoryIndex")
	}
	return nil
}

func (ix *MemoryIndex) reset() {
	ix.docs = nil
	ix.meta = nil
	ix.byArticle = make(map[uuid.UUID][]uint32)
	ix.terms = make(map[string]*termEntry)
	ix.roots = make(map[string][]string)
	ix.sumLen, ix.sumLenPub = [numFields]int64{}, [numFields]int64{}
	ix.live, ix.livePub, ix.dead, ix.multi = 0, 0, 0, 0
	ix.vocab = newLexicon()
	ix.wordID = make(map[string]int32)
	ix.wordStem = nil
	ix.wordText = nil
	ix.wordStemmed = nil
	ix.wordLive, ix.wordPub = nil, nil
}

// maxCachedAnalyzers bounds the languages whose analyzer a MemoryIndex
// keeps; the analyzer of any other language is built on each use.
const maxCachedAnalyzers = 64

func (ix *MemoryIndex) analyzerFor(lang language.Tag) Analyzer {
	ix.analyzersMu.RLock()
	a, ok := ix.analyzers[lang]
	ix.analyzersMu.RUnlock()
	if ok {
		return a
	}
	a = ix.analyzer(lang)
	ix.analyzersMu.Lock()
	if len(ix.analyzers) < maxCachedAnalyzers {
		ix.analyzers[lang] = a
	}
	ix.analyzersMu.Unlock()
	return a
}

// SetSynonyms replaces the index's synonym sets (IndexConfig.Synonyms), for
// a host that approved new ones (see KB.SuggestSynonyms); the next search
// uses them.
func (ix *MemoryIndex) SetSynonyms(sets [][]string) error {
	if err := ix.ready(); err != nil {
		return err
	}
	built := &MemoryIndex{analyzer: ix.analyzer, analyzers: ix.analyzers, synonyms: make(map[string][]int32)}
	ix.analyzersMu.RLock()
	built.analyzers = make(map[language.Tag]Analyzer, len(ix.analyzers))
	for k, v := range ix.analyzers {
		built.analyzers[k] = v
	}
	ix.analyzersMu.RUnlock()
	built.buildSynonyms(sets)
	ix.mu.Lock()
	ix.synonyms, ix.synonymSets, ix.synonymWords = built.synonyms, built.synonymSets, built.synonymWords
	ix.mu.Unlock()
	return nil
}

// synonymMember is one member of a synonym set: its stems, and them joined
// by spaces.
type synonymMember struct {
	key   string
	stems []string
}

// buildSynonyms keeps the stems of every member of a synonym set and maps
// each member (its stems joined by spaces) to the sets that hold it.
func (ix *MemoryIndex) buildSynonyms(sets [][]string) {
	an := ix.analyzerFor(language.English)
	for _, set := range sets {
		var members []synonymMember
		for _, w := range set {
			var stems []string
			for _, t := range an.Analyze(strings.ToValidUTF8(w, " ")) {
				if !slices.Contains(stems, t.Text) {
					stems = append(stems, t.Text)
				}
			}
			if len(stems) > 0 {
				members = append(members, synonymMember{key: strings.Join(stems, " "), stems: stems})
			}
		}
		id := int32(len(ix.synonymSets))
		ix.synonymSets = append(ix.synonymSets, members)
		for _, m := range members {
			ix.synonymWords = max(ix.synonymWords, len(m.stems))
			ix.synonyms[m.key] = append(ix.synonyms[m.key], id)
		}
	}
}

// bind makes the index one tenant's, as the first Upsert does; it returns
// ErrInvalid when the index is another tenant's already.
func (ix *MemoryIndex) bind(tenant string) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.bindLocked(tenant)
}

// bindLocked is bind with ix.mu held.
func (ix *MemoryIndex) bindLocked(tenant string) error {
	if ix.bound && ix.tenant != tenant {
		return invalid("Tenant", "the index holds another tenant's articles")
	}
	ix.tenant, ix.bound = tenant, true
	return nil
}

// Upsert implements Index.
func (ix *MemoryIndex) Upsert(ctx context.Context, a *Article) error {
	if err := ix.ready(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	docs := make([]doc, 0, len(a.Translations))
	docTerms := make([]map[string]*docTerm, 0, len(a.Translations))
	for _, lang := range a.Languages() {
		d, terms := ix.analyze(a, lang)
		docs = append(docs, d)
		docTerms = append(docTerms, terms)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.bindLocked(a.Tenant); err != nil {
		return err
	}
	ix.remove(a.ID)
	for i := range docs {
		ix.add(&docs[i], docTerms[i])
	}
	ix.maybeCompact()
	return nil
}

// Delete implements Index.
func (ix *MemoryIndex) Delete(ctx context.Context, id uuid.UUID) error {
	if err := ix.ready(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(id)
	ix.maybeCompact()
	return nil
}

// analyze builds the document and its terms for one translation, outside
// the lock.
func (ix *MemoryIndex) analyze(a *Article, lang language.Tag) (doc, map[string]*docTerm) {
	tr := a.Translations[lang]
	d := doc{
		article:    a.ID,
		lang:       lang,
		slug:       a.Slug,
		category:   a.Category,
		tags:       slices.Clone(a.Tags),
		visibility: a.Visibility,
		status:     a.Status,
		title:      strings.ToValidUTF8(tr.Title, "\uFFFD"),
		body:       strings.ToValidUTF8(tr.Body, "\uFFFD"),
		live:       true,
		stemmed:    ix.defaultAnalyzer && stems(lang),
		scripts:    articleScripts(a),
	}
	keywords := strings.ToValidUTF8(strings.Join(append(slices.Clone(tr.Keywords), a.Tags...), " ; "), " ")
	an := ix.analyzerFor(lang)
	terms := make(map[string]*docTerm)
	seen := make(map[string]struct{})
	for f, text := range [fieldLearned]string{d.title, keywords, d.body} {
		runes := []rune(text)
		for _, t := range an.Analyze(text) {
			p := terms[t.Text]
			if p == nil {
				p = &docTerm{}
				terms[t.Text] = p
				d.terms = append(d.terms, t.Text)
			}
			if p.tf[f] < 65535 {
				p.tf[f]++
			}
			if f != fieldKeywords {
				p.pos = append(p.pos, uint32(f)<<24|uint32(t.Pos)&0xffffff)
			}
			if f == fieldTitle {
				d.titleStems = append(d.titleStems, t.Text)
			}
			d.length[f]++
			surface := Fold(string(runes[t.Start:t.End]))
			if _, ok := seen[surface]; !ok {
				seen[surface] = struct{}{}
				d.words = append(d.words, [2]string{surface, t.Text})
			}
		}
	}
	for stem, w := range ix.learnedFor(a, lang) {
		tf := uint16(min(65535, math.Round(w*learnedScale)))
		if tf == 0 {
			continue
		}
		p := terms[stem]
		if p == nil {
			p = &docTerm{}
			terms[stem] = p
			d.terms = append(d.terms, stem)
		}
		p.tf[fieldLearned] = tf
		d.length[fieldLearned] += int32(tf)
	}
	return d, terms
}

// addWord returns the vocabulary id of a surface word, adding the word
// with no docs when it is new.
func (ix *MemoryIndex) addWord(surface, stem string, stemmed bool) int32 {
	if id, ok := ix.wordID[surface]; ok {
		if stemmed && !ix.wordStemmed[id] && ix.wordStem[id] == stem {
			ix.wordStemmed[id] = true
		}
		return id
	}
	// The surface may be a slice of an article's text; a copy keeps the
	// vocabulary from holding that text once the article is gone.
	surface = strings.Clone(surface)
	id := int32(len(ix.wordStem))
	ix.wordID[surface] = id
	ix.wordStem = append(ix.wordStem, stem)
	ix.wordText = append(ix.wordText, surface)
	ix.wordStemmed = append(ix.wordStemmed, stemmed)
	ix.wordLive = append(ix.wordLive, 0)
	ix.wordPub = append(ix.wordPub, 0)
	ix.vocab.insert(surface, id)
	return id
}

func (ix *MemoryIndex) add(d *doc, terms map[string]*docTerm) {
	id := uint32(len(ix.docs))
	ix.docs = append(ix.docs, *d)
	ix.meta = append(ix.meta, docMeta{length: d.length, gate: gateBit(d.visibility, d.status), scripts: d.scripts})
	ix.byArticle[d.article] = append(ix.byArticle[d.article], id)
	if len(ix.byArticle[d.article]) == 2 {
		ix.multi++
	}
	pub := d.public()
	for i, term := range d.terms {
		p := terms[term]
		e := ix.terms[term]
		if e == nil {
			e = &termEntry{term: term}
			ix.terms[term] = e
			ix.addRoot(e)
		}
		d.terms[i] = e.term
		start := uint32(len(e.positions))
		e.positions = append(e.positions, p.pos...)
		e.postings = append(e.postings, posting{doc: id, tf: p.tf, pos: start, end: uint32(len(e.positions))})
		e.df++
		if pub {
			e.dfPub++
		}
	}
	for i, stem := range d.titleStems {
		d.titleStems[i] = ix.terms[stem].term
	}
	ids := make([]int32, len(d.words))
	for i, w := range d.words {
		ids[i] = ix.addWord(w[0], ix.terms[w[1]].term, d.stemmed)
		ix.wordLive[ids[i]]++
		if pub {
			ix.wordPub[ids[i]]++
		}
	}
	ix.docs[id].words, ix.docs[id].wordIDs = nil, ids
	for f := range numFields {
		ix.sumLen[f] += int64(d.length[f])
		if pub {
			ix.sumLenPub[f] += int64(d.length[f])
		}
	}
	ix.live++
	if pub {
		ix.livePub++
	}
}

func (ix *MemoryIndex) remove(article uuid.UUID) {
	if len(ix.byArticle[article]) > 1 {
		ix.multi--
	}
	for _, id := range ix.byArticle[article] {
		d := &ix.docs[id]
		pub := d.public()
		for _, term := range d.terms {
			e := ix.terms[term]
			e.df--
			if pub {
				e.dfPub--
			}
		}
		for _, w := range d.wordIDs {
			ix.wordLive[w]--
			if pub {
				ix.wordPub[w]--
			}
		}
		for f := range numFields {
			ix.sumLen[f] -= int64(d.length[f])
			if pub {
				ix.sumLenPub[f] -= int64(d.length[f])
			}
		}
		d.live, d.wordIDs = false, nil
		ix.meta[id].gate = 0
		ix.live--
		if pub {
			ix.livePub--
		}
		ix.dead++
	}
	delete(ix.byArticle, article)
}

// maybeCompact rebuilds the postings without dead documents once they
// outnumber the live ones, so updates cost amortized constant space.
func (ix *MemoryIndex) maybeCompact() {
	if ix.dead < 64 || ix.dead < ix.live {
		return
	}
	renum := make([]int64, len(ix.docs))
	docs := make([]doc, 0, ix.live)
	meta := make([]docMeta, 0, ix.live)
	for i := range ix.docs {
		renum[i] = -1
		if ix.docs[i].live {
			renum[i] = int64(len(docs))
			docs = append(docs, ix.docs[i])
			meta = append(meta, ix.meta[i])
		}
	}
	ix.roots = make(map[string][]string)
	for term, e := range ix.terms {
		if e.df == 0 {
			delete(ix.terms, term)
			continue
		}
		ix.addRoot(e)
		kept := make([]posting, 0, e.df)
		var positions []uint32
		for _, p := range e.postings {
			if n := renum[p.doc]; n >= 0 {
				start := uint32(len(positions))
				positions = append(positions, e.positionsOf(&p)...)
				p.doc, p.pos, p.end = uint32(n), start, uint32(len(positions))
				kept = append(kept, p)
			}
		}
		e.postings, e.positions = kept, slices.Clip(positions)
	}
	for a, ids := range ix.byArticle {
		for i, id := range ids {
			ids[i] = uint32(renum[id])
		}
		ix.byArticle[a] = ids
	}
	ix.docs, ix.meta = docs, meta
	ix.dead = 0
	ix.rebuildVocab()
}

// rebuildVocab drops the words no live doc holds and renumbers the rest.
func (ix *MemoryIndex) rebuildVocab() {
	stems, texts, stemmed := ix.wordStem, ix.wordText, ix.wordStemmed
	live, pub := ix.wordLive, ix.wordPub
	ix.vocab = newLexicon()
	ix.wordID = make(map[string]int32, len(ix.wordID))
	ix.wordStem, ix.wordText, ix.wordStemmed = nil, nil, nil
	ix.wordLive, ix.wordPub = nil, nil
	renum := make([]int32, len(stems))
	for id := range stems {
		renum[id] = -1
		if live[id] > 0 {
			n := ix.addWord(texts[id], stems[id], stemmed[id])
			ix.wordLive[n], ix.wordPub[n] = live[id], pub[id]
			renum[id] = n
		}
	}
	for i := range ix.docs {
		for j, id := range ix.docs[i].wordIDs {
			ix.docs[i].wordIDs[j] = renum[id]
		}
	}
}

// addRoot files a new Cyrillic term under its root.
func (ix *MemoryIndex) addRoot(e *termEntry) {
	if wordScript(e.term) == scriptCyrillic {
		e.root = rootOf(e.term)
		ix.roots[e.root] = append(ix.roots[e.root], e.term)
	}
}

// isWord reports whether a folded query word is a real word: a stop word
// or a word of the lexicon.
func (ix *MemoryIndex) isWord(w string) bool {
	return stopWords[w] || ix.lexicon[w]
}

// Len returns the number of indexed articles.
func (ix *MemoryIndex) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.byArticle)
}

// surface returns the folded word with this vocabulary id.
func (ix *MemoryIndex) surface(id int32) string { return ix.wordText[id] }
