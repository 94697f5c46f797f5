package kb_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

// PostgreSQL's own full-text search as a peer: a host that already runs PostgreSQL could
// search its articles there. Each document is a row with a tsvector of its title (weight A),
// keywords (B) and body (D) under the collection's text search configuration ("english" or
// "russian", Snowball stemmers) and a GIN index; a query is websearch_to_tsquery, ranked by
// ts_rank_cd. PostgreSQL's synonym and thesaurus dictionaries are files on the server, so it
// runs without the Russian synonyms.
//
// Two ways to ask: "pg" is websearch_to_tsquery as a user's text is meant to be read (every
// word must match), "pg-any" the same words joined with OR, closer to how kb and Bleve treat
// a question.

// pgURL is the test database: SUPPORTKIT_POSTGRES_URL, else the local default.
func pgURL() string {
	if u := os.Getenv("SUPPORTKIT_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test"
}

type pgEngine struct {
	pool   *pgxpool.Pool
	table  string
	config string
	any    bool
}

// newPG loads the collection into a table of a schema of its own, dropped when the test
// ends. It skips the test when the database cannot be reached (and fails when CI is set).
func newPG(t testing.TB, c collection, anyWord bool) *pgEngine {
	t.Helper()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgURL())
	if err == nil {
		err = pool.Ping(ctx)
	}
	if err != nil {
		msg := "PostgreSQL is not reachable at " + pgURL() + " (" + err.Error() + "); set SUPPORTKIT_POSTGRES_URL"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "skbench_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		_, _ = pool.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
		pool.Close()
	})
	config := "english"
	if c.lang == language.Russian {
		config = "russian"
	}
	e := &pgEngine{pool: pool, table: schema + ".docs", config: config, any: anyWord}
	_, err = pool.Exec(ctx, "CREATE SCHEMA "+schema+"; CREATE TABLE "+e.table+" (slug text PRIMARY KEY, title text, keywords text, body text, tsv tsvector)")
	require.NoError(t, err)
	rows := make([][]any, len(c.docs))
	for i, d := range c.docs {
		rows[i] = []any{d.slug, d.title, strings.Join(d.keywords, " "), d.body}
	}
	_, err = pool.CopyFrom(ctx, pgx.Identifier{schema, "docs"}, []string{"slug", "title", "keywords", "body"}, pgx.CopyFromRows(rows))
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `UPDATE `+e.table+` SET tsv =
		setweight(to_tsvector('`+config+`', coalesce(title, '')), 'A') ||
		setweight(to_tsvector('`+config+`', coalesce(keywords, '')), 'B') ||
		setweight(to_tsvector('`+config+`', coalesce(body, '')), 'D');
		CREATE INDEX ON `+e.table+` USING gin (tsv); ANALYZE `+e.table)
	require.NoError(t, err)
	return e
}

func (e *pgEngine) close() error { return nil }

func (e *pgEngine) search(q string, n int) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tsq := "websearch_to_tsquery('" + e.config + "', $1)"
	if e.any {
		// The same lexemes, any of them: each word of the query is its own websearch query.
		tsq = "(SELECT coalesce(string_agg(w::text, ' | ')::tsquery, ''::tsquery) FROM unnest(regexp_split_to_array($1, '\\s+')) AS t(word), " +
			"LATERAL websearch_to_tsquery('" + e.config + "', t.word) AS w WHERE w::text <> '')"
	}
	rows, err := e.pool.Query(ctx, "SELECT slug FROM "+e.table+", "+tsq+" AS x(q) WHERE tsv @@ q ORDER BY ts_rank_cd(tsv, q) DESC, slug LIMIT $2", q, n)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// TestRelevanceOfPostgresFullText reports PostgreSQL's MRR@10 beside kb's on every
// collection and checks that kb ranks at least as well.
func TestRelevanceOfPostgresFullText(t *testing.T) {
	for _, c := range collections(t) {
		t.Run(c.name, func(t *testing.T) {
			ours := mrr10(t, newKB(t, c), c.queries)
			all := mrr10(t, newPG(t, c, false), c.queries)
			anyWord := mrr10(t, newPG(t, c, true), c.queries)
			t.Logf("%s: %d queries, MRR@10 kb %.4f, PostgreSQL websearch %.4f, any word %.4f", c.name, len(c.queries), ours, all, anyWord)
			require.GreaterOrEqual(t, ours, all)
			require.GreaterOrEqual(t, ours, anyWord)
		})
	}
}

// BenchmarkQueryPostgres runs the collection's queries round-robin on PostgreSQL: one op is
// one query returning the top 10, over a local connection. Compare with BenchmarkQuery.
func BenchmarkQueryPostgres(b *testing.B) {
	for _, c := range collections(b) {
		for _, anyWord := range []bool{false, true} {
			name := c.name + "/pg"
			if anyWord {
				name += "-any"
			}
			b.Run(name, func(b *testing.B) {
				eng := newPG(b, c, anyWord)
				b.ResetTimer()
				for i := range b.N {
					if _, err := eng.search(c.queries[i%len(c.queries)].query, 10); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
