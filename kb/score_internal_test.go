package kb

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSelectTopMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	byScore := func(a, b candidate) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return int(a.doc) - int(b.doc)
	}
	for range 500 {
		n := rng.IntN(80)
		c := make([]candidate, n)
		for i := range c {
			c[i] = candidate{doc: uint32(i), score: float64(rng.IntN(10))}
		}
		k := rng.IntN(n + 1)
		sorted := append([]candidate{}, c...)
		slices.SortFunc(sorted, byScore)
		selectTop(c, k, before)
		top := append([]candidate{}, c[:k]...)
		sortCandidates(top)
		assert.Equal(t, sorted[:k], top)
	}
}
