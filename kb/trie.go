package kb

import (
	"slices"
	"unicode/utf8"
)

// trie is a rune trie over the index vocabulary. It finds the words within an
// edit distance of a query word (optimal string alignment distance, where a
// transposition of neighbours counts as one edit) by walking only the branches
// whose distance can still stay within the limit, and the words that start
// with a prefix. It is not safe for concurrent use on its own; the index
// guards it.
//
// A node is the edge that leads to it: its rune, what ends at or below it,
// and where its own edges are. The edges of a node lie side by side in one
// arena shared by all nodes, so the trie holds no pointers for the garbage
// collector to follow, and a walk finds what it needs of a child in its
// parent's block. A node whose block is full moves its edges to a block of
// twice the size at the end of the arena; the blocks left behind add at most
// as much as the edges in use. A node is named by the index of its edge,
// the root by 0, a sentinel edge; indexes change as blocks move, so they
// are only kept while the trie does not change.
type trie struct {
	edges []trieEdge
	// longest is the length in runes of the longest word inserted, the
	// deepest a walk can go.
	longest int
}

type trieEdge struct {
	r rune
	// lengths has bit n set when a word of n runes (n >= 31: bit 31) ends at
	// or below the node, so the fuzzy walk skips branches of the wrong
	// lengths without visiting them.
	lengths     uint32
	word        int32  // word id, -1 when no word ends here
	off, n, cap uint32 // the node's edges are edges[off:off+n], room for cap
}

func newTrie() *trie {
	return &trie{edges: []trieEdge{{word: -1}}}
}

// insert adds word with id.
func (t *trie) insert(word string, id int32) {
	n := utf8.RuneCountInString(word)
	t.longest = max(t.longest, n)
	bit := uint32(1) << min(n, 31)
	node := int32(0)
	for _, r := range word {
		node = t.child(node, r, true)
		t.edges[node].lengths |= bit
	}
	t.edges[node].word = id
}

// lengthMask returns the bits of word lengths n-k..n+k.
func lengthMask(n, k int) uint32 {
	var m uint32
	for l := max(0, n-k); l <= n+k; l++ {
		m |= 1 << min(l, 31)
	}
	return m
}

// edgesOf returns the edges of node n, in rune order.
func (t *trie) edgesOf(n int32) []trieEdge {
	e := &t.edges[n]
	return t.edges[e.off : e.off+e.n]
}

// child returns the child of node n reached by r, or -1 when there is none
// and create is false; with create set it adds the missing child.
func (t *trie) child(n int32, r rune, create bool) int32 {
	i, ok := findEdge(t.edgesOf(n), r)
	if ok {
		return int32(t.edges[n].off) + int32(i)
	}
	if !create {
		return -1
	}
	if e := t.edges[n]; e.n == e.cap {
		size := max(1, 2*e.cap)
		off := uint32(len(t.edges))
		t.edges = append(t.edges, t.edges[e.off:e.off+e.n]...)
		t.edges = append(t.edges, make([]trieEdge, size-e.n)...)
		t.edges[n].off, t.edges[n].cap = off, size
	}
	e := &t.edges[n]
	block := t.edges[e.off : e.off+e.n+1]
	copy(block[i+1:], block[i:e.n])
	block[i] = trieEdge{r: r, word: -1}
	e.n++
	return int32(e.off) + int32(i)
}

// fuzzy calls visit for every word within maxEdits of q, with its distance,
// among the words whose first head runes align with q at most headEdits
// edits (head 0: no such condition). The rows it keeps go no deeper than
// the longest word, so a long query costs no more than the words it may
// match.
func (t *trie) fuzzy(q []rune, maxEdits, head, headEdits int, visit func(id int32, dist int)) {
	if len(q)-maxEdits > t.longest {
		return
	}
	w := fuzzyWalk{t: t, q: q, k: maxEdits, head: head, headK: headEdits, visit: visit,
		lengths: lengthMask(len(q), maxEdits), stride: len(q) + 1}
	var buf [512]int32 // room for the rows of a query of up to 20 runes
	if size := (min(len(q)+maxEdits, t.longest) + 2) * w.stride; size <= len(buf) {
		w.cells = buf[:size]
	} else {
		w.cells = make([]int32, size)
	}
	for j := range w.stride {
		w.cells[j] = int32(j)
	}
	w.descend(0, 0, 0, 0)
}

