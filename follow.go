package supportkit

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/ticket"
)

// loadPage is how many tickets Load lists at a time.
const loadPage = 500

// follower is how far the Desk has applied one ticket's log. Its lock orders the two ways
// events arrive (the Desk's own writes, and the store for writes it did not see), so that
// each event is applied once, in Seq order.
type follower struct {
	mu   sync.Mutex
	seen int64 // the Seq of the last event applied
	// The ticket's assignee and status after event seen, and its description's comment.
	assignee    string
	status      ticket.Status
	description uuid.UUID
	// released is set once the Desk let go of the follower (see release): a caller that
	// locked it then takes the ticket's follower again.
	released bool
	// revived marks a follower made again for a closed ticket the Desk let go of: it takes
	// the ticket's assignee, final since the close, from the first ticket it steps.
	revived bool
}

// step moves f past event e and returns t as the Desk applies e, and whether the ticket
// counted handle time before e: t has the assignee and
// status of the ticket right after e, whichever way e came, so that every Desk derives the
// same handle time from the same log. written tells t is the ticket as e's own write left
// it; otherwise t is the ticket read later, and its Version is set to 1 for the events of
// the creation write and the description, as MetricsEvents reads it.
func (f *follower) step(e ticket.Event, t ticket.Ticket, written bool) (ticket.Ticket, bool) {
	if f.revived {
		f.assignee, f.revived = t.Assignee, false
	}
	working := isWorking(f.assignee, f.status)
	switch e.Kind {
	case ticket.EventCreated:
		f.assignee, f.status, f.description = e.ToAssignee, e.ToStatus, e.CommentID
	case ticket.EventAssigneeChanged:
		f.assignee = e.ToAssignee
	case ticket.EventStatusChanged, ticket.EventReopened:
		f.status = e.ToStatus
	}
	f.seen = e.Seq
	t.Assignee, t.Status = f.assignee, f.status
	if !written && t.Version > 1 && (e.Kind == ticket.EventCreated || e.Kind == ticket.EventCommented && e.CommentID == f.description) {
		t.Version = 1
	}
	return t, working
}

// followers are the tickets the Desk has applied events of: a follower for each ticket not
// closed, and the last Seq applied of each closed one the Desk still keeps (see release).
type followers struct {
	mu     sync.Mutex
	ids    map[uuid.UUID]*follower
	closed closedTickets
}

// knows reports whether the Desk keeps what it applied of the ticket.
func (d *Desk) knows(id uuid.UUID) bool {
	d.follow.mu.Lock()
	defer d.follow.mu.Unlock()
	_, closed := d.follow.closed.seen[id]
	return closed || d.follow.ids[id] != nil
}

// readAhead returns batch when it holds the ticket's log or the Desk knows the ticket;
// ticket.ErrNotFound when batch holds that the store has no such ticket in the Desk's
// tenant; otherwise the ticket's log read now as a batch of one. The store's error
// (ticket.ErrNotFound for a ticket of another tenant, or gone) comes before the Desk keeps
// anything of the ticket, so that a feed shared by many tenants leaves no trace of the
// others' tickets.
func (d *Desk) readAhead(ctx context.Context, id uuid.UUID, batch logBatch) (logBatch, error) {
	if l, ok := batch[id]; l != nil || d.knows(id) {
		return batch, nil
	} else if ok {
		return nil, ticket.NotFound(id)
	}
	cur, events, err := batch.log(ctx, d, id)
	if err != nil {
		return nil, err
	}
	return logBatch{id: &ticket.Log{Ticket: cur, Events: events}}, nil
}

// follower returns the ticket's follower, made when the Desk keeps none: for a closed
// ticket the Desk let go of, from the last Seq it applied.
func (d *Desk) follower(id uuid.UUID) *follower {
	d.follow.mu.Lock()
	defer d.follow.mu.Unlock()
	if d.follow.ids == nil {
		d.follow.ids = make(map[uuid.UUID]*follower)
	}
	f := d.follow.ids[id]
	if f == nil {
		f = &follower{}
		if seen, ok := d.follow.closed.take(id); ok {
			f.seen, f.status, f.revived = seen, ticket.StatusClosed, true
		}
		d.follow.ids[id] = f
	}
	return f
}

// lockFollower returns the ticket's follower, locked.
func (d *Desk) lockFollower(id uuid.UUID) *follower {
	for {
		f := d.follower(id)
		f.mu.Lock()
		if !f.released {
			return f
		}
		f.mu.Unlock()
	}
}

// unlockFollower releases the follower of a ticket the Desk has applied the close of
// (see release), and unlocks it.
func (d *Desk) unlockFollower(id uuid.UUID, f *follower) {
	if f.status == ticket.StatusClosed && f.seen > 0 {
		d.release(id, f)
	}
	f.mu.Unlock()
}

