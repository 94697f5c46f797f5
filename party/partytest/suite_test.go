package partytest_test

import (
	"testing"

	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/party/partytest"
)

func TestMemoryDirectory(t *testing.T) {
	partytest.TestDirectory(t, func(*testing.T) party.Directory { return party.NewMemoryDirectory() })
}

// TestZeroMemoryDirectory runs the suite on a MemoryDirectory declared rather than made,
// as a host embedding one in its own type gets it.
func TestZeroMemoryDirectory(t *testing.T) {
	partytest.TestDirectory(t, func(*testing.T) party.Directory { return new(party.MemoryDirectory) })
}

func TestAuditedDirectory(t *testing.T) {
	partytest.TestDirectory(t, func(*testing.T) party.Directory {
		return &auditedDirectory{MemoryDirectory: party.NewMemoryDirectory()}
	})
}
