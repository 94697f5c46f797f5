package kb

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/rs/zerolog"
	"golang.org/x/text/language"
)

// Config configures a KB. The zero value is the defaults.
type Config struct {
	// Tenant is the tenant the KB works in: it creates articles in it, and
	// reads, finds, searches, counts and changes only that tenant's
	// articles; another tenant's article is missing (ErrNotFound) through
	// every method. Its searches, clicks, feedback and learned words are
	// the tenant's alone. Several KBs, one per tenant, may share a Store;
	// each needs its own Index and Analytics. At most MaxTenantRunes runes
	// of valid UTF-8 without control characters. Default "", the single
	// tenant of a host that has no others.
	Tenant string
	// Index is the search index. It holds the articles of the KB's tenant
	// only (its statistics, corrections and completions come from every
	// article it holds), so KBs of different tenants must not share one: a
	// MemoryIndex bound to another tenant is ErrInvalid. Default: a new
	// MemoryIndex built with IndexConfig.
	Index Index
	// IndexConfig configures the default index; it is ignored when Index is
	// set.
	IndexConfig IndexConfig
	// Analytics records searches and clicks, of the KB's tenant only: a
	// MemoryAnalytics bound to another tenant is ErrInvalid. Default:
	// NewMemoryAnalytics(0).
	Analytics Analytics
	// MaxQueryRunes is the longest query accepted, at least 16. Default:
	// DefaultMaxQueryRunes.
	MaxQueryRunes int
	// SuggestLimit is how many articles SuggestForTicket returns. Default: 5.
	SuggestLimit int
	// SuggestFloor is the least Hit.Relevance (0 to 1) an article needs
	// to be suggested for a ticket: a customer is better served by no
	// suggestion than a wrong one. Default: DefaultSuggestFloor with the
	// built-in MemoryIndex; with another Index, none unless set (such an
	// index may leave Relevance 0). At most 1; a tiny positive value
	// turns the floor off.
	SuggestFloor float64
	// Feedback tunes how customers' clicks rank results and how deflection
	// is judged.
	Feedback FeedbackConfig
	// Now is the clock. Default: time.Now.
	Now func() time.Time
	// Logger receives failures that do not fail the call (analytics). It
	// never receives query text. Default: zerolog.Nop().
	Logger zerolog.Logger
}

// DefaultSuggestFloor is SuggestForTicket's default relevance floor,
// calibrated on tuning halves only, each query standing for a ticket's
// subject, customers' view: it is the highest of 0.30, 0.35, ... that keeps
// at least 90% of the right first suggestions in each language. On the
// Russian collection (testdata/ru, tuning half) 0.40 keeps 63 of 64; on
// StackFAQ (every third paraphrase of the tuning threads) 190 of 204, where
// 0.45 would keep 87%. Over the same queries with their relevant articles
// deleted, so that whatever comes first is wrong, it withholds 25 of 75
// (Russian) and 64 of 252 (English) wrong suggestions, most of the rest
// being near neighbours of the right article. TestSuggestFloor reports the
// Russian halves and checks the held-out one.
const DefaultSuggestFloor = 0.40

// minQueryRunes is the smallest MaxQueryRunes a KB accepts.
const minQueryRunes = 16

// KB is a knowledge base: articles in a Store, searchable through an Index,
// with analytics. It is safe for concurrent use; every write is visible to
// the next search. Make one with New: every method of a KB that New did not
// make returns ErrInvalid.
type KB struct {
	store     Store
	index     Index
	analytics Analytics
	cfg       Config
	log       zerolog.Logger
	feedback  *feedback
	writeMu   sync.RWMutex // orders store and index writes; customer reads wait for them
}

