package desktest_test

import (
	"testing"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/desktest"
)

// The suites run against the example's host ledger, which wraps the memory one.
func TestAuditedLedger(t *testing.T) {
	desktest.TestLedger(t, func(*testing.T) supportkit.Ledger { return &auditedLedger{} })
}
