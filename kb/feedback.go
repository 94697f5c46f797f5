package kb

import (
	"cmp"
	"context"
	"crypto/sha256"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// FeedbackConfig tunes how customers' clicks rank results and how
// deflection is judged. The zero value is the defaults; negative values
// are invalid.
type FeedbackConfig struct {
	// Boost is how strongly clicks move an article for a query: its score
	// is multiplied by (attractiveness / PriorCTR)^Boost, held to 0.5..2.
	// Default: 0.5.
	Boost float64
	// PriorCTR is the click rate expected of an article that is
	// examined, at most 1. Default: 0.2.
	PriorCTR float64
	// Strength is how many examinations the prior weighs, so a few clicks
	// move little. Default: 5.
	Strength float64
	// Deflection is how long after its last search or click a session
	// without a ticket counts as deflected. Default: 30 minutes.
	Deflection time.Duration
	// MaxQueries bounds the queries kept; when full, the least recently
	// searched or clicked query without clicks (else with) makes room.
	// Default: 10000.
	MaxQueries int
	// MaxSessions bounds the sessions kept; when full, the least recently
	// active one is judged and dropped. Default: 10000.
	MaxSessions int
}

func (c FeedbackConfig) withDefaults() (FeedbackConfig, error) {
	if c.Boost < 0 || c.PriorCTR < 0 || c.PriorCTR > 1 || c.Strength < 0 || c.Deflection < 0 || c.MaxQueries < 0 || c.MaxSessions < 0 {
		return c, invalid("Feedback", "out of range")
	}
	c.Boost = cmp.Or(c.Boost, 0.5)
	c.PriorCTR = cmp.Or(c.PriorCTR, 0.2)
	c.Strength = cmp.Or(c.Strength, 5)
	c.Deflection = cmp.Or(c.Deflection, 30*time.Minute)
	c.MaxQueries = cmp.Or(c.MaxQueries, 10000)
	c.MaxSessions = cmp.Or(c.MaxSessions, 10000)
	return c, nil
}

// feedbackKey is the query's key in the feedback: normalizeQuery's, made
// in one pass for text of ASCII and basic Cyrillic letters, and the text
// itself when it is already normalized.
func feedbackKey(q string) string {
	if len(q) > MaxAnalyticsQueryBytes {
		return normalizeQuery(q)
	}
	if normalized(q) {
		return q
	}
	var b strings.Builder
	b.Grow(len(q))
	space := false
	for _, r := range q {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f':
			space = b.Len() > 0
			continue
		case r >= utf8.RuneSelf && (r < 'А' || r > 'я'):
			return normalizeQuery(q)
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case 'А' <= r && r <= 'Я':
			r += 'а' - 'А'
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// normalized reports whether q is made of lower-case ASCII and basic
// Cyrillic letters and other ASCII, with single spaces between words and
// none around them: what normalizeQuery returns unchanged.
func normalized(q string) bool {
	prev := ' '
	for _, r := range q {
		switch {
		case r == ' ':
			if prev == ' ' {
				return false
			}
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || 'A' <= r && r <= 'Z':
			return false
		case r >= utf8.RuneSelf && (r < 'а' || r > 'я'):
			return false
		}
		prev = r
	}
	return prev != ' '
}

// examination is the probability that a searcher looks at the result at a
// 1-based position: the position-bias model, 1/position.
func examination(position int) float64 { return 1 / float64(max(1, position)) }

// ResultClick is a customer opening a search result.
type ResultClick struct {
	// Query is the text whose results were shown.
	Query string
	// ArticleID is the article opened.
	ArticleID uuid.UUID
	// Position is the 1-based rank it was shown at. Required.
	Position int
	// Session is the visit's identifier as given to Query.Session, for
	// deflection; empty for none.
	Session string
}

// feedbackCount is what customers did with one article for one query.
type feedbackCount struct {
	id       uuid.UUID
	article  *ArticleFeedback
	shown    int
	examined float64 // sum of examination(position) over the times shown
	clicks   int
}

// sessionState is one visit, kept under its sessionKey.
type sessionState struct {
	lruLinks[sessionState]
	last time.Time
	// opened is the article the visit opened last, uuid.Nil for none.
	opened uuid.UUID
	ticket bool
	// lastQuery is the session's latest normalized query, and lastClicked
	// whether a result of it was opened.
	lastQuery   string
	lastClicked bool
	// prevQuery is the query before lastQuery when nothing of it was
	// opened: a reformulation, once lastQuery's result is opened.
	prevQuery string
}

func (s *sessionState) links() *lruLinks[sessionState] { return &s.lruLinks }

// feedback keeps customers' impressions, clicks and sessions in memory.
// Each query is in idle while nobody clicked its results, else in clicked;
// each session is in active. The lists put the least recently used last,
// so making room takes constant time.
type feedback struct {
	cfg      FeedbackConfig
	mu       sync.Mutex
	queries  map[string]*queryFeedback
	idle     lruList[queryFeedback, *queryFeedback]
	clicked  lruList[queryFeedback, *queryFeedback]
	sessions map[string]*sessionState
	active   lruList[sessionState, *sessionState]
	articles map[uuid.UUID]*ArticleFeedback
	searches int
	// reforms counts, per "before\x00after" pair of normalized queries,
	// sessions that searched before, opened nothing, then searched after
	// and opened a result.
	reforms map[string]int
}

func newFeedback(cfg FeedbackConfig) *feedback {
	return &feedback{cfg: cfg, queries: map[string]*queryFeedback{},
		sessions: map[string]*sessionState{}, articles: map[uuid.UUID]*ArticleFeedback{}, reforms: map[string]int{}}
}

// shown records the customer hits of one search for the normalized query
// key, ranks from 1 after offset.
func (f *feedback) shown(key, session string, offset int, hits []Hit, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.searches++
	q := f.query(key)
	for i, h := range hits {
		c := q.count(f, h.ArticleID)
		if c == nil {
			continue
		}
		c.shown++
		c.examined += examination(offset + i + 1)
		c.article.Impressions++
	}
	if s := f.touch(session, at); s != nil && s.lastQuery != key {
		if s.lastClicked || s.lastQuery == "" {
			s.prevQuery = ""
		} else {
			s.prevQuery = s.lastQuery
		}
		s.lastQuery, s.lastClicked = key, false
	}
}

// queryFeedback is what customers did with the results of one query,
// kept under its feedbackKey.
type queryFeedback struct {
	lruLinks[queryFeedback]
	counts []feedbackCount
	clicks int
}

func (q *queryFeedback) links() *lruLinks[queryFeedback] { return &q.lruLinks }

// maxQueryArticles bounds the articles kept per query.
const maxQueryArticles = 32

// count returns the counts of article id, added when new and there is
// room, or nil.
func (q *queryFeedback) count(f *feedback, id uuid.UUID) *feedbackCount {
	for i := range q.counts {
		if q.counts[i].id == id {
			return &q.counts[i]
		}
	}
	if len(q.counts) == maxQueryArticles {
		return nil
	}
	q.counts = append(q.counts, feedbackCount{id: id, article: f.article(id)})
	return &q.counts[len(q.counts)-1]
}

// query returns the counts of a query key, made or moved to the front of
// its list; when full, the least recently used query nobody clicked makes
// room if there is one, else the least recently used of all.
func (f *feedback) query(key string) *queryFeedback {
	if q := f.queries[key]; q != nil {
		f.queryList(q).toFront(q)
		return q
	}
	if len(f.queries) >= f.cfg.MaxQueries {
		victim := f.idle.oldest()
		if victim == nil {
			victim = f.clicked.oldest()
		}
		f.dropQuery(victim)
	}
	return f.addQuery(key)
}

// queryList returns the list q is in.
func (f *feedback) queryList(q *queryFeedback) *lruList[queryFeedback, *queryFeedback] {
	if q.clicks == 0 {
		return &f.idle
	}
	return &f.clicked
}

// addQuery keeps a new query with no counts under key, which is not kept.
func (f *feedback) addQuery(key string) *queryFeedback {
	q := &queryFeedback{}
	q.key = key
	f.queries[key] = q
	f.idle.pushFront(q)
	return q
}

// dropQuery forgets the kept query q.
func (f *feedback) dropQuery(q *queryFeedback) {
	f.queryList(q).remove(q)
	delete(f.queries, q.key)
}

// addClicks counts n more clicks on the results of the kept query q,
// moving it to the front of the clicked list.
func (f *feedback) addClicks(q *queryFeedback, n int) {
	f.queryList(q).remove(q)
	q.clicks += n
	f.queryList(q).pushFront(q)
}

func (f *feedback) article(id uuid.UUID) *ArticleFeedback {
	a := f.articles[id]
	if a == nil {
		a = &ArticleFeedback{ArticleID: id}
		f.articles[id] = a
	}
	return a
}

// touch returns the session, made or moved to at; nil for no session.
func (f *feedback) touch(session string, at time.Time) *sessionState {
	if session == "" {
		return nil
	}
	session = sessionKey(session)
	s := f.sessions[session]
	if s == nil {
		if len(f.sessions) >= f.cfg.MaxSessions {
			f.endSession(f.active.oldest())
		}
		s = &sessionState{}
		s.key = session
		f.sessions[session] = s
		f.active.pushFront(s)
	} else {
		f.active.toFront(s)
	}
	if at.After(s.last) {
		s.last = at
	}
	return s
}

// maxSessionBytes is the longest session identifier kept as it is; a
// longer one is kept as its SHA-256 digest, so the sessions' memory stays
// bounded whatever identifiers callers send.
const maxSessionBytes = 64

// sessionKey returns the key the session is kept under.
func sessionKey(session string) string {
	if len(session) <= maxSessionBytes {
		return session
	}
	sum := sha256.Sum256([]byte(session))
	return "\x00" + string(sum[:])
}

// endSession settles the kept session s and drops it.
func (f *feedback) endSession(s *sessionState) {
	f.settle(s)
	f.active.remove(s)
	delete(f.sessions, s.key)
}

// settle credits a finished session to the article it last opened.
func (f *feedback) settle(s *sessionState) {
	if s == nil || s.opened == uuid.Nil {
		return
	}
	last := f.article(s.opened)
	if s.ticket {
		last.TicketsAfter++
	} else {
		last.Deflections++
	}
}

func (f *feedback) click(c ResultClick, at time.Time) {
	key := feedbackKey(c.Query)
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.query(key)
	if fc := q.count(f, c.ArticleID); fc != nil {
		if fc.shown == 0 {
			// A click on a result this KB did not show (another page, a
			// cached list): it was shown at least once, at Position.
			fc.shown, fc.examined = 1, examination(c.Position)
		}
		fc.clicks++
		f.addClicks(q, 1)
	}
	f.article(c.ArticleID).Clicks++
	if s := f.touch(c.Session, at); s != nil {
		s.opened = c.ArticleID
		if key == s.lastQuery && !s.lastClicked {
			f.reformulation(s.prevQuery, key)
			s.lastClicked = true
		}
	}
}

func (f *feedback) ticket(session string, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s := f.sessions[sessionKey(session)]; s != nil {
		s.ticket = true
		if at.After(s.last) {
			s.last = at
		}
	}
}

// multipliers returns, for a normalized query key whose results customers
// have opened, the click multiplier of each article they have been shown
// for it.
func (f *feedback) multipliers(key string) map[uuid.UUID]float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.queries[key]
	// A query nobody ever opened a result of says nothing: the host may
	// not report clicks at all.
	if q == nil || q.clicks == 0 {
		return nil
	}
	out := make(map[uuid.UUID]float64, len(q.counts))
	for i := range q.counts {
		out[q.counts[i].id] = f.multiplier(&q.counts[i])
	}
	return out
}

// multiplier is (attractiveness / prior)^Boost held to 0.5..2, where
// attractiveness is the clicks per examination, position-bias corrected
// and smoothed towards the prior.
func (f *feedback) multiplier(c *feedbackCount) float64 {
	p, s := f.cfg.PriorCTR, f.cfg.Strength
	attract := (float64(c.clicks) + p*s) / (c.examined + s)
	return min(2, max(0.5, math.Pow(attract/p, f.cfg.Boost)))
}

// ArticleFeedback is what customers did with one article from search.
type ArticleFeedback struct {
	// ArticleID is the article.
	ArticleID uuid.UUID
	// Impressions counts the customer searches that showed it.
	Impressions int
	// Clicks counts the times it was opened from a search.
	Clicks int
	// Deflections counts finished sessions whose last opened article it
	// was and that raised no ticket.
	Deflections int
	// TicketsAfter counts finished sessions whose last opened article it
	// was and that raised a ticket.
	TicketsAfter int
}

// FeedbackReport is customers' search feedback, for metrics: the
// deflection rate is Deflections / (Deflections + Tickets) over finished
// sessions that opened an article, and an article's effectiveness is its
// Deflections / (Deflections + TicketsAfter).
type FeedbackReport struct {
	// Searches counts customer searches recorded.
	Searches int
	// Sessions counts finished sessions that opened an article; sessions
	// still within FeedbackConfig.Deflection are not counted.
	Sessions int
	// Deflections counts those of them without a ticket.
	Deflections int
	// Tickets counts those of them with a ticket.
	Tickets int
	// Articles lists every article customers were shown, by ArticleID.
	Articles []ArticleFeedback
}

// report settles sessions idle for longer than the deflection window and
// returns the totals.
func (f *feedback) report(now time.Time) FeedbackReport {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.sessions {
		if now.Sub(s.last) >= f.cfg.Deflection {
			f.endSession(s)
		}
	}
	r := FeedbackReport{Searches: f.searches}
	for _, a := range f.articles {
		r.Articles = append(r.Articles, *a)
		r.Deflections += a.Deflections
		r.Tickets += a.TicketsAfter
	}
	r.Sessions = r.Deflections + r.Tickets
	slices.SortFunc(r.Articles, func(a, b ArticleFeedback) int { return cmp.Compare(a.ArticleID.String(), b.ArticleID.String()) })
	return r
}

// RecordResultClick records that a customer opened a search result at a
// position: it counts for ContentGaps like RecordClick, ranks the article
// for that query from then on (clicks per examination, corrected for the
// position), and, with a Session, marks the visit as having read an
// article. It returns ErrInvalid for a Position below 1 or a nil
// ArticleID, ErrNotFound for an article a customer may not see (missing,
// another tenant's, internal, draft or archived), like Read, and the query
// errors of RecordClick; on error nothing is recorded.
func (k *KB) RecordResultClick(ctx context.Context, c ResultClick) error {
	if err := k.ready(); err != nil {
		return err
	}
	if c.Position < 1 {
		return invalid("Position", "must be 1 or more")
	}
	if c.ArticleID == uuid.Nil {
		return invalid("ArticleID", "required")
	}
	text, err := checkQueryText(c.Query, k.cfg.MaxQueryRunes)
	if err != nil || text == "" {
		return err
	}
	// Only an article a customer may see is a search result: an unknown ID
	// would take a place in the feedback for good.
	a, err := k.get(ctx, c.ArticleID)
	if err != nil {
		return err
	}
	if !visibleTo(Customer, a.Visibility, a.Status) {
		return ErrNotFound
	}
	c.Query = text
	k.feedback.click(c, k.cfg.Now())
	return k.analytics.RecordClick(ctx, ClickEvent{Query: text, ArticleID: c.ArticleID, At: k.cfg.Now()})
}

// RecordTicket records that a visit (Query.Session) ended in a ticket, so
// it is no deflection. An unknown or empty session is ignored.
func (k *KB) RecordTicket(ctx context.Context, session string) error {
	if err := k.ready(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	k.feedback.ticket(session, k.cfg.Now())
	return nil
}

// Feedback returns customers' search feedback: searches, finished
// sessions, deflections and per-article clicks and deflections. The
// feedback is kept in memory, bounded by FeedbackConfig, since the KB was
// made.
func (k *KB) Feedback(ctx context.Context) (FeedbackReport, error) {
	if err := k.ready(); err != nil {
		return FeedbackReport{}, err
	}
	if err := ctx.Err(); err != nil {
		return FeedbackReport{}, err
	}
	return k.feedback.report(k.cfg.Now()), nil
}
