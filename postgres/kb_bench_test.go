package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/postgres"
)

// BenchmarkKBRebuild measures how long a process takes to rebuild the in-memory search index
// from PostgreSQL (List, then Reindex) at 10,000 and 100,000 articles, each with an English
// and a Russian translation. Run it with -benchtime=1x.
func BenchmarkKBRebuild(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			ctx := context.Background()
			st := newSetup(b, nil)
			store, err := postgres.NewArticleStore(st.pool, postgres.Config{Schema: st.schema})
			require.NoError(b, err)
			rows := make([][]any, n)
			words := []string{"password", "printer", "invoice", "vpn", "email", "laptop", "refund", "account"}
			ru := []string{"пароль", "принтер", "счёт", "впн", "почта", "ноутбук", "возврат", "аккаунт"}
			for i := range rows {
				a := &kb.Article{
					ID: uuid.Must(uuid.NewV7()), Slug: fmt.Sprintf("article-%d", i), Category: "help/" + words[i%8],
					Tags: []string{words[i%8]}, Visibility: kb.Public, Status: kb.Published, Version: 1,
					Translations: map[language.Tag]kb.Translation{
						language.English: {Title: fmt.Sprintf("How to fix the %s, case %d", words[i%8], i),
							Body: fmt.Sprintf("Open settings, find the %s section and follow steps %d to %d.", words[(i+3)%8], i%13, i%17)},
						language.Russian: {Title: fmt.Sprintf("Как починить %s, случай %d", ru[i%8], i),
							Body: fmt.Sprintf("Откройте настройки, найдите раздел %s и выполните шаги %d–%d.", ru[(i+3)%8], i%13, i%17)},
					},
					Updated: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
				}
				data, err := json.Marshal(a)
				require.NoError(b, err)
				rows[i] = []any{a.ID, a.Slug, int64(1), data}
			}
			_, err = st.pool.CopyFrom(ctx, pgx.Identifier{st.schema, "articles"}, []string{"id", "slug", "version", "data"}, pgx.CopyFromRows(rows))
			require.NoError(b, err)
			for b.Loop() {
				k, err := kb.New(store, kb.Config{})
				require.NoError(b, err)
				require.NoError(b, k.Reindex(ctx))
			}
		})
	}
}
