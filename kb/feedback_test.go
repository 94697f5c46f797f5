package kb_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// feedbackWorld is a KB with three articles that match "роутер", and a
// clock the test moves.
func feedbackWorld(t *testing.T) (*kb.KB, *time.Time, map[string]*kb.Article) {
	t.Helper()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	k, err := kb.New(nil, kb.Config{Now: func() time.Time { return now }})
	require.NoError(t, err)
	arts := map[string]*kb.Article{}
	for slug, tr := range map[string]kb.Translation{
		"first":  {Title: "Роутер мигает", Body: "Перезагрузите его."},
		"second": {Title: "Роутер греется", Body: "Поставьте его на открытое место."},
		"third":  {Title: "Роутер не включается", Body: "Замените блок питания."},
	} {
		a := &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published, Translations: map[language.Tag]kb.Translation{language.Russian: tr}}
		require.NoError(t, k.Create(context.Background(), a))
		arts[slug] = a
	}
	return k, &now, arts
}

func searchSlugs(t *testing.T, k *kb.KB, q kb.Query) []string {
	t.Helper()
	res, err := k.Search(context.Background(), q)
	require.NoError(t, err)
	return slugsOf(res.Hits)
}

// Clicks rank an article for the query: one that searchers open from the
// last place more often than the first is opened from the first place
// rises to the top, for customers only.
func TestClicksRankCustomersResults(t *testing.T) {
	ctx := context.Background()
	k, _, arts := feedbackWorld(t)
	q := kb.Query{Text: "роутер", Audience: kb.Customer}
	before := searchSlugs(t, k, q)
	require.Len(t, before, 3)
	first, last := before[0], before[2]
	for i := range 20 {
		got := searchSlugs(t, k, q)
		if i%5 == 0 {
			require.NoError(t, k.RecordResultClick(ctx, kb.ResultClick{Query: q.Text, ArticleID: arts[first].ID, Position: 1 + slices.Index(got, first)}))
		}
		if i%3 == 0 {
			require.NoError(t, k.RecordResultClick(ctx, kb.ResultClick{Query: q.Text, ArticleID: arts[last].ID, Position: 1 + slices.Index(got, last)}))
		}
	}
	after := searchSlugs(t, k, q)
	assert.Equal(t, last, after[0], "before %v after %v", before, after)
	assert.Equal(t, before, searchSlugs(t, k, kb.Query{Text: "роутер", Audience: kb.Agent}), "customers' clicks rank customers' searches")
}

// A session that searched and read an article deflects a ticket unless it
// raised one within the window; the report says so per article.
func TestDeflectionIsReported(t *testing.T) {
	ctx := context.Background()
	k, now, arts := feedbackWorld(t)
	visit := func(session, slug string, ticket bool) {
		_, err := k.Search(ctx, kb.Query{Text: "роутер", Audience: kb.Customer, Session: session})
		require.NoError(t, err)
		require.NoError(t, k.RecordResultClick(ctx, kb.ResultClick{Query: "роутер", ArticleID: arts[slug].ID, Position: 1, Session: session}))
		if ticket {
			require.NoError(t, k.RecordTicket(ctx, session))
		}
	}
	visit("s1", "third", false)
	visit("s2", "third", false)
	visit("s3", "second", true)
	_, err := k.Search(ctx, kb.Query{Text: "роутер", Audience: kb.Customer, Session: "s4"}) // no click: not counted
	require.NoError(t, err)
	r, err := k.Feedback(ctx)
	require.NoError(t, err)
	assert.Zero(t, r.Sessions, "sessions within the window are not judged yet")
	*now = now.Add(31 * time.Minute)
	r, err = k.Feedback(ctx)
	require.NoError(t, err)
	assert.Equal(t, 4, r.Searches)
	assert.Equal(t, 3, r.Sessions)
	assert.Equal(t, 2, r.Deflections)
	assert.Equal(t, 1, r.Tickets)
	byID := map[string]kb.ArticleFeedback{}
	for _, a := range r.Articles {
		byID[a.ArticleID.String()] = a
	}
	third := byID[arts["third"].ID.String()]
	assert.Equal(t, 2, third.Deflections)
	assert.Equal(t, 2, third.Clicks)
	assert.Equal(t, 4, third.Impressions)
	assert.Equal(t, 1, byID[arts["second"].ID.String()].TicketsAfter)
}

func TestResultClickNeedsAPosition(t *testing.T) {
	k, _, arts := feedbackWorld(t)
	err := k.RecordResultClick(context.Background(), kb.ResultClick{Query: "роутер", ArticleID: arts["first"].ID})
	assert.ErrorIs(t, err, kb.ErrInvalid)
	_, err = kb.New(nil, kb.Config{Feedback: kb.FeedbackConfig{PriorCTR: 2}})
	assert.ErrorIs(t, err, kb.ErrInvalid)
}
