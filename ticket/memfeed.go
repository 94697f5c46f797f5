package ticket

import (
	"context"
	"strconv"
)

// logRef is one entry of MemoryStore's change feed: the index of an event in a record.
type logRef struct {
	r *record
	i int
}

var (
	_ Feed       = (*MemoryStore)(nil)
	_ FeedMarker = (*MemoryStore)(nil)
)

// logEvents appends r's events from index from on to the feed; m.mu is held for writing.
func (m *MemoryStore) logEvents(r *record, from int) {
	for i := from; i < len(r.events); i++ {
		m.log = append(m.log, logRef{r: r, i: i})
	}
}

// notify wakes every Wait; m.mu is held for writing.
func (m *MemoryStore) notify() {
	if m.changed != nil {
		close(m.changed)
		m.changed = nil
	}
}

// Changes implements Feed. A MemoryStore's cursor is the number of feed entries before it,
// in decimal; any other text, or a number larger than the feed, gives ErrInvalid. Limit is
// capped at 1000.
func (m *MemoryStore) Changes(ctx context.Context, after Cursor, limit int) ([]FeedEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = FeedLimit
	}
	limit = min(limit, 1000)
	m.mu.RLock()
	defer m.mu.RUnlock()
	pos, err := m.position(after)
	if err != nil {
		return nil, err
	}
	end := min(len(m.log), pos+limit)
	out := make([]FeedEntry, 0, end-pos)
	for i := pos; i < end; i++ {
		ref := m.log[i]
		e := ref.r.events[ref.i].Clone()
		out = append(out, FeedEntry{Cursor: Cursor(strconv.Itoa(i + 1)), Ticket: ref.r.ticket.ID, Event: e})
	}
	return out, nil
}

// Marks implements FeedMarker.
func (m *MemoryStore) Marks(ctx context.Context, after Cursor, limit int) ([]FeedMark, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = FeedLimit
	}
	limit = min(limit, 1000)
	m.mu.RLock()
	defer m.mu.RUnlock()
	pos, err := m.position(after)
	if err != nil {
		return nil, err
	}
	end := min(len(m.log), pos+limit)
	out := make([]FeedMark, 0, end-pos)
	for i := pos; i < end; i++ {
		ref := m.log[i]
		out = append(out, FeedMark{Cursor: Cursor(strconv.Itoa(i + 1)), Ticket: ref.r.ticket.ID, Seq: ref.r.events[ref.i].Seq})
	}
	return out, nil
}

// Wait implements Feed.
func (m *MemoryStore) Wait(ctx context.Context, after Cursor) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	pos, err := m.position(after)
	if err != nil || pos < len(m.log) {
		m.mu.Unlock()
		return err
	}
	if m.changed == nil {
		m.changed = make(chan struct{})
	}
	ch := m.changed
	m.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// position parses a cursor this store issued; m.mu is held.
func (m *MemoryStore) position(c Cursor) (int, error) {
	if c == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(string(c))
	if err != nil || n < 0 || n > len(m.log) || strconv.Itoa(n) != string(c) {
		return 0, invalid("Cursor", "not a cursor of this store")
	}
	return n, nil
}
