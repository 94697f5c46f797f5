package party

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/unicode/norm"
)

// The sample strings of RFC 3492, section 7.1, and two well-known domain labels.
func TestDecodePunycodeMatchesRFC3492Samples(t *testing.T) {
	for encoded, want := range map[string]string{
		"b1abfaaepdrnnbgefbadotcwatmq2g4l":         "почемужеонинеговорятпорусски",
		"ihqwcrb4cv8a8dqg056pqjye":                 "他们为什么不说中文",
		"ihqwctvzc91f659drss3x8bo0yb":              "他們爲什麽不說中文",
		"Proprostnemluvesky-uyb24dma41a":           "Pročprostěnemluvíčesky",
		"3B-ww4c5e180e575a65lsy2b":                 "3年B組金八先生",
		"-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n": "安室奈美恵-with-SUPER-MONKEYS",
		"e1afmkfd":  "пример",
		"p1ai":      "рф",
		"bcher-kva": "bücher",
	} {
		got, ok := decodePunycode(encoded)
		assert.True(t, ok, encoded)
		assert.Equal(t, want, got, encoded)
	}
}

func TestDecodePunycodeRefusesMalformedInput(t *testing.T) {
	for _, bad := range []string{"a!", "99999999999999", "bcher-kv", "ü-abc"} {
		_, ok := decodePunycode(bad)
		assert.False(t, ok, bad)
	}
}

// The ASCII shortcut of fold gives what NFKC and case folding give.
func TestFoldOfASCIIMatchesFullFolding(t *testing.T) {
	var all []byte
	for c := range 128 {
		all = append(all, byte(c))
	}
	s := string(all)
	assert.Equal(t, norm.NFKC.String(folder.String(norm.NFKC.String(s))), fold(s))
}
