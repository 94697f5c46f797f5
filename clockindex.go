package supportkit

import (
	"container/heap"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/ticket"
)

// ClockIndex keeps, per ticket, the instant its SLA clocks next need a look (a warning
// point, a deadline, a retry), so that CheckClocks reads only the tickets that are due and
// NextWake the earliest instant, however many tickets are open (Config.Clocks). Each Desk
// has its own: a Desk writes the instants of the tickets it watches, and one Desk lagging
// behind another would move or clear the other's instants in a shared index. Contract, checked by desktest.TestClockIndex:
//
//   - Safe for concurrent use (and, for a shared implementation, by many processes).
//   - Set replaces the ticket's instant; a zero instant removes the ticket.
//   - Due returns the tickets whose instant is at or before now, earliest first (ties in
//     any order), at most limit of them (all for limit <= 0), and leaves them in the index.
//   - Next returns the earliest instant; ok is false for an empty index.
//   - A nil ticket ID is an error wrapping ticket.ErrInvalid.
//   - Methods honour ctx.
type ClockIndex interface {
	// Set records that ticket id next needs a look at at; a zero at removes it.
	Set(ctx context.Context, id uuid.UUID, at time.Time) error
	// Due returns at most limit tickets due by now, earliest first.
	Due(ctx context.Context, now time.Time, limit int) ([]uuid.UUID, error)
	// Next returns the earliest instant recorded.
	Next(ctx context.Context) (at time.Time, ok bool, err error)
}

// MemoryClockIndex is the in-memory ClockIndex: a heap, so Due costs O(k log n) for k due
// tickets of n. The zero MemoryClockIndex is empty and ready to use; it is safe for
// concurrent use.
type MemoryClockIndex struct {
	mu sync.Mutex
	at map[uuid.UUID]time.Time
	h  wakeHeap // may hold stale entries, skipped when they surface
}

var _ ClockIndex = (*MemoryClockIndex)(nil)

type wake struct {
	at time.Time
	id uuid.UUID
}

type wakeHeap []wake

func (h wakeHeap) Len() int           { return len(h) }
func (h wakeHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h wakeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *wakeHeap) Push(x any)        { *h = append(*h, x.(wake)) }
func (h *wakeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Set implements ClockIndex.
func (x *MemoryClockIndex) Set(ctx context.Context, id uuid.UUID, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if id == uuid.Nil {
		return fmt.Errorf("%w: clock index: nil ticket ID", ticket.ErrInvalid)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.at == nil {
		x.at = make(map[uuid.UUID]time.Time)
	}
	if old, ok := x.at[id]; ok && old.Equal(at) {
		return nil
	}
	if at.IsZero() {
		delete(x.at, id)
		return nil
	}
	x.at[id] = at
	heap.Push(&x.h, wake{at: at, id: id})
	if len(x.h) > 2*len(x.at)+64 {
		x.compact()
	}
	return nil
}

// compact drops the stale heap entries; x.mu is held.
func (x *MemoryClockIndex) compact() {
	h := make(wakeHeap, 0, len(x.at))
	for id, at := range x.at {
		h = append(h, wake{at: at, id: id})
	}
	heap.Init(&h)
	x.h = h
}

// live reports whether a heap entry is the ticket's current instant; x.mu is held.
func (x *MemoryClockIndex) live(w wake) bool {
	at, ok := x.at[w.id]
	return ok && at.Equal(w.at)
}

// Due implements ClockIndex.
func (x *MemoryClockIndex) Due(ctx context.Context, now time.Time, limit int) ([]uuid.UUID, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []uuid.UUID
	var keep []wake
	for len(x.h) > 0 && !x.h[0].at.After(now) && (limit <= 0 || len(out) < limit) {
		w := heap.Pop(&x.h).(wake)
		if x.live(w) {
			out = append(out, w.id)
			keep = append(keep, w)
		}
	}
	for _, w := range keep {
		heap.Push(&x.h, w)
	}
	return out, nil
}

// Next implements ClockIndex.
func (x *MemoryClockIndex) Next(ctx context.Context) (time.Time, bool, error) {
	if err := ctx.Err(); err != nil {
		return time.Time{}, false, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for len(x.h) > 0 && !x.live(x.h[0]) {
		heap.Pop(&x.h)
	}
	if len(x.h) == 0 {
		return time.Time{}, false, nil
	}
	return x.h[0].at, true, nil
}