// observe is the Desk's ticket observer: it applies a committed event of its own ticket
// service, after any event of the ticket it has not applied yet (written by another Desk
// over the same store), and calls the hooks once the ticket's lock is released.
func (d *Desk) observe(ctx context.Context, e ticket.Event, t ticket.Ticket) {
	hctx, run := deferHooks(ctx)
	f := d.lockFollower(e.TicketID)
	switch {
	case e.Seq <= f.seen: // applied already, from the store
	case e.Seq == f.seen+1:
		v, working := f.step(e, t, true)
		d.apply(hctx, &e, &v, working, nil, live)
	default:
		d.warn(d.syncLocked(hctx, f, e.TicketID, live, nil), "follow", &e)
	}
	d.unlockFollower(e.TicketID, f)
	run()
	d.poke()
}

// Sync applies the events of ticket id that the Desk has not seen, reading them from the
// store: writes made by another Desk, or before this one started. Hooks are called for the
// occurrences they cause (the Ledger skips those delivered before). Errors: the store's
// (ticket.ErrNotFound for a missing ticket).
func (d *Desk) Sync(ctx context.Context, id uuid.UUID) error {
	batch, err := d.readAhead(ctx, id, nil)
	if err != nil {
		return err
	}
	hctx, run := deferHooks(ctx)
	f := d.lockFollower(id)
	err = d.syncLocked(hctx, f, id, live, batch)
	d.unlockFollower(id, f)
	run()
	return err
}

// syncLocked applies the ticket's events after f.seen; f.mu is held. Each event is applied
// with the current ticket as follower.step sets it, in mode how (live makes the unservable
// check after each event that leaves the task waiting). A ticket the Desk first sees solved
// or closed is not routed: its task would end where it started. The log is the one batch
// holds for the ticket, else read now.
func (d *Desk) syncLocked(ctx context.Context, f *follower, id uuid.UUID, how applyMode, batch logBatch) error {
	cur, events, err := batch.log(ctx, d, id)
	if err != nil || len(events) == 0 || events[len(events)-1].Seq <= f.seen {
		return err
	}
	if f.seen == 0 && cur.Status.Category() == ticket.CategorySolved {
		how = settledTicket
		if def := deferredFrom(ctx); def != nil && def.since.IsZero() {
			// Found in the store, as by a bulk load: older occurrences are taken as delivered.
			def.since = d.cfg.Now().Add(-d.cfg.CatchUp)
		}
	}
	var seg string
	var segErr error
	if d.cfg.Policies != nil {
		seg, segErr = d.segment(ctx, cur)
	}
	log := newLogView(events, d.cfg.Policies, seg)
	log.segment, log.segmentErr = seg, segErr
	defer log.release()
	for i := range events {
		e := &events[i]
		if e.Seq <= f.seen {
			continue
		}
		log.i = i
		v, working := f.step(*e, cur, false)
		d.apply(ctx, e, &v, working, log, how)
	}
	d.flush(log)
	if how == settledTicket {
		d.forget(id) // its clocks are stopped: nothing to watch until it is reopened
	}
	return nil
}

// readLog returns the ticket and its events, the ticket as the last of them left it or
// newer; the events are not to be modified. A store that is a ticket.LogReader reads both
// at once without copying the log; otherwise the ticket is read through the Service
// (which checks its tenant) and the events from the store.
func (d *Desk) readLog(ctx context.Context, id uuid.UUID) (ticket.Ticket, []ticket.Event, error) {
	if l, ok := d.cfg.Store.(ticket.LogReader); ok {
		cur, events, err := l.TicketLog(ctx, id)
		if err == nil && cur.Tenant != d.cfg.Tickets.Tenant {
			return ticket.Ticket{}, nil, ticket.NotFound(id) // the Service's rule
		}
		return cur, events, err
	}
	cur, err := d.tickets.Get(ctx, id)
	if err != nil {
		return ticket.Ticket{}, nil, err
	}
	events, err := d.cfg.Store.Events(ctx, id, 0)
	if err != nil || len(events) == 0 || events[len(events)-1].Seq <= cur.LastEventSeq {
		return cur, events, err
	}
	cur, err = d.tickets.Get(ctx, id) // written to between the two reads
	return cur, events, err
}

// logBatch holds the logs of a page of tickets, read in one call before they are applied
// (ticket.LogsReader): a ticket asked for that the store does not hold in the Desk's tenant
// maps to nil. A log read ahead is as recent as one read when applied needs to be: every
// event the page names is in it, and syncLocked skips what the Desk applied meanwhile.
type logBatch map[uuid.UUID]*ticket.Log

