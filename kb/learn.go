package kb

import (
	"cmp"
	"context"
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
}

func (c LearnConfig) withDefaults() (LearnConfig, error) {
	if c.HalfLife < 0 || c.MinTickets < 0 || c.MaxWords < 0 {
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
	return c, nil
}

// Learner is an Index that learns search vocabulary from resolutions. It
// is optional: KB.Learn does nothing with an Index that is not one.
// Learned words must never be offered back as text (completion, did you
// mean, typo targets): they are customers' words, not the articles'.
type Learner interface {
	// Learn records r's public words for its article. The index applies
	// them at the article's next Upsert, which KB.Learn makes at once.
	Learn(ctx context.Context, r Resolution) error
}

// learnedWord is one word learned for an article in one language.
type learnedWord struct {
	surface string    // the folded word as a customer first wrote it
	weight  float64   // resolutions that used it, decayed to at
	tickets int       // resolutions that used it
	at      time.Time // when weight was last decayed to
}

// learnedScale turns a learned weight into the integer term frequency the
// postings keep.
const learnedScale = 8

// Learn implements Learner: it analyses r's public texts like a query
// in r's language and adds each stem once per resolution, decaying what
// the article already learned in that language to r.At. Words with digits
// or an @ (order and phone numbers, addresses), with their parts, and words
// under three runes are never learned. It returns ErrInvalid for a nil ArticleID.
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
	if len(stems) == 0 {
		return nil
	}
	ix.learnMu.Lock()
	defer ix.learnMu.Unlock()
	byLang := ix.learned[r.ArticleID]
	if byLang == nil {
		byLang = make(map[string]map[string]*learnedWord)
		ix.learned[r.ArticleID] = byLang
	}
	words := byLang[base.String()]
	if words == nil {
		words = make(map[string]*learnedWord)
		byLang[base.String()] = words
	}
	for _, w := range words {
		w.decay(r.At, ix.learn.HalfLife)
	}
	for _, st := range stems {
		stem := st[1]
		w := words[stem]
		if w == nil {
			w = &learnedWord{surface: st[0], at: r.At}
			words[stem] = w
		}
		w.weight++
		w.tickets++
	}
	ix.trimLearned(words)
	return nil
}

// publicText joins the public texts, cut to MaxResolutionRunes.
func publicText(texts []string) string {
	text := strings.ToValidUTF8(strings.Join(texts, "\n"), " ")
	if utf8.RuneCountInString(text) > MaxResolutionRunes {
		text = string([]rune(text)[:MaxResolutionRunes])
	}
	return text
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
	for _, t := range toks {
		surface := runes[t.Start:t.End]
		if len(surface) < 3 || skip[t.Pos] {
			continue
		}
		if !slices.ContainsFunc(stems, func(s [2]string) bool { return s[1] == t.Text }) {
			stems = append(stems, [2]string{Fold(string(surface)), t.Text})
		}
	}
	return stems
}

// decay brings w's weight to time at.
func (w *learnedWord) decay(at time.Time, halfLife time.Duration) {
	if at.After(w.at) {
		w.weight *= math.Exp2(-float64(at.Sub(w.at)) / float64(halfLife))
		w.at = at
	}
}

// trimLearned keeps the MaxWords heaviest words.
func (ix *MemoryIndex) trimLearned(words map[string]*learnedWord) {
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
	slices.SortFunc(all, func(a, b kv) int { return cmp.Or(cmp.Compare(b.w, a.w), strings.Compare(a.stem, b.stem)) })
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
	for l, words := range byLang {
		tag := language.Make(l)
		if !sameBase(tag, lang) {
			if hasBase(a, tag) {
				continue
			}
			if chosen, _, _ := a.Translation(tag); chosen != lang {
				continue
			}
		}
		for stem, w := range words {
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
	delete(ix.learned, id)
	ix.learnMu.Unlock()
}

// Learn makes the customer's public words of a resolved ticket search
// vocabulary for the article that solved it (see Resolution and
// LearnConfig): weighted by how many resolutions used them, decayed with
// age, kept per language, and never taken from Notes. The article is
// indexed again at once. It returns ErrInvalid for a nil ArticleID and
// ErrNotFound for an article the store lacks; with an Index that is not a
// Learner it does nothing. Learning from an internal article's tickets
// helps agents only: customers never see the article. What the built-in
// index learned lives in memory: after a restart a host replays its
// resolutions (At keeps the decay right) before serving searches.
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
	if err := l.Learn(ctx, r); err != nil {
		return err
	}
	return k.index.Upsert(context.WithoutCancel(ctx), a)
}
