package desktest_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/supportkit/supportkit"
)

// auditedLedger is a host's Ledger: it keeps deliveries in a MemoryLedger and counts them,
// as a ledger that reports to an audit log might. It must keep the contract documented on
// supportkit.Ledger; desktest.TestLedger checks it.
type auditedLedger struct {
	supportkit.MemoryLedger
	delivered atomic.Int64
}

func (l *auditedLedger) Done(ctx context.Context, key, owner string) error {
	err := l.MemoryLedger.Done(ctx, key, owner)
	if err == nil {
		l.delivered.Add(1)
	}
	return err
}

// The conformance suite runs against the ledger in an ordinary test:
//
//	func TestAuditedLedger(t *testing.T) {
//		desktest.TestLedger(t, func(*testing.T) supportkit.Ledger { return &auditedLedger{} })
//	}
//
// Two Desks that share it deliver an occurrence once: the second claim finds it delivered.
func Example() {
	ctx := context.Background()
	l := &auditedLedger{}
	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	claim := func(owner string) supportkit.ClaimState {
		res, err := l.Claim(ctx, supportkit.Claim{Key: "breach/42/first_response/1", Owner: owner, Now: now, Until: now.Add(time.Minute)})
		if err != nil {
			panic(err)
		}
		return res.State
	}
	fmt.Println("desk a:", claim("desk-a"))
	fmt.Println("desk b:", claim("desk-b"))
	_ = l.Done(ctx, "breach/42/first_response/1", "desk-a")
	fmt.Println("desk b:", claim("desk-b"))
	fmt.Println("delivered:", l.delivered.Load())
	// Output:
	// desk a: claimed
	// desk b: held
	// desk b: delivered
	// delivered: 1
}
