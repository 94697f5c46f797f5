package supportkit

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/ticket"
)

// feedPage is how many feed entries Follow asks for at a time (a store may give fewer).
const feedPage = 5000

// feedState is how far the Desk has read Config.Feed.
type feedState struct {
	mu     sync.Mutex // held while Follow reads and applies
	cursor ticket.Cursor
	// read is cursor as of the end of the last page applied, for the readers that must not
	// wait for a Follow (Cursor, which a hook a Follow calls may call, and watchFeed).
	read   atomic.Pointer[ticket.Cursor]
	moved  chan struct{} // signalled when Follow has read to the end of the feed
	failed atomic.Bool   // the last Follow ended with an error
}

// followingKey marks the context of a Follow, whose value is the Desk that follows.
type followingKey struct{}

// Follow applies the entries of Config.Feed after the Desk's cursor: for each ticket they
// name, the events the Desk has not applied yet (read from the store, see Sync; a feed
// that is a ticket.FeedMarker is read without its events, which the Desk does not need
// twice, and a store that is a ticket.LogsReader has the logs of each page of the feed
// read in one call, the next page's while the current one is applied). Run calls
// it at each wake; without a Feed it does nothing. It returns when it has read to the end
// of the feed. Errors: the feed's and the store's; the entries before the failing one are
// applied, the cursor stays on it and the next Follow starts there. A ticket the feed names
// that the store no longer has is skipped. The hooks it calls may call the Desk: a Follow
// (or Load, or Tick) under the ctx such a hook gets returns at once, leaving the feed to the
// Follow that called the hook, which reads on when the hook returns.
func (d *Desk) Follow(ctx context.Context) error {
	if d.cfg.Feed == nil || ctx.Value(followingKey{}) == d {
		return nil // called by a hook this Follow called: it reads on when the hook returns
	}
	ctx = context.WithValue(ctx, followingKey{}, d)
	d.feed.mu.Lock()
	defer d.feed.mu.Unlock()
	defer d.followed()
	applied := false
	defer func() {
		if applied {
			d.loaded(ctx)
		}
	}()
	var bufs logBuffers
	err := readAhead(ctx, d.feed.cursor, func(rctx context.Context, after ticket.Cursor) (page[ticket.Cursor], error) {
		marks, err := d.marks(rctx, after)
		if err != nil || len(marks) == 0 {
			return page[ticket.Cursor]{}, err
		}
		batch, err := d.readLogs(rctx, d.unseen(marks), &bufs)
		apply := func() error {
			some, err := d.applyMarks(ctx, marks, batch)
			applied = applied || some
			return err
		}
		return page[ticket.Cursor]{apply: apply, next: marks[len(marks)-1].Cursor, more: true}, err
	})
	d.feed.failed.Store(err != nil)
	return err
}

// applyMarks applies the events of a page of the feed whose logs batch holds, moving the
// Desk's cursor past each mark applied; applied reports whether it applied any event.
func (d *Desk) applyMarks(ctx context.Context, marks []ticket.FeedMark, batch logBatch) (applied bool, err error) {
	defer func() {
		c := d.feed.cursor
		d.feed.read.Store(&c)
	}()
	var last uuid.UUID // the ticket of the previous mark, applied up to lastSeen
	var lastSeen int64
	for _, m := range marks {
		if m.Ticket != last {
			last, lastSeen = m.Ticket, d.seen(m.Ticket)
		}
		if m.Seq <= lastSeen {
			d.feed.cursor = m.Cursor
			continue
		}
		err := d.syncQuiet(ctx, m.Ticket, batch)
		if err != nil && !errors.Is(err, ticket.ErrNotFound) {
			return applied, err
		}
		applied = true
		d.feed.cursor = m.Cursor
		lastSeen = d.seen(m.Ticket)
	}
	return applied, nil
}

// page is a page of the feed or of the store's listing, read and ready to apply: apply
// applies it (nil for an empty page, the end), and when more is set the next page starts
// at next. The context a page is read with may end before the page is applied: apply runs
// under the caller's.
type page[K any] struct {
	apply func() error
	next  K
	more  bool
}

