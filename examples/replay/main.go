// Command replay replays a real IT service desk's incident log through a supportkit.Desk:
// every update of every incident becomes a change of a ticket on the in-memory store, the
// Desk keeps SLA clocks on a business calendar and a metrics record per ticket, and the
// program prints what it replayed, what it had to skip or adjust, the metrics by channel,
// the busiest assignment groups and the team's scorecard.
//
//	go run ./examples/replay [-data incident_event_log.csv]
//
// The input is the ServiceNow "Incident management process enriched event log" (UCI Machine
// Learning Repository, CC BY 4.0; see testdata/README.md). A subset of it is embedded and
// replayed by default; -data replays another file with the same columns, such as the full log.
//
// # How a row becomes ticket changes
//
// Each row is the state of an incident after one update. An incident's rows are sorted by
// sys_mod_count (ties by time, then by their order in the file), and a row whose time is
// missing or earlier than the incident's opening or a previous row takes the latest time seen
// so far, so an incident's time never goes backwards. All incidents are then merged into one
// timeline and replayed in time order with the Desk's clock set to each row's time.
//
// The ticket is created at opened_at with the first row's channel (contact_type: Phone and IVR
// are phone, Email email, Self service the web portal, Direct opening the API channel),
// impact, urgency (1 - High, 2 - Medium, 3 - Low) and assignment group; the priority follows
// from impact and urgency. Then every row, the first included, applies what changed: impact,
// urgency, group, assignee and state. New and Active are open (New keeps a ticket nobody has
// touched new), Awaiting User Info is pending, Awaiting Problem, Vendor and Evidence are
// on-hold, Resolved is solved and Closed closed; Active after Resolved is a reopen. A "?" group
// or assignee clears it: the log clears the assignee when it moves an incident to another
// group.
//
// Where the ticket lifecycle would reject a row, the replay adjusts and counts it:
//   - solving needs an assignee: a ticket solved with nobody assigned is first assigned to
//     "unassigned-resolver";
//   - only a solved ticket closes: closing one that is not solved solves it, then closes it;
//   - a solved ticket only reopens or closes: a move from Resolved to an Awaiting state
//     reopens it, then sets the waiting status;
//   - a row that unassigns a solved ticket keeps the resolver (a solved ticket has one);
//   - closed is final: rows after the close are skipped;
//   - a row whose state is none of the above applies its attributes and leaves the status
//     as it is.
//
// Any other rejection by the lifecycle skips the row and is counted by reason.
package main

import (
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
)

// defaultLogName is the embedded log's path in the repository, as the output names it.
const defaultLogName = "testdata/incident_event_log.csv"

//go:embed testdata/incident_event_log.csv
var defaultLog []byte

func main() {
	data := flag.String("data", "", "incident event log to replay, in CSV (default: the embedded "+defaultLogName+")")
	flag.Parse()
	if err := replayFile(os.Stdout, *data); err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		os.Exit(1)
	}
}

// replayFile replays the log at path, or the embedded one when path is empty.
func replayFile(w io.Writer, path string) error {
	if path == "" {
		return run(w, bytes.NewReader(defaultLog), defaultLogName)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return run(w, f, path)
}

// run replays the log read from src, named name in the output, and writes the results to w.
func run(w io.Writer, src io.Reader, name string) error {
	r, err := replayLog(src)
	if err != nil {
		return err
	}
	return r.print(w, name)
}

// replayLog reads the log and replays it onto a new Desk.
func replayLog(src io.Reader) (*replayer, error) {
	incidents, rows, err := readLog(src)
	if err != nil {
		return nil, err
	}
	r, err := newReplayer()
	if err != nil {
		return nil, err
	}
	if err := r.replay(incidents, rows); err != nil {
		return nil, err
	}
	return r, nil
}
