package kb_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/kb"
)

// Regression: a nil match or rewrite panicked, and did so holding the
// analytics' lock, so every later search waited for it for good.
func TestQueriesAndRewriteQueriesRefuseNilFunctions(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	_, err := b.kb.Search(ctx, kb.Query{Text: "пароль", Audience: kb.Customer})
	require.NoError(t, err)
	_, err = b.kb.Queries(ctx, nil)
	assert.ErrorIs(t, err, kb.ErrInvalid)
	_, err = b.kb.RewriteQueries(ctx, nil)
	assert.ErrorIs(t, err, kb.ErrInvalid)
	m := kb.NewMemoryAnalytics(0)
	_, err = m.Queries(ctx, nil)
	assert.ErrorIs(t, err, kb.ErrInvalid)
	_, err = m.RewriteQueries(ctx, nil)
	assert.ErrorIs(t, err, kb.ErrInvalid)
	gaps, err := b.kb.Queries(ctx, func(string) bool { return true })
	require.NoError(t, err)
	require.Len(t, gaps, 1)
	assert.Equal(t, 1, gaps[0].Searches)
}

// mustPanic calls f and reports whether it panicked.
func mustPanic(f func()) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	f()
	return false
}

// withinASecond fails the test when f does not return within a second.
func withinASecond(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("still waiting after a second")
	}
}

// Regression: a host's match function that panicked left the analytics
// locked, so every later search waited for good; and a rewrite that
// panicked partway had already dropped the queries it rewrote, with their
// counts.
func TestAPanickingCallbackLeavesTheAnalyticsAsTheyWere(t *testing.T) {
	ctx := context.Background()
	m := kb.NewMemoryAnalytics(0)
	for _, q := range []string{"alpha", "beta", "gamma", "delta"} {
		require.NoError(t, m.RecordSearch(ctx, kb.SearchEvent{Query: q, Audience: kb.Customer, Results: 1}))
	}
	require.True(t, mustPanic(func() { _, _ = m.Queries(ctx, func(string) bool { panic("host bug") }) }))
	withinASecond(t, func() {
		assert.NoError(t, m.RecordSearch(ctx, kb.SearchEvent{Query: "alpha", Audience: kb.Customer, Results: 1}))
	})
	calls := 0
	require.True(t, mustPanic(func() {
		_, _ = m.RewriteQueries(ctx, func(q string) string {
			if calls++; calls == 3 {
				panic("host bug")
			}
			return "erased"
		})
	}))
	withinASecond(t, func() {
		gaps, err := m.Queries(ctx, func(string) bool { return true })
		require.NoError(t, err)
		assert.Equal(t, []kb.Gap{{Query: "alpha", Searches: 2}, {Query: "beta", Searches: 1}, {Query: "delta", Searches: 1}, {Query: "gamma", Searches: 1}}, gaps)
	})
}
