package tickettest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/ticket"
)

// TestStore runs the conformance suite against stores made by newStore, with zero Options.
// newStore must return an empty store for each call; the subtests run one after another and
// may be run alone with -run. Each subtest is named after the part of the contract it checks.
// When the store implements ticket.Feed, the feed's contract is checked too.
func TestStore(t *testing.T, newStore func(t *testing.T) ticket.Store) {
	TestStoreWith(t, newStore, Options{})
}

// Options gives the suite what it needs to check a store more closely than through the Store
// interface alone. The zero Options runs every test that needs nothing of it.
type Options struct {
	// Hold begins, in s, a write that creates c's ticket (as s.Create would) and returns
	// while that write is still in progress, with commit, which completes it; commit's error
	// is Create's. While a write is held, other writers must be able to commit (a database
	// store runs it in a transaction of its own and returns before COMMIT). The feed test
	// "FeedNeverSkipsAWriteHeldOpen" needs it and is skipped when Hold is nil. A store whose
	// writes become visible all at once (MemoryStore) may do nothing until commit and then
	// call s.Create.
	Hold func(ctx context.Context, s ticket.Store, c ticket.Creation) (commit func() error, err error)
	// FeedDelay is how long the feed tests wait for committed events to appear in the feed.
	// A store may hold events back while other transactions are open: a database store
	// whose readers stop below the oldest running transaction is held back by every
	// writing transaction on the server, the host's own included. Default 2 seconds.
	FeedDelay time.Duration
}

func (o Options) feedDelay() time.Duration {
	if o.FeedDelay > 0 {
		return o.FeedDelay
	}
	return 2 * time.Second
}

// TestStoreWith is TestStore with Options.
func TestStoreWith(t *testing.T, newStore func(t *testing.T) ticket.Store, opts Options) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s ticket.Store)
	}{
		{"CreateThenGetReturnsTheStoredTicket", testCreateThenGet},
		{"CreateAssignsVersionOneAndDistinctNumbers", testDistinctNumbers},
		{"CreateWithUsedKeyAndSameFingerprintReturnsFirstTicket", testCreateKey},
		{"CreateWithUsedKeyAndOtherFingerprintReturnsErrConflict", testCreateKeyOtherFingerprint},
		{"CreateKeysAreComparedExactly", testCreateKeysExact},
		{"CreateKeysAreScopedToTheRequester", testCreateKeyScope},
		{"ConcurrentCreatesWithOneKeyGiveOneTicket", testConcurrentKey},
		{"FollowUpKeysAreKeptApartFromHostKeys", testFollowUpKeys},
		{"CreateWithExistingIDReturnsErrConflict", testCreateExistingID},
		{"MissingTicketReturnsErrNotFound", testMissing},
		{"UpdateBumpsVersionAndAppends", testUpdate},
		{"UpdateWithStaleVersionReturnsErrConflict", testStale},
		{"UpdateOfSeveralTicketsIsAllOrNothing", testUpdateAtomic},
		{"ConcurrentCommentsThroughServiceAllLand", testConcurrentComments},
		{"EventsAreOrderedAndFilteredBySeq", testEventsOrdered},
		{"LogReaderReturnsTheTicketWithItsEventsAsRead", testTicketLog},
		{"LogsReaderReturnsTheLogsOfTheTicketsHeldInIDOrder", testTicketLogs},
		{"CommentsReaderReturnsTheCommentsNamed", testCommentsByRef},
		{"ReturnedValuesAreIndependentCopies", testCopies},
		{"ListFiltersMatchBruteForce", testListFilters},
		{"ListPaginationIsStableUnderInserts", testPagination},
		{"ListHonoursLimitAndCancellation", testListLimit},
		{"NumbersAndKeysArePerTenant", testTenantNumbersAndKeys},
		{"NothingOfOneTenantIsListedOrFoundForAnother", testTenantIsolation},
		{"ServiceBoundToATenantFindsNoOtherTenantsTicket", testServiceTenantIsolation},
		{"EraserFindsEveryTicketMentioningATerm", testMentioning},
		{"EraserRedactKeepsStructureAndAppendsErased", testRedact},
		{"EraserRedactForgetsTheCreationKey", testRedactForgetsTheCreationKey},
		{"EraserRedactWithStaleVersionReturnsErrConflict", testRedactStale},
		{"EraserRedactRefusesToChangeStructure", testRedactStructure},
		{"EraserLeavesNoTraceOfTheErasedText", testRedactLeavesNoTrace},
		{"ServiceEraseLeavesNoTraceAndReportsAgree", testServiceErase},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
	testFeed(t, newStore, opts)
}

