package kb_test

// PostgreSQL's own full-text search as a third engine beside kb and Bleve:
// what a host already has in its database, set up as its documentation
// recommends. Each article is one row whose stored tsvector is
// setweight(title, 'A') || setweight(keywords, 'B') || setweight(body, 'D'),
// all through the collection's text search configuration ("english" or
// "russian", both Snowball stemmers with stop words), under a GIN index. A
// query is websearch_to_tsquery, what a search box would pass through, and
// hits are ranked by ts_rank_cd with its default weights (A 1, B 0.4, C 0.2,
// D 0.1) and normalization. The body gets D rather than C: on StackFAQ's long
// answers that lifts MRR@10 of "postgres-or" from 0.54 to 0.64, and it costs
// the Russian collections under 0.01.
//
// websearch_to_tsquery requires every word, so conversational queries often
// match nothing; "postgres-or" is the same query with its ANDs turned into
// ORs, the usual way round that, ranked the same way. Synonyms, when the
// collection has them, are applied to the query with ts_rewrite over a table
// of rules (PostgreSQL's synonym and thesaurus dictionaries need files on the
// server, which an application cannot assume): every member of a set is
// rewritten to the OR of all members.
//
// Each engine lives in a schema of its own, dropped when it is closed.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// pgDefaultURL is the database used when SUPPORTKIT_POSTGRES_URL is not set.
const pgDefaultURL = "postgres://postgres@127.0.0.1:5432/test"

const pgHowTo = `PostgreSQL is not reachable at %s (%v).
Start one with trust auth and a database "test", for example:
    docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:16
or point SUPPORTKIT_POSTGRES_URL at another.`

func pgURL() string {
	if u := os.Getenv("SUPPORTKIT_POSTGRES_URL"); u != "" {
		return u
	}
	return pgDefaultURL
}

// pgConnect opens a connection. When the database is unreachable it fails
// the test if the CI variable is set, and skips it otherwise, saying how to
// start one either way.
func pgConnect(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, pgURL())
	if err == nil {
		err = conn.Ping(ctx)
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf(pgHowTo, pgURL(), err)
		}
		t.Skipf(pgHowTo, pgURL(), err)
	}
	return conn
}

// pgConfigs maps a collection's Bleve analyzer to the matching text search
// configuration.
var pgConfigs = map[string]string{"en": "english", "ru": "russian"}

// pgEngine is one collection in a PostgreSQL schema of its own.
type pgEngine struct {
	conn   *pgx.Conn
	schema string
	// sql takes the query text and the number of hits and returns slugs.
	sql string
}

// newPostgres loads c into a new schema. With anyWord the query's words are
// ORed instead of ANDed.
func newPostgres(t testing.TB, c collection, anyWord bool) *pgEngine {
	t.Helper()
	cfg, ok := pgConfigs[c.analyzer]
	require.True(t, ok, "no text search configuration for %q", c.analyzer)
	e := &pgEngine{conn: pgConnect(t), schema: "kbfts_" + randomHex()}
	t.Cleanup(func() { require.NoError(t, e.close()) })
	ctx := context.Background()
	_, err := e.conn.Exec(ctx, fmt.Sprintf(`CREATE SCHEMA %[1]s;
CREATE TABLE %[1]s.articles (
	slug text PRIMARY KEY,
	title text NOT NULL,
	keywords text NOT NULL,
	body text NOT NULL,
	doc tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('%[2]s', title), 'A') ||
		setweight(to_tsvector('%[2]s', keywords), 'B') ||
		setweight(to_tsvector('%[2]s', body), 'D')) STORED
);
CREATE TABLE %[1]s.synonyms (
	id serial PRIMARY KEY,
	target tsquery NOT NULL,
	substitute tsquery NOT NULL
)`, e.schema, cfg))
	require.NoError(t, err)
	rows := make([][]any, len(c.docs))
	for i, d := range c.docs {
		rows[i] = []any{d.slug, d.title, strings.Join(d.keywords, ", "), d.body}
	}
	_, err = e.conn.CopyFrom(ctx, pgx.Identifier{e.schema, "articles"},
		[]string{"slug", "title", "keywords", "body"}, pgx.CopyFromRows(rows))
	require.NoError(t, err)
	for _, set := range c.synonyms {
		_, err = e.conn.Exec(ctx, fmt.Sprintf(`WITH members AS (
	SELECT plainto_tsquery('%[2]s', m) AS q FROM unnest($1::text[]) AS m
), kept AS (SELECT q FROM members WHERE numnode(q) > 0)
INSERT INTO %[1]s.synonyms (target, substitute)
SELECT q, (SELECT string_agg('(' || q::text || ')', ' | ') FROM kept)::tsquery FROM kept`, e.schema, cfg), set)
		require.NoError(t, err)
	}
	_, err = e.conn.Exec(ctx, fmt.Sprintf(`CREATE INDEX articles_doc ON %[1]s.articles USING gin (doc);
ANALYZE %[1]s.articles`, e.schema))
	require.NoError(t, err)
	e.sql = pgSearchSQL(e.schema, cfg, len(c.synonyms) > 0, anyWord)
	return e
}

