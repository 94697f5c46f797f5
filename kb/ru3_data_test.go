package kb_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The third Russian collection (testdata/ru3) is checked here for the
// properties its README documents. Nothing here searches: the collection
// must stay valid whatever the index does.

func TestRU3ArticlesAreValidKBArticles(t *testing.T) {
	_, arts, _ := loadCollection(t, "ru3")
	require.Len(t, arts, 38)
	internal := checkArticles(t, "ru3", arts, articleBounds{maxWords: 140, minKeywords: 3, maxKeywords: 6})
	assert.Equal(t, 4, internal, "internal articles")
}

func TestRU3QueriesFollowTheREADME(t *testing.T) {
	byID, _, qs := loadCollection(t, "ru3")
	got := checkQueries(t, "ru3", byID, qs, readmeKinds(t, "ru3"))
	assert.GreaterOrEqual(t, got["paraphrase"][0], 60, "fewer than 60 paraphrases")
}

// TestRU3QueryForms checks the mechanical kinds against the text of their
// relevant articles, as the README describes them.
func TestRU3QueryForms(t *testing.T) {
	byID, _, qs := loadCollection(t, "ru3")
	checkQueryForms(t, byID, qs)
}
