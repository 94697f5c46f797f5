package desktest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// TestRoster checks that a Roster keeps the contract documented on supportkit.Roster.
// newRoster returns an empty roster for each subtest.
func TestRoster(t *testing.T, newRoster func(t *testing.T) supportkit.Roster) {
	ctx := context.Background()
	t.Run("EmptyRosterHasNoPresences", func(t *testing.T) {
		got, err := newRoster(t).Presences(ctx)
		require.NoError(t, err)
		assert.Empty(t, got)
	})
	t.Run("LatestReportWins", func(t *testing.T) {
		r := newRoster(t)
		require.NoError(t, r.SetPresence(ctx, "ann", routing.Available, base.Add(time.Minute)))
		require.NoError(t, r.SetPresence(ctx, "ann", routing.Offline, base), "an older report")
		require.NoError(t, r.SetPresence(ctx, "bob", routing.Away, base))
		require.NoError(t, r.SetPresence(ctx, "bob", routing.Available, base.Add(time.Second)))
		got, err := r.Presences(ctx)
		require.NoError(t, err)
		assert.Equal(t, map[string]routing.Presence{"ann": routing.Available, "bob": routing.Available}, got)
	})
	t.Run("PresencesIsACopy", func(t *testing.T) {
		r := newRoster(t)
		require.NoError(t, r.SetPresence(ctx, "ann", routing.Available, base))
		got, err := r.Presences(ctx)
		require.NoError(t, err)
		got["ann"] = routing.Offline
		again, err := r.Presences(ctx)
		require.NoError(t, err)
		assert.Equal(t, routing.Available, again["ann"])
	})
	t.Run("BadReportIsErrInvalidAndRecordsNothing", func(t *testing.T) {
		r := newRoster(t)
		assert.ErrorIs(t, r.SetPresence(ctx, "", routing.Available, base), ticket.ErrInvalid)
		assert.ErrorIs(t, r.SetPresence(ctx, "eve", routing.Presence(200), base), ticket.ErrInvalid)
		got, err := r.Presences(ctx)
		require.NoError(t, err)
		assert.Empty(t, got)
	})
	t.Run("ConcurrentReportsKeepTheLatest", func(t *testing.T) {
		r := newRoster(t)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				p := routing.Away
				if i == 19 {
					p = routing.Available
				}
				assert.NoError(t, r.SetPresence(ctx, fmt.Sprintf("agent-%d", i%2), p, base.Add(time.Duration(i)*time.Second)))
			})
		}
		wg.Wait()
		got, err := r.Presences(ctx)
		require.NoError(t, err)
		assert.Equal(t, map[string]routing.Presence{"agent-0": routing.Away, "agent-1": routing.Available}, got)
	})
}