// fuzzyWalk is the state of one fuzzy lookup: the query and the distance
// rows of the optimal string alignment matrix, one per trie depth, flattened
// into cells with stride len(q)+1.
type fuzzyWalk struct {
	t       *trie
	q       []rune
	k       int
	stride  int
	cells   []int32
	visit   func(id int32, dist int)
	lengths uint32
	head    int
	headK   int
}

// descend walks the children of node, at depth d and reached by rune r,
// that lead to words of a length within reach; best is the smallest cell of
// the node's row. A child's cells stay within the limit for its depth (the
// head's inside the head, k below it) only by adding an edit to a cell that
// is under the limit, by matching a query rune after a cell that is within
// it, or by a transposition. So when no cell is under the limit, only the
// children spelled by those query runes can stay within it, and they are
// looked up, in rune order, instead of trying every child.
func (w *fuzzyWalk) descend(node int32, r rune, d int, best int32) {
	edges := w.t.edgesOf(node)
	off := int32(w.t.edges[node].off)
	limit := int32(w.k)
	if d < w.head {
		limit = int32(w.headK)
	}
	if best < limit {
		for i, e := range edges {
			if e.lengths&w.lengths != 0 {
				w.walk(off+int32(i), e.r, r, d+1, e.lengths)
			}
		}
		return
	}
	var buf [16]rune
	next := w.nextRunes(buf[:0], r, d, limit)
	for i, c := range next {
		if i > 0 && c == next[i-1] {
			continue
		}
		if j, ok := findEdge(edges, c); ok && edges[j].lengths&w.lengths != 0 {
			w.walk(off+int32(j), c, r, d+1, edges[j].lengths)
		}
	}
}

// nextRunes appends to runes, sorted, the runes a child of a node at depth
// d, reached by rune r, must have to reach a cell within limit when no cell
// of the node's row is under it: q[j] after a cell (d, j) within limit, and
// q[j-2] when it transposes with r = q[j-1] after a cell (d-1, j-2) under
// limit.
func (w *fuzzyWalk) nextRunes(runes []rune, r rune, d int, limit int32) []rune {
	k, n, q := w.k, len(w.q), w.q
	cur := w.cells[d*w.stride : (d+1)*w.stride]
	for j := max(0, d-k); j <= min(n-1, d+k); j++ {
		if cur[j] <= limit {
			runes = append(runes, q[j])
		}
	}
	if d >= 1 {
		prev := w.cells[(d-1)*w.stride : d*w.stride]
		for j := max(2, d+1-k); j <= min(n, d+1+k); j++ {
			if q[j-1] == r && q[j-2] != r && prev[j-2]+1 <= limit {
				runes = append(runes, q[j-2])
			}
		}
	}
	slices.Sort(runes)
	return runes
}

// walk fills the distance row for node (reached by rune r after rune pr) at
// depth d, with words of the lengths in the bits of lengths at or below it,
// and descends while some cell can still lead to a word within the limit.
// Only the band of cells within k of the diagonal is computed; cells beside
// it are marked k+1, since a cell off the band can never be within the
// limit.
func (w *fuzzyWalk) walk(node int32, r, pr rune, d int, lengths uint32) {
	if (d+1)*w.stride > len(w.cells) {
		return
	}
	k, n, q := w.k, len(w.q), w.q
	prev := w.cells[(d-1)*w.stride : d*w.stride]
	cur := w.cells[d*w.stride : (d+1)*w.stride]
	var prev2 []int32
	if d >= 2 {
		prev2 = w.cells[(d-2)*w.stride : (d-1)*w.stride]
	}
	out := int32(k + 1)
	cur[0] = int32(d)
	best := out
	if d <= k {
		best = int32(d)
	}
	lo, hi := max(1, d-k), min(n, d+k)
	if lo-1 >= 1 {
		cur[lo-1] = out
	}
	for j := lo; j <= hi; j++ {
		cost := int32(1)
		if q[j-1] == r {
			cost = 0
		}
		v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		if prev2 != nil && j >= 2 && q[j-1] == pr && q[j-2] == r && pr != r {
			v = min(v, prev2[j-2]+1)
		}
		cur[j] = v
		best = min(best, v)
	}
	if hi+1 <= n {
		cur[hi+1] = out
	}
	if word := w.t.edges[node].word; word >= 0 && hi == n && cur[n] <= int32(k) {
		w.visit(word, int(cur[n]))
	}
	if best > int32(k) || d <= w.head && best > int32(w.headK) || !w.reachable(cur, d, lengths) {
		return
	}
	w.descend(node, r, d, best)
}

