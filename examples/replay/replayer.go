package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// placeholderResolver is the assignee given to a ticket that is solved while nobody is
// assigned to it: the ticket lifecycle requires an assignee to solve.
const placeholderResolver = "unassigned-resolver"

// counts are what the replay did with the log's rows.
type counts struct {
	incidents int
	rows      int // rows read
	reordered int // incidents whose rows the file did not list in sys_mod_count order
	moved     int // rows whose time was missing or went backwards, moved forward

	logMadeSLA  int // incidents whose last row says made_sla TRUE
	logReopened int // incidents with a reopen_count above 0 in any row

	applied     int // rows that changed their ticket
	unchanged   int // rows with nothing new (a save that changed a column the replay does not read)
	afterClosed int // rows after the incident closed: skipped
	rejected    map[string]int

	events int // ticket audit events written

	unknownState   int // rows whose incident_state has no ticket status: attributes only
	placeholder    int // solves that assigned placeholderResolver first
	solvedAtClose  int // closes of a ticket that was not solved: solved, then closed
	reopenedToWait int // moves from solved to a waiting state: reopened, then set
	keptResolver   int // rows unassigning a solved ticket: the resolver is kept
	warnings       int // OnBreachWarning calls
	breaches       int // OnBreach calls
}

// skipped returns the number of rows not applied.
func (c *counts) skipped() int {
	n := c.afterClosed
	for _, v := range c.rejected {
		n += v
	}
	return n
}

// adjusted returns the number of rows the replay adjusted to fit the ticket lifecycle.
func (c *counts) adjusted() int {
	return c.unknownState + c.placeholder + c.solvedAtClose + c.reopenedToWait + c.keptResolver
}

// clock is the replay's clock: the Desk reads it, the replay moves it to each row's time.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// wiringLog collects the Desk's warnings about events it could not wire into SLA clocks or
// metrics; a correct replay has none.
type wiringLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *wiringLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, string(p))
	return len(p), nil
}

// replayer applies an incident log to a Desk.
type replayer struct {
	ctx      context.Context
	clock    *clock
	calendar *sla.Calendar
	desk     *supportkit.Desk
	wiring   *wiringLog
	tickets  map[string]ticket.Ticket // by incident number, as last written
	count    counts
}

func newReplayer() (*replayer, error) {
	cal, err := officeHours()
	if err != nil {
		return nil, err
	}
	policies, err := slaPolicies(cal)
	if err != nil {
		return nil, err
	}
	r := &replayer{
		ctx: context.Background(), clock: &clock{}, calendar: cal, wiring: &wiringLog{},
		tickets: map[string]ticket.Ticket{}, count: counts{rejected: map[string]int{}},
	}
	r.desk, err = supportkit.New(supportkit.Config{
		Policies: policies,
		Now:      r.clock.Now,
		Logger:   zerolog.New(r.wiring),
		Hooks: supportkit.Hooks{
			OnBreachWarning: func(context.Context, ticket.Ticket, sla.ClockResult, sla.WarningHit) error {
				r.count.warnings++
				return nil
			},
			OnBreach: func(context.Context, ticket.Ticket, sla.ClockResult) error { r.count.breaches++; return nil },
		},
	})
	return r, err
}

// step is one thing to replay at an instant: the creation of an incident's ticket (row < 0)
// or one of its rows.
type step struct {
	at  time.Time
	inc int // index of the incident
	row int // index of the row in the incident; -1 for the creation
}

// schedule merges every incident's creation and rows into one timeline, so that the Desk's
// clock only moves forward: by time, then incident, then row.
func schedule(incidents []*incident) []step {
	var steps []step
	for i, inc := range incidents {
		steps = append(steps, step{at: inc.opened, inc: i, row: -1})
		for j, rw := range inc.rows {
			steps = append(steps, step{at: rw.updated, inc: i, row: j})
		}
	}
	slices.SortFunc(steps, func(a, b step) int {
		return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.inc, b.inc), cmp.Compare(a.row, b.row))
	})
	return steps
}