// pgSearchSQL is the search statement: $1 is the query text, $2 the number
// of hits. The query is parsed once, in a materialized CTE; a plain
// subquery is inlined and, under a generic plan, parsed again for every
// row it is matched and ranked against.
func pgSearchSQL(schema, cfg string, synonyms, anyWord bool) string {
	q := fmt.Sprintf("websearch_to_tsquery('%s', $1)", cfg)
	if synonyms {
		q = fmt.Sprintf("ts_rewrite(%s, 'SELECT target, substitute FROM %s.synonyms ORDER BY id')", q, schema)
	}
	if anyWord {
		q = fmt.Sprintf("replace((%s)::text, ' & ', ' | ')::tsquery", q)
	}
	return fmt.Sprintf(`WITH query AS MATERIALIZED (SELECT %s AS q)
SELECT slug FROM %s.articles, query
WHERE doc @@ q ORDER BY ts_rank_cd(doc, q) DESC, slug LIMIT $2`, q, schema)
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// close drops the schema and closes the connection; closing again does
// nothing.
func (e *pgEngine) close() error {
	if e.conn == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := e.conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+e.schema+" CASCADE")
	if cerr := e.conn.Close(ctx); err == nil {
		err = cerr
	}
	e.conn = nil
	return err
}

func (e *pgEngine) search(q string, n int) ([]string, error) {
	rows, err := e.conn.Query(context.Background(), e.sql, q, n)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// pgSearch builds an engine for docs and returns its hits for q.
func pgSearch(t *testing.T, c collection, anyWord bool, q string) []string {
	t.Helper()
	e := newPostgres(t, c, anyWord)
	hits, err := e.search(q, 10)
	require.NoError(t, err)
	return hits
}

// A word in the title (weight A) or in the keywords (B) ranks an article
// above one that has it only in the body (D); without the weights the three
// would tie and come back in slug order, body first.
func TestPostgresRanksTitleThenKeywordsThenBody(t *testing.T) {
	c := collection{name: "en", analyzer: "en", docs: []article{
		{slug: "a-body", title: "Account settings", body: "How to change the invoice address."},
		{slug: "b-keywords", title: "Account settings", body: "How to change the address.", keywords: []string{"invoice"}},
		{slug: "c-title", title: "Invoice settings", body: "How to change the address."},
	}}
	require.Equal(t, []string{"c-title", "b-keywords", "a-body"}, pgSearch(t, c, false, "invoice"))
}

// Each collection is analyzed in its own language: another form of a word
// finds the article.
func TestPostgresStemsTheCollectionsLanguage(t *testing.T) {
	ru := collection{name: "ru", analyzer: "ru", docs: []article{{slug: "reset", title: "Как сбросить пароль", body: "Откройте страницу входа."}}}
	require.Equal(t, []string{"reset"}, pgSearch(t, ru, false, "сброс пароля"))
	en := collection{name: "en", analyzer: "en", docs: []article{{slug: "reset", title: "Reset a password", body: "Open the sign-in page."}}}
	require.Equal(t, []string{"reset"}, pgSearch(t, en, false, "resetting passwords"))
}

// websearch_to_tsquery requires every word; postgres-or requires any.
func TestPostgresAllWordsOrAnyWord(t *testing.T) {
	c := collection{name: "ru", analyzer: "ru", docs: []article{
		{slug: "delivery", title: "Сроки доставки", body: "Доставка занимает три дня."},
		{slug: "password", title: "Как сбросить пароль", body: "Откройте страницу входа."},
	}}
	require.Empty(t, pgSearch(t, c, false, "пароль доставка"))
	require.ElementsMatch(t, []string{"delivery", "password"}, pgSearch(t, c, true, "пароль доставка"))
}

// The comparison with synonyms is only fair if PostgreSQL uses them: a query
// word, or words, that only a synonym set links to the article must find it.
func TestPostgresUsesTheSynonyms(t *testing.T) {
	c := collection{name: "ru+synonyms", analyzer: "ru",
		docs:     []article{{slug: "refund", title: "Как оформить возврат", body: "Откройте страницу заказа."}},
		synonyms: [][]string{{"возврат", "вернуть деньги", "refund"}}}
	for _, q := range []string{"refund", "как вернуть деньги за заказ"} {
		require.Equal(t, []string{"refund"}, pgSearch(t, c, false, q), q)
		without := c
		without.synonyms = nil
		require.Empty(t, pgSearch(t, without, false, q), q)
	}
}

// The search can use the GIN index, in both query forms and with synonyms.
func TestPostgresSearchUsesTheGINIndex(t *testing.T) {
	c := collection{name: "ru+synonyms", analyzer: "ru",
		docs:     []article{{slug: "refund", title: "Как оформить возврат", body: "Откройте страницу заказа."}},
		synonyms: [][]string{{"возврат", "refund"}}}
	for _, anyWord := range []bool{false, true} {
		e := newPostgres(t, c, anyWord)
		ctx := context.Background()
		_, err := e.conn.Exec(ctx, "SET enable_seqscan = off")
		require.NoError(t, err)
		rows, err := e.conn.Query(ctx, "EXPLAIN "+e.sql, "refund", 10)
		require.NoError(t, err)
		plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		require.Contains(t, strings.Join(plan, "\n"), "Index Scan on articles_doc", "any word %v", anyWord)
	}
}

// Closing an engine drops its schema.
func TestPostgresCloseDropsTheSchema(t *testing.T) {
	e := newPostgres(t, collection{name: "en", analyzer: "en", docs: []article{{slug: "a", title: "A", body: "a"}}}, false)
	schema := e.schema
	require.NoError(t, e.close())
	conn := pgConnect(t)
	defer conn.Close(context.Background())
	var n int
	require.NoError(t, conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&n))
	require.Zero(t, n)
}

// An unreachable database skips the tests, or fails them when CI is set,
// saying how to start one.
func TestPostgresUnreachable(t *testing.T) {
	if os.Getenv("KBFTS_UNREACHABLE_CHILD") != "" {
		pgConnect(t)
		return
	}
	const nowhere = "postgres://postgres@127.0.0.1:1/test?connect_timeout=2"
	var inner *testing.T
	t.Run("skips", func(t *testing.T) {
		inner = t
		t.Setenv("CI", "")
		t.Setenv("SUPPORTKIT_POSTGRES_URL", nowhere)
		pgConnect(t)
	})
	require.True(t, inner.Skipped())

	cmd := exec.Command(os.Args[0], "-test.run=^TestPostgresUnreachable$")
	cmd.Env = append(os.Environ(), "KBFTS_UNREACHABLE_CHILD=1", "CI=true", "SUPPORTKIT_POSTGRES_URL="+nowhere)
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "CI set: the test must fail\n%s", out)
	require.Contains(t, string(out), "POSTGRES_HOST_AUTH_METHOD=trust")
}