// reachable reports whether a word below depth d, of a length in lengths,
// can be within k edits of the query given the row cur. A word of L runes
// that continues the cell (d, j) costs at least the cell plus the difference
// of the lengths left, |(L-d) - (n-j)|, so the cell can lead to words of
// L = d+n-j±(k-cur[j]) only. (A transposition that skips row d costs no
// less than the substitution to the cell it skips.)
func (w *fuzzyWalk) reachable(cur []int32, d int, lengths uint32) bool {
	k, n := w.k, len(w.q)
	for j := max(0, d-k); j <= min(n, d+k); j++ {
		if slack := k - int(cur[j]); slack >= 0 && lengths&lengthBits(d+n-j-slack, d+n-j+slack) != 0 {
			return true
		}
	}
	return false
}

// lengthBits returns the bits of word lengths lo to hi in a lengths mask,
// where bit 31 stands for 31 runes or more.
func lengthBits(lo, hi int) uint32 {
	lo, hi = min(max(lo, 0), 31), min(hi, 31)
	if hi < lo {
		return 0
	}
	return (uint32(1)<<(hi-lo+1) - 1) << lo
}

// findEdge returns the index of the edge with rune r in edges sorted by
// rune, or where it would be inserted, and whether it is there.
func findEdge(edges []trieEdge, r rune) (int, bool) {
	lo, hi := 0, len(edges)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if edges[m].r < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(edges) && edges[lo].r == r
}

// prefix calls visit for words that start with p, visiting at most limit
// trie nodes below the prefix.
func (t *trie) prefix(p string, limit int, visit func(id int32)) {
	n := int32(0)
	for _, r := range p {
		if n = t.child(n, r, false); n < 0 {
			return
		}
	}
	stack := make([]int32, 1, 64)
	stack[0] = n
	for seen := 0; len(stack) > 0 && seen < limit; seen++ {
		n = stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if t.edges[n].word >= 0 {
			visit(t.edges[n].word)
		}
		e := t.edges[n]
		for c := e.off; c < e.off+e.n; c++ {
			stack = append(stack, int32(c))
		}
	}
}

// lexicon is the vocabulary in two tries, one of the words and one of the
// words reversed, so a fuzzy lookup can split the query. A word within k
// edits of a query of n runes has at least n-k runes; take its first h and
// its last n-k-h runes. An edit changes runes of at most one of the two
// parts, so their edits add up to at most k: either the first part has at
// most k/2 of them, or the last part has at most k-1-k/2. The forward walk
// allows only k/2 edits in its first h levels and the reverse walk only
// k-1-k/2 in its first n-k-h, where a trie branches most; with no edit
// allowed a walk follows the query's own runes there. This keeps the walks
// from visiting most short prefixes of a large vocabulary.
type lexicon struct {
	fwd, rev *trie
}

func newLexicon() lexicon { return lexicon{fwd: newTrie(), rev: newTrie()} }

func (l lexicon) insert(word string, id int32) {
	l.fwd.insert(word, id)
	l.rev.insert(reverse(word), id)
}

func reverse(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

// fuzzy calls visit once for every word within k edits of q, with its
// distance.
func (l lexicon) fuzzy(q []rune, k int, visit func(id int32, dist int)) {
	head := (len(q) - k) / 2
	if k == 0 || head <= 0 {
		l.fwd.fuzzy(q, k, 0, 0, visit)
		return
	}
	var seenBuf [16]int32
	seen := seenBuf[:0]
	once := func(id int32, dist int) {
		if !slices.Contains(seen, id) {
			seen = append(seen, id)
			visit(id, dist)
		}
	}
	l.fwd.fuzzy(q, k, head, k/2, once)
	var rbuf [32]rune
	rq := append(rbuf[:0], q...)
	slices.Reverse(rq)
	l.rev.fuzzy(rq, k, len(q)-k-head, k-1-k/2, once)
}

// prefix calls visit for words that start with p (see trie.prefix).
func (l lexicon) prefix(p string, limit int, visit func(id int32)) {
	l.fwd.prefix(p, limit, visit)
}
