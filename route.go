package supportkit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// DefaultTask describes a ticket as a routing task: its ID, channel (the ticket's channel
// name, so an agent needs capacity on "email", "web", "messenger"... to take it), priority
// rank (urgent first), language (a guess of Config.DetectLanguage only when some agent speaks
// it, see Config.DetectLanguage), line and group (as the team). It requires no skills; a host
// that routes by skill, or pools channels, sets Config.Task (TagSkillsTask, say).
func DefaultTask(t ticket.Ticket) (routing.Task, bool) {
	task := routing.Task{
		ID:       t.ID.String(),
		Channel:  routing.Channel(t.Channel),
		Priority: t.Priority.Rank(),
		Language: t.Language,
		Line:     t.Line,
		QueuedAt: t.CreatedAt,
	}
	if t.Group != "" {
		task.Teams = []string{t.Group}
	}
	return task, true
}

// TagSkillsTask describes a ticket as DefaultTask does and adds each of its tags, in the order of Tags (sorted),
// as a preferred skill at any level (at most routing.MaxTaskSkills of them), so that agents
// whose Skills name a tag of the ticket are offered it before agents who have none of its
// tags; those still take it when nobody with a matching skill is free. A host whose agents'
// skills are named like its tags ("vpn", "printers") sets it as Config.Task.
func TagSkillsTask(t ticket.Ticket) (routing.Task, bool) {
	task, ok := DefaultTask(t)
	for _, tag := range t.Tags[:min(len(t.Tags), routing.MaxTaskSkills)] {
		task.Preferred = append(task.Preferred, routing.SkillReq{Skill: tag})
	}
	return task, ok
}

// route keeps the router's task for the ticket (key: its ID as text) in step with event e:
//   - a new ticket is queued (one created with an assignee is recorded as assigned by
//     hand); a reopened one is queued again, preferring its last agent;
//   - while the task waits, a change of what routing reads (priority, group, tags, type,
//     escalation) re-describes it, keeping its place in the queue (its queued time);
//   - an escalation or a change of group after the task was offered or taken frees the
//     agent and queues the ticket afresh for its new line and team;
//   - an assignment made by hand is recorded as forced (a person decided); to an agent the
//     router does not know, it takes the ticket out of routing; a change of group in the
//     same write as the assignment leaves it with that agent; unassigning an open ticket
//     queues it again;
//   - solving or closing the ticket frees the agent.
func (d *Desk) route(ctx context.Context, key string, e *ticket.Event, t *ticket.Ticket, res *sla.Result) {
	switch e.Kind {
	case ticket.EventCreated, ticket.EventReopened, ticket.EventEscalated, ticket.EventGroupChanged,
		ticket.EventPriorityChanged, ticket.EventTagsChanged, ticket.EventFieldChanged, ticket.EventAssigneeChanged:
	case ticket.EventStatusChanged:
		if e.ToStatus == ticket.StatusSolved || e.ToStatus == ticket.StatusClosed {
			d.finish(t.ID, key)
			d.guesses.Delete(t.ID)
		}
		return
	default:
		return // nothing routing reads
	}
	info, err := d.cfg.Router.Task(key)
	live := err == nil
	switch e.Kind {
	case ticket.EventCreated:
		switch {
		case t.Status.Category() == ticket.CategorySolved: // solved on first contact
		case e.ToAssignee != "":
			d.assigned(ctx, key, *e, *t, res, info, live)
		default:
			d.enqueue(ctx, *e, *t, res, routing.Task{QueuedAt: e.At})
		}
	case ticket.EventReopened:
		if e.FromStatus == ticket.StatusSolved && !live {
			d.enqueue(ctx, *e, *t, res, routing.Task{QueuedAt: e.At, PreferredAgent: t.Assignee})
		}
	case ticket.EventEscalated, ticket.EventGroupChanged:
		switch {
		case d.assignedWith(t.ID, e.At, t.Assignee) && info.State == routing.Assigned && info.AgentID == t.Assignee:
			// The same write handed the ticket to an agent of the new team.
		case live && info.State == routing.Queued:
			d.requeue(ctx, key, *e, *t, res, info.Task)
		case live:
			d.finish(t.ID, key)
			d.enqueue(ctx, *e, *t, res, routing.Task{QueuedAt: e.At})
		case t.Assignee == "" && t.Status.Category() != ticket.CategorySolved:
			d.enqueue(ctx, *e, *t, res, routing.Task{QueuedAt: e.At})
		}
	case ticket.EventPriorityChanged, ticket.EventTagsChanged, ticket.EventFieldChanged:
		if live && info.State == routing.Queued {
			d.requeue(ctx, key, *e, *t, res, info.Task)
		}
	case ticket.EventAssigneeChanged:
		d.assigned(ctx, key, *e, *t, res, info, live)
	}
}

