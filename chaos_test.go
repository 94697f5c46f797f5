package supportkit_test

import (
	"testing"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/desktest"
	"github.com/supportkit/supportkit/ticket"
)

// TestChaosSeveralDesksActAsOne runs desktest.Chaos over one memory store, ledger, lease
// and roster shared by the Desks; the Desk stopped mid-run hands the lease over.
func TestChaosSeveralDesksActAsOne(t *testing.T) {
	store, ledger := ticket.NewMemoryStore(), supportkit.NewMemoryLedger()
	lease, roster := &supportkit.MemoryLease{}, &supportkit.MemoryRoster{}
	desktest.Chaos(t, desktest.ChaosConfig{
		Reader: store,
		Desk: func(*testing.T, string) supportkit.Config {
			return supportkit.Config{Store: store, Feed: store, Ledger: ledger, Lease: lease, Roster: roster}
		},
	})
}
