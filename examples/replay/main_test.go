package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/internal/golden"

	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// replayed is the replay of the embedded log, shared by the tests that read it.
var replayed = sync.OnceValues(func() (*replayer, error) { return replayLog(bytes.NewReader(defaultLog)) })

func TestOutputMatchesGolden(t *testing.T) {
	r, err := replayed()
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, r.print(&out, defaultLogName))
	golden.Check(t, "replay", out.Bytes())
}

func TestRunReadsTheEmbeddedLogByDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("replays the whole log twice; TestOutputMatchesGolden covers the replay under -short")
	}
	var fromEmbedded, fromFile bytes.Buffer
	require.NoError(t, replayFile(&fromEmbedded, ""))
	require.NoError(t, replayFile(&fromFile, filepath.Join("testdata", "incident_event_log.csv")))
	assert.Equal(t, fromEmbedded.String(), strings.Replace(fromFile.String(), filepath.Join("testdata", "incident_event_log.csv"), defaultLogName, 1))
	assert.ErrorIs(t, replayFile(&bytes.Buffer{}, filepath.Join("testdata", "no-such-file.csv")), fs.ErrNotExist)
}

// logRow is one row of the CSV as the oracle reads it, with no help from the program.
type logRow struct {
	line, mod       int
	state           string
	opened, updated time.Time
}

// readRows reads testdata/incident_event_log.csv straight into rows by incident, each
// incident's rows in the documented replay order: by sys_mod_count, then time, then line.
func readRows(t *testing.T) map[string][]logRow {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "incident_event_log.csv"))
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
		require.NoError(t, err, "the embedded log has every time")
		return tm
	}
	byNumber := map[string][]logRow{}
	for i, rec := range all[1:] {
		mod, err := strconv.Atoi(rec[col["sys_mod_count"]])
		require.NoError(t, err)
		n := rec[col["number"]]
		byNumber[n] = append(byNumber[n], logRow{
			line: i + 2, mod: mod, state: rec[col["incident_state"]],
			opened: parse(rec[col["opened_at"]]), updated: parse(rec[col["sys_updated_at"]]),
		})
	}
	for _, rows := range byNumber {
		slices.SortFunc(rows, func(a, b logRow) int {
			if a.mod != b.mod {
				return a.mod - b.mod
			}
			if c := a.updated.Compare(b.updated); c != 0 {
				return c
			}
			return a.line - b.line
		})
	}
	return byNumber
}

func solvedState(s string) bool { return s == "Resolved" || s == "Closed" }

// untilClosed returns the rows up to and including the first Closed one: closed is final.
func untilClosed(rows []logRow) []logRow {
	if i := slices.IndexFunc(rows, func(r logRow) bool { return r.state == "Closed" }); i >= 0 {
		return rows[:i+1]
	}
	return rows
}

func TestRecordsAgreeWithTheLog(t *testing.T) {
	byNumber := readRows(t)
	var reachedSolved, reopens, reopened int
	for _, rows := range byNumber {
		if slices.ContainsFunc(rows, func(r logRow) bool { return solvedState(r.state) }) {
			reachedSolved++
		}
		n := 0
		rows = untilClosed(rows)
		for i := 1; i < len(rows); i++ {
			if rows[i-1].state == "Resolved" && !solvedState(rows[i].state) {
				n++
			}
		}
		reopens += n
		if n > 0 {
			reopened++
		}
	}

	r, err := replayed()
	require.NoError(t, err)
	var records, everSolved, gotReopens, gotReopened int
	for rec := range r.desk.Metrics().Records() {
		records++
		if !rec.FirstSolved.IsZero() {
			everSolved++
		}
		gotReopens += rec.Reopens
		if rec.Reopens > 0 {
			gotReopened++
		}
	}
	assert.Equal(t, 890, len(byNumber), "the README's count of incidents")
	assert.Equal(t, len(byNumber), records, "one record per incident")
	assert.Equal(t, reachedSolved, everSolved, "incidents that reached Resolved or Closed")
	assert.Equal(t, reopens, gotReopens, "reopens: Resolved followed by an open or waiting state")
	assert.Equal(t, reopened, gotReopened, "incidents reopened at least once")
	assert.Positive(t, reopens, "the log has reopens")
	t.Logf("incidents %d, reached Resolved/Closed %d, reopens %d in %d incidents", len(byNumber), reachedSolved, reopens, reopened)
}

