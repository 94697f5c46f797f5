package metrics

// numDims is the number of dimensions, ByGroup to ByPeriod.
const numDims = int(ByPeriod)

// cellKey is a group's Key as the report stores it: per dimension (ByGroup first), the
// number of its value in the order the report first saw it; 0 for dimensions the report does
// not group by.
type cellKey [numDims]int32

// cellIndex finds a group's cell by its cellKey. It is a tree of arrays, one level per
// dimension the report groups by: the numbers of a key lead from the root down to the number
// of the cell, so that finding a group costs an array read per dimension rather than hashing
// its key. Values that never meet (an agent of one group only) leave holes in the arrays;
// when the holes outgrow the cells, the index turns into a hash map of the keys.
type cellIndex struct {
	levels  []int     // the dimensions of the tree, as indexes of a cellKey
	nodes   [][]int32 // nodes[0] is the root; an entry is 1 + a node's index, or at the last level 1 + a cell's; 0 for none
	entries int       // the capacity of every node together
	byKey   map[cellKey]int32
}

// newCellIndex returns an empty index of keys over the dimensions dims.
func newCellIndex(dims [ByPeriod + 1]bool) cellIndex {
	var x cellIndex
	for d := ByGroup; d <= ByPeriod; d++ {
		if dims[d] {
			x.levels = append(x.levels, int(d-ByGroup))
		}
	}
	if len(x.levels) == 0 {
		x.levels = []int{0} // one group, whose key is all zeros
	}
	x.nodes = [][]int32{nil}
	return x
}

// get returns the index of k's cell; ok is false when there is none.
func (x *cellIndex) get(k *cellKey) (i int, ok bool) {
	if x.byKey != nil {
		c, ok := x.byKey[*k]
		return int(c), ok
	}
	n := int32(0)
	for _, d := range x.levels {
		node := x.nodes[n]
		id := k[d]
		if int(id) >= len(node) || node[id] == 0 {
			return 0, false
		}
		n = node[id] - 1
	}
	return int(n), true
}

// put records that keys[len(keys)-1], not yet in the index, is the key of cell
// len(keys)-1; keys holds the key of every cell, in order.
func (x *cellIndex) put(keys []cellKey) {
	cell := int32(len(keys) - 1)
	k := &keys[cell]
	if x.byKey != nil {
		x.byKey[*k] = cell
		return
	}
	n := int32(0)
	for i, d := range x.levels {
		id := int(k[d])
		if id >= len(x.nodes[n]) {
			x.entries -= cap(x.nodes[n])
			x.nodes[n] = append(x.nodes[n], make([]int32, id+1-len(x.nodes[n]))...)
			x.entries += cap(x.nodes[n])
		}
		node := x.nodes[n]
		if i == len(x.levels)-1 {
			node[id] = cell + 1
			break
		}
		if node[id] == 0 {
			x.nodes = append(x.nodes, nil)
			node[id] = int32(len(x.nodes))
		}
		n = node[id] - 1
	}
	if x.entries > maxHoles*len(keys)+4096 {
		x.hash(keys)
	}
}

// maxHoles is how many array entries per cell the index may hold before it turns into a
// hash map: 4 bytes each, a few percent of what the smallest cell takes.
const maxHoles = 16

// hash turns the index into a hash map of keys.
func (x *cellIndex) hash(keys []cellKey) {
	x.nodes, x.entries = nil, 0
	x.byKey = make(map[cellKey]int32, len(keys))
	for i, k := range keys {
		x.byKey[k] = int32(i)
	}
}

// values numbers the values seen of one dimension, in the order they came.
type values[T comparable] struct {
	ids  map[T]int32
	list []T
	last int32 // the number found last: sorted or clustered records repeat it
}

// fewValues is how many values a values looks through in order rather than hash: a
// dimension such as the channel has a handful.
const fewValues = 8

// id returns the number of v. Without add, ok is false when v was never seen; with add, a
// new value is numbered.
func (n *values[T]) id(v T, add bool) (int32, bool) {
	if int(n.last) < len(n.list) && n.list[n.last] == v {
		return n.last, true
	}
	if len(n.list) <= fewValues {
		for i, x := range n.list {
			if x == v {
				n.last = int32(i)
				return n.last, true
			}
		}
	} else if id, ok := n.ids[v]; ok {
		n.last = id
		return id, true
	}
	if !add {
		return 0, false
	}
	if n.ids == nil {
		n.ids = map[T]int32{}
	}
	id := int32(len(n.list))
	n.ids[v] = id
	n.list = append(n.list, v)
	n.last = id
	return id, true
}

// cellOf returns the cell of k, nil when there is none.
func (r *Report) cellOf(k *cellKey) *cell {
	if i, ok := r.index.get(k); ok {
		return r.cells[i]
	}
	return nil
}

// open adds an empty cell with key k, not in the report yet.
func (r *Report) open(k cellKey) {
	r.cells = append(r.cells, r.sh.newCell())
	r.keys = append(r.keys, k)
	r.slaSets = append(r.slaSets, slaSet{})
	r.index.put(r.keys)
}
