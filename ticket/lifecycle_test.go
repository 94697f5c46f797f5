package ticket_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

func TestCanTransitionTable(t *testing.T) {
	all := []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusPending, ticket.StatusOnHold, ticket.StatusSolved, ticket.StatusClosed}
	allowed := map[[2]ticket.Status]bool{}
	for _, from := range []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusPending, ticket.StatusOnHold} {
		for _, to := range []ticket.Status{ticket.StatusOpen, ticket.StatusPending, ticket.StatusOnHold, ticket.StatusSolved} {
			if from != to {
				allowed[[2]ticket.Status{from, to}] = true
			}
		}
	}
	allowed[[2]ticket.Status{ticket.StatusSolved, ticket.StatusOpen}] = true
	allowed[[2]ticket.Status{ticket.StatusSolved, ticket.StatusClosed}] = true
	for _, from := range all {
		for _, to := range all {
			assert.Equal(t, allowed[[2]ticket.Status{from, to}], ticket.CanTransition(from, to), "%s -> %s", from, to)
		}
	}
}

func TestStatusCategories(t *testing.T) {
	want := map[ticket.Status]ticket.StatusCategory{
		ticket.StatusNew: ticket.CategoryOpen, ticket.StatusOpen: ticket.CategoryOpen,
		ticket.StatusPending: ticket.CategoryPending, ticket.StatusOnHold: ticket.CategoryOnHold,
		ticket.StatusSolved: ticket.CategorySolved, ticket.StatusClosed: ticket.CategorySolved,
		"bogus": "",
	}
	for s, c := range want {
		assert.Equal(t, c, s.Category(), string(s))
	}
}

func TestSolveNeedsAnAssignee(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{})
	_, err := b.svc.Solve(ctx, agent, tk.ID)
	var te *ticket.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, ticket.StatusNew, te.From)
	assert.Equal(t, ticket.StatusSolved, te.To)
	assert.ErrorIs(t, err, ticket.ErrTransition)
	got, err := b.svc.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, tk, got, "a refused change writes nothing")
}

func TestIllegalTransitionNamesFromAndTo(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{})
	_, err := b.svc.Close(ctx, agent, tk.ID)
	var te *ticket.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, ticket.StatusNew, te.From)
	assert.Equal(t, ticket.StatusClosed, te.To)
	_, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Status: ticket.Ptr(ticket.StatusNew)})
	assert.NoError(t, err, "setting the current status is a no-op")
	_, err = b.svc.Reopen(ctx, agent, tk.ID)
	assert.ErrorIs(t, err, ticket.ErrTransition)
}

func TestLifecycleEndToEnd(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{})
	assert.Equal(t, ticket.StatusNew, tk.Status)

	tk, err := b.svc.Assign(ctx, agent, tk.ID, "agent-7")
	require.NoError(t, err)
	assert.Equal(t, ticket.StatusOpen, tk.Status, "assigning opens a new ticket")

	tk, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Status: ticket.Ptr(ticket.StatusPending)})
	require.NoError(t, err)
	_, err = b.svc.Comment(ctx, annAc, tk.ID, ticket.NewComment{Public: true, Body: "Here is the log."})
	require.NoError(t, err)
	tk, err = b.svc.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, ticket.StatusOpen, tk.Status, "a customer reply reopens a pending ticket")

	b.clock.Advance(time.Hour)
	tk, err = b.svc.Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, b.clock.Now(), tk.SolvedAt)

	_, err = b.svc.Comment(ctx, annAc, tk.ID, ticket.NewComment{Public: true, Body: "Still broken."})
	require.NoError(t, err)
	tk, err = b.svc.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, ticket.StatusOpen, tk.Status, "a customer reply reopens a solved ticket")
	assert.True(t, tk.SolvedAt.IsZero())

	tk, err = b.svc.Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	tk, err = b.svc.Close(ctx, agent, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, ticket.StatusClosed, tk.Status)

	evs := b.events(t, tk.ID)
	var reopens []ticket.Event
	for _, e := range evs {
		if e.Kind == ticket.EventReopened {
			reopens = append(reopens, e)
		}
	}
	require.Len(t, reopens, 2)
	assert.Equal(t, ticket.StatusPending, reopens[0].FromStatus)
	assert.Equal(t, ticket.StatusSolved, reopens[1].FromStatus)
	assert.Equal(t, ticket.ActorCustomer, reopens[1].Actor.Kind)
	assert.Equal(t, ticket.CategorySolved, reopens[1].FromCategory())
	assert.Equal(t, ticket.CategoryOpen, reopens[1].ToCategory())
}

