package kb

import (
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// Visibility says who may read an article.
type Visibility int

const (
	// Public articles are shown to customers and agents.
	Public Visibility = iota + 1
	// Internal articles are shown to agents only.
	Internal
)

// String returns "public" or "internal" ("invalid" for anything else).
func (v Visibility) String() string {
	switch v {
	case Public:
		return "public"
	case Internal:
		return "internal"
	}
	return "invalid"
}

// Status is an article's place in its editorial life.
type Status int

const (
	// Draft articles are being written; only agents can find them, and only
	// when they ask for drafts.
	Draft Status = iota + 1
	// Published articles are live.
	Published
	// Archived articles are retired; only agents can find them, and only when
	// they ask for archived articles.
	Archived
)

// String returns "draft", "published" or "archived" ("invalid" otherwise).
func (s Status) String() string {
	switch s {
	case Draft:
		return "draft"
	case Published:
		return "published"
	case Archived:
		return "archived"
	}
	return "invalid"
}

// Translation is an article's text in one language.
type Translation struct {
	// Title is required and weighs most in search.
	Title string
	// Body is the article's text.
	Body string
	// Keywords are extra words to find the article by; they are searched
	// with the tags, weighing between title and body.
	Keywords []string
}

// Article is one knowledge-base entry with its translations. The zero Version
// marks an article not yet stored; stores set Version to 1 on create and bump
// it on every update.
type Article struct {
	// ID identifies the article, across all tenants; KB.Create gives a nil
	// ID a version-7 UUID.
	ID uuid.UUID
	// Tenant is the partition the article belongs to, set by KB.Create to
	// the KB's Config.Tenant ("" the default tenant); it never changes. A KB
	// never reads, finds or changes another tenant's articles.
	Tenant string
	// Slug is the article's URL-friendly name, unique within its tenant.
	Slug string
	// Category is a slash-separated path such as "account/password".
	Category string
	// Tags are exact labels that a Query's Tags filter matches; they are
	// also searched with every translation's keywords.
	Tags []string
	// Visibility says who may read the article.
	Visibility Visibility
	// Status is the article's editorial state.
	Status Status
	// Translations hold the article's text per language; at least one.
	Translations map[language.Tag]Translation
	// Version is the stored version, checked and bumped by every write.
	Version int64
	// Helpful counts readers' "this helped" votes (KB.Vote).
	Helpful int64
	// NotHelpful counts readers' "this did not help" votes (KB.Vote).
	NotHelpful int64
	// Views counts reads (KB.Read).
	Views int64
	// Related lists other articles to read next, at most MaxRelated;
	// KB.Read keeps only those the reader may see.
	Related []uuid.UUID
	// Updated is when the article was last created or updated.
	Updated time.Time
}

// Clone returns a deep copy of a, so a store or index never shares slices or
// maps with its caller. Clone of nil is nil.
func (a *Article) Clone() *Article {
	if a == nil {
		return nil
	}
	c := *a
	c.Tags = slices.Clone(a.Tags)
	c.Related = slices.Clone(a.Related)
	if a.Translations != nil {
		c.Translations = make(map[language.Tag]Translation, len(a.Translations))
		for tag, tr := range a.Translations {
			tr.Keywords = slices.Clone(tr.Keywords)
			c.Translations[tag] = tr
		}
	}
	return &c
}

// Languages returns the article's translation languages in a stable order;
// none for a nil article.
func (a *Article) Languages() []language.Tag {
	if a == nil {
		return nil
	}
	tags := slices.Collect(maps.Keys(a.Translations))
	slices.SortFunc(tags, func(x, y language.Tag) int { return strings.Compare(x.String(), y.String()) })
	return tags
}

// Translation returns the translation that best serves a reader who prefers
// the given languages, in order, falling back by language.Matcher (ru-RU →
// ru → the article's English text → any translation). It returns the chosen
// language, and false when the article has no translation at all (or is
// nil).
func (a *Article) Translation(prefs ...language.Tag) (language.Tag, Translation, bool) {
	tags := a.Languages()
	if len(tags) == 0 {
		return language.Und, Translation{}, false
	}
	// English first, so it is the matcher's fallback when nothing matches.
	if i := slices.IndexFunc(tags, isEnglish); i > 0 {
		tags[0], tags[i] = tags[i], tags[0]
	}
	if len(prefs) == 0 {
		return tags[0], a.Translations[tags[0]], true
	}
	_, i, _ := language.NewMatcher(tags).Match(prefs...)
	return tags[i], a.Translations[tags[i]], true
}

func isEnglish(t language.Tag) bool {
	base, _ := t.Base()
	return base.String() == "en"
}

// MaxArticleBytes bounds the text an article gives the index to analyse:
// for every translation its title, body and keywords plus the article's
// tags (indexed with each translation), and the slug and category once.
const MaxArticleBytes = 4 << 20

// MaxTenantRunes is the longest tenant name, in runes.
const MaxTenantRunes = 128

// MaxRelated is the most related articles an article may list.
const MaxRelated = 100

// Validate checks the fields a store needs: a Tenant of valid UTF-8, at
// most MaxTenantRunes runes and no control characters, a non-nil ID, a slug, a known
// visibility and status, at least one translation with a title, valid UTF-8,
// at most MaxRelated related articles and at most MaxArticleBytes of text.
// It returns a *ValidationError (errors.Is ErrInvalid) for the first problem.
func (a *Article) Validate() error {
	switch {
	case a == nil:
		return invalid("article", "nil")
	case checkTenant(a.Tenant) != nil:
		return checkTenant(a.Tenant)
	case a.ID == uuid.Nil:
		return invalid("ID", "empty")
	case strings.TrimSpace(a.Slug) == "":
		return invalid("Slug", "empty")
	case !utf8.ValidString(a.Slug) || strings.ContainsAny(a.Slug, " \t\n/?#"):
		return invalid("Slug", "must be valid UTF-8 without spaces, '/', '?' or '#'")
	case a.Visibility != Public && a.Visibility != Internal:
		return invalid("Visibility", "must be Public or Internal")
	case a.Status < Draft || a.Status > Archived:
		return invalid("Status", "must be Draft, Published or Archived")
	case len(a.Translations) == 0:
		return invalid("Translations", "an article needs at least one translation")
	case len(a.Related) > MaxRelated:
		return invalid("Related", "more than MaxRelated articles")
	case a.textBytes() > MaxArticleBytes:
		return invalid("Translations", "more than MaxArticleBytes of text to index")
	}
	for tag, tr := range a.Translations {
		if tag == language.Und {
			return invalid("Translations", "undetermined language tag")
		}
		if strings.TrimSpace(tr.Title) == "" {
			return invalid("Translations", "empty title for "+tag.String())
		}
	}
	return nil
}

// checkTenant returns a *ValidationError unless tenant is valid UTF-8 of at
// most MaxTenantRunes runes without control characters.
func checkTenant(tenant string) error {
	switch {
	case !utf8.ValidString(tenant):
		return invalid("Tenant", "not valid UTF-8")
	case utf8.RuneCountInString(tenant) > MaxTenantRunes:
		return invalid("Tenant", "longer than MaxTenantRunes")
	case strings.ContainsFunc(tenant, unicode.IsControl):
		return invalid("Tenant", "contains control characters")
	}
	return nil
}

// textBytes returns the bytes of text indexing a analyses, counting the tags
// once per translation as the index does.
func (a *Article) textBytes() int {
	tags := 0
	for _, t := range a.Tags {
		tags += len(t)
	}
	n := len(a.Slug) + len(a.Category)
	for _, tr := range a.Translations {
		n += len(tr.Title) + len(tr.Body) + tags
		for _, k := range tr.Keywords {
			n += len(k)
		}
	}
	return n
}

// visibleTo reports whether an article with this visibility and status may be
// shown to the audience at all (before any status filter of the request).
func visibleTo(aud Audience, v Visibility, s Status) bool {
	switch aud {
	case Customer:
		return v == Public && s == Published
	case Agent:
		return v == Public || v == Internal
	}
	return false
}
