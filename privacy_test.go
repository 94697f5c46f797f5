package supportkit_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/ticket"
)

// TestDeskEraseReachesEveryPart erases a customer and an agent from a Desk with tickets,
// search analytics and metrics records: afterwards no part holds their data, and the report
// by agent computes the same figures, the agent's under the pseudonym.
func TestDeskEraseReachesEveryPart(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Knowledge: &kb.Config{}})
	require.NoError(t, err)
	ann := ticket.Requester{ID: "cust-ann", Name: "Ann Lee", Email: "ann.lee@example.com"}
	bo := ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-bo", Name: "Bo Sun"}
	svc := d.Tickets()
	for i := range 4 {
		r := ann
		if i%2 == 1 {
			r = ticket.Requester{ID: "cust-other", Email: "other@example.com"}
		}
		tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "Printer for Ann Lee", Requester: r, Description: "Call ann.lee@example.com."})
		require.NoError(t, err)
		clock.set(clock.Now().Add(10 * time.Minute))
		_, err = svc.Assign(ctx, bo, tk.ID, bo.ID)
		require.NoError(t, err)
		_, err = svc.Comment(ctx, bo, tk.ID, ticket.NewComment{Public: true, Body: "Bo Sun here, on it."})
		require.NoError(t, err)
		clock.set(clock.Now().Add(time.Hour))
		_, err = svc.Solve(ctx, bo, tk.ID)
		require.NoError(t, err)
	}
	_, err = d.KB().Search(ctx, kb.Query{Text: "printer ann.lee@example.com", Audience: kb.Customer})
	require.NoError(t, err)
	byAgent := metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByAgent}}
	before, err := d.Report(ctx, byAgent)
	require.NoError(t, err)

	annPerson := ticket.Person{IDs: []string{ann.ID}, Emails: []string{ann.Email}, Names: []string{ann.Name}}
	raw, err := d.Export(ctx, ticket.System, annPerson)
	require.NoError(t, err)
	var export supportkit.PersonalExport
	require.NoError(t, json.Unmarshal(raw, &export))
	assert.Len(t, export.Tickets.Requested, 2)
	assert.Len(t, export.Tickets.Elsewhere, 2, "her name in the other tickets' subjects")
	require.Len(t, export.Searches, 1)
	assert.Equal(t, 1, export.Searches[0].Searches)

	_, err = d.Erase(ctx, ticket.System, annPerson)
	require.NoError(t, err)
	boReport, err := d.Erase(ctx, ticket.System, ticket.Person{IDs: []string{bo.ID}, Names: []string{bo.Name}})
	require.NoError(t, err)

	for tk, err := range svc.All(ctx, ticket.Query{}) {
		require.NoError(t, err)
		comments, err := svc.Comments(ctx, tk.ID)
		require.NoError(t, err)
		events, err := svc.Events(ctx, tk.ID)
		require.NoError(t, err)
		for s := range ticket.Texts(tk, comments, events) {
			for _, secret := range []string{"ann", "Ann", "Bo Sun", "agent-bo"} {
				assert.NotContains(t, s, secret, "ticket %s", tk.Number)
			}
		}
	}
	queries, err := d.KB().Queries(ctx, func(string) bool { return true })
	require.NoError(t, err)
	require.Len(t, queries, 1)
	assert.Equal(t, "printer [erased]", queries[0].Query)
	assert.Equal(t, 1, queries[0].Searches)
	for r := range d.Metrics().Records() {
		assert.Equal(t, boReport.Pseudonym, r.Assignee)
	}
	after, err := d.Report(ctx, byAgent)
	require.NoError(t, err)
	require.Len(t, after.Groups(), len(before.Groups()))
	for i, g := range before.Groups() {
		a := after.Groups()[i]
		assert.Equal(t, g.Stats.Tickets, a.Stats.Tickets)
		assert.Equal(t, g.Stats.Duration(metrics.FRT), a.Stats.Duration(metrics.FRT))
		assert.Equal(t, g.Stats.Duration(metrics.FullResolution), a.Stats.Duration(metrics.FullResolution))
		if g.Key.Agent == bo.ID {
			assert.Equal(t, boReport.Pseudonym, a.Key.Agent)
		}
	}
	raw, err = d.Export(ctx, ticket.System, annPerson)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &export))
	assert.Empty(t, export.Tickets.Requested)
	assert.Empty(t, export.Tickets.Elsewhere)
	assert.Empty(t, export.Searches)
}