func TestClosedTicketRefusesEveryChange(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{Assignee: "agent-7", Status: ticket.StatusSolved})
	tk, err := b.svc.Close(ctx, agent, tk.ID)
	require.NoError(t, err)
	other := b.create(t, ticket.NewTicket{})
	changes := map[string]func() error{
		"update": func() error {
			_, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{AddTags: []string{"x"}})
			return err
		},
		"assign": func() error { _, err := b.svc.Assign(ctx, agent, tk.ID, "agent-8"); return err },
		"escalate": func() error {
			_, err := b.svc.Escalate(ctx, agent, tk.ID, ticket.Escalation{Line: 2, Reason: "r"})
			return err
		},
		"solve":  func() error { _, err := b.svc.Solve(ctx, agent, tk.ID); return err },
		"reopen": func() error { _, err := b.svc.Reopen(ctx, agent, tk.ID); return err },
		"note": func() error {
			_, err := b.svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: "n"})
			return err
		},
		"link":  func() error { _, err := b.svc.Link(ctx, agent, tk.ID, ticket.LinkRelated, other.ID); return err },
		"merge": func() error { _, err := b.svc.Merge(ctx, agent, tk.ID, other.ID); return err },
		"merge into": func() error {
			_, err := b.svc.Merge(ctx, agent, other.ID, tk.ID)
			return err
		},
	}
	before := b.events(t, tk.ID)
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, change(), ticket.ErrClosed)
		})
	}
	assert.Equal(t, before, b.events(t, tk.ID), "nothing was written")
}

func TestCustomerReplyToClosedTicketCreatesLinkedFollowUp(t *testing.T) {
	b := setup(t, ticket.Config{})
	old := b.create(t, ticket.NewTicket{Assignee: "agent-7", Status: ticket.StatusSolved, Group: "printers"})
	_, err := b.svc.Close(ctx, agent, old.ID)
	require.NoError(t, err)
	c, err := b.svc.Comment(ctx, annAc, old.ID, ticket.NewComment{Public: true, Body: "It is back."})
	require.NoError(t, err)
	require.NotEqual(t, old.ID, c.TicketID)
	fu, err := b.svc.Get(ctx, c.TicketID)
	require.NoError(t, err)
	assert.Equal(t, []ticket.Link{{Kind: ticket.LinkFollowUpOf, Target: old.ID}}, fu.Links)
	assert.Equal(t, old.Subject, fu.Subject)
	assert.Equal(t, "printers", fu.Group)
	assert.Equal(t, ticket.StatusNew, fu.Status)
	assert.Equal(t, []ticket.EventKind{ticket.EventCreated, ticket.EventLinked, ticket.EventCommented}, kinds(b.events(t, fu.ID)))
	assert.Equal(t, old.ID, b.events(t, fu.ID)[0].Other)
	cs, err := b.svc.Comments(ctx, fu.ID)
	require.NoError(t, err)
	assert.Equal(t, "It is back.", cs[0].Body)
}

