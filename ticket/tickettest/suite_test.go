package tickettest_test

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
	"github.com/supportkit/supportkit/ticket/tickettest"
)

// brokenEnv names the broken store a child test process runs the suite against.
const brokenEnv = "TICKETTEST_BROKEN"

// mustFail runs TestSuiteRejectsBrokenStores in a child process with brokenEnv set to broken
// and requires the suite to fail in each of the named subtests.
func mustFail(t *testing.T, broken string, subtests ...string) {
	t.Helper()
	const test = "TestSuiteRejectsBrokenStores"
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), brokenEnv+"="+broken)
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the suite accepts %s:\n%s", broken, out)
	for _, name := range subtests {
		require.Contains(t, string(out), "--- FAIL: "+test+"/"+name+" ", "%s:\n%s", broken, out)
	}
}

// brokenStore wraps a MemoryStore and breaks one rule of the Store contract, each a mistake
// a real implementation could make.
type brokenStore struct {
	*ticket.MemoryStore
	broken string
	mu     sync.Mutex
	first  map[string]string // key -> fingerprint of the first Create, for ignores-fingerprint
}

func (s *brokenStore) Create(ctx context.Context, c ticket.Creation) (ticket.Ticket, bool, error) {
	switch s.broken {
	case "truncates-keys": // a key column too short for the key, truncating silently
		if len(c.Key) > 32 {
			c.Key = c.Key[:32]
		}
	case "ignores-fingerprint": // the contract before keys carried a fingerprint
		s.mu.Lock()
		if f, ok := s.first[c.Key]; ok {
			c.Fingerprint = f
		} else {
			s.first[c.Key] = c.Fingerprint
		}
		s.mu.Unlock()
	}
	return s.MemoryStore.Create(ctx, c)
}

func (s *brokenStore) Update(ctx context.Context, changes ...ticket.Change) ([]ticket.Ticket, error) {
	if s.broken == "not-atomic" && len(changes) > 1 { // one write per ticket, no transaction
		var out []ticket.Ticket
		for _, c := range changes {
			t, err := s.MemoryStore.Update(ctx, c)
			if err != nil {
				return nil, err
			}
			out = append(out, t...)
		}
		return out, nil
	}
	for i := range changes {
		c := &changes[i]
		switch s.broken {
		case "ignores-versions": // last writer wins
			if stored, err := s.MemoryStore.Ticket(ctx, c.Ticket.ID); err == nil {
				c.Ticket.Version = stored.Version
			}
		case "loses-events": // keeps one event per write
			c.Events = c.Events[:min(len(c.Events), 1)]
		}
	}
	return s.MemoryStore.Update(ctx, changes...)
}

func (s *brokenStore) TicketByNumber(ctx context.Context, tenant, number string) (ticket.Ticket, error) {
	t, err := s.MemoryStore.TicketByNumber(ctx, tenant, number)
	if s.broken == "global-numbers" && err != nil { // numbers looked up without the tenant
		for _, other := range []string{"", "acme", "globex", "initech"} {
			if t, err := s.MemoryStore.TicketByNumber(ctx, other, number); err == nil {
				return t, nil
			}
		}
	}
	return t, err
}

func (s *brokenStore) List(ctx context.Context, q ticket.Query) (ticket.Page, error) {
	if s.broken == "ignores-visibility" { // filters after paging, or not at all
		q.Visible = nil
	}
	return s.MemoryStore.List(ctx, q)
}

func (s *brokenStore) Redact(ctx context.Context, r ticket.Redaction) (ticket.Ticket, error) {
	if s.broken == "keeps-attachment-names" { // a redaction that forgets a column
		stored, err := s.MemoryStore.Comments(ctx, r.Ticket.ID)
		if err != nil {
			return ticket.Ticket{}, err
		}
		r.Comments = slices.Clone(r.Comments)
		for i := range r.Comments {
			for _, c := range stored {
				if c.ID == r.Comments[i].ID {
					r.Comments[i].Attachments = c.Attachments
				}
			}
		}
	}
	return s.MemoryStore.Redact(ctx, r)
}

func TestSuiteRejectsBrokenStores(t *testing.T) {
	if broken := os.Getenv(brokenEnv); broken != "" {
		tickettest.TestStore(t, func(*testing.T) ticket.Store {
			return &brokenStore{MemoryStore: ticket.NewMemoryStore(), broken: broken, first: map[string]string{}}
		})
		return
	}
	if testing.Short() {
		t.Skip("runs the suite in child processes")
	}
	mustFail(t, "ignores-versions", "UpdateWithStaleVersionReturnsErrConflict", "UpdateOfSeveralTicketsIsAllOrNothing")
	mustFail(t, "truncates-keys", "CreateKeysAreComparedExactly")
	mustFail(t, "ignores-fingerprint", "CreateWithUsedKeyAndOtherFingerprintReturnsErrConflict", "CreateKeysAreScopedToTheRequester")
	mustFail(t, "not-atomic", "UpdateOfSeveralTicketsIsAllOrNothing")
	mustFail(t, "loses-events", "UpdateOfSeveralTicketsIsAllOrNothing", "EventsAreOrderedAndFilteredBySeq")
	mustFail(t, "global-numbers", "NumbersAndKeysArePerTenant")
	mustFail(t, "ignores-visibility", "ListFiltersMatchBruteForce")
	mustFail(t, "keeps-attachment-names", "EraserLeavesNoTraceOfTheErasedText", "EraserRedactKeepsStructureAndAppendsErased")
}

func TestMemoryStorePassesTheSuite(t *testing.T) {
	if os.Getenv(brokenEnv) != "" {
		t.Skip("child process")
	}
	tickettest.TestStore(t, func(*testing.T) ticket.Store { return ticket.NewMemoryStore() })
}
