package kb_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// worstTicket is MaxResolutionRunes of distinct made-up words: the most a
// resolution can teach.
func worstTicket(rng *rand.Rand) string {
	const letters = "абвгдеёжзийклмнопрстуфхцчшщыэюя"
	alphabet := []rune(letters)
	var b strings.Builder
	for n := 0; n < kb.MaxResolutionRunes-8; n += 7 {
		for range 6 {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// worstArticle makes a KB whose one article learned from n worst-case
// tickets, one a minute, in order.
func worstArticle(b *testing.B, n int) (*kb.KB, *kb.Article, []uuid.UUID, *rand.Rand) {
	rng := rand.New(rand.NewPCG(3, 4))
	k, a, tickets := learnedArticle(b, time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), n, func() string { return worstTicket(rng) })
	return k, a, tickets, rng
}

// learnedArticle makes a KB at now whose one article learned from n
// tickets, one a minute up to now, in order, each the words text returns.
func learnedArticle(b *testing.B, now time.Time, n int, text func() string) (*kb.KB, *kb.Article, []uuid.UUID) {
	ctx := context.Background()
	k, err := kb.New(nil, kb.Config{Now: func() time.Time { return now }})
	require.NoError(b, err)
	a := &kb.Article{Slug: "a", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.Russian: {Title: "Нет интернета", Body: "Проверьте роутер."}}}
	require.NoError(b, k.Create(ctx, a))
	tickets := make([]uuid.UUID, n)
	for i := range tickets {
		tickets[i] = uuid.New()
		require.NoError(b, k.Learn(ctx, kb.Resolution{ArticleID: a.ID, TicketID: tickets[i], Language: language.Russian,
			Public: []string{text()}, At: now.Add(time.Duration(i-n) * time.Minute)}))
	}
	return k, a, tickets
}

// BenchmarkForgetWorstCase measures forgetting one of the latest tickets
// of an article that learned from 1,000 worst-case tickets (and learning
// it back, not timed).
func BenchmarkForgetWorstCase(b *testing.B) {
	ctx := context.Background()
	k, a, tickets, rng := worstArticle(b, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		t := tickets[len(tickets)-1-i%100]
		require.NoError(b, k.Forget(ctx, t))
		b.StopTimer()
		require.NoError(b, k.Learn(ctx, kb.Resolution{ArticleID: a.ID, TicketID: t, Language: language.Russian,
			Public: []string{worstTicket(rng)}}))
		b.StartTimer()
	}
}

// BenchmarkRelearnWorstCase measures learning one of the latest tickets
// again, with new words, on an article that learned from 1,000 worst-case
// tickets.
func BenchmarkRelearnWorstCase(b *testing.B) {
	ctx := context.Background()
	k, a, tickets, rng := worstArticle(b, 1000)
	texts := []string{worstTicket(rng), worstTicket(rng)}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		require.NoError(b, k.Learn(ctx, kb.Resolution{ArticleID: a.ID, TicketID: tickets[len(tickets)-1-i%100], Language: language.Russian,
			Public: []string{texts[i%2]}}))
	}
}
