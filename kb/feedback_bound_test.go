package kb_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// liveHeap returns the bytes the heap holds after a collection.
func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// Regression: a session kept its identifier whole, so a caller sending long
// identifiers made every kept session as large as it liked (10,000 sessions
// of 1 MB each is 10 GB).
func TestFeedbackMemoryDoesNotGrowWithSessionIDs(t *testing.T) {
	ctx := context.Background()
	k, _, _ := feedbackWorld(t)
	long := strings.Repeat("s", 64<<10)
	before := liveHeap()
	for i := range 500 {
		_, err := k.Search(ctx, kb.Query{Text: "роутер", Audience: kb.Customer, Session: fmt.Sprint(i, long)})
		require.NoError(t, err)
	}
	grown := liveHeap() - before
	runtime.KeepAlive(k)
	assert.Less(t, grown, int64(4<<20), "500 sessions of 64 KiB identifiers hold %d KiB", grown>>10)
}

// Long session identifiers that share their start are still different visits.
func TestLongSessionIDsStayDistinct(t *testing.T) {
	ctx := context.Background()
	k, now, arts := feedbackWorld(t)
	long := strings.Repeat("s", 1000)
	for _, session := range []string{long + "a", long + "b"} {
		_, err := k.Search(ctx, kb.Query{Text: "роутер", Audience: kb.Customer, Session: session})
		require.NoError(t, err)
		require.NoError(t, k.RecordResultClick(ctx, kb.ResultClick{Query: "роутер", ArticleID: arts["first"].ID, Position: 1, Session: session}))
	}
	require.NoError(t, k.RecordTicket(ctx, long+"a"))
	*now = now.Add(time.Hour)
	r, err := k.Feedback(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, r.Sessions)
	assert.Equal(t, 1, r.Deflections)
	assert.Equal(t, 1, r.Tickets)
}

// Regression: a session kept every article it opened, though only the last
// one is judged, so one visit clicking without end grew without end.
func TestFeedbackMemoryDoesNotGrowWithOneSessionsClicks(t *testing.T) {
	ctx := context.Background()
	k, _, arts := feedbackWorld(t)
	click := kb.ResultClick{Query: "роутер", ArticleID: arts["first"].ID, Position: 1, Session: "s"}
	require.NoError(t, k.RecordResultClick(ctx, click))
	before := liveHeap()
	for range 100_000 {
		require.NoError(t, k.RecordResultClick(ctx, click))
	}
	grown := liveHeap() - before
	runtime.KeepAlive(k)
	assert.Less(t, grown, int64(256<<10), "100,000 clicks of one session hold %d KiB", grown>>10)
}

// Regression: a click on any article ID was counted, so made-up IDs each took
// a place in the feedback for good, and the report listed them. Like Read, a
// click on an article a customer may not see is ErrNotFound and records
// nothing.
func TestResultClickOnAnArticleCustomersCannotSeeIsNotFound(t *testing.T) {
	ctx := context.Background()
	k, now, arts := feedbackWorld(t)
	hidden := &kb.Article{Slug: "hidden", Visibility: kb.Internal, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.Russian: {Title: "Роутер в офисе"}}}
	require.NoError(t, k.Create(ctx, hidden))
	for _, id := range []uuid.UUID{uuid.New(), hidden.ID} {
		err := k.RecordResultClick(ctx, kb.ResultClick{Query: "роутер", ArticleID: id, Position: 1, Session: "s"})
		require.ErrorIs(t, err, kb.ErrNotFound)
	}
	require.NoError(t, k.RecordResultClick(ctx, kb.ResultClick{Query: "роутер", ArticleID: arts["first"].ID, Position: 1, Session: "s"}))
	*now = now.Add(time.Hour)
	r, err := k.Feedback(ctx)
	require.NoError(t, err)
	require.Len(t, r.Articles, 1)
	assert.Equal(t, arts["first"].ID, r.Articles[0].ArticleID)
	assert.Equal(t, 1, r.Articles[0].Clicks)
	assert.Equal(t, 1, r.Deflections, "the session's last opened article is the one it could see")
	gaps, err := k.Queries(ctx, func(string) bool { return true })
	require.NoError(t, err)
	require.Len(t, gaps, 1)
	assert.Equal(t, 1, gaps[0].Clicks, "a refused click is not counted for content gaps either")
}