// assigned records an assignment made by hand; one that Accept made is already recorded.
// Unassigning an open ticket queues it again; a solved ticket is not routed.
func (d *Desk) assigned(ctx context.Context, key string, e ticket.Event, t ticket.Ticket, res *sla.Result, info routing.TaskInfo, live bool) {
	if live && info.State == routing.Assigned && info.AgentID == e.ToAssignee {
		return
	}
	if live && info.State == routing.Offered && info.AgentID == e.ToAssignee && e.Actor == routingActor {
		// The offer was accepted on another Desk: the agent holds the task.
		d.warn(d.cfg.Router.Assign(info.Task.ID, e.ToAssignee, true), "routing", &e)
		return
	}
	queued := routing.Task{QueuedAt: e.At}
	if live {
		queued = info.Task
		d.finish(t.ID, key)
	}
	switch {
	case t.Status.Category() == ticket.CategorySolved:
		return
	case e.ToAssignee == "":
		d.enqueue(ctx, e, t, res, queued)
		return
	}
	err := d.enqueueTask(ctx, t, res, queued)
	if err == nil {
		err = d.cfg.Router.Assign(key, e.ToAssignee, true)
	}
	switch {
	case err == nil:
		d.mu.Lock()
		d.byHand[t.ID] = handAssignment{at: e.At, agent: e.ToAssignee}
		d.mu.Unlock()
	case errors.Is(err, routing.ErrNotFound):
		d.finish(t.ID, key) // an agent outside routing took it
	default:
		d.warn(err, "routing", &e)
	}
}

// handAssignment is the latest assignment made by hand of a ticket still routed.
type handAssignment struct {
	at    time.Time
	agent string
}

// assignedWith reports whether the ticket was last assigned by hand to agent at instant at:
// in the same write as an event at that instant.
func (d *Desk) assignedWith(id uuid.UUID, at time.Time, agent string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	h, ok := d.byHand[id]
	return ok && h.at.Equal(at) && h.agent == agent
}

// requeue re-describes a waiting task from the ticket, keeping its queued time and the
// agents it excludes.
func (d *Desk) requeue(ctx context.Context, key string, e ticket.Event, t ticket.Ticket, res *sla.Result, old routing.Task) {
	d.endTask(t.ID, key)
	d.enqueue(ctx, e, t, res, routing.Task{QueuedAt: old.QueuedAt, Exclude: old.Exclude, PreferredAgent: old.PreferredAgent})
}

func (d *Desk) enqueue(ctx context.Context, e ticket.Event, t ticket.Ticket, res *sla.Result, keep routing.Task) {
	d.warn(d.enqueueTask(ctx, t, res, keep), "routing", &e)
}

// enqueueTask queues the task Config.Task makes of t (with its language guessed when it has
// none), named by the ticket's ID, with the queue position fields (QueuedAt, PreferredAgent,
// Exclude) of keep and the earliest running SLA deadline.
func (d *Desk) enqueueTask(ctx context.Context, t ticket.Ticket, res *sla.Result, keep routing.Task) error {
	task, ok := d.cfg.Task(d.withLanguage(ctx, t))
	if !ok {
		return nil
	}
	task.ID = t.ID.String()
	task.QueuedAt, task.PreferredAgent = keep.QueuedAt, keep.PreferredAgent
	task.Exclude = append(task.Exclude, keep.Exclude...)
	if res != nil {
		task.Deadline = earliestDeadline(res)
	}
	return d.cfg.Router.Enqueue(task)
}

