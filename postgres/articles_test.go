package postgres_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/kb/kbtest"
	"github.com/supportkit/supportkit/postgres"
)

func TestArticleStorePassesTheSuite(t *testing.T) {
	kbtest.TestStore(t, func(t *testing.T) kb.Store {
		st := newSetup(t, nil)
		s, err := postgres.NewArticleStore(st.pool, postgres.Config{Schema: st.schema})
		require.NoError(t, err)
		return s
	})
}
