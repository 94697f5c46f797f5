package supportkit_test

import (
	"testing"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/desktest"
)

func TestMemoryLedger(t *testing.T) {
	desktest.TestLedger(t, func(*testing.T) supportkit.Ledger { return supportkit.NewMemoryLedger() })
}

func TestZeroMemoryLedger(t *testing.T) {
	desktest.TestLedger(t, func(*testing.T) supportkit.Ledger { return &supportkit.MemoryLedger{} })
}

func TestMemoryLease(t *testing.T) {
	desktest.TestLease(t, func(*testing.T) supportkit.Lease { return &supportkit.MemoryLease{} })
}

func TestMemoryClockIndex(t *testing.T) {
	desktest.TestClockIndex(t, func(*testing.T) supportkit.ClockIndex { return &supportkit.MemoryClockIndex{} })
}

func TestMemoryRoster(t *testing.T) {
	desktest.TestRoster(t, func(*testing.T) supportkit.Roster { return &supportkit.MemoryRoster{} })
}
