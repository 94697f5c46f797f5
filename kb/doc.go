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
// # Search
//
// An Index is separate from the Store so a host can swap it; kbtest.TestIndex
// checks an implementation. The built-in MemoryIndex analyses text with a
// pipeline of one-method interfaces (Tokenizer, TokenFilter, Analyzer):
// Unicode word splitting that keeps codes such as 0x80070005 and versions such
// as 1.2.3 whole, NFKC and case folding, ё → е, Russian and English stop words
// and Snowball stemming chosen per word by its script. It ranks with BM25F
// over title, keywords and body plus phrase, proximity and exact-title
// boosts (see Ranking), and it forgives the way people type: typos by word
// length (none up to 4 runes, one edit up to 8, two beyond, a transposition
// counting as one) found by a bounded walk of a vocabulary trie, the half
// typed last word, the wrong keyboard layout, and host synonym sets.
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
// next search. They are all or nothing: Create writes the store first and
// deletes the new article again when indexing fails; Update and Delete check
// the stored version, write the index first and, when a write fails, index
// the stored article again. Search records zero-result searches for ContentGaps;
// SuggestForTicket turns a ticket's subject and description into a weighted
// query. A KB and everything in this package are safe for concurrent use.
//
// Bad input never panics: errors wrap ErrInvalid (with a *ValidationError),
// ErrNotFound, ErrConflict or ErrDuplicate.
package kb