// TestFollowUpKeyDoesNotCollideWithCreationKey guards the follow-up's idempotency key: a
// reply whose comment key a host already used to create a ticket (with or without a
// description) must still open its own follow-up, return the customer's own comment, and
// return that same comment when redelivered; one key on replies to two closed tickets opens
// two follow-ups.
func TestFollowUpKeyDoesNotCollideWithCreationKey(t *testing.T) {
	b := setup(t, ticket.Config{})
	bare, err := b.svc.Create(ctx, ticket.NewTicket{Key: "K", Subject: "Form without text", Requester: ann})
	require.NoError(t, err)
	described := b.create(t, ticket.NewTicket{Key: "L", Subject: "Other"})
	closed := func() ticket.Ticket {
		tk := b.create(t, ticket.NewTicket{Assignee: "agent-7", Status: ticket.StatusSolved})
		_, err := b.svc.Close(ctx, agent, tk.ID)
		require.NoError(t, err)
		return tk
	}
	old, other := closed(), closed()
	hostTickets := []uuid.UUID{bare.ID, described.ID, old.ID, other.ID}
	followUps := map[uuid.UUID]bool{}
	for _, tc := range []struct {
		closed ticket.Ticket
		key    string
	}{{old, "K"}, {old, "L"}, {old, "M"}, {other, "M"}} {
		nc := ticket.NewComment{Public: true, Body: "Back again: " + tc.key, Key: tc.key}
		var c ticket.Comment
		require.NotPanics(t, func() { c, err = b.svc.Comment(ctx, annAc, tc.closed.ID, nc) }, tc.key)
		require.NoError(t, err, tc.key)
		assert.NotContains(t, hostTickets, c.TicketID, tc.key)
		assert.False(t, followUps[c.TicketID], "%s: a follow-up of its own", tc.key)
		followUps[c.TicketID] = true
		assert.Equal(t, nc.Body, c.Body, tc.key)
		assert.Equal(t, tc.key, c.Key, tc.key)
		fu, err := b.svc.Get(ctx, c.TicketID)
		require.NoError(t, err)
		assert.Equal(t, []ticket.Link{{Kind: ticket.LinkFollowUpOf, Target: tc.closed.ID}}, fu.Links, tc.key)

		again, err := b.svc.Comment(ctx, annAc, tc.closed.ID, nc)
		require.NoError(t, err, tc.key)
		assert.Equal(t, c, again, "%s: a redelivered reply returns the comment it added", tc.key)
	}
	cs, err := b.svc.Comments(ctx, bare.ID)
	require.NoError(t, err)
	assert.Empty(t, cs, "the host's ticket is untouched")
	page, err := b.svc.List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, len(hostTickets)+len(followUps))
	// The host's own keys still name the host's tickets.
	again, err := b.svc.Create(ctx, ticket.NewTicket{Key: "K", Subject: "Form without text", Requester: ann})
	require.NoError(t, err)
	assert.Equal(t, bare.ID, again.ID)
}