// fixedStart is where the suite's clocks start.
var fixedStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// clock is a deterministic clock that advances one second per reading.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
}

func newService(t *testing.T, s ticket.Store) *ticket.Service {
	t.Helper()
	c := &clock{now: fixedStart}
	svc, err := ticket.NewService(s, ticket.Config{Now: c.Now})
	require.NoError(t, err)
	return svc
}

var agent = ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-1", Name: "Alex"}

func create(t *testing.T, svc *ticket.Service, nt ticket.NewTicket) ticket.Ticket {
	t.Helper()
	if nt.Subject == "" {
		nt.Subject = "Printer jams"
	}
	if nt.Requester == (ticket.Requester{}) {
		nt.Requester = ticket.Requester{ID: "cust-1", Name: "Ann", Email: "ann@example.com"}
	}
	if nt.Description == "" {
		nt.Description = "It jams on every page."
	}
	tk, err := svc.Create(context.Background(), nt)
	require.NoError(t, err)
	return tk
}

// record builds a complete Creation by hand, as a Service would.
func record(id uuid.UUID, key string) ticket.Creation {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	// Every field is set, so that a store that drops one fails the round trip.
	other := uuid.Must(uuid.NewV7())
	tk := ticket.Ticket{
		ID: id, Subject: "Hand-built",
		Requester: ticket.Requester{ID: "c-9", Name: "Bo", Email: "bo@example.com", Language: language.MustParse("pt-BR"), Organization: "org-9"},
		Channel:   ticket.ChannelAPI, Type: ticket.TypeTask, Impact: ticket.LevelLow, Urgency: ticket.LevelHigh,
		Priority: ticket.PriorityUrgent, PriorityExplicit: true, Status: ticket.StatusNew,
		Assignee: "agent-1", Group: "network", Line: 2, Tags: []string{"a", "b"},
		Fields: map[string]string{"k": "v"}, Language: language.Russian, LanguageDetected: true, Problem: other,
		Links:        []ticket.Link{{Kind: ticket.LinkCausedBy, Target: other}},
		Satisfaction: ticket.Rating{CSAT: 4, CES: 3, Comment: "ok"},
		CreatedAt:    at, UpdatedAt: at.Add(time.Minute), SolvedAt: at.Add(2 * time.Minute), ClosedAt: at.Add(3 * time.Minute),
		CommentCount: 1, LastEventSeq: 1,
	}
	return ticket.Creation{
		Ticket: tk,
		Comments: []ticket.Comment{{
			ID: uuid.Must(uuid.NewV7()), TicketID: id, Seq: 1, Author: agent, Public: true, Body: "hello",
			Attachments: []ticket.Attachment{{Name: "log.txt", Size: 10, ContentType: "text/plain", URL: "https://files.example.com/1"}},
			Refs:        []uuid.UUID{uuid.Must(uuid.NewV7())}, Key: "<msg-1@example.com>", CreatedAt: at,
		}},
		Events: []ticket.Event{{
			TicketID: id, Seq: 1, Kind: ticket.EventCreated, At: at, ClampedFrom: at.Add(-time.Second), Actor: agent,
			FromStatus: ticket.StatusNew, ToStatus: ticket.StatusOpen,
			FromPriority: ticket.PriorityLow, ToPriority: ticket.PriorityHigh,
			FromAssignee: "a", ToAssignee: "b", FromGroup: "g1", ToGroup: "g2", FromLine: 1, ToLine: 2,
			Field: "f", FromValue: "x", ToValue: "y", TagsAdded: []string{"a", "b"}, TagsRemoved: []string{"c"},
			CommentID: other, Public: true, AuthorKind: ticket.ActorBot,
			Link: ticket.Link{Kind: ticket.LinkParent, Target: other}, Other: other,
			Channel: ticket.ChannelChat, Type: ticket.TypeIncident, CSAT: 5, CES: 7, Reason: "why",
		}},
		Key:    key,
		Number: func(seq int64) string { return fmt.Sprintf("T-%d", seq) },
	}
}

