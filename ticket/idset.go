package ticket

import (
	"bytes"
	"slices"

	"github.com/google/uuid"
)

// idSet is a sorted set of IDs split into blocks of at most blockSize, so that inserting or
// removing costs O(log n + blockSize) rather than moving the whole set, and seeking to a
// cursor costs O(log n). Not safe for concurrent use.
type idSet struct {
	blocks [][]uuid.UUID // each sorted and non-empty; blocks ordered
	n      int
}

const blockSize = 512

func compareID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

// block returns the index of the block that holds or would hold id.
func (s *idSet) block(id uuid.UUID) int {
	i, _ := slices.BinarySearchFunc(s.blocks, id, func(b []uuid.UUID, id uuid.UUID) int {
		return compareID(b[len(b)-1], id)
	})
	return min(i, len(s.blocks)-1)
}

func (s *idSet) add(id uuid.UUID) {
	if len(s.blocks) == 0 {
		s.blocks = [][]uuid.UUID{{id}}
		s.n = 1
		return
	}
	bi := s.block(id)
	b := s.blocks[bi]
	j, found := slices.BinarySearchFunc(b, id, compareID)
	if found {
		return
	}
	b = slices.Insert(b, j, id)
	s.n++
	if len(b) <= blockSize {
		s.blocks[bi] = b
		return
	}
	half := len(b) / 2
	left := slices.Clone(b[:half])
	right := slices.Clone(b[half:])
	s.blocks[bi] = left
	s.blocks = slices.Insert(s.blocks, bi+1, right)
}

func (s *idSet) remove(id uuid.UUID) {
	if len(s.blocks) == 0 {
		return
	}
	bi := s.block(id)
	b := s.blocks[bi]
	j, found := slices.BinarySearchFunc(b, id, compareID)
	if !found {
		return
	}
	s.n--
	b = slices.Delete(b, j, j+1)
	if len(b) == 0 {
		s.blocks = slices.Delete(s.blocks, bi, bi+1)
		return
	}
	s.blocks[bi] = b
}

func (s *idSet) len() int {
	if s == nil {
		return 0
	}
	return s.n
}

// idCursor walks an idSet in order. It is invalidated by any change to the set.
type idCursor struct {
	s     *idSet
	bi, j int
}

// seek returns a cursor at the first ID greater than after.
func (s *idSet) seek(after uuid.UUID) idCursor {
	if s == nil || len(s.blocks) == 0 {
		return idCursor{s: s}
	}
	bi := s.block(after)
	j, found := slices.BinarySearchFunc(s.blocks[bi], after, compareID)
	if found {
		j++
	}
	c := idCursor{s: s, bi: bi, j: j}
	if j == len(s.blocks[bi]) {
		c.bi, c.j = bi+1, 0
	}
	return c
}

func (c *idCursor) valid() bool   { return c.s != nil && c.bi < len(c.s.blocks) }
func (c *idCursor) id() uuid.UUID { return c.s.blocks[c.bi][c.j] }

func (c *idCursor) next() {
	c.j++
	if c.j == len(c.s.blocks[c.bi]) {
		c.bi, c.j = c.bi+1, 0
	}
}

// idSets is the union of disjoint or overlapping sets, walked as one ordered set.
type idSets []*idSet

func (u idSets) len() int {
	n := 0
	for _, s := range u {
		n += s.len()
	}
	return n
}

// after calls yield for each ID of the union greater than cursor, in order and once each,
// until yield returns false.
func (u idSets) after(cursor uuid.UUID, yield func(uuid.UUID) bool) {
	cs := make([]idCursor, 0, len(u))
	for _, s := range u {
		if c := s.seek(cursor); c.valid() {
			cs = append(cs, c)
		}
	}
	var last uuid.UUID
	first := true
	for len(cs) > 0 {
		lo := 0
		for i := 1; i < len(cs); i++ {
			if compareID(cs[i].id(), cs[lo].id()) < 0 {
				lo = i
			}
		}
		id := cs[lo].id()
		cs[lo].next()
		if !cs[lo].valid() {
			cs = slices.Delete(cs, lo, lo+1)
		}
		if !first && id == last {
			continue
		}
		first, last = false, id
		if !yield(id) {
			return
		}
	}
}