// replay applies every incident to the Desk in time order. A row the ticket lifecycle
// rejects is skipped and counted; other errors stop the replay.
func (r *replayer) replay(incidents []*incident, rows int) error {
	r.count.incidents, r.count.rows = len(incidents), rows
	for _, inc := range incidents {
		r.count.moved += inc.movedForward
		if inc.reordered {
			r.count.reordered++
		}
		if inc.rows[len(inc.rows)-1].madeSLA {
			r.count.logMadeSLA++
		}
		if slices.ContainsFunc(inc.rows, func(rw row) bool { return rw.reopens > 0 }) {
			r.count.logReopened++
		}
	}
	for _, s := range schedule(incidents) {
		if err := r.advance(s.at); err != nil {
			return err
		}
		inc := incidents[s.inc]
		if s.row < 0 {
			if err := r.create(inc); err != nil {
				return err
			}
			continue
		}
		if err := r.apply(inc.number, inc.rows[s.row]); err != nil {
			return err
		}
	}
	for _, t := range r.tickets {
		r.count.events += int(t.LastEventSeq)
	}
	return nil
}

// advance moves the clock to t and, when an SLA warning or breach came due on the way, lets
// the Desk check its clocks, as a host's scheduler would.
func (r *replayer) advance(t time.Time) error {
	r.clock.set(t)
	if next, ok := r.desk.NextWake(r.ctx, t); ok && !next.After(t) {
		return r.desk.CheckClocks(r.ctx, t)
	}
	return nil
}

// create opens the incident's ticket at its opening time with the attributes of its first
// row; the first row's state and assignee are applied as an update at the row's own time.
func (r *replayer) create(inc *incident) error {
	first := inc.rows[0]
	requester := ticket.Requester{ID: cmp.Or(first.caller, "unknown-caller")}
	t, err := r.desk.Tickets().Create(r.ctx, ticket.NewTicket{
		Key:       inc.number,
		Subject:   "Incident " + inc.number,
		Requester: requester,
		Author:    ticket.Actor{Kind: ticket.ActorAgent, ID: cmp.Or(first.openedBy, "unknown-agent")},
		Channel:   first.channel,
		Type:      ticket.TypeIncident,
		Impact:    first.impact,
		Urgency:   first.urgency,
		Group:     first.group,
	})
	if err != nil {
		return fmt.Errorf("creating %s: %w", inc.number, err)
	}
	r.tickets[inc.number] = t
	return nil
}

// apply replays one row onto its ticket.
func (r *replayer) apply(number string, rw row) error {
	t := r.tickets[number]
	if t.Status == ticket.StatusClosed {
		r.count.afterClosed++
		return nil
	}
	p := r.plan(t, rw)
	actor := ticket.Actor{Kind: ticket.ActorAgent, ID: cmp.Or(rw.updatedBy, "unknown-agent")}
	err := r.update(number, actor, p.first)
	if err == nil && p.then != nil {
		err = r.update(number, actor, ticket.Changes{Status: p.then})
	}
	if reason, ok := rejection(err); ok {
		r.count.rejected[reason]++
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s, line %d: %w", number, rw.line, err)
	}
	p.count(&r.count)
	if r.tickets[number].LastEventSeq == t.LastEventSeq {
		r.count.unchanged++
	} else {
		r.count.applied++
	}
	return nil
}

// update applies c to the incident's ticket and keeps the ticket as written.
func (r *replayer) update(number string, actor ticket.Actor, c ticket.Changes) error {
	t, err := r.desk.Tickets().Update(r.ctx, actor, r.tickets[number].ID, c)
	if err != nil {
		return err
	}
	r.tickets[number] = t
	return nil
}

