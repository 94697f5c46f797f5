package supportkit

import (
	"context"
	"errors"
	"sync"
	"time"

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
// name, the events the Desk has not applied yet (read from the store, see Sync). Run calls
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
		entries, err := d.cfg.Feed.Changes(ctx, d.feed.cursor, feedPage)
		if err != nil || len(entries) == 0 {
			return err
		}
		for _, en := range entries {
			if d.applied(en) {
				d.feed.cursor = en.Cursor
				continue
			}
			err := d.syncQuiet(ctx, en.Ticket)
			if err != nil && !errors.Is(err, ticket.ErrNotFound) {
				return err
			}
			applied = true
			d.feed.cursor = en.Cursor
		}
	}
}

// applied reports whether the Desk has applied the entry's event.
func (d *Desk) applied(en ticket.FeedEntry) bool {
	f := d.follower(en.Ticket)
	f.mu.Lock()
	defer f.mu.Unlock()
	return en.Event.Seq <= f.seen
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
