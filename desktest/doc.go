// Package desktest checks implementations of the Desk's durable parts against their
// contracts: TestLedger for a supportkit.Ledger (and a supportkit.BatchLedger), TestLease
// for a supportkit.Lease, TestClockIndex for a supportkit.ClockIndex and TestRoster for a
// supportkit.Roster. The in-memory implementations run them in this module; the
// PostgreSQL ones and any host's own run them the same way:
//
//	func TestLedger(t *testing.T) {
//		desktest.TestLedger(t, func(t *testing.T) supportkit.Ledger { return newLedger(t) })
//	}
//
// Each subtest is named after the rule it checks and gets a fresh value from the factory.
//
// Chaos runs several Desks at once over shared parts (a ChaosConfig builds them) on a
// simulated clock, stops the dispatching one mid-run, and checks that together they act
// as one Desk: every hook occurrence delivered once, no ticket offered twice at once.
package desktest