func TestCloseSolvedClosesOnlyDueTickets(t *testing.T) {
	b := setup(t, ticket.Config{CloseAfter: 48 * time.Hour})
	early := b.create(t, ticket.NewTicket{Assignee: "agent-7", Status: ticket.StatusSolved})
	b.clock.Advance(24 * time.Hour)
	late := b.create(t, ticket.NewTicket{Assignee: "agent-7", Status: ticket.StatusSolved})
	open := b.create(t, ticket.NewTicket{})

	n, err := b.svc.CloseSolved(ctx, start.Add(48*time.Hour-time.Second))
	require.NoError(t, err)
	assert.Equal(t, 0, n)
	n, err = b.svc.CloseSolved(ctx, start.Add(48*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	for id, want := range map[*ticket.Ticket]ticket.Status{&early: ticket.StatusClosed, &late: ticket.StatusSolved, &open: ticket.StatusNew} {
		got, err := b.svc.Get(ctx, id.ID)
		require.NoError(t, err)
		assert.Equal(t, want, got.Status)
	}
	evs := b.events(t, early.ID)
	last := evs[len(evs)-1]
	assert.Equal(t, ticket.ActorSystem, last.Actor.Kind)
	assert.Equal(t, ticket.StatusClosed, last.ToStatus)
}

// TestCloseSolvedRefusesTheZeroNow checks that a periodic call whose instant was never set
// says so, instead of closing nothing, every time, without a word.
func TestCloseSolvedRefusesTheZeroNow(t *testing.T) {
	b := setup(t, ticket.Config{CloseAfter: 48 * time.Hour})
	solved := b.create(t, ticket.NewTicket{Assignee: "agent-7", Status: ticket.StatusSolved})
	n, err := b.svc.CloseSolved(ctx, time.Time{})
	require.ErrorIs(t, err, ticket.ErrInvalid)
	assert.Zero(t, n)
	got, err := b.svc.Get(ctx, solved.ID)
	require.NoError(t, err)
	assert.Equal(t, ticket.StatusSolved, got.Status)
}

func TestCloseAfterLimits(t *testing.T) {
	for _, d := range []time.Duration{-time.Hour, 29 * 24 * time.Hour} {
		_, err := ticket.NewService(ticket.NewMemoryStore(), ticket.Config{CloseAfter: d})
		assert.ErrorIs(t, err, ticket.ErrInvalid, d)
	}
	_, err := ticket.NewService(ticket.NewMemoryStore(), ticket.Config{CloseAfter: 28 * 24 * time.Hour})
	assert.NoError(t, err)
}

func TestEscalateUpTheLines(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{Group: "service-desk"})
	tk, err := b.svc.Escalate(ctx, agent, tk.ID, ticket.Escalation{Line: 2, Group: "network", Reason: "needs router access"})
	require.NoError(t, err)
	assert.Equal(t, 2, tk.Line)
	assert.Equal(t, "network", tk.Group)
	_, err = b.svc.Escalate(ctx, agent, tk.ID, ticket.Escalation{Line: 2, Reason: "again"})
	assert.ErrorIs(t, err, ticket.ErrInvalid, "not above the current line")
	_, err = b.svc.Escalate(ctx, agent, tk.ID, ticket.Escalation{Line: 3})
	assert.ErrorIs(t, err, ticket.ErrInvalid, "reason required")
	tk, err = b.svc.Escalate(ctx, agent, tk.ID, ticket.Escalation{Line: 3, Reason: "firmware bug"})
	require.NoError(t, err)
	assert.Equal(t, "network", tk.Group, "empty group keeps the current one")
	evs := b.events(t, tk.ID)
	esc := evs[len(evs)-2]
	assert.Equal(t, ticket.EventEscalated, esc.Kind)
	assert.Equal(t, 1, esc.FromLine)
	assert.Equal(t, 2, esc.ToLine)
	assert.Equal(t, "service-desk", esc.FromGroup)
	assert.Equal(t, "network", esc.ToGroup)
	assert.Equal(t, "needs router access", esc.Reason)
}

func TestRatingRecordsCSATAndCES(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{Assignee: "agent-7", Status: ticket.StatusSolved})
	_, err := b.svc.Close(ctx, agent, tk.ID)
	require.NoError(t, err)
	tk, err = b.svc.Rate(ctx, annAc, tk.ID, ticket.Rating{CSAT: 5, CES: 2, Comment: "Fast!"})
	require.NoError(t, err, "a closed ticket still takes its survey answer")
	assert.Equal(t, ticket.Rating{CSAT: 5, CES: 2, Comment: "Fast!"}, tk.Satisfaction)
	evs := b.events(t, tk.ID)
	last := evs[len(evs)-1]
	assert.Equal(t, ticket.EventRated, last.Kind)
	assert.Equal(t, 5, last.CSAT)
	assert.Equal(t, 2, last.CES)
	for _, r := range []ticket.Rating{{}, {CSAT: 6}, {CES: 8}, {CSAT: -1}, {CSAT: 3, Comment: "\xff"}} {
		_, err := b.svc.Rate(ctx, annAc, tk.ID, r)
		assert.ErrorIs(t, err, ticket.ErrInvalid, "%+v", r)
	}
}

