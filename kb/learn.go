package kb

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// Resolution is a ticket solved with an article: an agent linked or quoted
// it, or the customer's suggested article solved it. Its customer's public
// words become search vocabulary for the article (document expansion), so
// the next customer who describes the problem the same way finds it.
type Resolution struct {
	// ArticleID is the article that solved the ticket. Required.
	ArticleID uuid.UUID
	// TicketID is the ticket solved, uuid.Nil for none. A ticket's
	// resolution learned again replaces the one learned before (after its
	// text was redacted, say), and KB.Forget forgets it; one without a
	// TicketID can only be forgotten with its article.
	TicketID uuid.UUID
	// Language is the language of the customer's words; language.Und
	// guesses it from Public with DetectLanguage.
	Language language.Tag
	// Public holds what the customer wrote in public: the subject, the
	// description and their public replies. Only these texts are learned.
	Public []string
	// Notes holds text customers never saw (agents' internal notes). It is
	// never learned; a caller may pass a whole conversation, sorted.
	Notes []string
	// At is when the ticket was solved; KB.Learn uses its clock when zero.
	At time.Time
}

// MaxResolutionRunes bounds the public text of one Resolution; longer text
// is cut.
const MaxResolutionRunes = 4000

// LearnConfig tunes how a MemoryIndex learns from resolutions. The zero
// value is the defaults; negative values are invalid.
type LearnConfig struct {
	// HalfLife is how long until a resolution counts half: language
	// drifts, products change. Default: 90 days.
	HalfLife time.Duration
	// MinTickets is how many resolutions of an article must use a word
	// before it is searched: one ticket's names and oddities are never
	// learned. Default: 2.
	MinTickets int
	// MaxWords bounds the words kept per article and language, the
	// heaviest first. Default: 64.
	MaxWords int
	// MaxResolutions bounds the resolutions kept per article and
	// language, and so the time forgetting or replacing one takes: when a
	// resolution learned makes them more, the oldest quarter of them (in
	// learning order) are forgotten, as if never learned, and the rest
	// learned again. Default: 256.
	MaxResolutions int
}

func (c LearnConfig) withDefaults() (LearnConfig, error) {
	if c.HalfLife < 0 || c.MinTickets < 0 || c.MaxWords < 0 || c.MaxResolutions < 0 {
		return c, invalid("LearnConfig", "negative")
	}
	if c.HalfLife == 0 {
		c.HalfLife = 90 * 24 * time.Hour
	}
	if c.MinTickets == 0 {
		c.MinTickets = 2
	}
	if c.MaxWords == 0 {
		c.MaxWords = 64
	}
	if c.MaxResolutions == 0 {
		c.MaxResolutions = 256
	}
	return c, nil
}

// Learner is an Index that learns search vocabulary from resolutions. It
// is optional: KB.Learn does nothing with an Index that is not one.
// Learned words must never be offered back as text (completion, did you
// mean, typo targets): they are customers' words, not the articles'.
type Learner interface {
	// Learn records r's public words for its article. The index applies
	// them at the article's next Upsert, which KB.Learn makes at once. A
	// Learner that is also a Forgetter replaces what it learned from an
	// earlier resolution of r.TicketID.
	Learn(ctx context.Context, r Resolution) error
}

// learnedWord is one word learned for an article in one language.
type learnedWord struct {
	surface string    // the folded word as a customer first wrote it
	weight  float64   // resolutions that used it, decayed to at
	tickets int       // resolutions that used it
	at      time.Time // when weight was last decayed to
}

// learnedEntry is one resolution as learned: its distinct stems, each with
// the folded surface it was first written as.
type learnedEntry struct {
	seq    uint64    // the order it was first learned in
	ticket uuid.UUID // Resolution.TicketID; uuid.Nil for none
	at     time.Time
	stems  [][2]string
}

// learnedGroup is what an article learned in one base language: the
// resolutions in learning order, and the words they make.
type learnedGroup struct {
	entries []*learnedEntry
	words   map[string]learnedWord
}

// learnedRef is where a ticket's resolution was learned.
type learnedRef struct {
	article uuid.UUID
	lang    string
}