// finish ends the ticket's live task, if any, as endTask, and forgets that it was reported
// unservable.
func (d *Desk) finish(id uuid.UUID, key string) {
	d.forgetStuck(key)
	d.endTask(id, key)
}

// endTask ends the ticket's live task, if any: complete when an agent holds it, cancel
// otherwise. key is id as text, the task's ID.
func (d *Desk) endTask(id uuid.UUID, key string) {
	d.mu.Lock()
	delete(d.byHand, id)
	d.mu.Unlock()
	info, err := d.cfg.Router.Task(key)
	if err != nil {
		return
	}
	if info.State == routing.Assigned {
		_, _ = d.cfg.Router.Complete(key)
		return
	}
	_, _ = d.cfg.Router.Cancel(key)
}

func earliestDeadline(res *sla.Result) time.Time {
	var first time.Time
	for _, c := range res.Clocks {
		if c.Outcome == sla.Running && !c.Deadline.IsZero() && (first.IsZero() || c.Deadline.Before(first)) {
			first = c.Deadline
		}
	}
	return first
}

// Dispatch returns to the queue the offers that timed out by now, then offers waiting
// tickets to free agents and returns the new offers for the host to deliver. Tickets that
// are left waiting and that no agent could ever take are reported (Hooks.OnUnservable and
// a logged warning) when the verdict is new; ctx is passed to that hook. With a
// Config.Lease, only the Desk that holds it dispatches: Dispatch takes or renews the hold
// and returns no offers while another Desk has it. Errors: ErrNotConfigured without a
// Router.
func (d *Desk) Dispatch(ctx context.Context, now time.Time) ([]routing.Offer, error) {
	if d.cfg.Router == nil {
		return nil, fmt.Errorf("%w: no router", ErrNotConfigured)
	}
	if ok, _ := d.leading(ctx, now); !ok {
		return nil, nil
	}
	d.settleOffers(ctx, now)
	d.cfg.Router.Expire(now)
	offers := d.cfg.Router.Dispatch(now)
	d.recordOffers(offers)
	d.reportUnservable(ctx, now, time.Time{})
	return offers, nil
}

// Accept records that the agent took the offer and assigns the ticket to them (the
// OnAssigned hook runs). It may be called on any Desk over the store, not only the one
// that made the offer: each offer is answered once, whichever Desk gets the answer (the
// answer is claimed in the Ledger), and the Desk that made it sees the assignment through
// the store. Errors: ErrNotConfigured without a Router; routing.ErrNotOffered when the
// offer was answered already (on any Desk) or withdrawn, routing.ErrOfferExpired once it
// has timed out, and the routing package's other errors, with nothing changed; the ticket
// package's when the ticket can no longer be assigned, in which case the task is
// cancelled, and the store's (or ctx's) when the write failed otherwise, in which case
// the ticket waits in the queue again, to be offered anew; the Ledger's when the answer
// could not be recorded, with nothing changed: the answer may then be given again at once
// on the same Desk (on another, once RetryPolicy.ClaimFor has passed). OnAssigned runs
// also when the ticket was already the agent's (a reopened ticket offered to its last
// agent).
func (d *Desk) Accept(ctx context.Context, o routing.Offer) (ticket.Ticket, error) {
	if d.cfg.Router == nil {
		return ticket.Ticket{}, fmt.Errorf("%w: no router", ErrNotConfigured)
	}
	id, err := uuid.Parse(o.TaskID)
	if err != nil {
		return ticket.Ticket{}, fmt.Errorf("%w: task %q is not a ticket ID", ticket.ErrInvalid, o.TaskID)
	}
	local := d.madeOffer(o)
	if err := d.checkOpen(o, local); err != nil {
		return ticket.Ticket{}, err
	}
	if err := d.answer(ctx, o); err != nil {
		return ticket.Ticket{}, err
	}
	if local {
		if err := d.cfg.Router.AcceptOffer(o); err != nil {
			return ticket.Ticket{}, err
		}
	}
	before, err := d.tickets.Get(ctx, id)
	if err == nil {
		var t ticket.Ticket
		if t, err = d.tickets.Assign(ctx, routingActor, id, o.AgentID); err == nil {
			if h := d.cfg.Hooks.OnAssigned; h != nil && !d.wroteAssignment(ctx, id, before.LastEventSeq, o.AgentID) {
				// Already theirs: no event, but they took it again.
				d.deliverKept(ctx, "accepted/"+offerKey(o), "OnAssigned", t, nil, h)
			}
			return t, nil
		}
	}
	if local {
		d.unaccept(o.TaskID, err)
	}
	return ticket.Ticket{}, err
}

