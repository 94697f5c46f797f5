package simclock

import (
	"context"
	"sync"
	"time"
)

// poll is how often a sleeper looks at its wake channel and its context.
const poll = 100 * time.Microsecond

// Clock is a simulated clock: it reads the instant it was last set to, and its Sleep
// returns when Advance moves it to the sleeper's deadline. The zero Clock is not usable;
// make one with New. A Clock is safe for concurrent use.
type Clock struct {
	mu       sync.Mutex
	now      time.Time
	runners  int
	sleepers map[*sleeper]bool
	changed  chan struct{} // closed and replaced whenever now moves
}

// sleeper is one goroutine inside Sleep.
type sleeper struct {
	until time.Time
	wake  <-chan struct{}
}

// New returns a Clock that reads start.
func New(start time.Time) *Clock {
	return &Clock{now: start, sleepers: make(map[*sleeper]bool), changed: make(chan struct{})}
}

// Now returns the clock's instant.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Add changes by n the number of goroutines that follow the clock with Sleep (usually one
// per running Desk.Run): Settle and Advance wait for that many to be asleep. A host adds 1
// before it starts a loop and -1 after the loop returned.
func (c *Clock) Add(n int) {
	c.mu.Lock()
	c.runners += n
	c.mu.Unlock()
}

// Sleep blocks until the clock reads until or later (never, when until is zero), until
// wake holds a value (which Sleep leaves there for the caller to take), or until ctx ends.
// It has the signature of supportkit.Config.Sleep.
func (c *Clock) Sleep(ctx context.Context, until time.Time, wake <-chan struct{}) {
	s := &sleeper{until: until, wake: wake}
	for {
		c.mu.Lock()
		if ctx.Err() != nil || len(wake) > 0 || (!until.IsZero() && !c.now.Before(until)) {
			delete(c.sleepers, s)
			c.mu.Unlock()
			return
		}
		c.sleepers[s] = true
		changed := c.changed
		c.mu.Unlock()
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
		case <-changed:
		case <-t.C:
		}
		t.Stop()
	}
}

// Settle blocks until every goroutine counted by Add is asleep in Sleep with nothing to
// wake it at the clock's instant: their work for that instant is done.
func (c *Clock) Settle() {
	for !c.settled() {
		time.Sleep(poll)
	}
}

func (c *Clock) settled() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.sleepers) < c.runners {
		return false
	}
	for s := range c.sleepers {
		if len(s.wake) > 0 || (!s.until.IsZero() && !c.now.Before(s.until)) {
			return false
		}
	}
	return true
}

// Advance moves the clock forward to t, stopping at each sleeper's deadline on the way
// and waiting there (Settle) for the work it wakes to finish, then settles at t. A t
// before the clock's instant leaves it where it is.
func (c *Clock) Advance(t time.Time) {
	for {
		c.Settle()
		c.mu.Lock()
		next := t
		for s := range c.sleepers {
			if !s.until.IsZero() && s.until.After(c.now) && s.until.Before(next) {
				next = s.until
			}
		}
		if next.After(c.now) {
			c.now = next
			close(c.changed)
			c.changed = make(chan struct{})
		}
		done := !next.Before(t) || !c.now.Before(t)
		c.mu.Unlock()
		if done {
			c.Settle()
			return
		}
	}
}