// resolutionTimes returns each incident's time from its opening to its last solve, in the
// log's times moved forward so that they never go back: the last row that enters Resolved or
// Closed from another state (before the incident closes).
func resolutionTimes(t *testing.T) (opened, solved []time.Time) {
	for _, rows := range readRows(t) {
		open := rows[0].opened
		latest, wasSolved := open, false
		var last time.Time
		for _, r := range untilClosed(rows) {
			if r.updated.After(latest) {
				latest = r.updated
			}
			if solvedState(r.state) && !wasSolved {
				last = latest
			}
			wasSolved = solvedState(r.state)
		}
		require.False(t, last.IsZero(), "every incident of the log is solved")
		opened, solved = append(opened, open), append(solved, last)
	}
	return opened, solved
}

// exactQuantile is the exact q-quantile of xs by linear interpolation between the two
// nearest ranks, as PostgreSQL's percentile_cont computes it; it sorts xs.
func exactQuantile(xs []float64, q float64) float64 {
	slices.Sort(xs)
	pos := q * float64(len(xs)-1)
	i := int(pos)
	if i+1 >= len(xs) {
		return xs[i]
	}
	return xs[i] + (pos-float64(i))*(xs[i+1]-xs[i])
}

// officeSeconds counts the seconds of [a, b) that fall on Monday to Friday, 08:00-18:00
// UTC, day by day.
func officeSeconds(a, b time.Time) float64 {
	total := 0.0
	for day := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC); day.Before(b); day = day.AddDate(0, 0, 1) {
		if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			continue
		}
		from, to := day.Add(8*time.Hour), day.Add(18*time.Hour)
		if a.After(from) {
			from = a
		}
		if b.Before(to) {
			to = b
		}
		if to.After(from) {
			total += to.Sub(from).Seconds()
		}
	}
	return total
}

func TestResolutionQuantilesAgreeWithBruteForce(t *testing.T) {
	opened, solved := resolutionTimes(t)
	var calendar, business []float64
	for i := range opened {
		calendar = append(calendar, solved[i].Sub(opened[i]).Seconds())
		business = append(business, officeSeconds(opened[i], solved[i]))
	}

	r, err := replayed()
	require.NoError(t, err)
	rep, err := r.report()
	require.NoError(t, err)
	s := rep.Total()
	gotCalendar := s.Duration(metrics.FullResolution)
	gotBusiness, ok := s.BusinessDuration(metrics.FullResolution)
	require.True(t, ok)
	require.Equal(t, len(opened), gotCalendar.Count)

	// The sketch promises 1% relative error; the summary rounds to the millisecond.
	for _, c := range []struct {
		name string
		xs   []float64
		q    float64
		got  time.Duration
	}{
		{"calendar p50", calendar, 0.5, gotCalendar.P50},
		{"calendar p90", calendar, 0.9, gotCalendar.P90},
		{"business p50", business, 0.5, gotBusiness.P50},
		{"business p90", business, 0.9, gotBusiness.P90},
	} {
		want := exactQuantile(slices.Clone(c.xs), c.q)
		assert.InDelta(t, want, c.got.Seconds(), 0.01*want+0.001, c.name)
		t.Logf("%s: exact %.2fh, report %.2fh", c.name, want/3600, c.got.Hours())
	}
}

// TestResolutionClocksAgreeWithOfficeHours checks the Desk's resolution clocks against time
// counted directly from each ticket's audit log: the office time (Monday to Friday,
// 08:00-18:00) the ticket spent new or open, whose sum is met when within the target of its
// priority. Tickets whose priority changed (re-targeted clocks) are left out.
func TestResolutionClocksAgreeWithOfficeHours(t *testing.T) {
	r, err := replayed()
	require.NoError(t, err)
	target := map[ticket.Priority]time.Duration{}
	for _, x := range resolutionTargets {
		target[x.priority] = x.within
	}
	ctx := context.Background()
	checked := 0
	for _, tk := range r.tickets {
		events, err := r.desk.Tickets().Events(ctx, tk.ID)
		require.NoError(t, err)
		if slices.ContainsFunc(events, func(e ticket.Event) bool { return e.Kind == ticket.EventPriorityChanged }) {
			continue
		}
		var running time.Duration
		var since time.Time
		var status ticket.Status
		for _, e := range events {
			if e.Kind != ticket.EventCreated && e.Kind != ticket.EventStatusChanged && e.Kind != ticket.EventReopened {
				continue
			}
			if status.Category() == ticket.CategoryOpen {
				running += time.Duration(officeSeconds(since, e.At)) * time.Second
			}
			status, since = e.ToStatus, e.At
		}
		res, err := r.desk.Clocks(ctx, tk.ID, tk.UpdatedAt)
		require.NoError(t, err)
		c := res.Clock(sla.Resolution)
		assert.Equal(t, running, c.Elapsed, tk.Number)
		checked++
		assert.Equal(t, running <= target[tk.Priority], c.Outcome == sla.Met, "%s: %v of %v", tk.Number, running, target[tk.Priority])
	}
	assert.Greater(t, checked, 800)
	t.Logf("checked %d tickets", checked)
}

