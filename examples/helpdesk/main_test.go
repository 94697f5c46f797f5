package main

import (
	"io"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/internal/golden"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// TestRunMatchesGolden checks that run prints the same on every run, and what
// testdata/helpdesk.golden holds (go test -update rewrites it).
func TestRunMatchesGolden(t *testing.T) {
	golden.Run(t, "helpdesk", run)
}

// simulated runs the day without printing and returns the helpdesk to inspect.
func simulated(t *testing.T) *helpdesk {
	h, err := newHelpdesk(io.Discard)
	require.NoError(t, err)
	require.NoError(t, h.simulate())
	return h
}

func TestRussianTicketsGoToRussianSpeakers(t *testing.T) {
	h := simulated(t)
	speaks := map[string][]language.Tag{}
	for _, a := range agents {
		speaks[a.ID] = a.Languages
	}
	russian := 0
	for _, r := range h.queue {
		tk, err := h.desk.Tickets().Get(h.ctx, r.id)
		require.NoError(t, err)
		if base, _ := tk.Language.Base(); base.String() != "ru" {
			continue
		}
		russian++
		events, err := h.desk.Tickets().Events(h.ctx, r.id)
		require.NoError(t, err)
		assigned := 0
		for _, e := range events {
			if e.Kind == ticket.EventAssigneeChanged {
				assigned++
				assert.Contains(t, speaks[e.ToAssignee], language.Russian, "%s went to %s", tk.Number, e.ToAssignee)
			}
		}
		assert.Positive(t, assigned, "%s was never assigned", tk.Number)
	}
	assert.Equal(t, 10, russian, "Russian tickets, with and without a language given")
}

func TestHolidayIsNotBusinessTime(t *testing.T) {
	h := simulated(t)
	assert.Zero(t, office.Between(at(3, 18, 0), at(5, 9, 0)), "Tuesday evening to Thursday morning")
	// IT-101 arrived on Tuesday at 17:30 and was solved on Thursday at 09:40: 30 minutes on
	// Tuesday and 40 on Thursday count; Unity Day in between does not.
	res, err := h.desk.Clocks(h.ctx, h.queue[0].id, h.clock.Now())
	require.NoError(t, err)
	c := res.Clock(sla.Resolution)
	assert.Equal(t, sla.Met, c.Outcome)
	assert.Equal(t, 70*time.Minute, c.Elapsed)
}

func TestTeamCountsAddUp(t *testing.T) {
	h := simulated(t)
	rep, err := h.desk.Report(h.ctx, metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}, Calendar: office})
	require.NoError(t, err)
	var teams []string
	tickets, solved := 0, 0
	for _, g := range rep.Groups() {
		teams = append(teams, g.Key.Group)
		tickets += g.Stats.Tickets
		solved += g.Stats.Solved
	}
	assert.Equal(t, []string{"infrastructure", "service-desk"}, slices.Sorted(slices.Values(teams)))
	assert.Equal(t, len(requests), tickets)
	assert.Equal(t, len(requests), solved)
	assert.Equal(t, 20, rep.Total().Tickets)
}

// Every Northwind member sees all of Northwind's tickets; every Contoso member only their
// own, and nobody sees the other company's.
func TestEachCompanysMembersSeeWhatItsSharingAllows(t *testing.T) {
	h := simulated(t)
	for _, no := range organizations {
		o, err := h.people.Directory().OrganizationByDomain(h.ctx, "", no.Domains[0])
		require.NoError(t, err)
		members, err := h.people.Members(h.ctx, "", o.ID)
		require.NoError(t, err)
		company, err := h.desk.OrganizationHistory(h.ctx, o.ID)
		require.NoError(t, err)
		for _, m := range members {
			own, err := h.desk.History(h.ctx, m.ID)
			require.NoError(t, err)
			want := len(own)
			if o.SharedTickets {
				want = len(company)
			}
			seen, err := h.visibleTo(m)
			require.NoError(t, err)
			assert.Equal(t, want, seen, "%s of %s", m.Name, o.Name)
		}
	}
}
