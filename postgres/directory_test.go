package postgres_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/party/partytest"
	"github.com/supportkit/supportkit/postgres"
)

// newDirectory returns a Directory on a migrated schema of the test's own.
func newDirectory(t *testing.T) *postgres.Directory {
	s := newSetup(t, nil)
	dir, err := postgres.NewDirectory(s.pool, postgres.Config{Schema: s.schema})
	require.NoError(t, err)
	return dir
}

func TestDirectoryPassesTheSuite(t *testing.T) {
	partytest.TestDirectory(t, func(t *testing.T) party.Directory { return newDirectory(t) })
}
