package kb

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// osa is the optimal string alignment distance computed directly over the
// whole table, the oracle for the trie's banded walk. rows is scratch space
// of three rows, reused between calls.
func osa(a, b []rune, rows *[3][]int) int {
	for i := range rows {
		if cap(rows[i]) < len(b)+1 {
			rows[i] = make([]int, len(b)+1)
		}
		rows[i] = rows[i][:len(b)+1]
	}
	prev2, prev, cur := rows[0], rows[1], rows[2]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
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
	runes := make([][]rune, len(words))
	for i, w := range words {
		runes[i] = []rune(w)
	}
	queries := 300
	if testing.Short() {
		queries = 60
	}
	var rows [3][]int
	dist := make([]int, len(words))
	for range queries {
		q := []rune(word())
		for id := range runes {
			dist[id] = osa(runes[id], q, &rows)
		}
		for k := 0; k <= 2; k++ {
			got := map[int32]int{}
			tr.fuzzy(q, k, func(id int32, dist int) {
				_, dup := got[id]
				assert.False(t, dup, "visited twice")
				got[id] = dist
			})
			want := map[int32]int{}
			for id, d := range dist {
				if d <= k {
					want[int32(id)] = d
				}
			}
			assert.Equal(t, want, got, "query %q k=%d", string(q), k)
		}
	}
}
