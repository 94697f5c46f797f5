package kb

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// osa is the optimal string alignment distance computed directly, the oracle
// for the trie's banded walk.
func osa(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func TestLexiconFuzzyMatchesBruteForce(t *testing.T) {
	t.Run("mixed", func(t *testing.T) { checkLexiconFuzzy(t, []rune("абвгaбde"), 9) })
	// A small alphabet and long words put many words within two edits of
	// each other, so every way the head split can go wrong is exercised.
	t.Run("dense", func(t *testing.T) { checkLexiconFuzzy(t, []rune("abc"), 13) })
}

func checkLexiconFuzzy(t *testing.T, alphabet []rune, maxLen int) {
	rng := rand.New(rand.NewPCG(1, uint64(maxLen)))
	word := func() string {
		r := make([]rune, 1+rng.IntN(maxLen))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(r)
	}
	tr := newLexicon()
	var words []string
	seen := map[string]bool{}
	for range 2000 {
		w := word()
		if !seen[w] {
			seen[w] = true
			tr.insert(w, int32(len(words)))
			words = append(words, w)
		}
	}
	for range 300 {
		q := []rune(word())
		for k := 0; k <= 2; k++ {
			got := map[int32]int{}
			tr.fuzzy(q, k, func(id int32, dist int) {
				_, dup := got[id]
				assert.False(t, dup, "visited twice")
				got[id] = dist
			})
			want := map[int32]int{}
			for id, w := range words {
				if d := osa([]rune(w), q); d <= k {
					want[int32(id)] = d
				}
			}
			assert.Equal(t, want, got, "query %q k=%d", string(q), k)
		}
	}
}