func testCreateThenGet(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	c := record(uuid.Must(uuid.NewV7()), "")
	got, created, err := s.Create(ctx, c)
	require.NoError(t, err)
	require.True(t, created)
	want := c.Ticket
	want.Number, want.Version = got.Number, 1
	assert.Equal(t, want.Subject, got.Subject)
	assert.NotEmpty(t, got.Number)
	byID, err := s.Ticket(ctx, c.Ticket.ID)
	require.NoError(t, err)
	assertSameTicket(t, want, byID)
	byNumber, err := s.TicketByNumber(ctx, "", got.Number)
	require.NoError(t, err)
	assertSameTicket(t, want, byNumber)
	comments, err := s.Comments(ctx, c.Ticket.ID)
	require.NoError(t, err)
	require.Len(t, comments, 1)
	assert.True(t, c.Comments[0].CreatedAt.Equal(comments[0].CreatedAt))
	comments[0].CreatedAt = c.Comments[0].CreatedAt
	assert.Equal(t, c.Comments[0], comments[0])
	events, err := s.Events(ctx, c.Ticket.ID, 0)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.True(t, c.Events[0].At.Equal(events[0].At))
	events[0].At = c.Events[0].At
	assert.Equal(t, c.Events[0], events[0])
}

// assertSameTicket compares tickets, with times compared as instants (stores may change the
// location).
func assertSameTicket(t *testing.T, want, got ticket.Ticket) {
	t.Helper()
	for _, p := range [][2]*time.Time{
		{&want.CreatedAt, &got.CreatedAt}, {&want.UpdatedAt, &got.UpdatedAt},
		{&want.SolvedAt, &got.SolvedAt}, {&want.ClosedAt, &got.ClosedAt},
	} {
		assert.True(t, p[0].Equal(*p[1]), "%v != %v", *p[0], *p[1])
		*p[0], *p[1] = time.Time{}, time.Time{}
	}
	assert.Equal(t, want, got)
}

func testDistinctNumbers(t *testing.T, s ticket.Store) {
	svc := newService(t, s)
	seen := map[string]bool{}
	for range 20 {
		tk := create(t, svc, ticket.NewTicket{})
		assert.Equal(t, int64(1), tk.Version)
		assert.False(t, seen[tk.Number], "number %s given twice", tk.Number)
		seen[tk.Number] = true
	}
}

// keyed returns record(id, key) with the given fingerprint and requester ID.
func keyed(key, fingerprint, requester string) ticket.Creation {
	c := record(uuid.Must(uuid.NewV7()), key)
	c.Fingerprint = fingerprint
	c.Ticket.Requester.ID = requester
	return c
}

// hexKey is a key of the form the Service derives: 64 lower-case hex characters.
func hexKey(last string) string { return strings.Repeat("ab", 31) + "c" + last }

func testCreateKey(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	first, created, err := s.Create(ctx, keyed(hexKey("1"), hexKey("f"), "c-1"))
	require.NoError(t, err)
	require.True(t, created)
	again, created, err := s.Create(ctx, keyed(hexKey("1"), hexKey("f"), "c-1"))
	require.NoError(t, err)
	assert.False(t, created)
	assertSameTicket(t, first, again)
	page, err := s.List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 1)
}

// testCreateKeyOtherFingerprint checks that a key reused for another request is refused with
// an error that names nothing of the stored ticket, and stores nothing.
func testCreateKeyOtherFingerprint(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	first, _, err := s.Create(ctx, keyed(hexKey("1"), hexKey("f"), "c-1"))
	require.NoError(t, err)
	got, created, err := s.Create(ctx, keyed(hexKey("1"), hexKey("e"), "c-1"))
	require.ErrorIs(t, err, ticket.ErrConflict)
	assert.False(t, created)
	assert.Zero(t, got, "nothing of the stored ticket comes back")
	for _, secret := range []string{first.ID.String(), first.Number, first.Subject, first.Requester.Email} {
		assert.NotContains(t, err.Error(), secret)
	}
	page, err := s.List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 1, "nothing stored")
}

