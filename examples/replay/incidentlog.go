package main

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/supportkit/supportkit/ticket"
)

// errBadLog is the sentinel every error about the input file wraps.
var errBadLog = errors.New("replay: bad incident log")

// logError names the line and column of the input that cannot be read. It unwraps to
// errBadLog.
type logError struct {
	Line   int // 1-based line of the file; the header is line 1
	Column string
	Reason string
}

func (e *logError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("replay: line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("replay: line %d, column %s: %s", e.Line, e.Column, e.Reason)
}

func (e *logError) Unwrap() error { return errBadLog }

// timeLayout is the log's timestamp format: dd-mm-yyyy HH:MM.
const timeLayout = "02-01-2006 15:04"

// missing is how the log marks an empty value.
const missing = "?"

// columns are the columns the replay reads; every one must be in the header.
var columns = []string{
	"number", "incident_state", "sys_mod_count", "made_sla", "caller_id", "opened_by",
	"opened_at", "sys_updated_by", "sys_updated_at", "contact_type", "impact", "urgency",
	"assignment_group", "assigned_to", "reopen_count",
}

// row is one update of an incident: the state of the incident after the update.
type row struct {
	line     int // line in the file
	number   string
	state    string // incident_state as written
	modCount int
	madeSLA  bool // the log's own SLA verdict
	reopens  int  // the log's reopen_count; 0 when missing
	caller   string
	openedBy string
	opened   time.Time // zero when missing
	// updated is when the update happened: sys_updated_at, moved forward by order() so that
	// an incident's times never go backwards. Zero when missing in the file.
	updated   time.Time
	updatedBy string
	channel   ticket.Channel
	impact    ticket.Level
	urgency   ticket.Level
	group     string // "" when missing
	assignee  string // "" when missing: nobody is assigned
}

// incident is one incident's updates in replay order.
type incident struct {
	number string
	opened time.Time
	rows   []row
	// reordered reports whether the file did not list the rows in replay order.
	reordered bool
	// movedForward counts the rows whose time was missing, or earlier than the incident's
	// opening or a previous update, and was taken as the latest time seen so far.
	movedForward int
}

// readLog reads an incident event log in CSV with a header row and returns its incidents
// in the order of their first row, and the number of rows read. Errors wrap errBadLog: a
// missing column, an unknown contact type, impact or urgency, a bad number or time, an
// incident without any time.
func readLog(r io.Reader) (incidents []*incident, rows int, err error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, 0, &logError{Line: 1, Reason: "no header: " + err.Error()}
	}
	col, err := columnIndex(header)
	if err != nil {
		return nil, 0, err
	}
	byNumber := map[string]*incident{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, &logError{Line: line, Reason: err.Error()}
		}
		rw, err := parseRow(line, func(name string) string { return rec[col[name]] })
		if err != nil {
			return nil, 0, err
		}
		inc := byNumber[rw.number]
		if inc == nil {
			inc = &incident{number: rw.number}
			byNumber[rw.number] = inc
			incidents = append(incidents, inc)
		}
		inc.rows = append(inc.rows, rw)
		rows++
	}
	for _, inc := range incidents {
		if err := inc.order(); err != nil {
			return nil, 0, err
		}
	}
	return incidents, rows, nil
}

func columnIndex(header []string) (map[string]int, error) {
	col := make(map[string]int, len(header))
	for i, name := range header {
		col[name] = i
	}
	for _, name := range columns {
		if _, ok := col[name]; !ok {
			return nil, &logError{Line: 1, Column: name, Reason: "column missing"}
		}
	}
	return col, nil
}

