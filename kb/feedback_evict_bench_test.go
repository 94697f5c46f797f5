package kb

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
)

// BenchmarkFeedbackEviction clicks with a new session and a new query each
// time, once the session and query limits are full and every query kept
// has clicks: each click makes room for both.
func BenchmarkFeedbackEviction(b *testing.B) {
	for _, limit := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("limit=%d", limit), func(b *testing.B) {
			cfg, err := FeedbackConfig{MaxQueries: limit, MaxSessions: limit}.withDefaults()
			if err != nil {
				b.Fatal(err)
			}
			f := newFeedback(cfg)
			id := uuid.New()
			at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			click := func(i int) {
				n := strconv.Itoa(i)
				f.click(ResultClick{Query: "q" + n, ArticleID: id, Position: 1, Session: "s" + n}, at)
			}
			for i := range limit {
				click(i)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				click(limit + i)
			}
		})
	}
}
