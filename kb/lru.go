package kb

// lruLinks places a value in an lruList under its key.
type lruLinks[T any] struct {
	prev, next *T
	key        string
}

// lruItem is a pointer to a value that holds its lruLinks.
type lruItem[T any] interface {
	*T
	links() *lruLinks[T]
}

// lruList is a doubly linked list of values, the most recently used
// first: adding, moving and removing a value take constant time. The zero
// value is an empty list. It is not safe for concurrent use.
type lruList[T any, P lruItem[T]] struct {
	front, back *T
}

// pushFront adds x, which is in no list, at the front.
func (l *lruList[T, P]) pushFront(x P) {
	lx := x.links()
	lx.prev, lx.next = nil, l.front
	if l.front != nil {
		P(l.front).links().prev = x
	} else {
		l.back = x
	}
	l.front = x
}

// remove takes x, which is in l, out of l.
func (l *lruList[T, P]) remove(x P) {
	lx := x.links()
	if lx.prev != nil {
		P(lx.prev).links().next = lx.next
	} else {
		l.front = lx.next
	}
	if lx.next != nil {
		P(lx.next).links().prev = lx.prev
	} else {
		l.back = lx.prev
	}
	lx.prev, lx.next = nil, nil
}

// toFront moves x, which is in l, to the front.
func (l *lruList[T, P]) toFront(x P) {
	if l.front != x {
		l.remove(x)
		l.pushFront(x)
	}
}

// oldest returns the least recently used value, nil when l is empty.
func (l *lruList[T, P]) oldest() P { return l.back }