// testCreateKeysExact checks that keys are compared byte for byte: keys that differ only in
// their last character or only in case name different tickets (of different requesters), so
// a store that truncates or case-folds keys would hand one requester another's ticket.
func testCreateKeysExact(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	keys := []string{hexKey("1"), hexKey("2"), strings.ToUpper(hexKey("1"))}
	ids := map[string]uuid.UUID{}
	for i, key := range keys {
		tk, created, err := s.Create(ctx, keyed(key, hexKey("f"), fmt.Sprintf("c-%d", i)))
		require.NoError(t, err)
		require.True(t, created, "key %d is new", i)
		ids[key] = tk.ID
	}
	for i, key := range keys {
		tk, created, err := s.Create(ctx, keyed(key, hexKey("f"), fmt.Sprintf("c-%d", i)))
		require.NoError(t, err)
		assert.False(t, created)
		assert.Equal(t, ids[key], tk.ID, "key %d names its own ticket", i)
		assert.Equal(t, fmt.Sprintf("c-%d", i), tk.Requester.ID)
	}
}

// testCreateKeyScope checks, through the Service, that creation keys belong to the
// requester: one key used by two requesters makes two tickets, each returned only to its
// own requester; the same requester with another payload gets ErrConflict.
func testCreateKeyScope(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	svc := newService(t, s)
	alice := ticket.NewTicket{Key: "form-1", Subject: "Salary slip", Description: "Private.", Requester: ticket.Requester{ID: "alice"}}
	bob := ticket.NewTicket{Key: "form-1", Subject: "Printer", Description: "Jams.", Requester: ticket.Requester{ID: "bob"}}
	a, err := svc.Create(ctx, alice)
	require.NoError(t, err)
	b, err := svc.Create(ctx, bob)
	require.NoError(t, err)
	assert.NotEqual(t, a.ID, b.ID)
	assert.Equal(t, "bob", b.Requester.ID)
	assert.Equal(t, "Printer", b.Subject)
	for _, tc := range []struct {
		nt   ticket.NewTicket
		want ticket.Ticket
	}{{alice, a}, {bob, b}} {
		again, err := svc.Create(ctx, tc.nt)
		require.NoError(t, err)
		assert.Equal(t, tc.want.ID, again.ID, "%s gets the first ticket again", tc.nt.Requester.ID)
	}
	bob.Description = "Smokes."
	got, err := svc.Create(ctx, bob)
	require.ErrorIs(t, err, ticket.ErrConflict)
	assert.Zero(t, got)
	page, err := s.List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 2)
}

func testConcurrentKey(t *testing.T, s ticket.Store) {
	svc := newService(t, s)
	ids := make([]uuid.UUID, 100)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk, err := svc.Create(context.Background(), ticket.NewTicket{
				Key: "same-key", Subject: "Once", Description: "only once",
				Requester: ticket.Requester{Email: "ann@example.com"},
			})
			if assert.NoError(t, err) {
				ids[i] = tk.ID
			}
		}()
	}
	wg.Wait()
	for _, id := range ids {
		assert.Equal(t, ids[0], id)
	}
	page, err := s.List(context.Background(), ticket.Query{})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 1, "exactly one ticket")
}

// testFollowUpKeys checks that the store keeps the keys the Service derives for follow-up
// tickets (they begin with a control character and can be longer than any host key) apart
// from the host's own keys, and finds a follow-up again by its key.
func testFollowUpKeys(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	svc := newService(t, s)
	long := strings.Repeat("к", 512)
	customer := ticket.Actor{Kind: ticket.ActorCustomer, ID: "cust-1", Name: "Ann"}
	closed := create(t, svc, ticket.NewTicket{Assignee: "agent-1", Status: ticket.StatusSolved})
	_, err := svc.Close(ctx, agent, closed.ID)
	require.NoError(t, err)
	for _, key := range []string{"host-key", long} {
		host, err := svc.Create(ctx, ticket.NewTicket{Key: key, Subject: "Form", Requester: ticket.Requester{Email: "ann@example.com"}})
		require.NoError(t, err)
		reply := ticket.NewComment{Public: true, Body: "It is back.", Key: key}
		c, err := svc.Comment(ctx, customer, closed.ID, reply)
		require.NoError(t, err)
		assert.NotEqual(t, host.ID, c.TicketID, "the follow-up is not the host's ticket")
		assert.NotEqual(t, closed.ID, c.TicketID)
		again, err := svc.Comment(ctx, customer, closed.ID, reply)
		require.NoError(t, err)
		assert.Equal(t, c.ID, again.ID, "a redelivered reply finds its follow-up")
		hostAgain, err := svc.Create(ctx, ticket.NewTicket{Key: key, Subject: "Form", Requester: ticket.Requester{Email: "ann@example.com"}})
		require.NoError(t, err)
		assert.Equal(t, host.ID, hostAgain.ID, "the host's key still names the host's ticket")
	}
	page, err := s.List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 5, "the closed ticket, two host tickets, two follow-ups")
}

