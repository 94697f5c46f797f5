package supportkit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// offersOut are the offers this Desk's Router made that may still be open, by task.
// Answers to offers go through the Ledger (key "answer/<offer>"), so that an offer is
// answered once whichever Desk gets the answer: Accept and Decline claim the key, and the
// Desk that made the offer claims it when the offer times out. That Desk then learns what
// happened: the claim is its own (the offer timed out), or the offer was answered on
// another Desk, accepted when the store shows the ticket assigned to the agent, declined
// otherwise; while another Desk holds the claim, the ticket stays with the agent until
// the claim ends.
type offersOut struct {
	mu     sync.Mutex
	byTask map[string]routing.Offer
	held   map[string]time.Time // tasks kept with their agent until another Desk's claim ends
	// unrecorded are the claims of answers whose record failed, by answer key: the next
	// answer to the offer on this Desk takes the claim over at once (see answer).
	unrecorded map[string]unrecordedAnswer
}

// unrecordedAnswer is the claim of an answer that could not be recorded.
type unrecordedAnswer struct {
	owner   string
	expires time.Time // the offer's end: the claim is of no use after it
}

func answerKey(o routing.Offer) string { return "answer/" + offerKey(o) }

func (d *Desk) recordOffers(offers []routing.Offer) {
	d.offers.mu.Lock()
	defer d.offers.mu.Unlock()
	if d.offers.byTask == nil {
		d.offers.byTask = make(map[string]routing.Offer)
		d.offers.held = make(map[string]time.Time)
	}
	for _, o := range offers {
		d.offers.byTask[o.TaskID] = o
	}
}

// madeOffer reports whether o's task is offered to o's agent by this Desk's Router: the
// Router answers (routing.ErrNotOffered for an older offer of the same agent).
func (d *Desk) madeOffer(o routing.Offer) bool {
	info, err := d.cfg.Router.Task(o.TaskID)
	return err == nil && info.State == routing.Offered && info.AgentID == o.AgentID && info.OfferedAt.Equal(o.OfferedAt)
}

// checkOpen refuses an answer to an offer this Desk did not make that cannot be open:
// without a Lease this Desk is the only one that dispatches (an offer it does not have
// was made by an earlier process, and its ticket is queued again), and with one, an offer
// that has timed out at the Desk's clock.
func (d *Desk) checkOpen(o routing.Offer, local bool) error {
	if !local && d.cfg.Lease == nil {
		return fmt.Errorf("%w: task %q is not offered by this Desk", routing.ErrNotOffered, o.TaskID)
	}
	if !local && !d.cfg.Now().Before(o.ExpiresAt) {
		return fmt.Errorf("%w: task %q expired at %s", routing.ErrOfferExpired, o.TaskID, o.ExpiresAt.Format(time.RFC3339))
	}
	return nil
}

// answer claims the one answer to o for this call and records it. The claim's owner is
// this call's alone, so that of two answers given at once on one Desk (where the Desk's
// own name would claim the key twice) only one wins. When the Ledger fails, the claim
// (which it may have recorded) is handed to the next answer to o on this Desk, which
// claims under the same owner and so is not refused for up to RetryPolicy.ClaimFor; one
// answer at a time takes it over. Errors: routing.ErrNotOffered when the offer was
// answered, is being answered, or timed out on a Desk; the Ledger's.
func (d *Desk) answer(ctx context.Context, o routing.Offer) error {
	owner, err := d.answerOwner(o)
	if err != nil {
		return err
	}
	now := d.cfg.Now()
	key := answerKey(o)
	res, err := d.cfg.Ledger.Claim(ctx, Claim{Key: key, Owner: owner, Now: now, Until: now.Add(d.cfg.Retry.ClaimFor)})
	if err == nil && res.State != Claimed {
		return fmt.Errorf("%w: the offer of task %q was answered already", routing.ErrNotOffered, o.TaskID)
	}
	if err == nil {
		err = d.cfg.Ledger.Done(ctx, key, owner)
	}
	if err != nil {
		d.keepUnrecorded(o, owner)
	}
	return err
}

// answerOwner returns the owner an answer to o claims under: that of an earlier answer
// whose record failed, taken from the Desk so that no other answer gets it, else a new
// one.
func (d *Desk) answerOwner(o routing.Offer) (string, error) {
	key := answerKey(o)
	d.offers.mu.Lock()
	u, ok := d.offers.unrecorded[key]
	delete(d.offers.unrecorded, key)
	d.offers.mu.Unlock()
	if ok {
		return u.owner, nil
	}
	return uniqueOwner(d.cfg.Instance)
}

// keepUnrecorded keeps the claim of an answer to o whose record failed, for the next
// answer, and forgets those of offers that have ended.
func (d *Desk) keepUnrecorded(o routing.Offer, owner string) {
	now := d.cfg.Now()
	d.offers.mu.Lock()
	defer d.offers.mu.Unlock()
	for key, u := range d.offers.unrecorded {
		if !now.Before(u.expires) {
			delete(d.offers.unrecorded, key)
		}
	}
	if d.offers.unrecorded == nil {
		d.offers.unrecorded = make(map[string]unrecordedAnswer)
	}
	d.offers.unrecorded[answerKey(o)] = unrecordedAnswer{owner: owner, expires: o.ExpiresAt}
}

