package kb_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/internal/kbdata"
)

// The second Russian collection (testdata/ru2) is checked here for the
// properties its README documents. Nothing here searches: the collection
// must stay valid whatever the index does.

type (
	ru2Article = kbdata.Article
	ru2Query   = kbdata.Query
)

func TestRU2ArticlesAreValidKBArticles(t *testing.T) {
	_, arts, _ := loadCollection(t, "ru2")
	require.GreaterOrEqual(t, len(arts), 40)
	require.LessOrEqual(t, len(arts), 50)
	internal := checkArticles(t, "ru2", arts, articleBounds{maxWords: 150, minKeywords: 1, maxKeywords: math.MaxInt})
	assert.Positive(t, internal, "no internal articles")
	assert.Less(t, internal, len(arts)/2, "most articles must be public")
}

func TestRU2QueriesFollowTheREADME(t *testing.T) {
	byID, _, qs := loadCollection(t, "ru2")
	require.GreaterOrEqual(t, len(qs), 160)
	got := checkQueries(t, "ru2", byID, qs, readmeKinds(t, "ru2"))
	tune, heldout := 0, 0
	for _, row := range got {
		tune, heldout = tune+row[1], heldout+row[2]
	}
	assert.Equal(t, len(qs)/2, tune)
	assert.Equal(t, len(qs)/2, heldout)
	assert.GreaterOrEqual(t, 3*got["paraphrase"][0], len(qs), "fewer than a third are paraphrases")
}

// TestRU2QueryForms checks the mechanical kinds against the text of their
// relevant articles, as the README describes them.
func TestRU2QueryForms(t *testing.T) {
	byID, _, qs := loadCollection(t, "ru2")
	checkQueryForms(t, byID, qs)
}