func testCreateExistingID(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	id := uuid.Must(uuid.NewV7())
	_, _, err := s.Create(ctx, record(id, ""))
	require.NoError(t, err)
	_, _, err = s.Create(ctx, record(id, ""))
	assert.ErrorIs(t, err, ticket.ErrConflict)
}

func testMissing(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	id := uuid.Must(uuid.NewV7())
	_, err := s.Ticket(ctx, id)
	assert.ErrorIs(t, err, ticket.ErrNotFound)
	_, err = s.TicketByNumber(ctx, "", "NOPE-1")
	assert.ErrorIs(t, err, ticket.ErrNotFound)
	_, err = s.Comments(ctx, id)
	assert.ErrorIs(t, err, ticket.ErrNotFound)
	_, err = s.Events(ctx, id, 0)
	assert.ErrorIs(t, err, ticket.ErrNotFound)
	c := record(id, "")
	c.Ticket.Version = 1
	_, err = s.Update(ctx, ticket.Change{Ticket: c.Ticket})
	assert.ErrorIs(t, err, ticket.ErrNotFound)
}

func testUpdate(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, _, err := s.Create(ctx, record(uuid.Must(uuid.NewV7()), ""))
	require.NoError(t, err)
	tk.Subject = "Changed"
	tk.LastEventSeq = 2
	ev := ticket.Event{TicketID: tk.ID, Seq: 2, Kind: ticket.EventFieldChanged, Field: "subject", ToValue: "Changed"}
	out, err := s.Update(ctx, ticket.Change{Ticket: tk, Events: []ticket.Event{ev}})
	require.NoError(t, err)
	require.Len(t, out, 1)
	assert.Equal(t, int64(2), out[0].Version)
	assert.Equal(t, "Changed", out[0].Subject)
	got, err := s.Ticket(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(2), got.Version)
	assert.Equal(t, "Changed", got.Subject)
	assert.Equal(t, tk.Number, got.Number)
	events, err := s.Events(ctx, tk.ID, 0)
	require.NoError(t, err)
	assert.Len(t, events, 2)
}

func testStale(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, _, err := s.Create(ctx, record(uuid.Must(uuid.NewV7()), ""))
	require.NoError(t, err)
	fresh := tk
	fresh.Subject = "First writer"
	_, err = s.Update(ctx, ticket.Change{Ticket: fresh})
	require.NoError(t, err)
	stale := tk
	stale.Subject = "Second writer"
	_, err = s.Update(ctx, ticket.Change{Ticket: stale, Comments: []ticket.Comment{{ID: uuid.Must(uuid.NewV7()), TicketID: tk.ID, Seq: 2, Body: "lost"}}})
	require.ErrorIs(t, err, ticket.ErrConflict)
	got, err := s.Ticket(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, "First writer", got.Subject)
	assert.Equal(t, int64(2), got.Version)
	comments, err := s.Comments(ctx, tk.ID)
	require.NoError(t, err)
	assert.Len(t, comments, 1, "the stale write appended nothing")
}

func testUpdateAtomic(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	a, _, err := s.Create(ctx, record(uuid.Must(uuid.NewV7()), ""))
	require.NoError(t, err)
	b, _, err := s.Create(ctx, record(uuid.Must(uuid.NewV7()), ""))
	require.NoError(t, err)
	staleB := b
	staleB.Version = 0
	failed := a.Clone()
	failed.Subject, failed.Group, failed.Tags = "must not land", "nowhere", []string{"ghost"}
	_, err = s.Update(ctx, ticket.Change{Ticket: failed, Events: twoEvents(failed)}, ticket.Change{Ticket: staleB})
	require.ErrorIs(t, err, ticket.ErrConflict)
	got, err := s.Ticket(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "Hand-built", got.Subject)
	assert.Equal(t, int64(1), got.Version)
	for _, q := range []ticket.Query{{Group: "nowhere"}, {Tag: "ghost"}} {
		page, err := s.List(ctx, q)
		require.NoError(t, err)
		assert.Empty(t, page.Tickets, "a failed write leaves no trace in listings: %+v", q)
	}
	events, err := s.Events(ctx, a.ID, 0)
	require.NoError(t, err)
	assert.Len(t, events, 1, "a failed write appends no event")

	a.Subject, b.Subject = "both", "both"
	out, err := s.Update(ctx, ticket.Change{Ticket: a, Events: twoEvents(a)}, ticket.Change{Ticket: b, Events: twoEvents(b)})
	require.NoError(t, err)
	require.Len(t, out, 2)
	assert.Equal(t, a.ID, out[0].ID)
	assert.Equal(t, b.ID, out[1].ID)
	for _, tk := range []ticket.Ticket{a, b} {
		events, err := s.Events(ctx, tk.ID, 0)
		require.NoError(t, err)
		assert.Len(t, events, 3, "the creation's event and both of this write's")
	}
}