func parseRow(line int, field func(string) string) (row, error) {
	bad := func(column, reason string) error {
		return &logError{Line: line, Column: column, Reason: reason}
	}
	rw := row{
		line: line, number: field("number"), state: field("incident_state"),
		madeSLA: field("made_sla") == "TRUE", caller: known(field("caller_id")),
		openedBy: known(field("opened_by")), updatedBy: known(field("sys_updated_by")),
		group: known(field("assignment_group")), assignee: known(field("assigned_to")),
	}
	if rw.number == "" || rw.number == missing {
		return row{}, bad("number", "empty incident number")
	}
	var err error
	if rw.modCount, err = strconv.Atoi(field("sys_mod_count")); err != nil || rw.modCount < 0 {
		return row{}, bad("sys_mod_count", fmt.Sprintf("not a count: %q", field("sys_mod_count")))
	}
	for _, t := range []struct {
		column string
		into   *time.Time
	}{{"opened_at", &rw.opened}, {"sys_updated_at", &rw.updated}} {
		if *t.into, err = parseTime(field(t.column)); err != nil {
			return row{}, bad(t.column, err.Error())
		}
	}
	if s := field("reopen_count"); s != missing {
		if rw.reopens, err = strconv.Atoi(s); err != nil || rw.reopens < 0 {
			return row{}, bad("reopen_count", fmt.Sprintf("not a count: %q", s))
		}
	}
	var ok bool
	if rw.channel, ok = channels[field("contact_type")]; !ok {
		return row{}, bad("contact_type", fmt.Sprintf("unknown contact type %q", field("contact_type")))
	}
	if rw.impact, ok = levels[field("impact")]; !ok {
		return row{}, bad("impact", fmt.Sprintf("unknown level %q", field("impact")))
	}
	if rw.urgency, ok = levels[field("urgency")]; !ok {
		return row{}, bad("urgency", fmt.Sprintf("unknown level %q", field("urgency")))
	}
	return rw, nil
}

// parseTime reads a dd-mm-yyyy HH:MM timestamp as UTC; missing gives the zero time.
func parseTime(s string) (time.Time, error) {
	if s == missing {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("not a dd-mm-yyyy HH:MM time: %q", s)
	}
	return t, nil
}

// known returns s, or "" when the log marks it missing.
func known(s string) string {
	if s == missing {
		return ""
	}
	return s
}

// channels maps the log's contact types onto ticket channels. Self service is the web
// portal; IVR is a phone call answered by the voice menu first; a direct opening is a record
// an agent created in the tool without a customer contact, which the API channel stands for.
var channels = map[string]ticket.Channel{
	"Phone":          ticket.ChannelPhone,
	"IVR":            ticket.ChannelPhone,
	"Email":          ticket.ChannelEmail,
	"Self service":   ticket.ChannelWebForm,
	"Direct opening": ticket.ChannelAPI,
}

// levels maps the log's impact and urgency grades onto ticket levels.
var levels = map[string]ticket.Level{
	"1 - High":   ticket.LevelHigh,
	"2 - Medium": ticket.LevelMedium,
	"3 - Low":    ticket.LevelLow,
}

// order sorts the incident's rows by sys_mod_count (ties by update time, then by line) and
// makes its times usable: the opening is opened_at (the first one given), or the first
// update time when no row has it; a row's time is never before the opening or a previous row's.
func (inc *incident) order() error {
	inc.reordered = !slices.IsSortedFunc(inc.rows, compareRows)
	slices.SortStableFunc(inc.rows, compareRows)
	for _, rw := range inc.rows {
		if inc.opened.IsZero() {
			inc.opened = rw.opened
		}
	}
	for _, rw := range inc.rows {
		if inc.opened.IsZero() {
			inc.opened = rw.updated
		}
	}
	if inc.opened.IsZero() {
		return &logError{Line: inc.rows[0].line, Column: "opened_at", Reason: "incident " + inc.number + " has no time at all"}
	}
	latest := inc.opened
	for i := range inc.rows {
		rw := &inc.rows[i]
		if rw.updated.Before(latest) {
			rw.updated = latest
			inc.movedForward++
		}
		latest = rw.updated
	}
	return nil
}

func compareRows(a, b row) int {
	return cmp.Or(cmp.Compare(a.modCount, b.modCount), a.updated.Compare(b.updated), cmp.Compare(a.line, b.line))
}
