package supportkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
)

// stoppingLedger is a memory Ledger that runs stop just before it keeps an occurrence,
// as a host stopping Run at that instant would.
type stoppingLedger struct {
	*supportkit.MemoryLedger
	stop func()
}

func (l *stoppingLedger) Keep(ctx context.Context, key string, payload []byte) error {
	if l.stop != nil {
		l.stop()
	}
	return l.MemoryLedger.Keep(ctx, key, payload)
}

// An occurrence that leaves no event in the log is kept even when the context of the
// call that committed its write ends just then: its failed OnAssigned is made by the Desk
// that Loads the store and the Ledger again.
func TestOccurrenceIsKeptWhenTheCallersContextEnds(t *testing.T) {
	clock := &fakeClock{now: start}
	ledger := &stoppingLedger{MemoryLedger: supportkit.NewMemoryLedger()}
	hook := &hookCalls{}
	desk := assignedDesks(t, clock, ledger, hook)
	ctx := context.Background()
	before := desk()
	tk := reopenedTicket(t, before)
	hook.setDown(true)
	offers, err := before.Dispatch(ctx, start.Add(time.Minute))
	require.NoError(t, err)
	require.Len(t, offers, 1)
	stopped, stop := context.WithCancel(ctx)
	defer stop()
	ledger.stop = stop
	_, err = before.Accept(stopped, offers[0])
	require.NoError(t, err, "the acceptance committed before the host stopped")
	ledger.stop = nil
	requirePendingAcceptance(t, before, tk)
	hook.setDown(false)

	after := desk()
	require.NoError(t, after.Load(ctx))
	assert.Equal(t, map[string]int{tk.ID.String() + "/l1-a": 2}, hook.delivered(), "the assignment and the re-acceptance")
	assert.Empty(t, after.Deliveries())
}
