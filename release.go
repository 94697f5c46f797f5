package supportkit

import (
	"github.com/google/uuid"
)

// sweepPerRelease is how many of the closed tickets the Desk keeps it looks at each time it
// releases one, to forget those whose metrics record the host deleted: the sweep keeps up
// with the releases, so that what the Desk keeps follows the records the host keeps.
const sweepPerRelease = 2

// closedTickets are the closed tickets the Desk let go of but still keeps: the Seq of the
// last event it applied of each, so that a later event (a rating, a link, an erasure) is
// applied once, and order, the same tickets in the order they were released, for the
// sweep. The followers' lock guards it.
type closedTickets struct {
	seen  map[uuid.UUID]int64
	order []uuid.UUID // from head on; may name tickets no longer in seen
	head  int
}

// take removes the ticket and returns the Seq kept for it; ok false when none is kept.
func (c *closedTickets) take(id uuid.UUID) (seen int64, ok bool) {
	seen, ok = c.seen[id]
	delete(c.seen, id)
	return seen, ok
}

// put keeps seen for the ticket.
func (c *closedTickets) put(id uuid.UUID, seen int64) {
	if c.seen == nil {
		c.seen = make(map[uuid.UUID]int64)
	}
	c.seen[id] = seen
	c.order = append(c.order, id)
}

// sweep looks at the n tickets kept longest and forgets those for which held reports
// false; the others go to the back of the order.
func (c *closedTickets) sweep(n int, held func(uuid.UUID) bool) {
	for ; n > 0 && c.head < len(c.order); n-- {
		id := c.order[c.head]
		c.order[c.head] = uuid.Nil
		c.head++
		if _, ok := c.seen[id]; !ok {
			continue // revived by a later event, or named twice
		}
		if held(id) {
			c.order = append(c.order, id)
			continue
		}
		delete(c.seen, id)
	}
	if c.head > len(c.order)/2 {
		c.order = append(c.order[:0:0], c.order[c.head:]...)
		c.head = 0
	}
	if len(c.seen) == 0 {
		c.seen = nil // a Go map keeps its buckets: start afresh once empty
	}
}

// release lets go of the follower of a closed ticket whose close the Desk has applied; f
// is locked. A closed ticket never changes again, so the Desk keeps only the Seq it
// applied up to (closedTickets) and drops the rest of what it holds of the ticket: its
// watch went with the close (see clocksAt), and the record that it taught the knowledge
// base goes now (learn reads an erased closed ticket's log instead). What it keeps of the
// ticket lives as long as the ticket's metrics record: once the host deleted it
// (metrics.Builder.Delete), a sweep forgets the ticket altogether, and a later event of it
// is applied as to a ticket the Desk never saw, as after a restart (see Desk.Metrics).
func (d *Desk) release(id uuid.UUID, f *follower) {
	d.learned.drop(id)
	d.follow.mu.Lock()
	defer d.follow.mu.Unlock()
	if d.follow.ids[id] != f {
		return
	}
	delete(d.follow.ids, id)
	f.released = true
	d.follow.closed.put(id, f.seen)
	d.follow.closed.sweep(sweepPerRelease, d.hasRecord)
	if len(d.follow.ids) == 0 {
		d.follow.ids = nil
	}
}

// hasRecord reports whether the metrics builder holds the ticket's record.
func (d *Desk) hasRecord(id uuid.UUID) bool {
	_, ok := d.records.Record(id.String())
	return ok
}
