package routing

// interner gives caller-chosen names (skills, channels) small ids with data of type D per
// id. Every agent or task that stores an id holds a reference to it; when the last one lets
// go the name is forgotten and its id reused, so the tables follow the live agents and tasks
// rather than every name ever seen.
type interner[K comparable, D any] struct {
	ids   map[K]int32
	names []K     // by id; the zero K for a free id
	refs  []int32 // holders by id; 0 for a free id
	data  []D     // by id; the zero D for a free id
	free  []int32 // freed ids, most recent last; an entry is stale once its id is reused or cut
	peak  int     // most names the map has held since it was made
}

// acquire returns the id of name, interning it if needed, and takes a reference to it.
func (n *interner[K, D]) acquire(name K) int32 {
	if id, ok := n.ids[name]; ok {
		n.refs[id]++
		return id
	}
	if n.ids == nil {
		n.ids = make(map[K]int32)
	}
	id := n.reuse()
	if id < 0 {
		var d D
		id = int32(len(n.names))
		n.names, n.refs, n.data = append(n.names, name), append(n.refs, 0), append(n.data, d)
	}
	n.names[id], n.refs[id] = name, 1
	n.ids[name] = id
	n.peak = max(n.peak, len(n.ids))
	return id
}

// reuse pops a free id, or returns -1 when there is none.
func (n *interner[K, D]) reuse() int32 {
	for len(n.free) > 0 {
		id := n.free[len(n.free)-1]
		n.free = n.free[:len(n.free)-1]
		if int(id) < len(n.refs) && n.refs[id] == 0 {
			return id
		}
	}
	return -1
}

// release drops a reference taken by acquire. The last reference forgets the name and
// clears its data; ids at the end of the table are cut off, and the map and slices are
// rebuilt smaller once most of their room is unused.
func (n *interner[K, D]) release(id int32) {
	if n.refs[id]--; n.refs[id] > 0 {
		return
	}
	delete(n.ids, n.names[id])
	var (
		k K
		d D
	)
	n.names[id], n.data[id] = k, d
	n.free = append(n.free, id)
	end := len(n.refs)
	for end > 0 && n.refs[end-1] == 0 {
		end--
	}
	switch {
	case end == 0:
		*n = interner[K, D]{}
	case len(n.free) > end:
		n.compactFree(end)
	}
	n.names, n.refs, n.data = shrink(n.names[:end]), shrink(n.refs[:end]), shrink(n.data[:end])
	if n.peak > 64 && 4*len(n.ids) < n.peak {
		m := make(map[K]int32, len(n.ids))
		for k, v := range n.ids {
			m[k] = v
		}
		n.ids, n.peak = m, len(m)
	}
}

// compactFree drops stale and repeated entries from the free list once it outgrows the
// table, marking the ids kept with a reference count of -1 while it runs.
func (n *interner[K, D]) compactFree(end int) {
	kept := n.free[:0]
	for _, id := range n.free {
		if int(id) < end && n.refs[id] == 0 {
			n.refs[id] = -1
			kept = append(kept, id)
		}
	}
	for _, id := range kept {
		n.refs[id] = 0
	}
	n.free = shrink(kept)
}

// shrink returns s, or a copy with less spare room when it uses under a quarter of it.
func shrink[S ~[]E, E any](s S) S {
	if cap(s) > 64 && 4*len(s) < cap(s) {
		return append(S(nil), s...)
	}
	return s
}

// live returns the number of names interned.
func (n *interner[K, D]) live() int { return len(n.ids) }
