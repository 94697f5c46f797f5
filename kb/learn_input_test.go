package kb_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

func TestLearnRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	k, arts := learnWorld(t, time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	assert.ErrorIs(t, k.Learn(ctx, kb.Resolution{Public: []string{"роутер"}}), kb.ErrInvalid, "no article")
	assert.ErrorIs(t, k.Learn(ctx, kb.Resolution{ArticleID: uuid.New(), Public: []string{"роутер"}}), kb.ErrNotFound)
	assert.NoError(t, k.Learn(ctx, kb.Resolution{ArticleID: arts[0].ID, Public: []string{"\xff\xfe", "", "+7 912 555 18 40", "ivan@example.com"}}),
		"text with nothing to learn is no error")
	_, err := kb.NewMemoryIndex(kb.IndexConfig{Learning: kb.LearnConfig{MinTickets: -1}})
	assert.ErrorIs(t, err, kb.ErrInvalid)
	_, err = kb.NewMemoryIndex(kb.IndexConfig{Learning: kb.LearnConfig{MaxResolutions: -1}})
	assert.ErrorIs(t, err, kb.ErrInvalid)
	assert.ErrorIs(t, (&kb.MemoryIndex{}).Learn(ctx, kb.Resolution{ArticleID: uuid.New()}), kb.ErrInvalid)
	assert.ErrorIs(t, (&kb.MemoryIndex{}).SetSynonyms(nil), kb.ErrInvalid)
	var zero kb.KB
	assert.ErrorIs(t, zero.Learn(ctx, kb.Resolution{ArticleID: uuid.New()}), kb.ErrInvalid)
	_, err = zero.SuggestSynonyms(ctx, 0)
	assert.ErrorIs(t, err, kb.ErrInvalid)
	_, err = zero.Feedback(ctx)
	assert.ErrorIs(t, err, kb.ErrInvalid)
	assert.ErrorIs(t, zero.RecordTicket(ctx, "s"), kb.ErrInvalid)
}

// Personal data in a ticket (numbers, addresses) is never learned, even
// when many tickets carry it.
func TestLearnSkipsNumbersAndAddresses(t *testing.T) {
	ctx := context.Background()
	k, arts := learnWorld(t, time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	for range 3 {
		require.NoError(t, k.Learn(ctx, kb.Resolution{ArticleID: arts[0].ID, Language: language.Russian,
			Public: []string{"звоните 89125551840 или пишите ivan.petrov@example.com, договор 7731"}}))
	}
	for _, q := range []string{"89125551840", "ivan.petrov@example.com", "7731"} {
		res, err := k.Search(ctx, kb.Query{Text: q, Audience: kb.Agent})
		require.NoError(t, err)
		assert.Zero(t, res.Total, q)
	}
}

// Decay: a word stops weighing as much once the tickets that taught it
// are old, so newer language wins.
func TestLearnedWordsDecay(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	k, arts := learnWorld(t, start)
	teach := func(article *kb.Article, at time.Time) {
		for range 2 {
			require.NoError(t, k.Learn(ctx, kb.Resolution{ArticleID: article.ID, Language: language.Russian, Public: []string{"мигалка"}, At: at}))
		}
	}
	teach(arts[0], start)
	teach(arts[1], start.AddDate(1, 0, 0))
	require.NoError(t, k.Learn(ctx, kb.Resolution{ArticleID: arts[0].ID, Language: language.Russian, Public: []string{"прочее"}, At: start.AddDate(1, 0, 0)}))
	res, err := k.Search(ctx, kb.Query{Text: "мигалка", Audience: kb.Customer})
	require.NoError(t, err)
	require.Len(t, res.Hits, 2)
	assert.Equal(t, arts[1].Slug, res.Hits[0].Slug, "a year old, the first article's lesson weighs a sixteenth")
}

// Learning, searching, clicking and mining may run at once.
func TestLearningIsSafeForConcurrentUse(t *testing.T) {
	ctx := context.Background()
	k, arts := learnWorld(t, time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				a := arts[(w+i)%len(arts)]
				assert.NoError(t, k.Learn(ctx, kb.Resolution{ArticleID: a.ID, Public: []string{"роутер мигает после грозы"}}))
				_, err := k.Search(ctx, kb.Query{Text: "роутер гроза", Audience: kb.Customer, Session: "s", Relevance: true})
				assert.NoError(t, err)
				// Customers open public articles only (the first three).
				opened := arts[(w+i)%3]
				assert.NoError(t, k.RecordResultClick(ctx, kb.ResultClick{Query: "роутер гроза", ArticleID: opened.ID, Position: 1, Session: "s"}))
				_, err = k.SuggestSynonyms(ctx, 3)
				assert.NoError(t, err)
				_, err = k.Feedback(ctx)
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
}