// TestDeskEraseRenamesAnAgentKnownByEmail erases an agent whose ID is their email address,
// named in another case: the tickets take the pseudonym, and so must the metrics records,
// or the report by agent still names them and no longer agrees with the tickets.
func TestDeskEraseRenamesAnAgentKnownByEmail(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now})
	require.NoError(t, err)
	bo := ticket.Actor{Kind: ticket.ActorAgent, ID: "Bo.Sun@Example.com", Name: "Bo Sun"}
	svc := d.Tickets()
	for range 2 {
		tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "Printer", Requester: ticket.Requester{ID: "cust-1"}, Description: "d"})
		require.NoError(t, err)
		clock.set(clock.Now().Add(10 * time.Minute))
		_, err = svc.Assign(ctx, bo, tk.ID, bo.ID)
		require.NoError(t, err)
		_, err = svc.Comment(ctx, bo, tk.ID, ticket.NewComment{Public: true, Body: "On it."})
		require.NoError(t, err)
		clock.set(clock.Now().Add(time.Hour))
		_, err = svc.Solve(ctx, bo, tk.ID)
		require.NoError(t, err)
	}
	byAgent := metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByAgent}}
	before, err := d.Report(ctx, byAgent)
	require.NoError(t, err)
	report, err := d.Erase(ctx, ticket.System, ticket.Person{Emails: []string{"bo.sun@example.com"}})
	require.NoError(t, err)
	for tk, err := range svc.All(ctx, ticket.Query{}) {
		require.NoError(t, err)
		assert.Equal(t, report.Pseudonym, tk.Assignee)
	}
	for r := range d.Metrics().Records() {
		for _, a := range []string{r.Assignee, r.OwnerAtFirstReply.Assignee, r.OwnerAtSolve.Assignee} {
			assert.Equal(t, report.Pseudonym, a)
		}
	}
	after, err := d.Report(ctx, byAgent)
	require.NoError(t, err)
	require.Len(t, after.Groups(), len(before.Groups()))
	for i, g := range before.Groups() {
		assert.Equal(t, report.Pseudonym, after.Groups()[i].Key.Agent)
		assert.Equal(t, g.Stats.Tickets, after.Groups()[i].Stats.Tickets)
	}
}

// A hook delivery that failed before its ticket's requester was erased is retried with
// the ticket as the erasure left it: no retry hands the host the erased person's data.
func TestRetryAfterEraseCarriesNoErasedData(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	var got []ticket.Ticket
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Hooks: supportkit.Hooks{
		OnSolved: func(_ context.Context, tk ticket.Ticket) error {
			got = append(got, tk)
			if len(got) == 1 {
				return errors.New("the mail server is down")
			}
			return nil
		},
	}})
	require.NoError(t, err)
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN for bo.sun@example.com", Description: "down",
		Requester: ticket.Requester{Email: "bo.sun@example.com", Name: "Bo Sun"}, Assignee: agent.ID})
	require.NoError(t, err)
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	require.Len(t, got, 1)
	_, err = d.Erase(ctx, ticket.System, ticket.Person{Emails: []string{"bo.sun@example.com"}, Names: []string{"Bo Sun"}})
	require.NoError(t, err)
	clock.set(start.Add(time.Minute))
	d.RetryHooks(ctx, clock.Now())
	require.Len(t, got, 2, "retried")
	assert.NotContains(t, got[1].Requester.Email, "bo.sun")
	assert.NotContains(t, got[1].Subject, "bo.sun")
	assert.NotContains(t, got[1].Requester.Name, "Bo Sun")
}