// synthetic builds a log in the file's format from rows of number, state, sys_mod_count,
// sys_updated_at and assigned_to; every incident opens on Monday 2016-02-29 at 08:00.
func synthetic(rows ...[5]string) string {
	var b strings.Builder
	b.WriteString("number,incident_state,sys_mod_count,made_sla,caller_id,opened_by,opened_at,sys_updated_by," +
		"sys_updated_at,contact_type,impact,urgency,assignment_group,assigned_to,reopen_count\n")
	for _, r := range rows {
		b.WriteString(strings.Join([]string{r[0], r[1], r[2], "TRUE", "Caller 1", "Opened by 1", "29-02-2016 08:00",
			"Updated by 1", r[3], "Phone", "2 - Medium", "1 - High", "Group 1", r[4], "0"}, ",") + "\n")
	}
	return b.String()
}

func TestLifecycleAdjustmentsAreAppliedAndCounted(t *testing.T) {
	log := synthetic(
		// solved with nobody assigned, then closed: the placeholder resolver is kept
		[5]string{"INC1", "New", "0", "29-02-2016 08:05", "?"},
		[5]string{"INC1", "Resolved", "1", "29-02-2016 09:00", "?"},
		[5]string{"INC1", "Closed", "2", "29-02-2016 10:00", "?"},
		[5]string{"INC1", "Closed", "3", "29-02-2016 11:00", "Resolver 9"}, // after the close: skipped
		// closed while active: solved, then closed
		[5]string{"INC2", "Active", "0", "29-02-2016 08:10", "Resolver 2"},
		[5]string{"INC2", "Closed", "1", "29-02-2016 12:00", "Resolver 2"},
		// from Resolved straight to waiting: reopened, then pending; rows out of order and a
		// time that goes backwards
		[5]string{"INC3", "Awaiting User Info", "2", "29-02-2016 08:30", "Resolver 3"},
		[5]string{"INC3", "Active", "0", "29-02-2016 08:15", "Resolver 3"},
		[5]string{"INC3", "Resolved", "1", "29-02-2016 09:00", "Resolver 3"},
		[5]string{"INC3", "Weird", "3", "29-02-2016 10:00", "Resolver 4"},
	)
	r, err := replayLog(strings.NewReader(log))
	require.NoError(t, err)
	c := r.count
	assert.Equal(t, 3, c.incidents)
	assert.Equal(t, 10, c.rows)
	assert.Equal(t, 1, c.afterClosed)
	assert.Equal(t, 1, c.placeholder)
	assert.Equal(t, 1, c.keptResolver)
	assert.Equal(t, 1, c.solvedAtClose)
	assert.Equal(t, 1, c.reopenedToWait)
	assert.Equal(t, 1, c.unknownState)
	assert.Equal(t, 1, c.reordered)
	assert.Equal(t, 1, c.moved, "the pending row at 08:30 comes after the solve at 09:00")
	assert.Empty(t, c.rejected)
	assert.Empty(t, r.wiring.lines)

	inc1, inc2, inc3 := r.tickets["INC1"], r.tickets["INC2"], r.tickets["INC3"]
	assert.Equal(t, ticket.StatusClosed, inc1.Status)
	assert.Equal(t, placeholderResolver, inc1.Assignee)
	assert.Equal(t, ticket.StatusClosed, inc2.Status)
	assert.Equal(t, ticket.StatusPending, inc3.Status)
	assert.Equal(t, "Resolver 4", inc3.Assignee, "an unknown state still applies the attributes")
	assert.Equal(t, ticket.PriorityHigh, inc3.Priority, "medium impact and high urgency")

	rec, ok := r.desk.Metrics().Record(inc3.ID.String())
	require.True(t, ok)
	assert.Equal(t, 1, rec.Reopens)
	assert.Equal(t, time.Date(2016, 2, 29, 9, 0, 0, 0, time.UTC), rec.FirstSolved)
	require.Len(t, rec.Pending, 1)
	assert.Equal(t, time.Date(2016, 2, 29, 9, 0, 0, 0, time.UTC), rec.Pending[0].Start, "time never goes backwards")
	rec, ok = r.desk.Metrics().Record(inc2.ID.String())
	require.True(t, ok)
	assert.Equal(t, time.Date(2016, 2, 29, 12, 0, 0, 0, time.UTC), rec.Solved)
	assert.Equal(t, time.Date(2016, 2, 29, 8, 0, 0, 0, time.UTC), rec.Created, "the ticket opens at opened_at")
}

