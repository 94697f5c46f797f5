package ticket_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

func TestDefaultMatrixIsITIL(t *testing.T) {
	// ITIL's priority = impact × urgency table, 1 critical … 5 planning.
	itil := map[[2]ticket.Level]int{
		{ticket.LevelHigh, ticket.LevelHigh}: 1, {ticket.LevelHigh, ticket.LevelMedium}: 2,
		{ticket.LevelMedium, ticket.LevelHigh}: 2, {ticket.LevelHigh, ticket.LevelLow}: 3,
		{ticket.LevelMedium, ticket.LevelMedium}: 3, {ticket.LevelLow, ticket.LevelHigh}: 3,
		{ticket.LevelMedium, ticket.LevelLow}: 4, {ticket.LevelLow, ticket.LevelMedium}: 4,
		{ticket.LevelLow, ticket.LevelLow}: 5,
	}
	folded := map[int]ticket.Priority{1: ticket.PriorityUrgent, 2: ticket.PriorityHigh, 3: ticket.PriorityNormal, 4: ticket.PriorityLow, 5: ticket.PriorityLow}
	for cell, p := range itil {
		assert.Equal(t, folded[p], ticket.DefaultPriorityMatrix.Priority(cell[0], cell[1]), "%v", cell)
	}
}

func TestPriorityDerivedUnlessSetByHand(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{Impact: ticket.LevelHigh, Urgency: ticket.LevelHigh})
	assert.Equal(t, ticket.PriorityUrgent, tk.Priority)
	assert.False(t, tk.PriorityExplicit)

	tk, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Urgency: ticket.Ptr(ticket.LevelLow)})
	require.NoError(t, err)
	assert.Equal(t, ticket.PriorityNormal, tk.Priority, "re-derived")

	tk, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Priority: ticket.Ptr(ticket.PriorityHigh)})
	require.NoError(t, err)
	tk, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Impact: ticket.Ptr(ticket.LevelLow)})
	require.NoError(t, err)
	assert.Equal(t, ticket.PriorityHigh, tk.Priority, "a hand-set priority stays")

	tk, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{DerivePriority: true})
	require.NoError(t, err)
	assert.Equal(t, ticket.PriorityLow, tk.Priority)
	evs := b.events(t, tk.ID)
	last := evs[len(evs)-1]
	assert.Equal(t, ticket.EventPriorityChanged, last.Kind)
	assert.Equal(t, ticket.PriorityHigh, last.FromPriority)
	assert.Equal(t, ticket.PriorityLow, last.ToPriority)

	explicit := b.create(t, ticket.NewTicket{Priority: ticket.PriorityUrgent, Impact: ticket.LevelLow})
	assert.Equal(t, ticket.PriorityUrgent, explicit.Priority)
	assert.True(t, explicit.PriorityExplicit)
}

// TestPinningTheCurrentPriorityByHandIsRecordedAndSticks guards hand-setting the priority a
// ticket already has: it pins the priority (so impact and urgency stop moving it) and the
// audit log says so.
func TestPinningTheCurrentPriorityByHandIsRecordedAndSticks(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{}) // medium × medium derives normal
	require.Equal(t, ticket.PriorityNormal, tk.Priority)
	require.False(t, tk.PriorityExplicit)
	assert.Equal(t, ticket.PriorityDerived, b.events(t, tk.ID)[0].Reason)

	tk, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Priority: ticket.Ptr(ticket.PriorityNormal)})
	require.NoError(t, err)
	assert.True(t, tk.PriorityExplicit, "set by hand")
	evs := b.events(t, tk.ID)
	last := evs[len(evs)-1]
	assert.Equal(t, ticket.EventPriorityChanged, last.Kind)
	assert.Equal(t, ticket.PriorityNormal, last.FromPriority)
	assert.Equal(t, ticket.PriorityNormal, last.ToPriority)
	assert.Equal(t, ticket.PriorityByHand, last.Reason)

	_, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Priority: ticket.Ptr(ticket.PriorityNormal)})
	require.NoError(t, err)
	assert.Len(t, b.events(t, tk.ID), len(evs), "pinning a pinned priority records nothing")

	tk, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Urgency: ticket.Ptr(ticket.LevelHigh)})
	require.NoError(t, err)
	assert.Equal(t, ticket.PriorityNormal, tk.Priority, "a hand-set priority stays until set again")
}

// TestDerivePriorityUnpinsEvenWhenTheDerivedPriorityIsTheSame guards DerivePriority on a
// hand-set priority equal to the derived one: the ticket follows impact and urgency again and
// the audit log says so.
func TestDerivePriorityUnpinsEvenWhenTheDerivedPriorityIsTheSame(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{Priority: ticket.PriorityNormal})
	require.True(t, tk.PriorityExplicit)
	assert.Equal(t, ticket.PriorityByHand, b.events(t, tk.ID)[0].Reason)

	tk, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{DerivePriority: true})
	require.NoError(t, err)
	assert.False(t, tk.PriorityExplicit)
	evs := b.events(t, tk.ID)
	last := evs[len(evs)-1]
	assert.Equal(t, ticket.EventPriorityChanged, last.Kind)
	assert.Equal(t, ticket.PriorityNormal, last.FromPriority)
	assert.Equal(t, ticket.PriorityNormal, last.ToPriority)
	assert.Equal(t, ticket.PriorityDerived, last.Reason)

	_, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{DerivePriority: true})
	require.NoError(t, err)
	assert.Len(t, b.events(t, tk.ID), len(evs), "deriving a derived priority records nothing")

	tk, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Urgency: ticket.Ptr(ticket.LevelHigh)})
	require.NoError(t, err)
	assert.Equal(t, ticket.PriorityHigh, tk.Priority, "derived again from impact and urgency")
	evs = b.events(t, tk.ID)
	assert.Equal(t, ticket.PriorityDerived, evs[len(evs)-1].Reason)
}

func TestCustomPriorityMatrix(t *testing.T) {
	var m ticket.PriorityMatrix
	for i := range m {
		for u := range m[i] {
			m[i][u] = ticket.PriorityLow
		}
	}
	m[2][2] = ticket.PriorityHigh
	b := setup(t, ticket.Config{Priorities: m})
	assert.Equal(t, ticket.PriorityHigh, b.create(t, ticket.NewTicket{Impact: ticket.LevelHigh, Urgency: ticket.LevelHigh}).Priority)
	assert.Equal(t, ticket.PriorityLow, b.create(t, ticket.NewTicket{}).Priority)

	m[0][0] = ""
	_, err := ticket.NewService(ticket.NewMemoryStore(), ticket.Config{Priorities: m})
	assert.ErrorIs(t, err, ticket.ErrInvalid, "a matrix with a hole")
}

// The zero PriorityMatrix means DefaultPriorityMatrix for its own method too, not only in
// Config: it never answers with the empty, invalid priority.
func TestZeroPriorityMatrixAnswersAsTheDefault(t *testing.T) {
	levels := []ticket.Level{ticket.LevelLow, ticket.LevelMedium, ticket.LevelHigh, "", "bogus"}
	for _, impact := range levels {
		for _, urgency := range levels {
			got := ticket.PriorityMatrix{}.Priority(impact, urgency)
			require.True(t, got.Valid(), "%q/%q gave %q", impact, urgency, got)
			require.Equal(t, ticket.DefaultPriorityMatrix.Priority(impact, urgency), got)
		}
	}
}
