package kb_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fourth Russian collection (testdata/ru4) is checked here for the
// properties its README documents. Nothing here searches: the collection
// must stay valid whatever the index does.

func TestRU4ArticlesAreValidKBArticles(t *testing.T) {
	_, arts, _ := loadCollection(t, "ru4")
	require.Len(t, arts, 32)
	internal := checkArticles(t, "ru4", arts, articleBounds{maxWords: 140, minKeywords: 3, maxKeywords: 6})
	assert.Equal(t, 2, internal, "internal articles")
}

func TestRU4QueriesFollowTheREADME(t *testing.T) {
	byID, _, qs := loadCollection(t, "ru4")
	got := checkQueries(t, "ru4", byID, qs, readmeKinds(t, "ru4"))
	for kind, row := range got {
		assert.Equal(t, row[1], row[2], "%s halves are unbalanced", kind)
	}
	assert.GreaterOrEqual(t, got["paraphrase"][0], 80, "fewer than 80 paraphrases")
}

// TestRU4SynonymsAvoidTheArticle checks that each synonym query has a word
// that does not occur verbatim in its relevant article, as the README says.
func TestRU4SynonymsAvoidTheArticle(t *testing.T) {
	byID, _, qs := loadCollection(t, "ru4")
	for _, q := range qs {
		if q.Kind == "synonym" {
			checkAvoidsArticle(t, q, relevantWords(byID, q))
		}
	}
}
