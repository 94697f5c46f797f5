package ticket

import (
	"context"
	"sync"

	"github.com/google/uuid"
)

// dispatcher delivers committed events to observers in commit order per ticket. Events are
// enqueued under the ticket's stripe lock (so queue order is commit order) and delivered
// after it is released by whichever caller finds the ticket's queue idle.
type dispatcher struct {
	observers []Observer
	mu        sync.Mutex
	queues    map[uuid.UUID]*deliveryQueue
}

type delivery struct {
	e Event
	t Ticket
}

type deliveryQueue struct {
	items []delivery
	busy  bool
}

func (d *dispatcher) enqueue(t Ticket, events []Event) {
	if len(d.observers) == 0 {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.queues == nil {
		d.queues = make(map[uuid.UUID]*deliveryQueue)
	}
	q := d.queues[t.ID]
	if q == nil {
		q = &deliveryQueue{}
		d.queues[t.ID] = q
	}
	for _, e := range events {
		q.items = append(q.items, delivery{e: e.Clone(), t: t})
	}
}

func (d *dispatcher) drain(ctx context.Context, id uuid.UUID) {
	if len(d.observers) == 0 {
		return
	}
	d.mu.Lock()
	q := d.queues[id]
	if q == nil || q.busy {
		d.mu.Unlock()
		return
	}
	q.busy = true
	d.mu.Unlock()
	done := false
	var rest []delivery // taken from the queue but not yet delivered
	// An observer that panics must not leave the queue busy forever, nor lose the events
	// after the one it panicked on: they go back to the front of the queue, and the next
	// call for this ticket delivers them.
	defer func() {
		if !done {
			d.mu.Lock()
			q.items = append(rest, q.items...)
			q.busy = false
			d.mu.Unlock()
		}
	}()
	for {
		d.mu.Lock()
		rest = q.items
		q.items = nil
		if len(rest) == 0 {
			q.busy = false
			delete(d.queues, id)
			d.mu.Unlock()
			done = true
			return
		}
		d.mu.Unlock()
		for len(rest) > 0 {
			it := rest[0]
			rest = rest[1:]
			for _, o := range d.observers {
				o(ctx, it.e.Clone(), it.t.Clone())
			}
		}
	}
}