func TestMergeClosesSourceAndReferencesItsComments(t *testing.T) {
	b := setup(t, ticket.Config{})
	src := b.create(t, ticket.NewTicket{Subject: "Printer again"})
	dst := b.create(t, ticket.NewTicket{})
	srcComments, err := b.svc.Comments(ctx, src.ID)
	require.NoError(t, err)

	dstAfter, err := b.svc.Merge(ctx, agent, src.ID, dst.ID)
	require.NoError(t, err)
	assert.Equal(t, []ticket.Link{{Kind: ticket.LinkMergedFrom, Target: src.ID}}, dstAfter.Links)
	srcAfter, err := b.svc.Get(ctx, src.ID)
	require.NoError(t, err)
	assert.Equal(t, ticket.StatusClosed, srcAfter.Status)
	assert.Equal(t, []ticket.Link{{Kind: ticket.LinkMergedInto, Target: dst.ID}}, srcAfter.Links)

	dstComments, err := b.svc.Comments(ctx, dst.ID)
	require.NoError(t, err)
	note := dstComments[len(dstComments)-1]
	assert.False(t, note.Public)
	require.Len(t, note.Refs, len(srcComments))
	assert.Equal(t, srcComments[0].ID, note.Refs[0])
	assert.Contains(t, note.Body, src.Number)

	_, err = b.svc.Merge(ctx, agent, dst.ID, dst.ID)
	assert.ErrorIs(t, err, ticket.ErrInvalid, "into itself")
	third := b.create(t, ticket.NewTicket{})
	_, err = b.svc.Merge(ctx, agent, third.ID, src.ID)
	assert.ErrorIs(t, err, ticket.ErrClosed, "into a closed ticket")
	got, err := b.svc.Get(ctx, third.ID)
	require.NoError(t, err)
	assert.Equal(t, third, got, "the refused merge changed nothing")
}

func TestLinksRecordBothSidesAndProblem(t *testing.T) {
	b := setup(t, ticket.Config{})
	incident := b.create(t, ticket.NewTicket{Type: ticket.TypeIncident})
	problem := b.create(t, ticket.NewTicket{Type: ticket.TypeProblem})
	tk, err := b.svc.Link(ctx, agent, incident.ID, ticket.LinkCausedBy, problem.ID)
	require.NoError(t, err)
	assert.Equal(t, problem.ID, tk.Problem)
	p, err := b.svc.Get(ctx, problem.ID)
	require.NoError(t, err)
	assert.Equal(t, []ticket.Link{{Kind: ticket.LinkCauses, Target: incident.ID}}, p.Links)

	again, err := b.svc.Link(ctx, agent, incident.ID, ticket.LinkCausedBy, problem.ID)
	require.NoError(t, err)
	assert.Equal(t, tk.Version, again.Version, "linking twice changes nothing")

	for name, kind := range map[string]ticket.LinkKind{"unknown": "friend", "merge": ticket.LinkMergedInto} {
		_, err := b.svc.Link(ctx, agent, incident.ID, kind, problem.ID)
		assert.ErrorIs(t, err, ticket.ErrInvalid, name)
	}
	_, err = b.svc.Link(ctx, agent, incident.ID, ticket.LinkRelated, incident.ID)
	assert.ErrorIs(t, err, ticket.ErrInvalid)
	_, err = b.svc.Link(ctx, agent, incident.ID, ticket.LinkParent, uuidFor(99))
	assert.ErrorIs(t, err, ticket.ErrNotFound)
}

func TestErrorsAreTyped(t *testing.T) {
	b := setup(t, ticket.Config{})
	_, err := b.svc.Comment(ctx, agent, uuidFor(1), ticket.NewComment{Body: "hi"})
	var nf *ticket.NotFoundError
	require.ErrorAs(t, err, &nf)
	assert.True(t, errors.Is(err, ticket.ErrNotFound))
	_, err = b.svc.GetByNumber(ctx, "SUP-404")
	assert.ErrorIs(t, err, ticket.ErrNotFound)
}

