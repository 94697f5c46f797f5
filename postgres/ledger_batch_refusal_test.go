package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/ticket"
)

// ClaimBatch and DoneBatch refuse the keys Claim and Done refuse, with an error wrapping
// ticket.ErrInvalid, as supportkit.BatchLedger's contract asks: a key over 1024 bytes, not
// valid UTF-8, or holding a NUL byte.
func TestLedgerBatchesRefuseWhatClaimRefuses(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	ledger, err := postgres.NewLedger(st.pool, postgres.Config{Schema: st.schema})
	require.NoError(t, err)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, bad := range []string{strings.Repeat("k", 1100), "a\x00b", "a\xffb", strings.Repeat("k", 4000)} {
		c := supportkit.Claim{Key: bad, Owner: "desk-1", Now: now, Until: now.Add(time.Minute)}
		_, err := ledger.Claim(ctx, c)
		require.ErrorIs(t, err, ticket.ErrInvalid, "Claim of a %d-byte key", len(bad))
		_, err = ledger.ClaimBatch(ctx, []supportkit.Claim{c})
		assert.ErrorIs(t, err, ticket.ErrInvalid, "ClaimBatch of a %d-byte key", len(bad))
		assert.ErrorIs(t, ledger.DoneBatch(ctx, []string{bad}, "desk-1"), ticket.ErrInvalid, "DoneBatch of a %d-byte key", len(bad))
	}
	for _, bad := range []string{"a\x00b", "a\xffb"} {
		assert.ErrorIs(t, ledger.DoneBatch(ctx, []string{"k"}, bad), ticket.ErrInvalid, "DoneBatch by owner %q", bad)
		_, err := ledger.ClaimBatch(ctx, []supportkit.Claim{{Key: "k", Owner: bad, Now: now, Until: now.Add(time.Minute)}})
		assert.ErrorIs(t, err, ticket.ErrInvalid, "ClaimBatch by owner %q", bad)
	}
}