// New returns a KB over store; a nil store means a new in-memory store
// (NewMemoryStore). It returns ErrInvalid for a bad config.
func New(store Store, cfg Config) (*KB, error) {
	if store == nil {
		store = NewMemoryStore()
	}
	if err := checkTenant(cfg.Tenant); err != nil {
		return nil, err
	}
	if cfg.MaxQueryRunes < 0 || cfg.SuggestLimit < 0 {
		return nil, invalid("Config", "negative limit")
	}
	if cfg.MaxQueryRunes != 0 && cfg.MaxQueryRunes < minQueryRunes {
		return nil, invalid("MaxQueryRunes", "below 16")
	}
	if cfg.MaxQueryRunes == 0 {
		cfg.MaxQueryRunes = DefaultMaxQueryRunes
	}
	if cfg.SuggestLimit == 0 {
		cfg.SuggestLimit = 5
	}
	if cfg.SuggestLimit > 100 {
		return nil, invalid("SuggestLimit", "at most 100")
	}
	if cfg.SuggestFloor < 0 || cfg.SuggestFloor > 1 || cfg.SuggestFloor != cfg.SuggestFloor {
		return nil, invalid("SuggestFloor", "must be 0..1")
	}
	if _, builtIn := cfg.Index.(*MemoryIndex); cfg.SuggestFloor == 0 && (cfg.Index == nil || builtIn) {
		cfg.SuggestFloor = DefaultSuggestFloor
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Index == nil {
		ix, err := NewMemoryIndex(cfg.IndexConfig)
		if err != nil {
			return nil, err
		}
		cfg.Index = ix
	}
	if cfg.Analytics == nil {
		cfg.Analytics = NewMemoryAnalytics(0)
	}
	if err := bindTenant(cfg); err != nil {
		return nil, err
	}
	fb, err := cfg.Feedback.withDefaults()
	if err != nil {
		return nil, err
	}
	cfg.Feedback = fb
	return &KB{store: store, index: cfg.Index, analytics: cfg.Analytics, cfg: cfg, log: cfg.Logger, feedback: newFeedback(fb)}, nil
}

// bindTenant binds the built-in index and analytics of cfg to its tenant,
// or returns ErrInvalid when they are another tenant's.
func bindTenant(cfg Config) error {
	if ix, ok := cfg.Index.(*MemoryIndex); ok {
		if err := ix.bind(cfg.Tenant); err != nil {
			return err
		}
	}
	if a, ok := cfg.Analytics.(*MemoryAnalytics); ok {
		return a.bind(cfg.Tenant)
	}
	return nil
}

// Tenant returns the tenant the KB works in (Config.Tenant).
func (k *KB) Tenant() string {
	if k == nil {
		return ""
	}
	return k.cfg.Tenant
}

// get returns the stored article of the KB's tenant, or ErrNotFound (also
// for another tenant's article).
func (k *KB) get(ctx context.Context, id uuid.UUID) (*Article, error) {
	a, err := k.store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Tenant != k.cfg.Tenant {
		return nil, ErrNotFound
	}
	return a, nil
}

// ready returns ErrInvalid for a KB that New did not make.
func (k *KB) ready() error {
	if k == nil || k.store == nil {
		return invalid("KB", "not made by New")
	}
	return nil
}

// sanitize replaces invalid UTF-8 in every text of a.
func sanitize(a *Article) {
	a.Slug = strings.ToValidUTF8(a.Slug, "\uFFFD")
	a.Category = strings.ToValidUTF8(a.Category, "\uFFFD")
	for i, t := range a.Tags {
		a.Tags[i] = strings.ToValidUTF8(t, "\uFFFD")
	}
	for tag, tr := range a.Translations {
		tr.Title = strings.ToValidUTF8(tr.Title, "\uFFFD")
		tr.Body = strings.ToValidUTF8(tr.Body, "\uFFFD")
		tr.Keywords = slices.Clone(tr.Keywords)
		for i, k := range tr.Keywords {
			tr.Keywords[i] = strings.ToValidUTF8(k, "\uFFFD")
		}
		a.Translations[tag] = tr
	}
}

// Create stores and indexes a new article in the KB's tenant. A nil ID gets
// a new version-7 UUID; Tenant is set to the KB's, Updated to now and
// Version to 1 (all also on a). Invalid UTF-8 in its texts is replaced. It
// returns ErrInvalid for an article that fails Validate or names another
// tenant, and ErrDuplicate for an ID taken in any tenant or a slug taken in
// the KB's. It is all or
// nothing: the store is written first, and when indexing then fails the
// created article is deleted from the store again before the error returns.
func (k *KB) Create(ctx context.Context, a *Article) error {
	if err := k.ready(); err != nil {
		return err
	}
	if a == nil {
		return invalid("article", "nil")
	}
	if a.Tenant != "" && a.Tenant != k.cfg.Tenant {
		return invalid("Tenant", "another tenant's article")
	}
	c := a.Clone()
	c.Tenant = k.cfg.Tenant
	if c.ID == uuid.Nil {
		id, err := uuid.NewV7()
		if err != nil {
			return err
		}
		c.ID = id
	}
	c.Updated = k.cfg.Now()
	sanitize(c)
	if err := c.Validate(); err != nil {
		return err
	}
	k.writeMu.Lock()
	defer k.writeMu.Unlock()
	if err := k.store.Create(ctx, c); err != nil {
		return err
	}
	if err := k.index.Upsert(context.WithoutCancel(ctx), c); err != nil {
		return k.unstore(ctx, c.ID, err)
	}
	a.ID, a.Tenant, a.Version, a.Updated = c.ID, c.Tenant, c.Version, c.Updated
	return nil
}

// unstore deletes a just created article from the store again after its
// indexing failed, retrying when a concurrent view or vote made the version
// stale, and returns cause joined with any error of its own.
func (k *KB) unstore(ctx context.Context, id uuid.UUID, cause error) error {
	ctx = context.WithoutCancel(ctx)
	for attempt := 1; ; attempt++ {
		cur, err := k.get(ctx, id)
		if err == nil {
			err = k.store.Delete(ctx, id, cur.Version)
		}
		switch {
		case err == nil:
			return cause
		case !errors.Is(err, ErrConflict) || attempt == maxAttempts:
			return errors.Join(cause, err)
		}
	}
}

// Update replaces an article of the KB's tenant; a.Version must be the
// stored version. It sets Updated to now and bumps Version (also on a). An
// empty a.Tenant means the KB's. It returns ErrInvalid, ErrNotFound (also
// for an article of another tenant, or an a.Tenant naming one), ErrConflict for a stale version, or ErrDuplicate for a slug
// taken by another article; on error a is untouched and the stored article
// keeps its content (only a failed indexing, below, moves its Version on).
//
// No search ever sees a state the store has not committed. An update that
// takes the article away from customers (to internal, draft or archived) is
// withdrawn from the index before the store write, and put back as stored
// when that write fails. Any other update is stored first and indexed after,
// so until then searches see the article as it was; when indexing then
// fails, the stored article is restored (its Version then moves on) and the
// index is reset to it before the error returns.
func (k *KB) Update(ctx context.Context, a *Article) error {
	if err := k.ready(); err != nil {
		return err
	}
	if a == nil {
		return invalid("article", "nil")
	}
	if a.Tenant != "" && a.Tenant != k.cfg.Tenant {
		return ErrNotFound
	}
	c := a.Clone()
	c.Tenant = k.cfg.Tenant
	c.Updated = k.cfg.Now()
	sanitize(c)
	if err := c.Validate(); err != nil {
		return err
	}
	k.writeMu.Lock()
	defer k.writeMu.Unlock()
	old, err := k.get(ctx, c.ID)
	if err != nil {
		return err
	}
	if old.Version != c.Version {
		return ErrConflict
	}
	if narrows(old, c) {
		if err := k.index.Delete(context.WithoutCancel(ctx), c.ID); err != nil {
			return k.resync(ctx, c.ID, err)
		}
	}
	if err := k.store.Update(ctx, c); err != nil {
		return k.resync(ctx, c.ID, err)
	}
	if err := k.index.Upsert(context.WithoutCancel(ctx), c); err != nil {
		return k.restore(ctx, old, err)
	}
	a.Version, a.Updated = c.Version, c.Updated
	return nil
}

// narrows reports whether replacing old by c hides the article from
// customers who could read it before.
func narrows(old, c *Article) bool {
	return visibleTo(Customer, old.Visibility, old.Status) && !visibleTo(Customer, c.Visibility, c.Status)
}

// maxAttempts bounds how often a counter update or a restore retries a
// write that a concurrent view or vote made stale.
const maxAttempts = 16

// restore writes old back over the stored article after
// indexing an update failed, keeping the counters a concurrent reader or
// voter added since, and resets the index to what is stored. It returns
// cause, joined with any error of its own.
func (k *KB) restore(ctx context.Context, old *Article, cause error) error {
	ctx = context.WithoutCancel(ctx)
	for attempt := 1; ; attempt++ {
		cur, err := k.get(ctx, old.ID)
		if err != nil {
			return k.resync(ctx, old.ID, errors.Join(cause, err))
		}
		back := old.Clone()
		back.Version = cur.Version
		back.Helpful, back.NotHelpful, back.Views = cur.Helpful, cur.NotHelpful, cur.Views
		err = k.store.Update(ctx, back)
		if errors.Is(err, ErrConflict) && attempt < maxAttempts {
			continue
		}
		if err != nil {
			return k.resync(ctx, old.ID, errors.Join(cause, err))
		}
		return k.resync(ctx, old.ID, cause)
	}
}

// Delete removes an article of the KB's tenant whose stored version is
// version. It returns ErrNotFound (also for another tenant's article) or
// ErrConflict otherwise. The article is withdrawn from the
// index before the store write and put back as stored when that write
// fails, so on error nothing changes and no search finds a deleted article.
func (k *KB) Delete(ctx context.Context, id uuid.UUID, version int64) error {
	if err := k.ready(); err != nil {
		return err
	}
	k.writeMu.Lock()
	defer k.writeMu.Unlock()
	if err := k.checkVersion(ctx, id, version); err != nil {
		return err
	}
	if err := k.index.Delete(context.WithoutCancel(ctx), id); err != nil {
		return k.resync(ctx, id, err)
	}
	if err := k.store.Delete(ctx, id, version); err != nil {
		return k.resync(ctx, id, err)
	}
	if ix, ok := k.index.(*MemoryIndex); ok {
		ix.forget(id)
	}
	return nil
}

// checkVersion returns ErrNotFound or ErrConflict unless the stored article
// has this version.
func (k *KB) checkVersion(ctx context.Context, id uuid.UUID, version int64) error {
	old, err := k.get(ctx, id)
	if err != nil {
		return err
	}
	if old.Version != version {
		return ErrConflict
	}
	return nil
}

// resync indexes the stored article again (or removes it from the index when
// the store has none) after a failed write, and returns cause, joined with
// any error of its own.
func (k *KB) resync(ctx context.Context, id uuid.UUID, cause error) error {
	ctx = context.WithoutCancel(ctx)
	a, err := k.get(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		err = k.index.Delete(ctx, id)
	case err == nil:
		err = k.index.Upsert(ctx, a)
	}
	if err != nil {
		return errors.Join(cause, err)
	}
	return cause
}

// Get returns the stored article (any audience) of the KB's tenant, or
// ErrNotFound (also for another tenant's article).
func (k *KB) Get(ctx context.Context, id uuid.UUID) (*Article, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	return k.get(ctx, id)
}

// Reading is an article as one reader sees it: the translation chosen for
// the reader's languages.
type Reading struct {
	// Article is a copy of the stored article, its Related filtered for
	// the reader.
	Article *Article
	// Language is the language of the translation chosen.
	Language language.Tag
	// Translation is the chosen translation's text.
	Translation Translation
}

// Read returns the article in the translation that best fits prefs (falling
// back ru-RU → ru → en → any) and counts a view. An article the audience may
// not see (internal, draft or archived for customers) is ErrNotFound, like a
// missing one. The returned article's Related lists, in order, only the
// related articles that exist and the audience may see. Counting the view
// bumps the stored Version, like any update; a view that loses the race to
// concurrent writes 16 times in a row returns ErrConflict.
func (k *KB) Read(ctx context.Context, id uuid.UUID, aud Audience, prefs ...language.Tag) (*Reading, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	if aud != Customer && aud != Agent {
		return nil, invalid("Audience", "must be Customer or Agent")
	}
	var out *Reading
	err := k.modify(ctx, id, aud, func(a *Article) {
		a.Views++
		lang, tr, _ := a.Translation(prefs...)
		out = &Reading{Article: a, Language: lang, Translation: tr}
	})
	if err != nil {
		return nil, err
	}
	out.Article = out.Article.Clone()
	out.Article.Related, err = k.visibleIDs(ctx, out.Article.Related, aud)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// visibleIDs returns the ids, in order, of the articles that exist and the
// audience may see, or the store's error.
func (k *KB) visibleIDs(ctx context.Context, ids []uuid.UUID, aud Audience) ([]uuid.UUID, error) {
	out := make([]uuid.UUID, 0, len(ids))
	for _, id := range ids {
		a, err := k.get(ctx, id)
		switch {
		case errors.Is(err, ErrNotFound):
			continue
		case err != nil:
			return nil, err
		}
		if visibleTo(aud, a.Visibility, a.Status) {
			out = append(out, id)
		}
	}
	return out, nil
}

// Vote counts a helpful or not-helpful vote from a reader of the audience,
// bumping the stored Version. It returns ErrInvalid for an unknown audience
// and ErrNotFound for a missing article or one the audience may not see, so
// customers can neither count on nor learn of hidden articles; like Read it
// gives up with ErrConflict after 16 stale writes in a row.
func (k *KB) Vote(ctx context.Context, id uuid.UUID, aud Audience, helpful bool) error {
	if err := k.ready(); err != nil {
		return err
	}
	if aud != Customer && aud != Agent {
		return invalid("Audience", "must be Customer or Agent")
	}
	return k.modify(ctx, id, aud, func(a *Article) {
		if helpful {
			a.Helpful++
		} else {
			a.NotHelpful++
		}
	})
}

// modify applies change to the stored article, retrying on ErrConflict up
// to maxAttempts times, and stores it without touching the index (counters
// are not searchable). It returns ErrNotFound, and changes nothing, when the
// audience may not see the article.
func (k *KB) modify(ctx context.Context, id uuid.UUID, aud Audience, change func(*Article)) error {
	if aud == Customer {
		// A write in progress may have stored a visibility it then rolls back (an Update
		// whose indexing failed): customers see only what a finished write left.
		k.writeMu.RLock()
		defer k.writeMu.RUnlock()
	}
	for attempt := 1; ; attempt++ {
		a, err := k.get(ctx, id)
		if err != nil {
			return err
		}
		if !visibleTo(aud, a.Visibility, a.Status) {
			return ErrNotFound
		}
		change(a)
		err = k.store.Update(ctx, a)
		if !errors.Is(err, ErrConflict) || attempt == maxAttempts {
			return err
		}
	}
}

// Search runs q on the index, with q.MaxRunes defaulting to, and held to at
// most, the KB's MaxQueryRunes, and records it in the analytics (failures
// there are logged, not returned). A blank query gives empty Results; a
// too-long one ErrInvalid. Hits the audience may not see are never returned,
// even from a faulty index.
func (k *KB) Search(ctx context.Context, q Query) (*Results, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	if q.MaxRunes <= 0 || q.MaxRunes > k.cfg.MaxQueryRunes {
		q.MaxRunes = k.cfg.MaxQueryRunes
	}
	key := ""
	if q.Audience == Customer {
		key = feedbackKey(q.Text)
	}
	res, err := k.searchWithFeedback(ctx, q, key)
	if err != nil {
		return nil, err
	}
	if text, err := checkQueryText(q.Text, q.MaxRunes); err == nil && text != "" {
		if q.Audience == Customer {
			k.feedback.shown(key, q.Session, q.Offset, res.Hits, k.cfg.Now())
		}
		e := SearchEvent{Query: text, Language: q.Language, Audience: q.Audience, Results: res.Total, At: k.cfg.Now()}
		if err := k.analytics.RecordSearch(ctx, e); err != nil {
			k.log.Warn().Err(err).Msg("kb: recording a search failed")
		}
	}
	return res, nil
}

// feedbackDepth is how many leading hits customers' clicks may reorder.
const feedbackDepth = 20

// searchWithFeedback runs q on the index and, for a customer query (key,
// normalized; "" for agents) that customers have clicked results of, reorders the leading hits by their
// click multipliers before cutting the page asked for.
func (k *KB) searchWithFeedback(ctx context.Context, q Query, key string) (*Results, error) {
	var mult map[uuid.UUID]float64
	if key != "" && q.Offset+q.Limit <= feedbackDepth {
		mult = k.feedback.multipliers(key)
	}
	if len(mult) == 0 {
		res, err := k.index.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		res.Hits = slices.DeleteFunc(res.Hits, func(h Hit) bool { return !visibleTo(q.Audience, h.Visibility, h.Status) })
		return res, nil
	}
	wide := q
	wide.Offset, wide.Limit = 0, feedbackDepth
	res, err := k.index.Search(ctx, wide)
	if err != nil {
		return nil, err
	}
	hits := slices.DeleteFunc(res.Hits, func(h Hit) bool { return !visibleTo(q.Audience, h.Visibility, h.Status) })
	for i := range hits {
		if m, ok := mult[hits[i].ArticleID]; ok {
			hits[i].Score *= m
		}
	}
	slices.SortStableFunc(hits, func(a, b Hit) int { return cmp.Compare(b.Score, a.Score) })
	limit := q.Limit
	if limit == 0 {
		limit = 10
	}
	lo := min(q.Offset, len(hits))
	res.Hits = hits[lo:min(lo+limit, len(hits))]
	return res, nil
}

// RecordClick records that a searcher opened article id from the results of
// query. The query is held to Search's limits: a blank one records nothing
// and returns nil, one longer than MaxQueryRunes after trimming is
// ErrInvalid and records nothing. Otherwise it returns the analytics' error.
func (k *KB) RecordClick(ctx context.Context, query string, id uuid.UUID) error {
	if err := k.ready(); err != nil {
		return err
	}
	text, err := checkQueryText(query, k.cfg.MaxQueryRunes)
	if err != nil || text == "" {
		return err
	}
	return k.analytics.RecordClick(ctx, ClickEvent{Query: text, ArticleID: id, At: k.cfg.Now()})
}

// ContentGaps returns up to limit queries the knowledge base serves badly,
// worst first (see Analytics.ContentGaps).
func (k *KB) ContentGaps(ctx context.Context, limit int) ([]Gap, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	return k.analytics.ContentGaps(ctx, limit)
}

// SuggestForTicket returns up to Config.SuggestLimit published articles for
// a new ticket, best first, from a query built of its subject (weighted
// double) and the start of its description. lang restricts the translations
// when set (language.Und searches all). aud chooses what may be suggested:
// Customer for suggestions shown to the requester, Agent to include
// internal articles. Only articles whose Hit.Relevance, to the whole text
// or to the subject alone (the greater), reaches Config.SuggestFloor are
// suggested, so a ticket nothing answers gets none.
// Suggestions are not recorded in the analytics. An empty ticket gives no
// suggestions and no error.
func (k *KB) SuggestForTicket(ctx context.Context, subject, description string, lang language.Tag, aud Audience) ([]Hit, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	// Only the start of each text can make the query: at most
	// MaxQueryRunes runes, which lie in 4 bytes per rune of its fields.
	subject = headFields(subject, 4*k.cfg.MaxQueryRunes)
	description = headFields(description, 4*k.cfg.MaxQueryRunes)
	budget := k.cfg.MaxQueryRunes - 2*utf8.RuneCountInString(subject) - 4
	if budget < 0 {
		subject = string([]rune(subject)[:k.cfg.MaxQueryRunes/2-2])
		budget = 0
	}
	if r := []rune(description); len(r) > budget {
		description = string(r[:budget])
	}
	text := subject + " " + subject + " " + description + " "
	q := Query{Text: text, Audience: aud, Language: lang, Limit: k.cfg.SuggestLimit, Highlight: true, MaxRunes: k.cfg.MaxQueryRunes, Literal: true, Relevance: true}
	res, err := k.index.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	hits := slices.DeleteFunc(res.Hits, func(h Hit) bool { return !visibleTo(aud, h.Visibility, h.Status) })
	if err := k.subjectRelevance(ctx, q, subject, hits); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(hits, func(h Hit) bool { return h.Relevance < k.cfg.SuggestFloor }), nil
}

// subjectRelevance raises the Relevance of each hit below the floor to
// what the subject alone gives it: a long description full of the
// customer's story must not hide an article that answers the subject.
func (k *KB) subjectRelevance(ctx context.Context, q Query, subject string, hits []Hit) error {
	low := slices.ContainsFunc(hits, func(h Hit) bool { return h.Relevance < k.cfg.SuggestFloor })
	if !low || strings.TrimSpace(subject) == "" {
		return nil
	}
	q.Text, q.Limit, q.Highlight = subject+" ", 100, false
	res, err := k.index.Search(ctx, q)
	if err != nil {
		return err
	}
	for i := range hits {
		for _, h := range res.Hits {
			if h.ArticleID == hits[i].ArticleID {
				hits[i].Relevance = max(hits[i].Relevance, h.Relevance)
			}
		}
	}
	return nil
}

// Reindex upserts every stored article of the KB's tenant into the index, for a host whose
// index lost its state or was swapped. It does not remove indexed articles
// that the store no longer has. Writes wait for it; searches during it see
// each article as it was before or after.
func (k *KB) Reindex(ctx context.Context) error {
	if err := k.ready(); err != nil {
		return err
	}
	k.writeMu.Lock()
	defer k.writeMu.Unlock()
	all, err := k.store.List(ctx, k.cfg.Tenant)
	if err != nil {
		return err
	}
	for _, a := range all {
		if err := k.index.Upsert(ctx, a); err != nil {
			return err
		}
	}
	return nil
}
