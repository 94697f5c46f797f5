package kb_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

func texts(tokens []kb.Token) []string {
	out := make([]string, 0, len(tokens))
	for _, t := range tokens {
		out = append(out, t.Text)
	}
	return out
}

func TestWordTokenizerKeepsCodesVersionsAndAddresses(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Error 0x80070005 after update", []string{"Error", "0x80070005", "after", "update"}},
		{"version 1.2.3, then 2.0.", []string{"version", "1.2.3", "then", "2.0"}},
		{"mail support@example.com now", []string{"mail", "support@example.com", "support", "example", "com", "now"}},
		{"Wi-Fi не работает", []string{"Wi-Fi", "Wi", "Fi", "не", "работает"}},
		{"«Забыли пароль?» → нажмите", []string{"Забыли", "пароль", "нажмите"}},
		{"end. Next", []string{"end", "Next"}},
		{"", nil},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := kb.WordTokenizer{}.Tokenize(tc.in)
			if tc.want == nil {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, tc.want, texts(got))
		})
	}
}

func TestWordTokenizerOffsetsAreRunes(t *testing.T) {
	text := "Ёжик: ошибка 0x80070005"
	runes := []rune(text)
	for _, tok := range (kb.WordTokenizer{}).Tokenize(text) {
		assert.Equal(t, tok.Text, string(runes[tok.Start:tok.End]))
	}
}

func TestAnalyzerFoldsStemsAndDropsStopWords(t *testing.T) {
	ru := kb.NewAnalyzer(language.Russian)
	en := kb.NewAnalyzer(language.English)
	tests := []struct {
		name string
		an   kb.Analyzer
		a, b string
	}{
		{"ё folds to е", ru, "учётная запись", "учетная запись"},
		{"Russian inflection", ru, "восстановление пароля", "восстановлением паролей"},
		{"English inflection", en, "deleting accounts", "delete account"},
		{"case and width fold", en, "ＰＡＳＳＷＯＲＤ", "password"},
		{"English words in Russian text stem as English", ru, "printers не работают", "printer работает"},
		{"stop words vanish", ru, "как мне сменить пароль", "сменить пароль"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, texts(tc.an.Analyze(tc.b)), texts(tc.an.Analyze(tc.a)))
		})
	}
}

func TestAnalyzerForOtherLanguagesOnlyFolds(t *testing.T) {
	got := texts(kb.NewAnalyzer(language.German).Analyze("Die Passwörter"))
	assert.Equal(t, []string{"die", "passwörter"}, got)
}

func TestDetectLanguageByScript(t *testing.T) {
	assert.Equal(t, language.Russian, kb.DetectLanguage("не работает vpn"))
	assert.Equal(t, language.English, kb.DetectLanguage("reset password"))
	assert.Equal(t, language.Und, kb.DetectLanguage("502 - 429"))
}

func TestSwitchLayout(t *testing.T) {
	assert.Equal(t, "привет", kb.SwitchLayout("ghbdtn"))
	assert.Equal(t, "computer", kb.SwitchLayout("сщьзгеук"))
	assert.Equal(t, "ошибка 502", kb.SwitchLayout("jib,rf 502"))
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"", "Ёлка 0x80070005 1.2.3 a@b.c", "\xff\xfe", "wi-fi--x..y", "ＡＢＣ ﬁ", "'s ’s don't", strings.Repeat("я", 100)} {
		f.Add(s)
	}
	an := kb.NewAnalyzer(language.Russian)
	f.Fuzz(func(t *testing.T, s string) {
		n := utf8.RuneCountInString(strings.ToValidUTF8(s, "\uFFFD"))
		for _, tok := range an.Analyze(s) {
			require.NotEmpty(t, tok.Text)
			require.True(t, utf8.ValidString(tok.Text))
			require.True(t, 0 <= tok.Start && tok.Start < tok.End && tok.End <= n+utf8.RuneCountInString(s), "offsets %d..%d", tok.Start, tok.End)
		}
	})
}

func TestFoldAgreesWithFullNormalization(t *testing.T) {
	tests := map[string]string{
		"ЁЛКА":       "елка",
		"Учётная":    "учетная",
		"PassWord":   "password",
		"ＰＡＳＳ":       "pass",
		"Straße":     "strasse",
		"ﬁle":        "file",
		"Ѐ":          "ѐ",
		"ПРИВЕТ мир": "привет мир",
		"don’t":      "don't",
	}
	for in, want := range tests {
		assert.Equal(t, want, kb.Fold(in), in)
	}
}

// Regression: "через" was no stop word, so a title holding it could win a
// query it had nothing else to do with.
func TestSnowballFunctionWordsAreStopWords(t *testing.T) {
	sw := kb.StopWords()
	for _, w := range []string{"через", "после", "между", "можно", "нельзя", "not", "cannot", "you're"} {
		assert.True(t, sw[w], w)
	}
	for _, w := range []string{"два", "раз", "человек", "пароль", "password"} {
		assert.False(t, sw[w], "%s is content", w)
	}
}