// twoEvents returns two events that follow tk's first.
func twoEvents(tk ticket.Ticket) []ticket.Event {
	return []ticket.Event{
		{TicketID: tk.ID, Seq: 2, Kind: ticket.EventFieldChanged, Field: "subject", ToValue: tk.Subject},
		{TicketID: tk.ID, Seq: 3, Kind: ticket.EventTagsChanged, TagsAdded: []string{"c"}},
	}
}

// testConcurrentComments has 50 goroutines add 100 comments each to one ticket through two
// Services sharing the store (two processes, in effect), so that optimistic-concurrency
// conflicts really happen and must be retried. With -short each writer adds 20.
func testConcurrentComments(t *testing.T, s ticket.Store) {
	const writers = 50
	each := 100
	if testing.Short() {
		each = 20
	}
	// Within one Service writers to a ticket queue up; across Services they race and retry.
	// Retries are bounded, so allow plenty: each lost race means another comment landed.
	var svcs []*ticket.Service
	for range 2 {
		svc, err := ticket.NewService(s, ticket.Config{MaxRetries: 1000})
		require.NoError(t, err)
		svcs = append(svcs, svc)
	}
	tk := create(t, svcs[0], ticket.NewTicket{Assignee: "agent-1"})
	var wg sync.WaitGroup
	var failed atomic.Int64
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc := svcs[w%2]
			for i := range each {
				_, err := svc.Comment(context.Background(), agent, tk.ID, ticket.NewComment{
					Body: fmt.Sprintf("writer %d comment %d", w, i),
				})
				if err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	require.Zero(t, failed.Load(), "comments that returned an error")
	comments, err := s.Comments(context.Background(), tk.ID)
	require.NoError(t, err)
	require.Len(t, comments, writers*each+1, "every comment landed (plus the description)")
	bodies := map[string]bool{}
	for i, c := range comments {
		assert.Equal(t, i+1, c.Seq)
		bodies[c.Body] = true
	}
	assert.Len(t, bodies, writers*each+1, "no comment was stored twice")
	events, err := s.Events(context.Background(), tk.ID, 0)
	require.NoError(t, err)
	for i, e := range events {
		require.Equal(t, int64(i+1), e.Seq)
	}
}

func testEventsOrdered(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	svc := newService(t, s)
	tk := create(t, svc, ticket.NewTicket{})
	_, err := svc.Assign(ctx, agent, tk.ID, "agent-1")
	require.NoError(t, err)
	_, err = svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Public: true, Body: "On it."})
	require.NoError(t, err)
	_, err = svc.Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	events, err := s.Events(ctx, tk.ID, 0)
	require.NoError(t, err)
	kinds := make([]ticket.EventKind, len(events))
	for i, e := range events {
		assert.Equal(t, int64(i+1), e.Seq)
		assert.Equal(t, tk.ID, e.TicketID)
		if i > 0 {
			assert.False(t, e.At.Before(events[i-1].At), "event %d goes back in time", e.Seq)
		}
		kinds[i] = e.Kind
	}
	assert.Equal(t, []ticket.EventKind{
		ticket.EventCreated, ticket.EventCommented, ticket.EventAssigneeChanged,
		ticket.EventStatusChanged, ticket.EventCommented, ticket.EventStatusChanged,
	}, kinds)
	later, err := s.Events(ctx, tk.ID, 4)
	require.NoError(t, err)
	assert.Equal(t, events[4:], later)
}

