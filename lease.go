package supportkit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/supportkit/supportkit/ticket"
)

// Lease elects the one Desk that dispatches among Desks that share it (Config.Lease): the
// holder offers tickets to agents and expires offers; the others keep their state in step
// and take over when the holder stops renewing. Contract, checked by desktest.TestLease:
//
//   - Safe for concurrent use by many goroutines and, for a shared implementation, many
//     processes.
//   - At most one owner holds the lease at any instant of the callers' clock: Acquire
//     succeeds when the lease is free, expired at now, or already the owner's (it is then
//     extended to until), and fails (false, nil) while another owner holds it.
//   - Release ends the owner's hold at once; releasing a lease held by another owner, or
//     by nobody, changes nothing and is not an error.
//   - An empty owner, or an until not after now, is an error wrapping ticket.ErrInvalid.
//   - Methods honour ctx cancellation where they block.
//
// MemoryLease is the in-memory implementation, for Desks of one process; the PostgreSQL
// module has one for Desks of many.
type Lease interface {
	// Acquire takes or renews the lease for owner until the instant until, as of now, and
	// reports whether owner holds it.
	Acquire(ctx context.Context, owner string, now, until time.Time) (bool, error)
	// Release gives up owner's hold.
	Release(ctx context.Context, owner string) error
}

// MemoryLease is the in-memory Lease. The zero MemoryLease is free and ready to use; it is
// safe for concurrent use.
type MemoryLease struct {
	mu    sync.Mutex
	owner string
	until time.Time
}

var _ Lease = (*MemoryLease)(nil)

// Acquire implements Lease.
func (l *MemoryLease) Acquire(ctx context.Context, owner string, now, until time.Time) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if owner == "" || !until.After(now) {
		return false, fmt.Errorf("%w: lease: empty owner or an end at or before now", ticket.ErrInvalid)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.owner != "" && l.owner != owner && now.Before(l.until) {
		return false, nil
	}
	l.owner, l.until = owner, until
	return true, nil
}

// Release implements Lease.
func (l *MemoryLease) Release(ctx context.Context, owner string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.owner == owner {
		l.owner, l.until = "", time.Time{}
	}
	return nil
}
