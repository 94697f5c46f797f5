package tickettest_test

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
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
	run := "^" + test + "$/^(" + strings.Join(subtests, "|") + ")$"
	cmd := exec.Command(os.Args[0], "-test.run="+run, "-test.count=1", "-test.v")
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
	first  map[string]string  // key -> fingerprint of the first Create, for ignores-fingerprint
	kept   map[string]keptKey // tenant and key -> ticket, for keeps-creation-keys
}

// keptKey is what keeps-creation-keys holds for a key.
type keptKey struct {
	id          uuid.UUID
	fingerprint string
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
	case "keeps-creation-keys": // a key column that Redact leaves alone
		return s.keepKey(ctx, c)
	}
	return s.MemoryStore.Create(ctx, c)
}

// keepKey creates as a store would that keeps every creation key for good.
func (s *brokenStore) keepKey(ctx context.Context, c ticket.Creation) (ticket.Ticket, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := c.Ticket.Tenant + "\x00" + c.Key
	if kept, ok := s.kept[k]; ok && c.Key != "" {
		if kept.fingerprint != c.Fingerprint {
			return ticket.Ticket{}, false, &ticket.KeyReuseError{What: "ticket"}
		}
		t, err := s.MemoryStore.Ticket(ctx, kept.id)
		return t, false, err
	}
	t, created, err := s.MemoryStore.Create(ctx, c)
	if created && c.Key != "" {
		s.kept[k] = keptKey{id: t.ID, fingerprint: c.Fingerprint}
	}
	return t, created, err
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

// naiveFeed is the change feed of an event store on a database that numbers each event from a
// sequence when its write inserts it and reads "position > cursor": a write held open keeps
// its positions while later writes commit theirs, and a reader that read those skips it.
type naiveFeed struct {
	*ticket.MemoryStore
	mu        sync.Mutex
	next      int64
	committed []naiveEntry // in position order
	changed   chan struct{}
}

type naiveEntry struct {
	pos   int64
	entry ticket.FeedEntry
}

func newNaiveFeed() *naiveFeed {
	return &naiveFeed{MemoryStore: ticket.NewMemoryStore(), changed: make(chan struct{})}
}

// reserve takes n positions from the sequence.
func (s *naiveFeed) reserve(n int) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	first := s.next + 1
	s.next += int64(n)
	return first
}

// commit makes events visible at the positions from first on.
func (s *naiveFeed) commit(first int64, events []ticket.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, e := range events {
		pos := first + int64(i)
		s.committed = append(s.committed, naiveEntry{pos, ticket.FeedEntry{Cursor: ticket.Cursor(strconv.FormatInt(pos, 10)), Ticket: e.TicketID, Event: e}})
	}
	slices.SortFunc(s.committed, func(a, b naiveEntry) int { return cmp.Compare(a.pos, b.pos) })
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *naiveFeed) Create(ctx context.Context, c ticket.Creation) (ticket.Ticket, bool, error) {
	commit, err := s.hold(ctx, c)
	if err != nil {
		return ticket.Ticket{}, false, err
	}
	return commit()
}

func (s *naiveFeed) hold(ctx context.Context, c ticket.Creation) (func() (ticket.Ticket, bool, error), error) {
	first := s.reserve(len(c.Events))
	return func() (ticket.Ticket, bool, error) {
		t, created, err := s.MemoryStore.Create(ctx, c)
		if created {
			s.commit(first, c.Events)
		}
		return t, created, err
	}, nil
}

func (s *naiveFeed) Update(ctx context.Context, changes ...ticket.Change) ([]ticket.Ticket, error) {
	var events []ticket.Event
	for _, c := range changes {
		events = append(events, c.Events...)
	}
	first := s.reserve(len(events))
	out, err := s.MemoryStore.Update(ctx, changes...)
	if err == nil {
		s.commit(first, events)
	}
	return out, err
}

func (s *naiveFeed) Changes(ctx context.Context, after ticket.Cursor, limit int) ([]ticket.FeedEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pos, err := s.parse(after)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = ticket.FeedLimit
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ticket.FeedEntry
	for _, e := range s.committed {
		if e.pos > pos && len(out) < limit {
			out = append(out, e.entry)
		}
	}
	return out, nil
}

func (s *naiveFeed) Wait(ctx context.Context, after ticket.Cursor) error {
	pos, err := s.parse(after)
	if err != nil {
		return err
	}
	s.mu.Lock()
	ch := s.changed
	ready := len(s.committed) > 0 && s.committed[len(s.committed)-1].pos > pos
	s.mu.Unlock()
	if ready {
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *naiveFeed) parse(c ticket.Cursor) (int64, error) {
	if c == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(c), 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != string(c) {
		return 0, fmt.Errorf("%w: bad cursor", ticket.ErrInvalid)
	}
	return n, nil
}

func TestSuiteRejectsBrokenStores(t *testing.T) {
	if broken := os.Getenv(brokenEnv); broken == "naive-feed" {
		tickettest.TestStoreWith(t, func(*testing.T) ticket.Store { return newNaiveFeed() }, tickettest.Options{
			Hold: func(ctx context.Context, s ticket.Store, c ticket.Creation) (func() error, error) {
				commit, err := s.(*naiveFeed).hold(ctx, c)
				return func() error { _, _, err := commit(); return err }, err
			},
		})
		return
	} else if broken != "" {
		tickettest.TestStore(t, func(*testing.T) ticket.Store {
			return &brokenStore{MemoryStore: ticket.NewMemoryStore(), broken: broken, first: map[string]string{}, kept: map[string]keptKey{}}
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
	mustFail(t, "keeps-creation-keys", "EraserRedactForgetsTheCreationKey", "ServiceEraseLeavesNoTraceAndReportsAgree")
	mustFail(t, "naive-feed", "FeedNeverSkipsAWriteHeldOpen", "FeedRejectsCursorsItDidNotIssue")
}

func TestMemoryStorePassesTheSuite(t *testing.T) {
	if os.Getenv(brokenEnv) != "" {
		t.Skip("child process")
	}
	tickettest.TestStore(t, func(*testing.T) ticket.Store { return ticket.NewMemoryStore() })
}

func TestMemoryStorePassesTheMessageIndexSuite(t *testing.T) {
	if os.Getenv(brokenEnv) != "" {
		t.Skip("child process")
	}
	tickettest.TestMessageIndex(t, func(*testing.T) ticket.Store { return ticket.NewMemoryStore() })
}
