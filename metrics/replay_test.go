package metrics_test

import (
	"encoding/csv"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// incidentRow is one update of an incident in testdata/incident_event_log.csv.
type incidentRow struct {
	number, state, group, assignee, priority, channel string
	opened, updated                                   time.Time
	reopenCount                                       string
	madeSLA                                           bool
}

func loadIncidents(t *testing.T) (order []string, rows map[string][]incidentRow) {
	t.Helper()
	f, err := os.Open("testdata/incident_event_log.csv")
	require.NoError(t, err)
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	col := map[string]int{}
	for i, name := range all[0] {
		col[name] = i
	}
	parse := func(s string) time.Time {
		tm, err := time.Parse("02-01-2006 15:04", s)
		require.NoError(t, err)
		return tm
	}
	rows = map[string][]incidentRow{}
	for _, rec := range all[1:] {
		r := incidentRow{
			number: rec[col["number"]], state: rec[col["incident_state"]], group: rec[col["assignment_group"]],
			assignee: rec[col["assigned_to"]], priority: rec[col["priority"]], channel: rec[col["contact_type"]],
			opened: parse(rec[col["opened_at"]]), updated: parse(rec[col["sys_updated_at"]]),
			reopenCount: rec[col["reopen_count"]], madeSLA: rec[col["made_sla"]] == "TRUE",
		}
		if _, seen := rows[r.number]; !seen {
			order = append(order, r.number)
		}
		rows[r.number] = append(rows[r.number], r)
	}
	// Clean the times: the log keeps updates in order (by sys_mod_count), but a few update
	// times come before opened_at or before the previous update; read each such time as the
	// latest time seen so far.
	for _, rs := range rows {
		latest := rs[0].opened
		for i := range rs {
			latest = maxTime(latest, rs[i].updated)
			rs[i].updated = latest
		}
	}
	return order, rows
}

func solvedState(s string) bool { return s == "Resolved" || s == "Closed" }

// replay turns each incident's updates into events: creation with its attributes, assignee
// changes, Resolved/Closed as solve/close, a return from them as a reopen, and "Awaiting User
// Info" as pending.
func replay(t *testing.T, order []string, rows map[string][]incidentRow) *metrics.Builder {
	b := metrics.NewBuilder()
	for _, id := range order {
		rs := rows[id]
		opened := rs[0].opened
		add := func(at time.Time, k metrics.EventKind, field, value string) {
			t.Helper()
			require.NoError(t, b.Add(metrics.Event{TicketID: id, At: at, Kind: k, Field: field, Value: value}))
		}
		add(opened, metrics.EventCreated, "", "")
		add(opened, metrics.EventSet, metrics.FieldChannel, rs[0].channel)
		add(opened, metrics.EventSet, metrics.FieldPriority, rs[0].priority)
		add(opened, metrics.EventSet, metrics.FieldGroup, rs[0].group)
		prev, solved := "", false
		assignee := "?"
		for _, r := range rs {
			if r.assignee != "?" && r.assignee != assignee {
				add(r.updated, metrics.EventSet, metrics.FieldAssignee, r.assignee)
				assignee = r.assignee
			}
			switch {
			case r.state == "Closed":
				add(r.updated, metrics.EventClosed, "", "")
				solved = true
			case r.state == "Resolved":
				add(r.updated, metrics.EventSolved, "", "")
				solved = true
			case solved:
				add(r.updated, metrics.EventReopened, "", "")
				solved = false
			}
			if r.state == "Awaiting User Info" && prev != r.state {
				add(r.updated, metrics.EventPending, "", "")
			} else if r.state != "Awaiting User Info" && prev == "Awaiting User Info" {
				add(r.updated, metrics.EventResumed, "", "")
			}
			prev = r.state
		}
		last := rs[len(rs)-1]
		if last.madeSLA {
			add(last.updated, metrics.EventSLAMet, "resolution", "")
		} else {
			add(last.updated, metrics.EventSLABreached, "resolution", "")
		}
	}
	return b
}

func TestReplayIncidentLog(t *testing.T) {
	order, rows := loadIncidents(t)
	require.Len(t, order, 890)
	b := replay(t, order, rows)

	r, err := metrics.NewReport(metrics.ReportConfig{})
	require.NoError(t, err)
	require.Zero(t, r.AddAll(b.Records()))
	s := r.Total()

	// Independent figures straight from the rows: the log's own reopen_count column, the
	// first Resolved/Closed update, the last row's made_sla.
	var reopened, everSolved, solvedNow, met int
	var firstResolution time.Duration
	for _, id := range order {
		rs := rows[id]
		if slices.ContainsFunc(rs, func(r incidentRow) bool { return r.reopenCount != "0" }) {
			reopened++
		}
		if i := slices.IndexFunc(rs, func(r incidentRow) bool { return solvedState(r.state) }); i >= 0 {
			everSolved++
			firstResolution += rs[i].updated.Sub(rs[0].opened)
		}
		if solvedState(rs[len(rs)-1].state) {
			solvedNow++
		}
		if rs[len(rs)-1].madeSLA {
			met++
		}
	}
	assert.Equal(t, 890, s.Tickets)
	assert.Equal(t, everSolved, s.EverSolved)
	assert.Equal(t, solvedNow, s.Solved)
	assert.Equal(t, reopened, s.Reopened)
	wantReopen := float64(reopened) / float64(everSolved)
	gotReopen, ok := s.ReopenRate()
	require.True(t, ok)
	assert.InDelta(t, wantReopen, gotReopen, 1e-12)
	gotResolution, _ := s.ResolutionRate()
	assert.InDelta(t, float64(solvedNow)/890, gotResolution, 1e-12)
	assert.Equal(t, firstResolution/time.Duration(everSolved), s.Duration(metrics.FirstResolution).Mean)
	gotSLA, _ := s.SLAAttainment("resolution")
	assert.InDelta(t, float64(met)/890, gotSLA, 1e-12)
	t.Logf("incidents %d, ever solved %d, reopened %d (%.2f%%), SLA met %.1f%%, mean first resolution %v",
		s.Tickets, s.EverSolved, s.Reopened, 100*gotReopen, 100*gotSLA, s.Duration(metrics.FirstResolution).Mean)
}
