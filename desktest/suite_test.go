package desktest_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/desktest"
	"github.com/supportkit/supportkit/ticket"
)

// The suites run against the example's host ledger, which wraps the memory one.
func TestAuditedLedger(t *testing.T) {
	desktest.TestLedger(t, func(*testing.T) supportkit.Ledger { return &auditedLedger{} })
}

// The batch subtests run against a host ledger that adds ClaimBatch and DoneBatch to the
// memory one.
func TestBatchedLedger(t *testing.T) {
	desktest.TestLedger(t, func(*testing.T) supportkit.Ledger { return &batchedLedger{} })
}

// batchedLedger is a supportkit.BatchLedger over a MemoryLedger: a batch is checked whole,
// then made one claim at a time under its own lock.
type batchedLedger struct {
	supportkit.MemoryLedger
	mu sync.Mutex
}

func (l *batchedLedger) ClaimBatch(ctx context.Context, claims []supportkit.Claim) ([]supportkit.ClaimResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, c := range claims {
		if c.Key == "" || c.Owner == "" || !c.Until.After(c.Now) || seen[c.Key] {
			return nil, fmt.Errorf("%w: bad claim %q", ticket.ErrInvalid, c.Key)
		}
		seen[c.Key] = true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []supportkit.ClaimResult
	for _, c := range claims {
		res, err := l.Claim(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

func (l *batchedLedger) DoneBatch(ctx context.Context, keys []string, owner string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if owner == "" || slices.Contains(keys, "") {
		return fmt.Errorf("%w: empty key or owner", ticket.ErrInvalid)
	}
	for _, key := range keys {
		if err := l.Done(ctx, key, owner); err != nil {
			return err
		}
	}
	return nil
}