// readAhead reads the page at from and applies it, and so on with each next page until the
// end or an error, reading each next page while the current one is applied; the reading
// of a page that is not to be applied (after an error) is cancelled, and readAhead returns
// once no read runs. A page that read partly is not applied; its error is returned once
// the pages before it are applied.
func readAhead[K any](ctx context.Context, from K, read func(context.Context, K) (page[K], error)) error {
	type result struct {
		p   page[K]
		err error
	}
	p, err := read(ctx, from)
	for err == nil && p.apply != nil {
		if !p.more {
			return p.apply()
		}
		rctx, cancel := context.WithCancel(ctx)
		ahead := make(chan result, 1)
		go func() {
			next, err := read(rctx, p.next)
			ahead <- result{next, err}
		}()
		if err = p.apply(); err != nil {
			cancel()
		}
		r := <-ahead
		cancel()
		if err != nil {
			return err
		}
		p, err = r.p, r.err
	}
	return err
}

// marks reads the page of the feed after a cursor: only the marks when the feed is a
// ticket.FeedMarker (the Desk reads the events from the store), else the entries.
func (d *Desk) marks(ctx context.Context, after ticket.Cursor) ([]ticket.FeedMark, error) {
	if fm, ok := d.cfg.Feed.(ticket.FeedMarker); ok {
		return fm.Marks(ctx, after, feedPage)
	}
	entries, err := d.cfg.Feed.Changes(ctx, after, feedPage)
	marks := make([]ticket.FeedMark, len(entries))
	for i, en := range entries {
		marks[i] = ticket.FeedMark{Cursor: en.Cursor, Ticket: en.Ticket, Seq: en.Event.Seq}
	}
	return marks, err
}

// unseen returns the tickets of marks with an event the Desk has not applied, each once.
func (d *Desk) unseen(marks []ticket.FeedMark) []uuid.UUID {
	var ids []uuid.UUID
	asked := make(map[uuid.UUID]bool)
	for _, m := range marks {
		if !asked[m.Ticket] && m.Seq > d.seen(m.Ticket) {
			asked[m.Ticket] = true
			ids = append(ids, m.Ticket)
		}
	}
	return ids
}

// seen returns the Seq of the ticket's last event the Desk has applied; it only grows.
func (d *Desk) seen(id uuid.UUID) int64 {
	d.follow.mu.Lock()
	f := d.follow.ids[id]
	seen, closed := d.follow.closed.seen[id]
	d.follow.mu.Unlock()
	if f == nil || closed {
		return seen
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen
}

// followed tells watchFeed that Follow has read the feed, whether it found entries or not
// (Feed.Wait may return without one).
func (d *Desk) followed() {
	select {
	case d.feed.moved <- struct{}{}:
	default:
	}
}

// Cursor returns how far the Desk has read Config.Feed: every event before it is applied.
// It does not wait for a Follow in progress, whose hooks may call it: it then returns where
// the last page that Follow applied ended.
func (d *Desk) Cursor() ticket.Cursor {
	if c := d.feed.read.Load(); c != nil {
		return *c
	}
	return ""
}

// watchFeed wakes Run whenever the feed has entries after the Desk's cursor, until ctx
// ends; after a Follow that failed it waits RetryPolicy.First first, so that a feed that
// keeps failing is not read again and again at once. It is Run's one helper goroutine.
func (d *Desk) watchFeed(ctx context.Context) {
	for ctx.Err() == nil {
		if err := d.cfg.Feed.Wait(ctx, d.Cursor()); err != nil {
			if ctx.Err() == nil {
				d.cfg.Logger.Warn().Err(err).Msg("desk: waiting on the change feed failed")
				d.cfg.Sleep(ctx, d.cfg.Now().Add(time.Second), nil)
			}
			continue
		}
		select { // a signal of an earlier Follow
		case <-d.feed.moved:
		default:
		}
		d.poke()
		select { // until Follow has read the feed
		case <-ctx.Done():
		case <-d.feed.moved:
		}
		if d.feed.failed.Load() { // the entries are still there: Wait would return at once
			d.cfg.Sleep(ctx, d.cfg.Now().Add(d.cfg.Retry.First), nil)
		}
	}
}
