package partytest_test

import (
	"testing"

	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/party/partytest"
)

func TestMemoryDirectory(t *testing.T) {
	partytest.TestDirectory(t, func(*testing.T) party.Directory { return party.NewMemoryDirectory() })
}

func TestAuditedDirectory(t *testing.T) {
	partytest.TestDirectory(t, func(*testing.T) party.Directory {
		return &auditedDirectory{MemoryDirectory: party.NewMemoryDirectory()}
	})
}
