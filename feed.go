package supportkit

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/ticket"
)

// feedPage is how many feed entries Follow reads at a time.
const feedPage = 1000

// feedState is how far the Desk has read Config.Feed.
type feedState struct {
	mu     sync.Mutex // held while Follow reads and applies
	cursor ticket.Cursor
	moved  chan struct{} // signalled when Follow has read to the end of the feed
}

// Follow applies the entries of Config.Feed after the Desk's cursor: for each ticket they
// name, the events the Desk has not applied yet (read from the store, see Sync; a feed
// that is a ticket.FeedMarker is read without its events, which the Desk does not need
// twice, and a store that is a ticket.LogsReader has the logs of each page of the feed
// read in one call). Run calls
// it at each wake; without a Feed it does nothing. It returns when it has read to the end
// of the feed. Errors: the feed's and the store's; the entries before the failing one are
// applied, the cursor stays on it and the next Follow starts there. A ticket the feed names
// that the store no longer has is skipped.
func (d *Desk) Follow(ctx context.Context) error {
	if d.cfg.Feed == nil {
		return nil
	}
	d.feed.mu.Lock()
	defer d.feed.mu.Unlock()
	defer d.followed()
	applied := false
	defer func() {
		if applied {
			d.loaded(ctx)
		}
	}()
	for {
		marks, err := d.marks(ctx)
		if err != nil || len(marks) == 0 {
			return err
		}
		batch, err := d.readLogs(ctx, d.unseen(marks))
		if err != nil {
			return err
		}
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
				return err
			}
			applied = true
			d.feed.cursor = m.Cursor
			lastSeen = d.seen(m.Ticket)
		}
	}
}

// marks reads the next page of the feed after the Desk's cursor: only the marks when the
// feed is a ticket.FeedMarker (the Desk reads the events from the store), else the entries.
func (d *Desk) marks(ctx context.Context) ([]ticket.FeedMark, error) {
	if fm, ok := d.cfg.Feed.(ticket.FeedMarker); ok {
		return fm.Marks(ctx, d.feed.cursor, feedPage)
	}
	entries, err := d.cfg.Feed.Changes(ctx, d.feed.cursor, feedPage)
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
	f := d.knownFollower(id)
	if f == nil {
		return 0
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
func (d *Desk) Cursor() ticket.Cursor {
	d.feed.mu.Lock()
	defer d.feed.mu.Unlock()
	return d.feed.cursor
}

// watchFeed wakes Run whenever the feed has entries after the Desk's cursor, until ctx
// ends. It is Run's one helper goroutine.
func (d *Desk) watchFeed(ctx context.Context) {
	for ctx.Err() == nil {
		d.feed.mu.Lock()
		cursor := d.feed.cursor
		d.feed.mu.Unlock()
		if err := d.cfg.Feed.Wait(ctx, cursor); err != nil {
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
	}
}
