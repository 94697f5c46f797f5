package kb

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// Property: selectTop, under any strict total order, leaves in front the
// same k elements as a full sort, with many equal keys.
func TestSelectTopKeepsWhatASortKeeps(t *testing.T) {
	order := func(a, b [2]int) int { return cmp.Or(cmp.Compare(b[0], a[0]), cmp.Compare(a[1], b[1])) }
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 5))
		s := make([][2]int, 2+rng.IntN(200))
		for i := range s {
			s[i] = [2]int{rng.IntN(1 + rng.IntN(10)), i}
		}
		rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		k := rng.IntN(len(s))
		want := slices.Clone(s)
		slices.SortFunc(want, order)
		selectTop(s, k, func(a, b [2]int) bool { return order(a, b) < 0 })
		got := slices.Clone(s[:k])
		slices.SortFunc(got, order)
		require.Equal(t, want[:k], got, "seed %d", seed)
	}
}