// settleOffers resolves the offers this Desk made that are due at now before the Router
// expires them: it claims their answer for itself (they time out), or applies the answer
// another Desk gave. Offers no longer open in the Router are forgotten.
func (d *Desk) settleOffers(ctx context.Context, now time.Time) {
	d.offers.mu.Lock()
	var due []routing.Offer
	for task, o := range d.offers.byTask {
		info, err := d.cfg.Router.Task(task)
		if err != nil || info.State != routing.Offered || info.AgentID != o.AgentID || !info.OfferedAt.Equal(o.OfferedAt) {
			delete(d.offers.byTask, task)
			continue
		}
		if !now.Before(o.ExpiresAt) {
			due = append(due, o)
		}
	}
	d.offers.mu.Unlock()
	for _, o := range due {
		d.settleOffer(ctx, o, now)
	}
	d.releaseHeld(ctx, now)
}

func (d *Desk) settleOffer(ctx context.Context, o routing.Offer, now time.Time) {
	key := answerKey(o)
	res, err := d.cfg.Ledger.Claim(ctx, Claim{Key: key, Owner: d.cfg.Instance, Now: now, Until: now.Add(d.cfg.Retry.ClaimFor)})
	switch {
	case err != nil:
		// Keep the ticket with the agent rather than risk a second offer; try again soon.
		d.hold(o, now.Add(d.cfg.Retry.First))
	case res.State == Claimed:
		if err := d.cfg.Ledger.Done(ctx, key, d.cfg.Instance); err != nil {
			d.hold(o, now.Add(d.cfg.Retry.First))
		}
	case res.State == Held:
		d.hold(o, res.Until)
	case d.assignedTo(ctx, o):
		_ = d.cfg.Router.Assign(o.TaskID, o.AgentID, true)
	default: // declined on another Desk
		_ = d.cfg.Router.Decline(o.TaskID, o.AgentID)
	}
}

// hold keeps o's task with its agent until until: it was answered on another Desk whose
// write has not arrived yet.
func (d *Desk) hold(o routing.Offer, until time.Time) {
	if err := d.cfg.Router.Assign(o.TaskID, o.AgentID, true); err != nil {
		return
	}
	d.offers.mu.Lock()
	d.offers.held[o.TaskID] = until
	delete(d.offers.byTask, o.TaskID)
	d.offers.mu.Unlock()
}

// releaseHeld returns to the queue the held tasks whose claim has ended without the
// ticket being assigned to their agent.
func (d *Desk) releaseHeld(ctx context.Context, now time.Time) {
	d.offers.mu.Lock()
	var ended []string
	for task, until := range d.offers.held {
		if !now.Before(until) {
			ended = append(ended, task)
			delete(d.offers.held, task)
		}
	}
	d.offers.mu.Unlock()
	for _, task := range ended {
		info, err := d.cfg.Router.Task(task)
		if err != nil || info.State != routing.Assigned {
			continue
		}
		id, t, err := d.taskTicket(ctx, task)
		if err != nil || t.Assignee == info.AgentID {
			continue
		}
		d.endTask(id, task)
		d.enqueue(ctx, ticket.Event{TicketID: id}, t, nil, routing.Task{QueuedAt: info.Task.QueuedAt, Exclude: info.Task.Exclude})
	}
}

// assignedTo reports whether the store shows o's ticket assigned to o's agent.
func (d *Desk) assignedTo(ctx context.Context, o routing.Offer) bool {
	id, err := uuid.Parse(o.TaskID)
	if err != nil {
		return false
	}
	t, err := d.tickets.Get(ctx, id)
	return err == nil && t.Assignee == o.AgentID
}

// withdrawOffers answers, as timed out, every offer this Desk made that is still open,
// so that no Desk accepts them once this one stops dispatching.
func (d *Desk) withdrawOffers(ctx context.Context) {
	d.offers.mu.Lock()
	open := make([]routing.Offer, 0, len(d.offers.byTask))
	for _, o := range d.offers.byTask {
		open = append(open, o)
	}
	d.offers.mu.Unlock()
	now := d.cfg.Now()
	for _, o := range open {
		key := answerKey(o)
		res, err := d.cfg.Ledger.Claim(ctx, Claim{Key: key, Owner: d.cfg.Instance, Now: now, Until: now.Add(d.cfg.Retry.ClaimFor)})
		if err == nil && res.State == Claimed {
			_ = d.cfg.Ledger.Done(ctx, key, d.cfg.Instance)
		}
	}
}

// offerKey names an offer in delivery keys: ticket, agent, time and number.
func offerKey(o routing.Offer) string {
	return fmt.Sprintf("%s/%s/%d/%d", o.TaskID, o.AgentID, o.OfferedAt.UnixNano(), o.No)
}