// logBuffers is the event memory of a bulk load's pages over a ticket.LogsBufferReader:
// each page is read into one of two buffers in turn, the other holding the events of the
// page applied meanwhile (see readAhead: a page is read only once the page before the
// previous one is applied, and the Desk keeps no event of a page it applied).
type logBuffers struct {
	bufs  [2][]ticket.Event
	reads int
}

// readLogs reads the logs of ids in one call when the store is a ticket.LogsReader, into
// bufs when it is a ticket.LogsBufferReader too and bufs is not nil; nil otherwise, and
// each log is read when it is applied.
func (d *Desk) readLogs(ctx context.Context, ids []uuid.UUID, bufs *logBuffers) (logBatch, error) {
	lr, ok := d.cfg.Store.(ticket.LogsReader)
	if !ok || len(ids) == 0 {
		return nil, nil
	}
	var logs []ticket.Log
	var err error
	if br, ok := lr.(ticket.LogsBufferReader); ok && bufs != nil {
		b := &bufs.bufs[bufs.reads%2]
		logs, *b, err = br.TicketLogsInto(ctx, ids, *b)
		bufs.reads++
	} else {
		logs, err = lr.TicketLogs(ctx, ids)
	}
	if err != nil {
		return nil, err
	}
	batch := make(logBatch, len(ids))
	for _, id := range ids {
		batch[id] = nil
	}
	for i := range logs {
		if _, asked := batch[logs[i].Ticket.ID]; asked && logs[i].Ticket.Tenant == d.cfg.Tickets.Tenant {
			batch[logs[i].Ticket.ID] = &logs[i]
		}
	}
	d.guessLanguages(ctx, batch)
	return batch, nil
}

// guessLanguages makes the language guesses that routing will ask for (see withLanguage)
// for the tickets of batch that have none and are not solved, reading their descriptions
// in one call, so that routing them reads nothing more. It does nothing without a Router
// or over a store that is not a ticket.CommentsReader; when the read fails, each guess is
// made when routing asks for it, as without the ability.
func (d *Desk) guessLanguages(ctx context.Context, batch logBatch) {
	cr, ok := d.cfg.Store.(ticket.CommentsReader)
	if !ok || d.cfg.Router == nil {
		return
	}
	var guess []*ticket.Log
	var refs []ticket.CommentRef
	for _, l := range batch {
		if l == nil || len(l.Events) == 0 || l.Ticket.Language != language.Und ||
			l.Ticket.Status.Category() == ticket.CategorySolved || d.hasGuess(l.Ticket) {
			continue
		}
		guess = append(guess, l)
		if c := descriptionID(l.Events); c != uuid.Nil {
			refs = append(refs, ticket.CommentRef{Ticket: l.Ticket.ID, Comment: c})
		}
	}
	comments, err := cr.CommentsByRef(ctx, refs)
	if err != nil {
		return
	}
	for _, l := range guess {
		t := l.Ticket
		description := publicBody(comments[descriptionID(l.Events)])
		d.guesses.Store(t.ID, guessed{subject: t.Subject, tag: d.cfg.DetectLanguage(t.Subject, description)})
	}
}

// hasGuess reports whether the Desk holds a language guess for t's subject.
func (d *Desk) hasGuess(t ticket.Ticket) bool {
	g, ok := d.guesses.Load(t.ID)
	return ok && g.(guessed).subject == t.Subject
}

// log returns the ticket and its events as readLog does: from b when it holds the ticket
// (ticket.ErrNotFound when the store did not have it), else read from the store.
func (b logBatch) log(ctx context.Context, d *Desk, id uuid.UUID) (ticket.Ticket, []ticket.Event, error) {
	l, ok := b[id]
	switch {
	case !ok:
		return d.readLog(ctx, id)
	case l == nil:
		return ticket.Ticket{}, nil, ticket.NotFound(id)
	}
	return l.Ticket, l.Events, nil
}

