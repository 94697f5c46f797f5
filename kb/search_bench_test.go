package kb_test

import (
	"context"
	"testing"

	"github.com/supportkit/supportkit/kb"
)

// BenchmarkSearchStackFAQ runs the StackFAQ paraphrases round-robin as
// customer searches returning the top 10, without highlighting.
func BenchmarkSearchStackFAQ(b *testing.B) {
	k, queries := stackFAQBase(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := k.Search(ctx, kb.Query{Text: queries[i%len(queries)].query, Audience: kb.Customer}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearchRussian runs the Russian collection's queries round-robin
// as agent searches returning the top 10, without highlighting.
func BenchmarkSearchRussian(b *testing.B) {
	k, queries, _ := russianBase(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := k.Search(ctx, kb.Query{Text: queries[i%len(queries)].query, Audience: kb.Agent}); err != nil {
			b.Fatal(err)
		}
	}
}
