package ticket_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// A zero Service (declared, not made by NewService) panicked on its first call with a nil
// store; every method now reports ErrInvalid.
func TestZeroServiceGivesErrorsNotPanics(t *testing.T) {
	id := uuidFor(1)
	for _, svc := range []*ticket.Service{{}, nil} {
		calls := map[string]func() error{
			"Create": func() error { _, err := svc.Create(ctx, ticket.NewTicket{Subject: "s", Requester: ann}); return err },
			"Receive": func() error {
				_, err := svc.Receive(ctx, ticket.Inbound{From: ann, Subject: "Re: [SUP-1] s", Body: "b"})
				return err
			},
			"Get":          func() error { _, err := svc.Get(ctx, id); return err },
			"GetByNumber":  func() error { _, err := svc.GetByNumber(ctx, "SUP-1"); return err },
			"Comments":     func() error { _, err := svc.Comments(ctx, id); return err },
			"Events":       func() error { _, err := svc.Events(ctx, id); return err },
			"EventsAfter":  func() error { _, err := svc.EventsAfter(ctx, id, 1); return err },
			"CustomerView": func() error { _, err := svc.CustomerView(ctx, id); return err },
			"List":         func() error { _, err := svc.List(ctx, ticket.Query{}); return err },
			"All": func() error {
				for _, err := range svc.All(ctx, ticket.Query{}) {
					return err
				}
				return nil
			},
			"Comment": func() error {
				_, err := svc.Comment(ctx, agent, id, ticket.NewComment{Public: true, Body: "b"})
				return err
			},
			"Update": func() error { _, err := svc.Update(ctx, agent, id, ticket.Changes{}); return err },
			"Assign": func() error { _, err := svc.Assign(ctx, agent, id, "a"); return err },
			"Escalate": func() error {
				_, err := svc.Escalate(ctx, agent, id, ticket.Escalation{Line: 2, Reason: "r"})
				return err
			},
			"Solve":       func() error { _, err := svc.Solve(ctx, agent, id); return err },
			"Close":       func() error { _, err := svc.Close(ctx, agent, id); return err },
			"Reopen":      func() error { _, err := svc.Reopen(ctx, agent, id); return err },
			"CloseSolved": func() error { _, err := svc.CloseSolved(ctx, start); return err },
			"Merge":       func() error { _, err := svc.Merge(ctx, agent, id, uuidFor(2)); return err },
			"Link":        func() error { _, err := svc.Link(ctx, agent, id, ticket.LinkRelated, uuidFor(2)); return err },
			"Rate":        func() error { _, err := svc.Rate(ctx, annAc, id, ticket.Rating{CSAT: 5}); return err },
			"DefineMacro": func() error { return svc.DefineMacro(ticket.Macro{Name: "m"}) },
			"Macro":       func() error { _, err := svc.Macro("m"); return err },
			"ApplyMacro":  func() error { _, err := svc.ApplyMacro(ctx, agent, id, "m"); return err },
		}
		for name, call := range calls {
			var err error
			require.NotPanics(t, func() { err = call() }, name)
			assert.ErrorIs(t, err, ticket.ErrInvalid, name)
		}
	}
}

// A zero MemoryStore panicked on its first Create (nil maps); it is now an empty store.
func TestZeroMemoryStoreIsAnEmptyStore(t *testing.T) {
	var store ticket.MemoryStore
	_, err := store.Ticket(ctx, uuidFor(1))
	assert.ErrorIs(t, err, ticket.ErrNotFound)
	page, err := store.List(ctx, ticket.Query{Statuses: []ticket.Status{ticket.StatusNew}})
	require.NoError(t, err)
	assert.Empty(t, page.Tickets)

	svc, err := ticket.NewService(&store, ticket.Config{Now: func() time.Time { return start }})
	require.NoError(t, err)
	tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "Printer jams", Requester: ann, Tags: []string{"printer"}})
	require.NoError(t, err)
	assert.Equal(t, "SUP-1", tk.Number)
	page, err = svc.List(ctx, ticket.Query{Tag: "printer"})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 1)
}

func TestMemoryStoreRefusesACreationWithoutANumberFunction(t *testing.T) {
	store := ticket.NewMemoryStore()
	var err error
	require.NotPanics(t, func() {
		_, _, err = store.Create(ctx, ticket.Creation{Ticket: ticket.Ticket{ID: uuid.Must(uuid.NewV7())}})
	})
	assert.ErrorIs(t, err, ticket.ErrInvalid)
}

// The zero values of the other exported types are usable as they are.
func TestZeroValuesOfOtherTypesAreUsable(t *testing.T) {
	require.NotPanics(t, func() {
		assert.Equal(t, "SUP-1", ticket.PrefixNumbers{}.Number(1))
		_, found := ticket.PrefixNumbers{}.Find("")
		assert.False(t, found)
		assert.Equal(t, ticket.PriorityUrgent, ticket.PriorityMatrix{}.Priority(ticket.LevelHigh, ticket.LevelHigh))
		assert.False(t, ticket.Ticket{}.HasTag("x"))
		assert.True(t, ticket.Query{}.Matches(ticket.Ticket{}))
		_ = ticket.Ticket{}.Clone()
		_ = ticket.Comment{}.Clone()
		_ = ticket.Event{}.Clone()
		_ = ticket.Macro{}.Clone()
		assert.Empty(t, ticket.Event{}.FromCategory())
		for _, err := range []error{&ticket.ValidationError{}, &ticket.TransitionError{}, &ticket.NotFoundError{},
			&ticket.ClosedError{}, &ticket.ConflictError{}, &ticket.KeyReuseError{}} {
			assert.NotEmpty(t, err.Error())
		}
	})
}