// Load brings the Desk up to date with every ticket of its tenant in the store: metrics records, the
// SLA clocks of open tickets, the routing queue (waiting tickets in their first order,
// with their waiting time; tickets that were assigned count for their agents' load), what
// is unservable, and the hook occurrences of the log: the OnAssigned and OnSolved of its
// writes and the warnings and breaches every ticket reached (solved and closed ones
// included, up to the close). The Ledger delivers those it does not hold delivered, and
// those older than Config.CatchUp are taken as delivered: with a window that covers the
// time no Desk ran, the hooks are called as a Desk that never stopped would have called
// them, each occurrence once. With a Config.Feed it reads the feed from the Desk's cursor
// (Follow); otherwise it lists the store. A store that is a ticket.LogsReader has the logs
// of each page of tickets read in one call (and, when it is a ticket.CommentsReader, the
// descriptions that routing guesses languages from), the next page's while the current one
// is applied, and one that is a ticket.LogReader
// each log read once, without a copy. A Desk built over a store that already holds tickets calls it
// before it serves; Run calls it when it starts. Offers made before are not restored:
// their tickets wait in the queue again and are offered anew, and an answer to an old
// offer gets routing.ErrNotOffered (with a Lease, the Desk that takes over finds the old
// offers lapsed, see Config.LeaseFor). Last, over a KeepingLedger, it delivers the
// occurrences the log does not show that the Ledger keeps undelivered (see Hooks), whatever
// their age: those of a ticket of the Desk's tenant it can read, the acknowledgements when a
// Mailroom that acknowledges was made for the Desk; the others stay kept. Of those, one it
// would deliver whose ticket the store no longer has (of any tenant) can never be
// delivered: it is recorded delivered and logged, so that no Load looks at it again. Load
// may be called again; it applies only what is new. Errors: the store's, with the tickets listed before
// applied; the Ledger's.
func (d *Desk) Load(ctx context.Context) error {
	if d.cfg.Feed != nil {
		if err := d.Follow(ctx); err != nil {
			return err
		}
		return d.redeliverKept(ctx)
	}
	var bufs logBuffers
	err := readAhead(ctx, uuid.Nil, func(rctx context.Context, after uuid.UUID) (page[uuid.UUID], error) {
		list, err := d.cfg.Store.List(rctx, ticket.Query{Tenant: d.tenant(), Limit: loadPage, After: after})
		if err != nil {
			return page[uuid.UUID]{}, err
		}
		ids := make([]uuid.UUID, len(list.Tickets))
		for i, t := range list.Tickets {
			ids[i] = t.ID
		}
		batch, err := d.readLogs(rctx, ids, &bufs)
		apply := func() error {
			for _, id := range ids {
				if err := d.syncQuiet(ctx, id, batch); err != nil {
					return err
				}
			}
			return nil
		}
		return page[uuid.UUID]{apply: apply, next: list.Next, more: list.Next != uuid.Nil}, err
	})
	if err != nil {
		return err
	}
	d.loaded(ctx)
	return d.redeliverKept(ctx)
}

// syncQuiet is Sync without the unservable check after each event, which a bulk load
// makes once at the end (loaded), and with the ticket's next wake recorded in the
// ClockIndex once, after its last event. The log is batch's when it holds the ticket.
func (d *Desk) syncQuiet(ctx context.Context, id uuid.UUID, batch logBatch) error {
	batch, err := d.readAhead(ctx, id, batch)
	if err != nil {
		return err
	}
	hctx, run := deferHooks(ctx)
	def := deferredFrom(hctx)
	def.since, def.bulk = d.cfg.Now().Add(-d.cfg.CatchUp), true
	f := d.lockFollower(id)
	err = d.syncLocked(hctx, f, id, bulk, batch)
	if d.cfg.Policies != nil {
		d.mu.Lock()
		d.index(id, d.watch[id])
		d.mu.Unlock()
	}
	d.unlockFollower(id, f)
	run()
	return err
}

// loaded ends a bulk load: the unservable check, and a wake for Run. The first one is the
// Desk's catch-up with the store: it sets the Desk's catch-up boundary (see deliverAt),
// and takes the tickets whose version is older than Config.CatchUp as reported
// unservable already, as it takes other occurrences.
func (d *Desk) loaded(ctx context.Context) {
	now := d.cfg.Now()
	since := now.Add(-d.cfg.CatchUp)
	if !d.caughtUp.CompareAndSwap(nil, &since) {
		since = time.Time{}
	}
	if d.cfg.Router != nil {
		d.reportUnservable(ctx, now, since)
	}
	d.poke()
}

// deferred collects the hook deliveries found while a ticket's lock is held, to make them
// once it is released: a hook may write to any ticket.
type deferred struct {
	ctx   context.Context
	calls []func()
	since time.Time // occurrences before it are taken as delivered (Config.CatchUp)
	bulk  bool      // a ticket's log applied at once: the ClockIndex is set at its end
}

type deferredKey struct{}

// deferHooks returns a context under which deliver only collects deliveries, and the
// function that makes them.
func deferHooks(ctx context.Context) (context.Context, func()) {
	def := &deferred{ctx: ctx}
	return context.WithValue(ctx, deferredKey{}, def), func() {
		for _, call := range def.calls {
			call()
		}
	}
}

func deferredFrom(ctx context.Context) *deferred {
	def, _ := ctx.Value(deferredKey{}).(*deferred)
	return def
}

// catchingUp reports whether ctx is a bulk load's, which delivers what it finds within
// Config.CatchUp.
func catchingUp(ctx context.Context) bool {
	def := deferredFrom(ctx)
	return def != nil && def.bulk
}
