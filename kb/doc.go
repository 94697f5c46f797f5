// Package kb is a knowledge base with Russian and English search, built to
// serve two audiences: customers helping themselves (published public
// articles only) and agents answering tickets (internal articles too).
//
// # Articles and storage
//
// An Article has a slug, a category path, tags, a Visibility (Public,
// Internal), a Status (Draft, Published, Archived) and one Translation per
// language.Tag. Article.Translation picks the text for a reader's languages
// with a language.Matcher, falling back from ru-RU to ru to English. A Store
// keeps articles with optimistic versions (ErrConflict on a stale write);
// MemoryStore is the default and kbtest.TestStore checks any other.
//
// # Tenants
//
// A KB works in one tenant (Config.Tenant; "" is the single default
// tenant): it creates articles in it, and through every method another
// tenant's article is missing (ErrNotFound), even as a related article.
// Slugs are unique per tenant, IDs across all tenants. Several KBs, one per
// tenant, may share one Store, whose GetBySlug and List name the tenant;
// each KB has its own Index and Analytics, so searches, their totals and
// corrections, content gaps, click feedback and learned words are the
// tenant's alone (the built-in MemoryIndex and MemoryAnalytics refuse to
// serve a second tenant). kbtest.TestStore checks that a store keeps
// tenants apart under KBs of several tenants.
//
// # Search
//
// An Index is separate from the Store so a host can swap it; kbtest.TestIndex
// checks an implementation. The built-in MemoryIndex analyses text with a
// pipeline of one-method interfaces (Tokenizer, TokenFilter, Analyzer):
// Unicode word splitting that keeps codes such as 0x80070005 and versions such
// as 1.2.3 whole, NFKC and case folding, ё → е, Russian and English stop words
// and Snowball stemming chosen per word by its script; a rule layer over the
// Russian stems joins a word's family ("ошибок" and "ошибка", "доставить"
// and "доставка") at a lower weight. It ranks with BM25F
// over title, keywords and body plus phrase, proximity and exact-title
// boosts (see Ranking), and it forgives the way people type: typos by word
// length (none up to 4 runes, one edit up to 8, two beyond, a transposition
// counting as one) found by a bounded walk of a vocabulary trie, the half
// typed last word, the wrong keyboard layout, and host synonym sets.
//
// Customers write error codes, versions and phone numbers, so a minus
// before a digit is content ("forticlient ошибка -14"); only "-word" with a
// letter excludes, and Query.Literal (which SuggestForTicket uses) turns
// operators off. A real word is no typo: words of IndexConfig.Lexicon and of
// the built-in glossary and thesaurus are never respelled, two-edit
// corrections must keep the first letter, and "did you mean" is offered only
// when it finds something. A query whose
// Language matches nothing is answered from the other translations, with
// Results.OtherLanguages set. A built-in English–Russian glossary of support
// vocabulary translates a query's words for articles that have no
// translation in the query's language, so "forgot my password" finds an
// article written only in Russian, with Results.Translated set; loanwords
// typed in either script find each other ("вайфай" and "Wi-Fi"). Both
// weigh Ranking.TranslationWeight. A built-in thesaurus of customers'
// everyday Russian leads their words to the help centre's ("тормозит" to
// "скорость", "симка" to "SIM-карта", "гроза" to "электропитание") one way
// only, at Ranking.EverydayWeight, so a formal query is never diluted with
// slang; IndexConfig.NoThesaurus turns it off. Ranking rewards covering more of the query's
// words (Ranking.Coverage); Hit.Relevance, when Query.Relevance asks for
// it, is the share of the query an article matches, comparable across
// queries.
//
// Every Query names its Audience. Customers never see internal, draft or
// archived articles, whatever the query's filters say; even "did you mean",
// completion and typo correction use only the words of articles the audience
// may see, and customer scores depend on nothing hidden (document counts and
// average field lengths are kept per audience).
//
// # The KB
//
// KB ties a Store, an Index and Analytics together: Create, Update and Delete
// write the store and the index under one lock, so a write is visible to the
// next search, and no search sees what the store has not committed. What
// shows an article to more readers (Create, an update that publishes it or
// makes it public, an edit) is stored first and indexed after; what takes it
// from customers (Delete, an update to internal, draft or archived) is
// withdrawn from the index first. They are all or nothing: a failed store
// write puts the index back as stored, and a failed indexing after a
// committed write restores the stored article (Create deletes it again).
// Read and Vote take the reader's Audience and treat what it may not see as
// missing; Read lists only the related articles the reader may see.
// Search records searches, and RecordClick opened results, for ContentGaps,
// with the same query limit; MemoryAnalytics keeps a bounded number of
// bounded queries. SuggestForTicket turns a ticket's subject and description
// into a weighted query. A KB and everything in this package are safe for
// concurrent use.
//
// SuggestForTicket suggests only articles whose relevance clears
// Config.SuggestFloor (DefaultSuggestFloor, calibrated on a held-apart half
// of the Russian test collection): no suggestion serves a customer better
// than a wrong one.
//
// # Learning from the desk
//
// KB.Learn takes a Resolution, a ticket solved with an article, and makes
// the customer's public words search vocabulary for that article: weighted
// by the resolutions that used them, decayed with a half-life, kept per
// language (an English ticket solved by a Russian article makes the
// article findable in English), learned only after several tickets used a
// word, and never taken from internal notes; learned words are matched but
// never offered back as completions or respellings. Customers' clicks
// (RecordResultClick, with the position the result was shown at) rank
// their later searches for the same query, corrected for position bias;
// sessions (Query.Session, RecordTicket) give the deflection rate and each
// article's effectiveness (Feedback). SuggestSynonyms mines synonym sets
// from reformulated searches and from tickets' words for a host to
// approve; none applies unapproved (MemoryIndex.SetSynonyms applies the
// approved ones). Nothing learned from an internal note or from an
// internal article's tickets ever reaches a customer.
//
// A Resolution may name its ticket (Resolution.TicketID): learning the
// ticket again replaces what it taught, in its place in the learning order,
// and KB.Forget forgets it, so a person's words can be erased and the
// learned words are exactly those the other tickets (or the redacted text)
// teach. An article keeps at most LearnConfig.MaxResolutions resolutions
// per language, forgetting the oldest beyond them, so forgetting or
// replacing one takes bounded time. KB.RewriteQueries rewrites the
// recorded queries of the analytics and of the click feedback alike.
//
// Work a caller can ask for is bounded: queries by Config.MaxQueryRunes and
// MaxQueryFilters, articles by MaxArticleBytes and MaxRelated.
//
// Bad input never panics: errors wrap ErrInvalid (with a *ValidationError),
// ErrNotFound, ErrConflict or ErrDuplicate.
package kb
