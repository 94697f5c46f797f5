package kb_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/kb/kbtest"
)

func TestMemoryStoreConformance(t *testing.T) {
	kbtest.TestStore(t, func(*testing.T) kb.Store { return kb.NewMemoryStore() })
}

func TestMemoryIndexConformance(t *testing.T) {
	kbtest.TestIndex(t, func(t *testing.T) kb.Index {
		ix, err := kb.NewMemoryIndex(kb.IndexConfig{})
		require.NoError(t, err)
		return ix
	})
}
