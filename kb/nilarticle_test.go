package kb_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// Regression: Languages and Translation panicked on a nil article, though
// Clone and Validate take one.
func TestANilArticleHasNoTranslation(t *testing.T) {
	var a *kb.Article
	assert.Empty(t, a.Languages())
	tag, tr, ok := a.Translation(language.Russian)
	assert.False(t, ok)
	assert.Equal(t, language.Und, tag)
	assert.Zero(t, tr)
}
