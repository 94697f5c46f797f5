package ticket

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// TestIDSetMatchesSortedSlice checks the blocked set against a plain sorted slice under random
// inserts and removals, including the block splits and empty blocks.
func TestIDSetMatchesSortedSlice(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pool := make([]uuid.UUID, 3000)
	for i := range pool {
		for j := range pool[i] {
			pool[i][j] = byte(rng.UintN(256))
		}
	}
	var s idSet
	var oracle []uuid.UUID
	for step := range 20000 {
		id := pool[rng.IntN(len(pool))]
		if rng.IntN(3) == 0 {
			s.remove(id)
			if i, ok := slices.BinarySearchFunc(oracle, id, compareID); ok {
				oracle = slices.Delete(oracle, i, i+1)
			}
		} else {
			s.add(id)
			if i, ok := slices.BinarySearchFunc(oracle, id, compareID); !ok {
				oracle = slices.Insert(oracle, i, id)
			}
		}
		if step%997 != 0 {
			continue
		}
		require.Equal(t, len(oracle), s.len())
		cursor := pool[rng.IntN(len(pool))]
		var got []uuid.UUID
		idSets{&s}.after(cursor, func(id uuid.UUID) bool { got = append(got, id); return true })
		var want []uuid.UUID
		for _, id := range oracle {
			if compareID(id, cursor) > 0 {
				want = append(want, id)
			}
		}
		require.Equal(t, want, got)
	}
}

// TestIDSetsUnionMatchesMergedSlice checks the ordered union walk against sorting the
// concatenation, with overlapping sets, empty sets and early stops.
func TestIDSetsUnionMatchesMergedSlice(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 50 {
		k := 1 + rng.IntN(4)
		u := make(idSets, k)
		var all []uuid.UUID
		for i := range u {
			u[i] = &idSet{}
			for range rng.IntN(1500) {
				var id uuid.UUID
				id[0], id[1] = byte(rng.UintN(256)), byte(rng.UintN(256))
				u[i].add(id)
				all = append(all, id)
			}
		}
		slices.SortFunc(all, compareID)
		all = slices.Compact(all)
		var cursor uuid.UUID
		cursor[0] = byte(rng.UintN(256))
		stop := rng.IntN(len(all) + 1)
		var want []uuid.UUID
		for _, id := range all {
			if compareID(id, cursor) > 0 && len(want) < stop {
				want = append(want, id)
			}
		}
		var got []uuid.UUID
		u.after(cursor, func(id uuid.UUID) bool {
			if len(got) == stop {
				return false
			}
			got = append(got, id)
			return true
		})
		require.Equal(t, want, got, "round %d", round)
	}
}