// TestReopenMovesPendingAndSolvedTicketsOnly guards Reopen's contract for every status: a
// pending ticket (an agent taking it back before the customer answered) and a solved one
// reopen with one EventReopened from that status; every other status is refused with a
// *TransitionError and nothing written. A mutant that refused pending tickets survived the
// whole suite before.
func TestReopenMovesPendingAndSolvedTicketsOnly(t *testing.T) {
	for _, from := range []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusPending, ticket.StatusOnHold, ticket.StatusSolved} {
		t.Run(string(from), func(t *testing.T) {
			b := setup(t, ticket.Config{})
			tk := b.create(t, ticket.NewTicket{Assignee: "agent-7", Status: from})
			require.Equal(t, from, tk.Status)
			b.clock.Advance(time.Minute)
			got, err := b.svc.Reopen(ctx, agent, tk.ID)
			evs := b.events(t, tk.ID)
			if from != ticket.StatusPending && from != ticket.StatusSolved {
				var te *ticket.TransitionError
				require.ErrorAs(t, err, &te)
				assert.Equal(t, ticket.TransitionError{From: from, To: ticket.StatusOpen, Reason: "only solved or pending tickets reopen"}, *te)
				now, err := b.svc.Get(ctx, tk.ID)
				require.NoError(t, err)
				assert.Equal(t, tk, now, "nothing written")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, ticket.StatusOpen, got.Status)
			assert.True(t, got.SolvedAt.IsZero())
			last := evs[len(evs)-1]
			assert.Equal(t, ticket.EventReopened, last.Kind)
			assert.Equal(t, from, last.FromStatus)
			assert.Equal(t, ticket.StatusOpen, last.ToStatus)
			assert.Equal(t, agent, last.Actor)
			assert.True(t, last.At.Equal(start.Add(time.Minute)))
		})
	}
}

// TestCloseSolvedLogsOnlyWhenItClosedSomething guards the automation's log: one info record
// with the count when tickets were closed, none for a run that closed nothing (a scheduler
// calls it every few minutes).
func TestCloseSolvedLogsOnlyWhenItClosedSomething(t *testing.T) {
	var out bytes.Buffer
	b := setup(t, ticket.Config{CloseAfter: time.Hour, Logger: zerolog.New(&out)})
	for range 2 {
		b.create(t, ticket.NewTicket{Assignee: "agent-7", Status: ticket.StatusSolved})
	}
	n, err := b.svc.CloseSolved(ctx, start)
	require.NoError(t, err)
	require.Zero(t, n)
	assert.Empty(t, out.String(), "nothing closed, nothing logged")
	n, err = b.svc.CloseSolved(ctx, start.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, 2, n)
	assert.Equal(t, `{"level":"info","closed":2,"message":"ticket: closed solved tickets"}`+"\n", out.String())
}

// TestTransitionErrorSaysWhy guards the Reason of refused status changes: closing anything
// but a solved ticket says that only solved tickets close; an edge the lifecycle lacks
// otherwise has no reason beyond its two statuses.
func TestTransitionErrorSaysWhy(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{Assignee: "agent-7", Status: ticket.StatusOpen})
	_, err := b.svc.Close(ctx, agent, tk.ID)
	var te *ticket.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, ticket.TransitionError{From: ticket.StatusOpen, To: ticket.StatusClosed, Reason: "only solved tickets close"}, *te)
	assert.Equal(t, "ticket: cannot change status from open to closed: only solved tickets close", err.Error())
	_, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Status: ticket.Ptr(ticket.StatusNew)})
	require.ErrorAs(t, err, &te)
	assert.Equal(t, ticket.TransitionError{From: ticket.StatusOpen, To: ticket.StatusNew}, *te)
	assert.Equal(t, "ticket: cannot change status from open to new", err.Error())
}