func TestBadLogsReturnErrBadLog(t *testing.T) {
	good := synthetic([5]string{"INC1", "New", "0", "29-02-2016 08:05", "?"})
	cases := map[string]struct {
		log    string
		column string
	}{
		"missing column":       {strings.Replace(good, "contact_type", "contact", 1), "contact_type"},
		"bad time":             {strings.Replace(good, "29-02-2016 08:05", "2016-02-29 08:05", 1), "sys_updated_at"},
		"unknown contact type": {strings.Replace(good, "Phone", "Pigeon", 1), "contact_type"},
		"unknown impact":       {strings.Replace(good, "2 - Medium", "5 - Huge", 1), "impact"},
		"bad mod count":        {strings.Replace(good, "INC1,New,0", "INC1,New,x", 1), "sys_mod_count"},
		"no time at all": {strings.NewReplacer("29-02-2016 08:00", "?", "29-02-2016 08:05", "?").Replace(good),
			"opened_at"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := replayLog(strings.NewReader(c.log))
			require.ErrorIs(t, err, errBadLog)
			var le *logError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, c.column, le.Column)
		})
	}
	_, err := replayLog(strings.NewReader(""))
	assert.ErrorIs(t, err, errBadLog, "no header")
}

func TestContactTypesAndStatesMap(t *testing.T) {
	for contact, want := range map[string]ticket.Channel{
		"Phone": ticket.ChannelPhone, "IVR": ticket.ChannelPhone, "Email": ticket.ChannelEmail,
		"Self service": ticket.ChannelWebForm, "Direct opening": ticket.ChannelAPI,
	} {
		assert.Equal(t, want, channels[contact], contact)
		assert.True(t, want.Valid())
	}
	for _, c := range []struct {
		state string
		cur   ticket.Status
		want  ticket.Status
	}{
		{"New", ticket.StatusNew, ticket.StatusNew},
		{"New", ticket.StatusPending, ticket.StatusOpen},
		{"Active", ticket.StatusNew, ticket.StatusOpen},
		{"Active", ticket.StatusSolved, ticket.StatusOpen},
		{"Awaiting User Info", ticket.StatusOpen, ticket.StatusPending},
		{"Awaiting Problem", ticket.StatusOpen, ticket.StatusOnHold},
		{"Awaiting Vendor", ticket.StatusOpen, ticket.StatusOnHold},
		{"Awaiting Evidence", ticket.StatusOpen, ticket.StatusOnHold},
		{"Resolved", ticket.StatusOpen, ticket.StatusSolved},
		{"Closed", ticket.StatusSolved, ticket.StatusClosed},
	} {
		got, ok := status(c.state, c.cur)
		assert.True(t, ok, c.state)
		assert.Equal(t, c.want, got, "%s from %s", c.state, c.cur)
	}
	_, ok := status("-100", ticket.StatusOpen)
	assert.False(t, ok)
}

func FuzzReplayLog(f *testing.F) {
	f.Add(synthetic([5]string{"INC1", "New", "0", "29-02-2016 08:05", "?"}))
	f.Add(synthetic(
		[5]string{"INC1", "Resolved", "1", "29-02-2016 09:00", "?"},
		[5]string{"INC1", "Active", "0", "?", "Resolver 1"},
		[5]string{"INC1", "Closed", "2", "29-02-2016 08:00", "?"},
	))
	f.Add("number\nINC1\n")
	f.Fuzz(func(t *testing.T, log string) {
		if _, _, err := readLog(strings.NewReader(log)); err != nil {
			require.ErrorIs(t, err, errBadLog)
			return
		}
		_, _ = replayLog(strings.NewReader(log)) // the lifecycle may reject the input; it must not panic
	})
}

// TestEveryBreachIsAlertedOnce checks the replay's OnBreach calls against the resolution
// clocks of every ticket as the replay left them: one alert per breached cycle, none for a
// clock met at its deadline instant (INC0000790 pauses exactly at its 30-business-hour
// deadline). It needs the sla package's rule that a clock breaches only once now is past
// its deadline.
func TestEveryBreachIsAlertedOnce(t *testing.T) {
	r, err := replayed()
	require.NoError(t, err)
	ctx := context.Background()
	breached := 0
	for _, tk := range r.tickets {
		res, err := r.desk.Clocks(ctx, tk.ID, r.clock.Now())
		require.NoError(t, err)
		for _, c := range res.Clocks {
			breached += c.BreachedCycles
		}
	}
	inc := r.tickets["INC0000790"]
	res, err := r.desk.Clocks(ctx, inc.ID, r.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, res.Clock(sla.Resolution).BreachedCycles, "INC0000790 paused at its deadline")
	assert.Equal(t, 268, breached)
	assert.Equal(t, breached, r.count.breaches, "one alert per breached clock cycle")
}