func testCopies(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	c := record(uuid.Must(uuid.NewV7()), "")
	created, _, err := s.Create(ctx, c)
	require.NoError(t, err)
	// Mutate what was passed in and everything that came back.
	c.Ticket.Tags[0] = "mutated"
	c.Ticket.Fields["k"] = "mutated"
	c.Comments[0].Attachments[0].Name = "mutated"
	c.Events[0].TagsAdded[0] = "mutated"
	created.Tags[0] = "mutated"
	got, err := s.Ticket(ctx, c.Ticket.ID)
	require.NoError(t, err)
	got.Tags[1] = "mutated"
	got.Fields["k"] = "mutated"
	page, err := s.List(ctx, ticket.Query{})
	require.NoError(t, err)
	page.Tickets[0].Tags[0] = "mutated"
	comments, err := s.Comments(ctx, c.Ticket.ID)
	require.NoError(t, err)
	comments[0].Attachments[0].Name = "mutated"
	events, err := s.Events(ctx, c.Ticket.ID, 0)
	require.NoError(t, err)
	events[0].TagsAdded[0] = "mutated"

	again, err := s.Ticket(ctx, c.Ticket.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, again.Tags)
	assert.Equal(t, map[string]string{"k": "v"}, again.Fields)
	comments, err = s.Comments(ctx, c.Ticket.ID)
	require.NoError(t, err)
	assert.Equal(t, "log.txt", comments[0].Attachments[0].Name)
	events, err = s.Events(ctx, c.Ticket.ID, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, events[0].TagsAdded)
}

// fixture is a small population of tickets spread over every filter.
func fixture(t *testing.T, svc *ticket.Service, n int) []ticket.Ticket {
	t.Helper()
	ctx := context.Background()
	statuses := []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusPending, ticket.StatusOnHold}
	out := make([]ticket.Ticket, 0, n)
	for i := range n {
		nt := ticket.NewTicket{
			Subject: fmt.Sprintf("Ticket %d", i),
			Requester: ticket.Requester{ID: fmt.Sprintf("cust-%d", i%7), Email: fmt.Sprintf("c%d@example.com", i%7),
				Organization: []string{"org-a", "org-b", "", ""}[i%4]},
			Status:  statuses[i%len(statuses)],
			Group:   []string{"network", "billing", ""}[i%3],
			Impact:  []ticket.Level{ticket.LevelLow, ticket.LevelMedium, ticket.LevelHigh}[i%3],
			Urgency: []ticket.Level{ticket.LevelLow, ticket.LevelMedium, ticket.LevelHigh}[(i/3)%3],
			Tags:    []string{fmt.Sprintf("tag%d", i%4), "all"},
		}
		if i%5 != 0 {
			nt.Assignee = fmt.Sprintf("agent-%d", i%5)
		}
		out = append(out, create(t, svc, nt))
	}
	// Touch some tickets so UpdatedAt differs.
	for i := 0; i < n; i += 6 {
		tk, err := svc.Update(ctx, agent, out[i].ID, ticket.Changes{AddTags: []string{"touched"}})
		require.NoError(t, err)
		out[i] = tk
	}
	return out
}

// bruteForce filters by hand, independently of Query.Matches.
func bruteForce(all []ticket.Ticket, q ticket.Query) []uuid.UUID {
	var ids []uuid.UUID
	for _, tk := range all {
		ok := (len(q.Statuses) == 0 || slices.Contains(q.Statuses, tk.Status)) &&
			(len(q.Priorities) == 0 || slices.Contains(q.Priorities, tk.Priority)) &&
			(q.Assignee == "" || tk.Assignee == q.Assignee) &&
			(q.Group == "" || tk.Group == q.Group) &&
			(q.Requester == "" || tk.Requester.ID == q.Requester || tk.Requester.Email == q.Requester) &&
			(q.Organization == "" || tk.Requester.Organization == q.Organization) &&
			(q.Visible == nil || visible(q.Visible, tk)) &&
			(q.Tag == "" || slices.Contains(tk.Tags, q.Tag)) &&
			(q.UpdatedSince.IsZero() || !tk.UpdatedAt.Before(q.UpdatedSince))
		if ok {
			ids = append(ids, tk.ID)
		}
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	return ids
}

// visible decides by hand whether v admits tk.
func visible(v *ticket.Visibility, tk ticket.Ticket) bool {
	return slices.Contains(v.Requesters, tk.Requester.ID) || slices.Contains(v.Requesters, tk.Requester.Email) ||
		(tk.Requester.Organization != "" && slices.Contains(v.Organizations, tk.Requester.Organization)) ||
		(tk.Group != "" && slices.Contains(v.Groups, tk.Group)) ||
		(tk.Assignee != "" && slices.Contains(v.Assignees, tk.Assignee))
}

func listAll(t *testing.T, svc *ticket.Service, q ticket.Query) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	for tk, err := range svc.All(context.Background(), q) {
		require.NoError(t, err)
		ids = append(ids, tk.ID)
	}
	return ids
}

