package partytest_test

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/party/partytest"
)

// brokenEnv names the broken directory a child test process runs the suite against.
const brokenEnv = "PARTYTEST_BROKEN"

// brokenDirectory wraps a MemoryDirectory and breaks one rule of the Directory contract,
// each a mistake a real implementation could make.
type brokenDirectory struct {
	*party.MemoryDirectory
	broken string
	shared map[uuid.UUID]party.Customer // for shares-values: what was last returned
}

func (d *brokenDirectory) UpdateCustomers(ctx context.Context, cs ...party.Customer) ([]party.Customer, error) {
	switch d.broken {
	case "ignores-versions": // last writer wins
		for i := range cs {
			if stored, err := d.MemoryDirectory.Customer(ctx, cs[i].Tenant, cs[i].ID); err == nil {
				cs[i].Version = stored.Version
			}
		}
	case "not-atomic": // one write per customer, no transaction
		var out []party.Customer
		for _, c := range cs {
			stored, err := d.MemoryDirectory.UpdateCustomers(ctx, c)
			if err != nil {
				return nil, err
			}
			out = append(out, stored...)
		}
		return out, nil
	}
	return d.MemoryDirectory.UpdateCustomers(ctx, cs...)
}

func (d *brokenDirectory) Customer(ctx context.Context, tenant string, id uuid.UUID) (party.Customer, error) {
	if d.broken == "ignores-tenant" { // a WHERE clause without the tenant
		for _, t := range []string{tenant, party.DefaultTenant, "globex", "acme-desk", "globex-desk"} {
			if c, err := d.MemoryDirectory.Customer(ctx, t, id); err == nil {
				return c, nil
			}
		}
	}
	c, err := d.MemoryDirectory.Customer(ctx, tenant, id)
	if d.broken == "shares-values" && err == nil { // hands out the slices it keeps
		if old, ok := d.shared[id]; ok && old.Version == c.Version {
			return old, nil
		}
		d.shared[id] = c
	}
	return c, err
}

func (d *brokenDirectory) CustomerByKey(ctx context.Context, tenant string, k party.Key) (party.Customer, error) {
	if d.broken == "case-folds-keys" { // a case-insensitive collation on the key column
		k.Value = lower(k.Value)
	}
	return d.MemoryDirectory.CustomerByKey(ctx, tenant, k)
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// TestSuiteRejectsBrokenDirectories runs the suite against each broken directory in a child
// process and requires it to fail where the directory breaks the contract.
func TestSuiteRejectsBrokenDirectories(t *testing.T) {
	if broken := os.Getenv(brokenEnv); broken != "" {
		partytest.TestDirectory(t, func(*testing.T) party.Directory {
			return &brokenDirectory{MemoryDirectory: party.NewMemoryDirectory(), broken: broken, shared: map[uuid.UUID]party.Customer{}}
		})
		return
	}
	if testing.Short() {
		t.Skip("runs the suite in child processes")
	}
	mustFail(t, "ignores-versions", "UpdateWithStaleVersionReturnsErrConflict", "ConcurrentUpdatesOfOneVersionStoreOne")
	mustFail(t, "not-atomic", "UpdateIsAllOrNothing")
	mustFail(t, "ignores-tenant", "OnePersonInTwoTenantsIsTwoCustomers", "NothingOfOneTenantIsReturnedToAnother")
	mustFail(t, "shares-values", "ReturnedValuesAreCopies")
	mustFail(t, "case-folds-keys", "KeysOfEveryKindFindTheirCustomer")
}

func mustFail(t *testing.T, broken string, subtests ...string) {
	t.Helper()
	const test = "TestSuiteRejectsBrokenDirectories"
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), brokenEnv+"="+broken)
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the suite accepts %s:\n%s", broken, out)
	for _, name := range subtests {
		require.Contains(t, string(out), "--- FAIL: "+test+"/"+name+" ", "%s:\n%s", broken, out)
	}
}
