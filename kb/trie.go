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
type trie struct {
	nodes []trieNode
}

type trieNode struct {
	edges []trieEdge
	word  int32 // word id, -1 when no word ends here
}

type trieEdge struct {
	r     rune
	child int32
	// lengths has bit n set when a word of n runes (n >= 31: bit 31) ends at
	// or below the child, so the fuzzy walk skips branches of the wrong
	// lengths without visiting them.
	lengths uint32
}

func newTrie() *trie {
	return &trie{nodes: []trieNode{{word: -1}}}
}

// insert adds word with id.
func (t *trie) insert(word string, id int32) {
	bit := uint32(1) << min(utf8.RuneCountInString(word), 31)
	n := int32(0)
	for _, r := range word {
		c := t.child(n, r, true)
		edges := t.nodes[n].edges
		i, _ := slices.BinarySearchFunc(edges, r, func(e trieEdge, r rune) int { return int(e.r - r) })
		edges[i].lengths |= bit
		n = c
	}
	t.nodes[n].word = id
}

// lengthMask returns the bits of word lengths n-k..n+k.
func lengthMask(n, k int) uint32 {
	var m uint32
	for l := max(0, n-k); l <= n+k; l++ {
		m |= 1 << min(l, 31)
	}
	return m
}

func (t *trie) child(n int32, r rune, create bool) int32 {
	edges := t.nodes[n].edges
	i, ok := slices.BinarySearchFunc(edges, r, func(e trieEdge, r rune) int { return int(e.r - r) })
	if ok {
		return edges[i].child
	}
	if !create {
		return -1
	}
	c := int32(len(t.nodes))
	t.nodes = append(t.nodes, trieNode{word: -1})
	t.nodes[n].edges = slices.Insert(t.nodes[n].edges, i, trieEdge{r: r, child: c})
	return c
}

// fuzzy calls visit for every word within maxEdits of q, with its distance,
// among the words whose first head runes align with q at most headEdits
// edits (head 0: no such condition).
func (t *trie) fuzzy(q []rune, maxEdits, head, headEdits int, visit func(id int32, dist int)) {
	w := fuzzyWalk{t: t, q: q, k: maxEdits, head: head, headK: headEdits, visit: visit, lengths: lengthMask(len(q), maxEdits)}
	w.rows = make([][]int, len(q)+maxEdits+2)
	cells := make([]int, len(w.rows)*(len(q)+1))
	for i := range w.rows {
		w.rows[i] = cells[i*(len(q)+1) : (i+1)*(len(q)+1)]
	}
	for j := range w.rows[0] {
		w.rows[0][j] = j
	}
	for _, e := range t.nodes[0].edges {
		if e.lengths&w.lengths != 0 {
			w.walk(e.child, e.r, 0, 1)
		}
	}
}

type fuzzyWalk struct {
	t       *trie
	q       []rune
	k       int
	rows    [][]int
	visit   func(id int32, dist int)
	lengths uint32
	head    int
	headK   int
}

// walk fills the distance row for node (reached by rune r after rune pr) at
// depth d and descends while some cell is within the limit. Only the band of
// cells within k of the diagonal is computed; cells beside it are marked
// k+1, since a cell off the band can never be within the limit.
func (w *fuzzyWalk) walk(node int32, r, pr rune, d int) {
	if d >= len(w.rows) {
		return
	}
	prev, cur := w.rows[d-1], w.rows[d]
	k, n := w.k, len(w.q)
	cur[0] = d
	best := k + 1
	if d <= k {
		best = d
	}
	lo, hi := max(1, d-k), min(n, d+k)
	if lo-1 >= 1 {
		cur[lo-1] = k + 1
	}
	for j := lo; j <= hi; j++ {
		cost := 1
		if w.q[j-1] == r {
			cost = 0
		}
		v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		if d >= 2 && j >= 2 && w.q[j-1] == pr && w.q[j-2] == r && pr != r {
			v = min(v, w.rows[d-2][j-2]+1)
		}
		cur[j] = v
		best = min(best, v)
	}
	if hi+1 <= n {
		cur[hi+1] = k + 1
	}
	nd := &w.t.nodes[node]
	if nd.word >= 0 && hi == n && cur[n] <= k {
		w.visit(nd.word, cur[n])
	}
	if best > k || d <= w.head && best > w.headK {
		return
	}
	for _, e := range nd.edges {
		if e.lengths&w.lengths != 0 {
			w.walk(e.child, e.r, r, d+1)
		}
	}
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
	stack := []int32{n}
	for seen := 0; len(stack) > 0 && seen < limit; seen++ {
		n = stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if t.nodes[n].word >= 0 {
			visit(t.nodes[n].word)
		}
		for _, e := range t.nodes[n].edges {
			stack = append(stack, e.child)
		}
	}
}

// lexicon is the vocabulary in two tries, one of the words and one of the
// words reversed, so a fuzzy lookup can split the query: within k edits, the
// first or the last half of a word has at most k/2 of them, and each walk
// allows only k/2 edits near its root, where a trie branches most. This keeps
// the walk from visiting most short prefixes of a large vocabulary.
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
	var seen []int32
	once := func(id int32, dist int) {
		if !slices.Contains(seen, id) {
			seen = append(seen, id)
			visit(id, dist)
		}
	}
	l.fwd.fuzzy(q, k, head, k/2, once)
	rq := slices.Clone(q)
	slices.Reverse(rq)
	l.rev.fuzzy(rq, k, head, k/2, once)
}

// prefix calls visit for words that start with p (see trie.prefix).
func (l lexicon) prefix(p string, limit int, visit func(id int32)) {
	l.fwd.prefix(p, limit, visit)
}