func testListFilters(t *testing.T, s ticket.Store) {
	svc := newService(t, s)
	all := fixture(t, svc, 60)
	mid := all[30].UpdatedAt
	queries := map[string]ticket.Query{
		"none":               {},
		"status":             {Statuses: []ticket.Status{ticket.StatusOpen}},
		"two statuses":       {Statuses: []ticket.Status{ticket.StatusNew, ticket.StatusPending}},
		"group":              {Group: "network"},
		"status and group":   {Statuses: []ticket.Status{ticket.StatusOpen}, Group: "billing"},
		"assignee":           {Assignee: "agent-2"},
		"requester by id":    {Requester: "cust-3"},
		"requester by email": {Requester: "c4@example.com"},
		"tag":                {Tag: "tag1"},
		"priority":           {Priorities: []ticket.Priority{ticket.PriorityHigh, ticket.PriorityUrgent}},
		"updated since":      {UpdatedSince: mid},
		"no match":           {Group: "nobody"},
		"small pages":        {Tag: "all", Limit: 7},
		"organization":       {Organization: "org-b"},
		"visible to nobody":  {Visible: &ticket.Visibility{}},
		"visible requester":  {Visible: &ticket.Visibility{Requesters: []string{"cust-2", "c5@example.com"}}},
		"visible org":        {Visible: &ticket.Visibility{Organizations: []string{"org-a"}}},
		"visible groups":     {Visible: &ticket.Visibility{Groups: []string{"network", ""}}},
		"visible assignee":   {Visible: &ticket.Visibility{Assignees: []string{"agent-3", ""}}},
		"visible union":      {Visible: &ticket.Visibility{Requesters: []string{"cust-1"}, Organizations: []string{"org-b"}, Groups: []string{"billing"}, Assignees: []string{"agent-4"}}},
		"visible and status": {Statuses: []ticket.Status{ticket.StatusOpen}, Visible: &ticket.Visibility{Groups: []string{"network"}}, Limit: 2},
	}
	for name, q := range queries {
		t.Run(name, func(t *testing.T) {
			want := bruteForce(all, q)
			assert.Equal(t, want, listAll(t, svc, q))
			assert.Equal(t, want, listStore(t, s, q), "the store itself filters")
		})
	}
}

// listStore lists every ticket matching q page by page straight from the store, so that a
// filter the store ignores is not hidden by the Service filtering the pages it gets.
func listStore(t *testing.T, s ticket.Store, q ticket.Query) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	for {
		page, err := s.List(context.Background(), q)
		require.NoError(t, err)
		for _, tk := range page.Tickets {
			ids = append(ids, tk.ID)
		}
		if page.Next == uuid.Nil {
			return ids
		}
		q.After = page.Next
	}
}

func testPagination(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	svc := newService(t, s)
	before := fixture(t, svc, 40)
	q := ticket.Query{Group: "network", Limit: 3}
	want := bruteForce(before, q)
	var got []uuid.UUID
	for {
		page, err := svc.List(ctx, q)
		require.NoError(t, err)
		for _, tk := range page.Tickets {
			got = append(got, tk.ID)
		}
		// Insert matching tickets between pages.
		create(t, svc, ticket.NewTicket{Group: "network"})
		if page.Next == uuid.Nil {
			break
		}
		q.After = page.Next
	}
	require.GreaterOrEqual(t, len(got), len(want))
	assert.Equal(t, want, got[:len(want)], "every ticket that existed, once, in order")
	seen := map[uuid.UUID]bool{}
	for _, id := range got {
		assert.False(t, seen[id], "ticket listed twice")
		seen[id] = true
	}
}

func testListLimit(t *testing.T, s ticket.Store) {
	svc := newService(t, s)
	fixture(t, svc, 12)
	page, err := s.List(context.Background(), ticket.Query{Limit: 5})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 5)
	assert.Equal(t, page.Tickets[4].ID, page.Next)
	page, err = s.List(context.Background(), ticket.Query{Limit: 12})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 12)
	assert.Equal(t, uuid.Nil, page.Next, "no next page after the last ticket")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = s.List(ctx, ticket.Query{})
	assert.True(t, errors.Is(err, context.Canceled))
}
