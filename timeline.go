package supportkit

import (
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// Timeline converts a ticket's audit log into the sla package's timeline: the input of
// sla.Evaluate. segment is the customer segment policies may match on ("" for none).
//
// The mapping: the creation event carries the ticket's attributes (priority, channel, type,
// group, tags); a public comment is a reply by its author's kind and an internal note is a
// reply marked Internal; the description written with the ticket (the comment the creation
// event names by its CommentID) is not a reply, whatever its time and author; a change of
// status is an sla status event carrying the new status category, except solved, closed and
// a reopen of a solved ticket, which have their own kinds; changes of priority, group
// (escalation included), tags and type re-send the attributes, so policies re-match.
// Events that touch nothing the sla package reads (links, ratings, custom fields) are left
// out. An event stamped earlier than one before it (a clock stepped back) takes the time of
// the latest before it, as the ticket Service stamps it, so that the timeline stays sorted.
func Timeline(events []ticket.Event, segment string) []sla.Event {
	out, _ := timeline(make([]sla.Event, 0, len(events)), nil, events, segment, false)
	return out
}

// timeline is Timeline appending to out; with cuts it also returns, in n, for each event,
// the length of the timeline of the events up to it (the timeline of a prefix of the log
// is a prefix of the log's timeline).
func timeline(out []sla.Event, n []int, events []ticket.Event, segment string, cuts bool) ([]sla.Event, []int) {
	if cuts {
		n = slices.Grow(n[:0], len(events))[:len(events)]
	}
	var attrs sla.Attributes
	var description uuid.UUID
	var at time.Time
	for i, e := range events {
		if cuts {
			n[i] = len(out) // updated below when e is kept
		}
		if e.At.After(at) {
			at = e.At
		}
		se := sla.Event{At: at, Author: slaAuthor(e.Actor.Kind)}
		switch e.Kind {
		case ticket.EventCreated:
			attrs = sla.Attributes{
				Priority: string(e.ToPriority), Channel: string(e.Channel), Type: string(e.Type),
				Group: e.ToGroup, Segment: segment, Tags: slices.Clone(e.TagsAdded),
			}
			description = e.CommentID
			se.Kind, se.Status, se.Attributes = sla.EventCreated, slaCategory(e.ToStatus), cloneAttributes(attrs)
		case ticket.EventCommented:
			if description != uuid.Nil && e.CommentID == description {
				continue
			}
			se.Kind, se.Author, se.Internal = sla.EventReply, slaAuthor(e.AuthorKind), !e.Public
		case ticket.EventStatusChanged, ticket.EventReopened:
			se.Kind, se.Status = slaStatusKind(e), slaCategory(e.ToStatus)
		case ticket.EventPriorityChanged, ticket.EventGroupChanged, ticket.EventEscalated,
			ticket.EventTagsChanged, ticket.EventFieldChanged:
			if !applyAttribute(&attrs, e) {
				continue
			}
			se.Kind, se.Attributes = sla.EventAttributes, cloneAttributes(attrs)
		default:
			continue
		}
		out = append(out, se)
		if cuts {
			n[i] = len(out)
		}
	}
	return out, n
}

// applyAttribute folds an attribute change into attrs and reports whether it changed
// anything the sla package matches on. It never writes to a slice attrs held before, since
// earlier events of the timeline share them.
func applyAttribute(attrs *sla.Attributes, e ticket.Event) bool {
	switch e.Kind {
	case ticket.EventPriorityChanged:
		attrs.Priority = string(e.ToPriority)
	case ticket.EventGroupChanged, ticket.EventEscalated:
		attrs.Group = e.ToGroup
	case ticket.EventTagsChanged:
		tags := make([]string, 0, len(attrs.Tags)+len(e.TagsAdded))
		for _, t := range attrs.Tags {
			if !slices.Contains(e.TagsRemoved, t) {
				tags = append(tags, t)
			}
		}
		attrs.Tags = append(tags, e.TagsAdded...)
		slices.Sort(attrs.Tags)
	case ticket.EventFieldChanged:
		if e.Field != "type" {
			return false
		}
		attrs.Type = e.ToValue
	}
	return true
}

func cloneAttributes(a sla.Attributes) sla.Attributes {
	a.Tags = slices.Clone(a.Tags)
	return a
}

func slaStatusKind(e ticket.Event) sla.EventKind {
	switch {
	case e.ToStatus == ticket.StatusSolved:
		return sla.EventSolved
	case e.ToStatus == ticket.StatusClosed:
		return sla.EventClosed
	case e.Kind == ticket.EventReopened && e.FromStatus == ticket.StatusSolved:
		return sla.EventReopened
	}
	return sla.EventStatus
}

// slaCategory maps a ticket status onto the sla package's status categories, which use the
// same names.
func slaCategory(s ticket.Status) sla.Category { return sla.Category(s) }

func slaAuthor(k ticket.ActorKind) sla.Author {
	switch k {
	case ticket.ActorAgent:
		return sla.AuthorAgent
	case ticket.ActorCustomer:
		return sla.AuthorCustomer
	case ticket.ActorBot:
		return sla.AuthorBot
	}
	return sla.AuthorSystem
}

// logView is a ticket's log with its SLA timeline, computed once for a batch of events
// applied in order, and a Tracker that evaluates the timeline's prefixes one after the
// other without replaying them.
type logView struct {
	events   []ticket.Event
	timeline []sla.Event
	cuts     []int // cuts[i]: the length of the timeline of events[:i+1]
	i        int   // the event being applied

	id       string        // the ticket's ID as text
	close    int           // the index of the first event that closes the ticket; -1 for none
	upTo     int           // latest: the events seen
	at       time.Time     // latest: the latest time of events[:upTo]
	policies *sla.Policies // the tracker's
	tracker  *sla.Tracker
	added    int        // timeline events added to tracker
	err      error      // the error that stopped tracker
	res      sla.Result // the latest evaluation: each is used up before the next
	resOK    bool       // res holds the evaluation of the first added timeline events as of resAt
	resAt    time.Time

	metrics []metrics.Event // the batch for the metrics builder (Desk.record)

	// segment is the ticket's customer segment; segmentErr, when set, says it is unknown
	// (the Directory failed) and the timeline is not to be evaluated.
	segment    string
	segmentErr error
}

// logViews keeps released logViews, so that a load of many tickets reuses their buffers
// and trackers.
var logViews = sync.Pool{New: func() any { return new(logView) }}

// newLogView returns the view of events for policies (nil: no SLA timeline) and the
// ticket's customer segment. The caller releases it when done.
func newLogView(events []ticket.Event, policies *sla.Policies, segment string) *logView {
	l := logViews.Get().(*logView)
	l.events, l.i, l.upTo, l.at, l.close = events, 0, 0, time.Time{}, -1
	for i := range events {
		if e := &events[i]; e.Kind == ticket.EventStatusChanged && e.ToStatus == ticket.StatusClosed {
			l.close = i
			break
		}
	}
	if len(events) > 0 {
		l.id = events[0].TicketID.String()
	}
	if policies != nil {
		l.timeline, l.cuts = timeline(l.timeline[:0], l.cuts, events, segment, true)
	}
	if l.policies != policies {
		l.policies, l.tracker = policies, nil
	}
	return l
}

// closedBefore reports whether an event before events[i] closed the ticket.
func (l *logView) closedBefore(i int) bool { return l.close >= 0 && l.close < i }

// latest returns latest(events[:i+1]); i must not go back between calls.
func (l *logView) latest(i int) time.Time {
	for ; l.upTo <= i; l.upTo++ {
		if at := l.events[l.upTo].At; at.After(l.at) {
			l.at = at
		}
	}
	return l.at
}

// release empties the view and keeps it for another ticket.
func (l *logView) release() {
	if l.tracker != nil {
		l.tracker.Recycle() // no Result of the view is read once it is released
	}
	clear(l.timeline) // drop the tags
	clear(l.metrics)
	l.metrics = l.metrics[:0]
	l.events, l.timeline, l.added, l.err, l.res, l.resOK = nil, l.timeline[:0], 0, nil, sla.Result{}, false
	l.segment, l.segmentErr = "", nil
	logViews.Put(l)
}

// clocks evaluates, as of at, the timeline of the first n events: what sla.Evaluate
// returns for it. Successive calls must not go back in n or at, as apply's do; each
// returns the same Result, overwritten. An event that adds nothing to the timeline
// (a ticket's description, an assignment) at the instant of the evaluation before it
// has that evaluation's Result, which is not made again.
func (l *logView) clocks(n int, at time.Time) (*sla.Result, error) {
	if l.tracker == nil && l.err == nil {
		l.tracker, l.err = sla.NewTracker(l.policies)
	}
	if l.resOK && l.err == nil && l.added == l.cuts[n-1] && l.resAt == at {
		return &l.res, nil
	}
	l.resOK = false
	for l.err == nil && l.added < l.cuts[n-1] {
		l.err = l.tracker.Add(l.timeline[l.added])
		l.added++
	}
	if l.err != nil {
		return nil, l.err
	}
	if err := l.tracker.EvaluateInto(&l.res, at); err != nil {
		return nil, err
	}
	l.resOK, l.resAt = true, at
	return &l.res, nil
}