// rejection names the lifecycle rule behind err, and reports whether err is such a
// rejection (a row to skip) rather than a failure of the replay.
func rejection(err error) (string, bool) {
	switch {
	case err == nil:
		return "", false
	case errors.Is(err, ticket.ErrClosed):
		return "change to a closed ticket", true
	case errors.Is(err, ticket.ErrTransition):
		var te *ticket.TransitionError
		if errors.As(err, &te) {
			return fmt.Sprintf("%s -> %s not allowed", te.From, te.To), true
		}
		return "status change not allowed", true
	}
	return "", false
}

// plan is how one row is applied: the change set, and a second status move when the row's
// state cannot be reached in one step.
type plan struct {
	first ticket.Changes
	then  *ticket.Status
	// what the plan had to adjust, counted unless the row is rejected
	unknownState, placeholder, solvedAtClose, reopenedToWait, keptResolver bool
}

func (p plan) count(c *counts) {
	for _, f := range []struct {
		set bool
		n   *int
	}{
		{p.unknownState, &c.unknownState}, {p.placeholder, &c.placeholder},
		{p.solvedAtClose, &c.solvedAtClose}, {p.reopenedToWait, &c.reopenedToWait},
		{p.keptResolver, &c.keptResolver},
	} {
		if f.set {
			*f.n++
		}
	}
}

// plan turns a row, the incident's state after an update, into changes of ticket t:
//   - impact, urgency, group and assignee take the row's values ("?" clears the group and
//     unassigns, except that a solved ticket keeps its resolver);
//   - the state maps onto a status (see status); a close of a ticket that is not solved
//     solves it first, a move from solved to a waiting status reopens it first;
//   - solving a ticket nobody is assigned to assigns placeholderResolver.
func (r *replayer) plan(t ticket.Ticket, rw row) plan {
	p := plan{first: ticket.Changes{
		Impact: ticket.Ptr(rw.impact), Urgency: ticket.Ptr(rw.urgency),
		Group: ticket.Ptr(rw.group), Assignee: ticket.Ptr(rw.assignee),
	}}
	if rw.assignee == "" && t.Status == ticket.StatusSolved {
		p.first.Assignee = nil
		p.keptResolver = t.Assignee != ""
	}
	to, ok := status(rw.state, t.Status)
	switch {
	case !ok:
		p.unknownState = true
	case to == t.Status:
	case to == ticket.StatusClosed && t.Status != ticket.StatusSolved:
		p.first.Status, p.then, p.solvedAtClose = ticket.Ptr(ticket.StatusSolved), ticket.Ptr(to), true
	case t.Status == ticket.StatusSolved && to != ticket.StatusOpen && to != ticket.StatusClosed:
		p.first.Status, p.then, p.reopenedToWait = ticket.Ptr(ticket.StatusOpen), ticket.Ptr(to), true
	default:
		p.first.Status = ticket.Ptr(to)
	}
	assignee := t.Assignee
	if p.first.Assignee != nil {
		assignee = *p.first.Assignee
	}
	if p.first.Status != nil && *p.first.Status == ticket.StatusSolved && assignee == "" {
		p.first.Assignee, p.placeholder = ticket.Ptr(placeholderResolver), true
	}
	return p
}

// status maps an incident state onto the ticket status it means for a ticket now in cur:
// New and Active are open (New keeps a new ticket new), Awaiting User Info is pending, the
// other Awaiting states are on-hold (a third party), Resolved is solved and Closed closed.
// ok is false for a state the replay does not know.
func status(state string, cur ticket.Status) (to ticket.Status, ok bool) {
	switch state {
	case "New":
		if cur == ticket.StatusNew {
			return cur, true
		}
		return ticket.StatusOpen, true
	case "Active":
		return ticket.StatusOpen, true
	case "Awaiting User Info":
		return ticket.StatusPending, true
	case "Awaiting Problem", "Awaiting Vendor", "Awaiting Evidence":
		return ticket.StatusOnHold, true
	case "Resolved":
		return ticket.StatusSolved, true
	case "Closed":
		return ticket.StatusClosed, true
	}
	return "", false
}
