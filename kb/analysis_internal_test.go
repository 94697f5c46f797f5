package kb

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

// The index stems known query words from its vocabulary; the result must be
// what NewAnalyzer gives, for known and new words, including words first
// indexed from a language that is not stemmed.
func TestVocabStemmerAgreesWithAnalyzer(t *testing.T) {
	ix, err := NewMemoryIndex(IndexConfig{})
	require.NoError(t, err)
	texts := []struct {
		lang language.Tag
		text string
	}{
		{language.German, "Passwörter printers Accounts"},
		{language.English, "Resetting passwords for printers and accounts, error 0x80070005, v1.2.3"},
		{language.Russian, "Восстановление паролей, учётные записи и принтеры wi-fi"},
	}
	for _, tx := range texts {
		lang, text := tx.lang, tx.text
		a := &Article{ID: uuid.New(), Slug: lang.String(), Visibility: Public, Status: Published,
			Translations: map[language.Tag]Translation{lang: {Title: text}}}
		require.NoError(t, ix.Upsert(context.Background(), a))
	}
	query := "printers Accounts паролей учетные записи wi-fi 0x80070005 v1.2.3 unknownwords неизвестные"
	want := NewAnalyzer(language.English).Analyze(query)
	ix.mu.RLock()
	got := vocabStemmer{ix}.Analyze(query)
	ix.mu.RUnlock()
	assert.Equal(t, want, got)
}

// Queries choose their language; searching in ever new languages must not
// grow the index's cache of analyzers.
func TestQueryLanguagesDoNotGrowTheAnalyzerCache(t *testing.T) {
	ix, err := NewMemoryIndex(IndexConfig{})
	require.NoError(t, err)
	a := &Article{ID: uuid.New(), Slug: "a", Visibility: Public, Status: Published,
		Translations: map[language.Tag]Translation{language.German: {Title: "Drucker einrichten"}}}
	require.NoError(t, ix.Upsert(context.Background(), a))
	for i := range 500 {
		lang := language.MustParse(fmt.Sprintf("de-x-q%d", i))
		res, err := ix.Search(context.Background(), Query{Text: "drucker", Audience: Customer, Language: lang})
		require.NoError(t, err)
		require.Len(t, res.Hits, 1)
	}
	assert.LessOrEqual(t, len(ix.analyzers), maxCachedAnalyzers)
}

// Words and terms of replaced or deleted articles are dropped once dead
// documents outnumber live ones, so an index whose one article is rewritten
// with new words every time keeps at most about 64 versions' words.
func TestVocabularyFollowsLiveArticles(t *testing.T) {
	ctx := context.Background()
	ix, err := NewMemoryIndex(IndexConfig{})
	require.NoError(t, err)
	id := uuid.New()
	const words = 5
	for i := range 1000 {
		var text []string
		for w := range words {
			text = append(text, fmt.Sprintf("w%dx%d", i, w))
		}
		a := &Article{ID: id, Slug: "a", Visibility: Public, Status: Published,
			Translations: map[language.Tag]Translation{language.English: {Title: strings.Join(text, " ")}}}
		require.NoError(t, ix.Upsert(ctx, a))
		require.LessOrEqual(t, len(ix.wordID), 65*words, "version %d", i)
		require.LessOrEqual(t, len(ix.terms), 65*words, "version %d", i)
	}
	require.NoError(t, ix.Delete(ctx, id))
	for i := range 200 {
		a := &Article{ID: uuid.New(), Slug: fmt.Sprint(i), Visibility: Public, Status: Published,
			Translations: map[language.Tag]Translation{language.English: {Title: "kept"}}}
		require.NoError(t, ix.Upsert(ctx, a))
		require.NoError(t, ix.Delete(ctx, a.ID))
	}
	assert.LessOrEqual(t, len(ix.wordID), 65*words, "once every article is gone")
	assert.Zero(t, ix.Len())
}

// isSpace answers as unicode.IsSpace for every rune.
func TestIsSpaceIsUnicodeIsSpace(t *testing.T) {
	for r := rune(-1); r <= unicode.MaxRune+1; r++ {
		if isSpace(r) != unicode.IsSpace(r) {
			t.Fatalf("isSpace(%U) = %v, unicode.IsSpace says %v", r, isSpace(r), unicode.IsSpace(r))
		}
	}
}
