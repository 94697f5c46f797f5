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
	return readFeed(ctx, m, after, limit, func(c Cursor, ref logRef) FeedEntry {
		return FeedEntry{Cursor: c, Ticket: ref.r.ticket.ID, Event: ref.r.events[ref.i].Clone()}
	})
}

// Marks implements FeedMarker.
func (m *MemoryStore) Marks(ctx context.Context, after Cursor, limit int) ([]FeedMark, error) {
	return readFeed(ctx, m, after, limit, func(c Cursor, ref logRef) FeedMark {
		return FeedMark{Cursor: c, Ticket: ref.r.ticket.ID, Seq: ref.r.events[ref.i].Seq}
	})
}

// readFeed returns, made by item, at most limit (FeedLimit when not positive, at most 1000)
// feed entries of m after the cursor.
func readFeed[T any](ctx context.Context, m *MemoryStore, after Cursor, limit int, item func(Cursor, logRef) T) ([]T, error) {
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
	out := make([]T, 0, end-pos)
	for i := pos; i < end; i++ {
		out = append(out, item(Cursor(strconv.Itoa(i+1)), m.log[i]))
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
