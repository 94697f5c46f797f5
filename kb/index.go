package kb

import (
	"context"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// Audience is who is searching. It is part of every request: the index
// itself, not the caller, decides what each audience may see.
type Audience int

const (
	// Customer searches see only published public articles, whatever the
	// request's filters say.
	Customer Audience = iota + 1
	// Agent searches also see internal articles, and drafts or archived
	// articles when the request asks for those statuses.
	Agent
)

// String returns "customer" or "agent" ("invalid" otherwise).
func (a Audience) String() string {
	switch a {
	case Customer:
		return "customer"
	case Agent:
		return "agent"
	}
	return "invalid"
}

// Index is a full-text index of articles. The built-in MemoryIndex is the
// default; a host may supply its own. Implementations must be safe for
// concurrent use, must make an Upsert or Delete visible to every Search that
// starts after it returns, and must never return an article the query's
// audience may not see. kbtest.TestIndex checks an implementation.
type Index interface {
	// Upsert indexes every translation of a, replacing what was indexed for
	// a.ID before. It returns ErrInvalid for an article that fails Validate.
	Upsert(ctx context.Context, a *Article) error
	// Delete removes the article from the index. Deleting an article that is
	// not indexed is not an error.
	Delete(ctx context.Context, id uuid.UUID) error
	// Search runs the query. An empty or blank Text gives empty Results and no
	// error; a Query that fails Validate gives ErrInvalid.
	Search(ctx context.Context, q Query) (*Results, error)
}

// DefaultMaxQueryRunes is the query length limit when none is configured.
const DefaultMaxQueryRunes = 1000

// Query is one search request.
type Query struct {
	// Text is what the user typed. Invalid UTF-8 is replaced. A word that
	// the text ends in (no trailing space or punctuation) is also matched as
	// a prefix, for search-as-you-type. A word written -word, its first
	// character a letter, excludes articles that contain it, unless Literal
	// is set; a minus before a digit is content ("ошибка -14" looks for
	// 14), as error codes, versions and phone numbers always are.
	Text string
	// Literal reads Text as content only, with no operators: for text a
	// customer wrote for a person (a ticket), not for a search box.
	// SuggestForTicket always reads its text this way.
	Literal bool
	// Audience is required: Customer or Agent.
	Audience Audience
	// Language, when set, keeps only translations whose base language
	// matches (ru-RU matches ru); when none of them matches, the other
	// translations are searched and Results.OtherLanguages says so.
	// Otherwise each article is returned once, in its best-matching
	// translation.
	Language language.Tag
	// Category keeps articles whose category path is this path or below it
	// ("account" matches "account/password").
	Category string
	// Tags keeps articles that have every one of these tags.
	Tags []string
	// Statuses applies to agents only. Default: Published. Customers always
	// see Published only.
	Statuses []Status
	// Visibilities applies to agents only. Default: both. Customers always
	// see Public only.
	Visibilities []Visibility
	// Offset skips that many hits, in rank order, before the page. Default: 0.
	Offset int
	// Limit is the most hits returned. Default: 10; at most 100.
	Limit int
	// Facets asks for facet counts over all matching articles.
	Facets bool
	// Highlight asks for TitleHighlights and a Snippet on every hit. It costs
	// a pass over each returned body, so it is off unless asked for.
	Highlight bool
	// MaxRunes overrides DefaultMaxQueryRunes when positive.
	MaxRunes int
	// Relevance asks for Hit.Relevance, which costs a little more
	// scoring; SuggestForTicket always asks.
	Relevance bool
	// Session identifies a customer's visit to KB.Search, for deflection
	// feedback (KB.RecordResultClick, KB.RecordTicket); optional. The
	// index ignores it.
	Session string
}

// MaxQueryFilters is the most tags, statuses or visibilities a Query may
// filter by.
const MaxQueryFilters = 32

// Validate checks the audience, the enums, the filters' sizes and the
// paging, and returns a
// *ValidationError (errors.Is ErrInvalid) for the first problem. It does not
// check the text's length, which Search does after trimming.
func (q *Query) Validate() error {
	if q.Audience != Customer && q.Audience != Agent {
		return invalid("Audience", "must be Customer or Agent")
	}
	if len(q.Tags) > MaxQueryFilters || len(q.Statuses) > MaxQueryFilters || len(q.Visibilities) > MaxQueryFilters {
		return invalid("Query", "more than MaxQueryFilters tags, statuses or visibilities")
	}
	for _, s := range q.Statuses {
		if s < Draft || s > Archived {
			return invalid("Statuses", "unknown status")
		}
	}
	for _, v := range q.Visibilities {
		if v != Public && v != Internal {
			return invalid("Visibilities", "unknown visibility")
		}
	}
	if q.Offset < 0 {
		return invalid("Offset", "negative")
	}
	if q.Limit < 0 || q.Limit > 100 {
		return invalid("Limit", "must be 0..100")
	}
	return nil
}

// Results is one page of hits with the total and facet counts over all
// matching articles.
type Results struct {
	// Hits are the page of matching articles asked for, best first.
	Hits []Hit
	// Total is the number of matching articles.
	Total int
	// Facets count the matching articles by category, tag and language,
	// when the query asked for them (nil maps otherwise).
	Facets Facets
	// DidYouMean is a respelled query, set only when nothing matched and a
	// respelling finds something. Only words the index does not know are
	// respelled, none of four runes or fewer, by at most two edits that
	// keep the first letter when there are two, and never a word of
	// IndexConfig.Lexicon.
	DidYouMean string
	// Corrected is the query after keyboard-layout correction, when the text
	// as typed was unknown and the correction was used.
	Corrected string
	// OtherLanguages reports that the query's Language matched nothing, so
	// the hits are the best of the other languages' translations (each
	// Hit's Language says which); a reader may need them translated.
	OtherLanguages bool
	// Translated reports that a hit on the page matches a query word only
	// through its translation into the article's language by the
	// built-in support glossary (an English query finding an article
	// written only in Russian, or the other way round). The MemoryIndex
	// sets it; another Index may leave it false.
	Translated bool
}

// Facets are counts of matching articles per value.
type Facets struct {
	// Categories counts by full category path (articles without one are
	// not counted).
	Categories map[string]int
	// Tags counts by tag.
	Tags map[string]int
	// Languages counts by the language tag of the matching translation.
	Languages map[string]int
}

// Hit is one matching article in the translation that matched.
type Hit struct {
	// ArticleID is the matching article's ID.
	ArticleID uuid.UUID
	// Slug is the article's slug.
	Slug string
	// Category is the article's category path ("" when it has none).
	Category string
	// Visibility is the article's visibility.
	Visibility Visibility
	// Status is the article's editorial status.
	Status Status
	// Language is the language of the translation that matched.
	Language language.Tag
	// Title is that translation's title.
	Title string
	// TitleHighlights are rune offsets of matched words in Title, when the
	// query asked for highlights.
	TitleHighlights []Span
	// Snippet is a passage of the body around the matches, when the query
	// asked for highlights.
	Snippet Snippet
	// Score is the relevance; only its order within one result set means
	// anything.
	Score float64
	// Relevance, from 0 to 1, is the share of the query that the hit
	// matches: the query's words weighted by their rarity (IDF), each
	// counted at the weight it matched with (a typo, completion, root or
	// synonym match counts less than the word itself), and a word no
	// article holds counted as the rarest. Unlike Score it compares across
	// queries, so a threshold on it is meaningful (SuggestForTicket's
	// floor). It is the article's: the best over its translations, so a
	// reader's language choosing the translation does not make the answer
	// less relevant. The MemoryIndex sets it when the query asks
	// (Query.Relevance); another Index may leave it 0.
	Relevance float64
}

// Snippet is a passage of the body with the matched words marked.
type Snippet struct {
	// Text is the passage, cut at word boundaries.
	Text string
	// Highlights are rune offsets into Text, ordered and not overlapping.
	Highlights []Span
}

// Span is a half-open range [Start, End) of rune offsets.
type Span struct {
	// Start is the first rune of the range and End the one after its last.
	Start, End int
}