// learnedScale turns a learned weight into the integer term frequency the
// postings keep.
const learnedScale = 8

// Learn implements Learner: it analyses r's public texts like a query
// in r's language and adds each stem once per resolution, decaying what
// the article already learned in that language to r.At. Words with digits
// or an @ (order and phone numbers, addresses), with their parts, and words
// under three runes are never learned. A resolution whose TicketID was
// learned before replaces that one in its place in the learning order, so
// the words are those the index would hold had it learned the new one
// first; the article the ticket was learned for before is applied at its
// next Upsert. To forget or replace a resolution exactly, the index keeps
// the distinct words of each resolution learned until its article is
// deleted: some 2 KiB for a ticket of a few sentences, up to about 50 KiB
// for MaxResolutionRunes of distinct words; forgetting or replacing one
// learns the article's other resolutions in its language again, so it
// takes time in proportion to their words, of at most
// LearnConfig.MaxResolutions resolutions. It returns ErrInvalid for a nil
// ArticleID.
func (ix *MemoryIndex) Learn(ctx context.Context, r Resolution) error {
	if err := ix.ready(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.ArticleID == uuid.Nil {
		return invalid("ArticleID", "required")
	}
	text := publicText(r.Public)
	lang := r.Language
	if lang == language.Und {
		lang = DetectLanguage(text)
	}
	base, _ := lang.Base()
	stems := ix.learnableStems(lang, text)
	if len(stems) == 0 && r.TicketID == uuid.Nil {
		return nil
	}
	ix.learnMu.Lock()
	defer ix.learnMu.Unlock()
	e := &learnedEntry{ticket: r.TicketID, at: r.At, stems: stems}
	to := learnedRef{article: r.ArticleID, lang: base.String()}
	if from, ok := ix.learnedBy[r.TicketID]; ok && r.TicketID != uuid.Nil {
		ix.replaceEntry(from, to, e)
		return nil
	}
	ix.learnSeq++
	e.seq = ix.learnSeq
	g := ix.group(to)
	g.entries = append(g.entries, e)
	if r.TicketID != uuid.Nil {
		ix.learnedBy[r.TicketID] = to
	}
	if !ix.capResolutions(to) {
		ix.apply(g.words, e)
	}
	return nil
}

// group returns the group at ref, made when missing. Called under learnMu.
func (ix *MemoryIndex) group(ref learnedRef) *learnedGroup {
	byLang := ix.learned[ref.article]
	if byLang == nil {
		byLang = make(map[string]*learnedGroup)
		ix.learned[ref.article] = byLang
	}
	g := byLang[ref.lang]
	if g == nil {
		g = &learnedGroup{words: make(map[string]learnedWord)}
		byLang[ref.lang] = g
	}
	return g
}

// replaceEntry puts e, a resolution of a ticket learned at from, in the
// place of the one learned, at to, and rebuilds the words of both groups
// (once when they are one). Called under learnMu.
func (ix *MemoryIndex) replaceEntry(from, to learnedRef, e *learnedEntry) {
	g := ix.learned[from.article][from.lang]
	i := slices.IndexFunc(g.entries, func(x *learnedEntry) bool { return x.ticket == e.ticket })
	old := g.entries[i]
	e.seq = old.seq
	if from == to && old.at.Equal(e.at) && slices.Equal(old.stems, e.stems) {
		return
	}
	g.entries = slices.Delete(g.entries, i, i+1)
	if from != to {
		ix.rebuild(from)
	}
	g = ix.group(to)
	at, _ := slices.BinarySearchFunc(g.entries, e.seq, func(x *learnedEntry, seq uint64) int { return cmp.Compare(x.seq, seq) })
	g.entries = slices.Insert(g.entries, at, e)
	ix.learnedBy[e.ticket] = to
	if !ix.capResolutions(to) {
		ix.rebuild(to)
	}
}

// capResolutions keeps the group at ref to MaxResolutions resolutions: when it has
// more, it forgets the oldest quarter of MaxResolutions (at least one) and
// rebuilds the words, reporting whether it did. Called under learnMu.
func (ix *MemoryIndex) capResolutions(ref learnedRef) bool {
	g := ix.learned[ref.article][ref.lang]
	if len(g.entries) <= ix.learn.MaxResolutions {
		return false
	}
	drop := len(g.entries) - (ix.learn.MaxResolutions - ix.learn.MaxResolutions/4)
	for _, e := range g.entries[:drop] {
		delete(ix.learnedBy, e.ticket)
	}
	g.entries = slices.Delete(g.entries, 0, drop)
	ix.rebuild(ref)
	return true
}

// rebuild learns the group at ref again from its resolutions, in their
// order, dropping it when none is left. Called under learnMu.
//
// The words cannot be rebuilt by subtracting a resolution's weights
// instead: each resolution decays the words to its time, adds its own and
// keeps the MaxWords heaviest, and which survive depends on every weight
// at that moment, so a word dropped because of one resolution would not
// come back by subtracting it; a resolution learned out of time order also
// changes how much every later one decays. The words are a function of the
// whole sequence, which MaxResolutions bounds.
func (ix *MemoryIndex) rebuild(ref learnedRef) {
	byLang := ix.learned[ref.article]
	g := byLang[ref.lang]
	if g == nil {
		return
	}
	if len(g.entries) == 0 {
		delete(byLang, ref.lang)
		if len(byLang) == 0 {
			delete(ix.learned, ref.article)
		}
		return
	}
	clear(g.words)
	for _, e := range g.entries {
		ix.apply(g.words, e)
	}
}

// apply adds the resolution e to words: it decays them to e.at, counts
// each of e's stems once and keeps the heaviest. A resolution with nothing
// to learn changes nothing; a ticket's is kept all the same, for its place
// in the order should it be learned again. Called under learnMu.
func (ix *MemoryIndex) apply(words map[string]learnedWord, e *learnedEntry) {
	if len(e.stems) == 0 {
		return
	}
	decayAll(words, e.at, ix.learn.HalfLife)
	for _, st := range e.stems {
		w, ok := words[st[1]]
		if !ok {
			w = learnedWord{surface: st[0], at: e.at}
		}
		w.weight++
		w.tickets++
		words[st[1]] = w
	}
	ix.trimLearned(words)
}

// Forgetter is the optional ability of a Learner to forget resolutions by
// ticket (Resolution.TicketID), for erasing a person's data: KB.Forget and
// KB.Learn find it by type assertion. MemoryIndex has it.
// Implementations must be safe for concurrent use.
type Forgetter interface {
	Learner
	// Forget drops what was learned from the resolutions of the given
	// tickets, leaving the words the index would hold had it never learned
	// them; tickets it has not learned from, and uuid.Nil, are ignored. It
	// returns the articles whose words changed, sorted, which the index
	// applies at their next Upsert.
	Forget(ctx context.Context, tickets ...uuid.UUID) ([]uuid.UUID, error)
	// LearnedArticle returns the article the ticket's resolution was
	// learned for; false when the index has learned none of the ticket.
	LearnedArticle(ticket uuid.UUID) (uuid.UUID, bool)
}

var _ Forgetter = (*MemoryIndex)(nil)

// Forget implements Forgetter.
func (ix *MemoryIndex) Forget(ctx context.Context, tickets ...uuid.UUID) ([]uuid.UUID, error) {
	if err := ix.ready(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ix.learnMu.Lock()
	defer ix.learnMu.Unlock()
	return ix.forgetTickets(tickets...), nil
}

// forgetTickets drops the tickets' resolutions and returns the articles
// they were learned for, sorted. Called under learnMu.
func (ix *MemoryIndex) forgetTickets(tickets ...uuid.UUID) []uuid.UUID {
	changed := map[learnedRef]bool{}
	for _, t := range tickets {
		ref, ok := ix.learnedBy[t]
		if !ok || t == uuid.Nil {
			continue
		}
		delete(ix.learnedBy, t)
		g := ix.learned[ref.article][ref.lang]
		g.entries = slices.DeleteFunc(g.entries, func(e *learnedEntry) bool { return e.ticket == t })
		changed[ref] = true
	}
	var articles []uuid.UUID
	for ref := range changed {
		ix.rebuild(ref)
		if !slices.Contains(articles, ref.article) {
			articles = append(articles, ref.article)
		}
	}
	slices.SortFunc(articles, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	return articles
}

// LearnedArticle implements Forgetter.
func (ix *MemoryIndex) LearnedArticle(ticket uuid.UUID) (uuid.UUID, bool) {
	if ix.ready() != nil || ticket == uuid.Nil {
		return uuid.Nil, false
	}
	ix.learnMu.Lock()
	defer ix.learnMu.Unlock()
	ref, ok := ix.learnedBy[ticket]
	return ref.article, ok
}

// publicText joins the public texts with newlines, each run of invalid
// UTF-8 replaced by a space, cut to MaxResolutionRunes: it reads no more of
// the texts than it keeps, however long they are.
func publicText(texts []string) string {
	var b strings.Builder
	n := 0
	for i, t := range texts {
		if n == MaxResolutionRunes {
			break
		}
		if i > 0 {
			b.WriteByte('\n')
			n++
		}
		invalid := false
		for len(t) > 0 && n < MaxResolutionRunes {
			r, size := utf8.DecodeRuneInString(t)
			t = t[size:]
			if r == utf8.RuneError && size == 1 {
				if !invalid {
					b.WriteByte(' ')
					n++
				}
				invalid = true
				continue
			}
			invalid = false
			b.WriteRune(r)
			n++
		}
	}
	return b.String()
}

// learnableStems returns the distinct stems of text that may be learned,
// each with the folded surface it was first written as.
func (ix *MemoryIndex) learnableStems(lang language.Tag, text string) [][2]string {
	var stems [][2]string
	an := ix.analyzerFor(lang)
	runes := []rune(text)
	toks := an.Analyze(text)
	// A word with digits or an @ is skipped with its parts (the tokenizer
	// also gives the name in "ivan.petrov@example.com" at the same place).
	skip := map[int]bool{}
	for _, t := range toks {
		if slices.ContainsFunc(runes[t.Start:t.End], func(r rune) bool { return unicode.IsDigit(r) || r == '@' }) {
			skip[t.Pos] = true
		}
	}
	seen := make(map[string]bool)
	for _, t := range toks {
		surface := runes[t.Start:t.End]
		if len(surface) < 3 || skip[t.Pos] || seen[t.Text] {
			continue
		}
		seen[t.Text] = true
		stems = append(stems, [2]string{Fold(string(surface)), t.Text})
	}
	return stems
}

// decayAll brings the weights of words to time at. Words learned together
// were last decayed to the same time, so the factor is computed once for
// each such time.
func decayAll(words map[string]learnedWord, at time.Time, halfLife time.Duration) {
	var from time.Time
	factor := 0.0
	for stem, w := range words {
		if !at.After(w.at) {
			continue
		}
		if factor == 0 || !w.at.Equal(from) {
			from, factor = w.at, math.Exp2(-float64(at.Sub(w.at))/float64(halfLife))
		}
		w.weight *= factor
		w.at = at
		words[stem] = w
	}
}

// trimLearned keeps the MaxWords heaviest words.
func (ix *MemoryIndex) trimLearned(words map[string]learnedWord) {
	if len(words) <= ix.learn.MaxWords {
		return
	}
	type kv struct {
		stem string
		w    float64
	}
	all := make([]kv, 0, len(words))
	for s, w := range words {
		all = append(all, kv{s, w.weight})
	}
	selectTop(all, ix.learn.MaxWords, func(a, b kv) bool { return cmp.Or(cmp.Compare(b.w, a.w), strings.Compare(a.stem, b.stem)) < 0 })
	for _, e := range all[ix.learn.MaxWords:] {
		delete(words, e.stem)
	}
}

// learnedFor returns the learned stems and weights that the translation
// lang of article a searches by: those learned in its language, and those
// learned in a language a has no translation of, when a reader of that
// language would be given this translation.
func (ix *MemoryIndex) learnedFor(a *Article, lang language.Tag) map[string]float64 {
	ix.learnMu.Lock()
	defer ix.learnMu.Unlock()
	byLang := ix.learned[a.ID]
	if len(byLang) == 0 {
		return nil
	}
	out := make(map[string]float64)
	for l, g := range byLang {
		tag := language.Make(l)
		if !sameBase(tag, lang) {
			if hasBase(a, tag) {
				continue
			}
			if chosen, _, _ := a.Translation(tag); chosen != lang {
				continue
			}
		}
		for stem, w := range g.words {
			if w.tickets >= ix.learn.MinTickets {
				out[stem] += w.weight
			}
		}
	}
	return out
}

// hasBase reports whether a has a translation in tag's base language.
func hasBase(a *Article, tag language.Tag) bool {
	for l := range a.Translations {
		if sameBase(l, tag) {
			return true
		}
	}
	return false
}

// forget drops what was learned for an article.
func (ix *MemoryIndex) forget(id uuid.UUID) {
	ix.learnMu.Lock()
	for _, g := range ix.learned[id] {
		for _, e := range g.entries {
			delete(ix.learnedBy, e.ticket)
		}
	}
	delete(ix.learned, id)
	ix.learnMu.Unlock()
}

// Learn makes the customer's public words of a resolved ticket search
// vocabulary for the article that solved it (see Resolution and
// LearnConfig): weighted by how many resolutions used them, decayed with
// age, kept per language, and never taken from Notes. The article is
// indexed again at once. A resolution of a ticket learned before
// (Resolution.TicketID) replaces it, with an Index that is a Forgetter:
// learn a ticket again after redacting its text and no word of the old text
// stays. It returns ErrInvalid for a nil ArticleID and ErrNotFound for an
// article the store lacks; with an Index that is not a Learner it does
// nothing. Learning from an internal article's tickets helps agents only:
// customers never see the article. What the built-in index learned lives
// in memory: after a restart a host replays its resolutions, in the order
// first learned (At keeps the decay right), before serving searches.
func (k *KB) Learn(ctx context.Context, r Resolution) error {
	if err := k.ready(); err != nil {
		return err
	}
	if r.ArticleID == uuid.Nil {
		return invalid("ArticleID", "required")
	}
	l, ok := k.index.(Learner)
	if !ok {
		return nil
	}
	if r.At.IsZero() {
		r.At = k.cfg.Now()
	}
	r.Notes = nil
	k.writeMu.Lock()
	defer k.writeMu.Unlock()
	a, err := k.get(ctx, r.ArticleID)
	if err != nil {
		return err
	}
	var before []uuid.UUID
	if f, ok := l.(Forgetter); ok && r.TicketID != uuid.Nil {
		if id, ok := f.LearnedArticle(r.TicketID); ok && id != r.ArticleID {
			before = append(before, id)
		}
	}
	if err := l.Learn(ctx, r); err != nil {
		return err
	}
	if err := k.index.Upsert(context.WithoutCancel(ctx), a); err != nil {
		return err
	}
	return k.reindex(context.WithoutCancel(ctx), before)
}

// Forget makes the knowledge base forget what it learned from the given
// tickets' resolutions (Resolution.TicketID), as if it had never learned
// them, and indexes their articles again at once: for erasing a person's
// words, or a ticket solved by mistake. Tickets it has not learned from are
// ignored. With an Index that is not a Forgetter it does nothing; errors
// are the index's and the store's.
func (k *KB) Forget(ctx context.Context, tickets ...uuid.UUID) error {
	if err := k.ready(); err != nil {
		return err
	}
	f, ok := k.index.(Forgetter)
	if !ok {
		return nil
	}
	k.writeMu.Lock()
	defer k.writeMu.Unlock()
	changed, err := f.Forget(ctx, tickets...)
	if err != nil {
		return err
	}
	return k.reindex(context.WithoutCancel(ctx), changed)
}

// reindex upserts the stored articles ids into the index again, so that
// it applies what they learned; articles the store lacks are skipped.
// Called under writeMu.
func (k *KB) reindex(ctx context.Context, ids []uuid.UUID) error {
	for _, id := range ids {
		a, err := k.get(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if err := k.index.Upsert(ctx, a); err != nil {
			return err
		}
	}
	return nil
}