// unaccept undoes the Router's acceptance of an offer whose ticket write failed with err:
// a ticket that can no longer be assigned (gone, closed, refused) leaves routing; after a
// passing failure (a cancelled ctx, a store that did not answer) its task waits in the
// queue again as it was, to be offered anew, rather than being lost to routing until the
// ticket's next write.
func (d *Desk) unaccept(task string, err error) {
	info, ierr := d.cfg.Router.Task(task)
	_, _ = d.cfg.Router.Cancel(task)
	if ierr != nil || cannotAssign(err) {
		return
	}
	if err := d.cfg.Router.Enqueue(info.Task); err != nil {
		d.cfg.Logger.Warn().Err(err).Str("task", task).Msg("desk: a ticket whose assignment failed could not be queued again")
	}
}

// cannotAssign reports whether err says that the ticket can no longer be assigned, as
// opposed to a failure that may pass.
func cannotAssign(err error) bool {
	for _, final := range []error{ticket.ErrNotFound, ticket.ErrInvalid, ticket.ErrClosed, ticket.ErrTransition, ticket.ErrForbidden} {
		if errors.Is(err, final) {
			return true
		}
	}
	return false
}

// routingActor is who Accept assigns tickets as.
var routingActor = ticket.Actor{Kind: ticket.ActorSystem, ID: "routing", Name: "Routing"}

// wroteAssignment reports whether the ticket's log has, after event seq, an assignment to
// agent made by routing: Accept's own write, whose event runs OnAssigned. The ticket Accept
// read before writing cannot tell, since another write may change the assignee between
// that read and Accept's write. When the log cannot be read it reports true: OnAssigned is
// then missed rather than run twice.
func (d *Desk) wroteAssignment(ctx context.Context, id uuid.UUID, seq int64, agent string) bool {
	events, err := d.tickets.EventsAfter(ctx, id, seq)
	if err != nil {
		return true
	}
	return slices.ContainsFunc(events, func(e ticket.Event) bool {
		return e.Kind == ticket.EventAssigneeChanged && e.ToAssignee == agent && e.Actor == routingActor
	})
}

// Decline records that the agent turned the offer down; the ticket waits for another
// agent. On the Desk that made the offer it takes effect at once; on another Desk it
// answers the offer (no later Accept takes it) and the Desk that made it returns the
// ticket to the queue, without that agent, when the offer times out. Errors:
// ErrNotConfigured without a Router; ticket.ErrInvalid for an offer whose task is not a
// ticket ID, with nothing recorded; routing.ErrNotOffered when the offer was answered
// already or withdrawn, routing.ErrOfferExpired once it has timed out, and the routing
// package's other errors; the Ledger's when the answer could not be recorded, as for
// Accept.
func (d *Desk) Decline(ctx context.Context, o routing.Offer) error {
	if d.cfg.Router == nil {
		return fmt.Errorf("%w: no router", ErrNotConfigured)
	}
	if _, err := uuid.Parse(o.TaskID); err != nil {
		return fmt.Errorf("%w: task %q is not a ticket ID", ticket.ErrInvalid, o.TaskID)
	}
	local := d.madeOffer(o)
	if err := d.checkOpen(o, local); err != nil {
		return err
	}
	if err := d.answer(ctx, o); err != nil {
		return err
	}
	if !local {
		return nil
	}
	return d.cfg.Router.DeclineOffer(o)
}
