package supportkit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/ticket"
)

// ErrNoDelivery is returned by Redeliver for a key the Desk holds no delivery of.
var ErrNoDelivery = errors.New("supportkit: no such delivery")

// RetryPolicy says how a Desk retries a hook that returned an error or panicked. The zero
// value is the documented defaults.
type RetryPolicy struct {
	// First is the wait before the second call. Default one second.
	First time.Duration
	// Max caps the wait, which doubles after each failure. Default five minutes.
	Max time.Duration
	// Attempts is how many calls fail before the delivery is marked Failed and no longer
	// retried by itself (Redeliver tries again). A Ledger that refuses the occurrence's key
	// (an error wrapping ticket.ErrInvalid: one it can never hold) counts as a failed call;
	// a BatchLedger's refusal of a batch is followed by a try of each of its occurrences
	// alone, so that one refused key holds none of the others back. Default 10.
	Attempts int
	// ClaimFor is how long the Desk's claim on an occurrence in the Ledger lasts while it
	// calls the hook; it is renewed at each retry. A Desk that stops while holding claims
	// leaves their occurrences to the other Desks sharing the Ledger, which call the hook
	// once the claim ends: a hook slower than ClaimFor may therefore run twice. With a
	// BatchLedger the occurrences found together are claimed together, so ClaimFor should
	// cover their hooks together; a hook whose claim ran out meanwhile waits for the next
	// retry. A claim's end is compared with the clock of each Desk that asks for it, so the
	// clocks of Desks that share a Ledger must agree to well within ClaimFor: one running
	// ahead by more than ClaimFor less a hook's run time takes the claim over while the
	// hook still runs. Default one minute.
	ClaimFor time.Duration
	// Timeout bounds one call of a hook: the ctx the hook gets ends Timeout after the call
	// starts, or when the Desk's claim on the occurrence ends (ClaimFor), whichever comes
	// first. A hook must return once its ctx ends; its error then counts as a failed call
	// and is retried. Each call of a hook that keeps its ctx's promise holds up the call
	// that made it (a ticket write, Tick, Run's round of clocks and dispatch) at most this
	// long; with a BatchLedger, the hooks of one batch together at most ClaimFor.
	// Default 10 seconds.
	Timeout time.Duration
	// KeepFailed is how many Failed deliveries the Desk holds for Deliveries and
	// Redeliver. When one more is marked Failed, the one marked Failed longest ago is let
	// go and counted (Desk.DroppedDeliveries), so that a hook that always fails holds a
	// bounded amount of memory. A delivery let go is not recorded in the Ledger: its claim
	// lapses, so a Desk that Loads the store again (after a restart) finds it again and
	// delivers it: one of the ticket log within Config.CatchUp, one kept in a KeepingLedger
	// whatever its age (see Hooks). Default 1000.
	KeepFailed int
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	p.First = cmp.Or(p.First, time.Second)
	p.Max = cmp.Or(p.Max, 5*time.Minute)
	p.Attempts = cmp.Or(p.Attempts, 10)
	p.ClaimFor = cmp.Or(p.ClaimFor, time.Minute)
	p.Timeout = cmp.Or(p.Timeout, 10*time.Second)
	p.KeepFailed = cmp.Or(p.KeepFailed, 1000)
	return p
}

func (p RetryPolicy) validate() error {
	if p.First < 0 || p.Max < 0 || p.Attempts < 0 || p.ClaimFor < 0 || p.Timeout < 0 || p.KeepFailed < 0 {
		return invalidConfig("Retry has a negative field")
	}
	return nil
}

// wait returns the wait after the n-th failed call (n >= 1).
func (p RetryPolicy) wait(n int) time.Duration {
	w := p.First
	for i := 1; i < n && w < p.Max; i++ {
		w *= 2
	}
	return min(w, p.Max)
}

// Delivery is a hook occurrence the Desk has not delivered yet, as Deliveries lists it.
type Delivery struct {
	// Key names the occurrence, the same in every Desk and after a restart:
	//   - "assigned/<ticket>/<seq>" and "solved/<ticket>/<seq>": the Seq of the event;
	//   - "accepted/<ticket>/<agent>/<offer time>/<offer number>": an accepted offer of a
	//     ticket that was already the agent's;
	//   - "warning/<ticket>/<metric>/<cycle>/<point>" and "breach/<ticket>/<metric>/<cycle>",
	//     the metric spelt as metrics.SLAMetric ("first_response");
	//   - "unservable/<ticket>/<version>/<reason>";
	//   - "offered/<ticket>/<agent>/<offer time>/<offer number>" (not delivered after a
	//     restart: see Hooks.OnOffered);
	//   - the mail of a sending Mailroom (MailConfig.Send), Hook "Mailroom":
	//     "mail/acknowledgement/<ticket>" (of any Mailroom that acknowledges; kept in a
	//     KeepingLedger, as "accepted/..."), "mail/reply/<ticket>/<seq>",
	//     "mail/solved/<ticket>/<seq>", "mail/assigned/<ticket>/<seq>",
	//     "mail/warning/<ticket>/<metric>/<cycle>/<point>", and "mail/reminder/<ticket>/<seq>"
	//     and "mail/auto-solve/<ticket>/<seq>" with the Seq of the event that set the ticket
	//     pending.
	// A hook may use it as an idempotency key.
	Key string
	// Hook is the field of Hooks it calls: "OnAssigned", "OnBreach"...
	Hook string
	// Ticket is the ticket it is about.
	Ticket uuid.UUID
	// Attempts counts the calls that failed.
	Attempts int
	// Err is the last call's error (a panic is reported as an error); nil before a call.
	Err error
	// Next is when the Desk next tries: after a failure, after the claim of another Desk
	// ends, or after a Ledger error. Zero when Failed.
	Next time.Time
	// Failed is set once Attempts reached RetryPolicy.Attempts: the Desk no longer tries
	// by itself.
	Failed bool
}

// pending is a delivery in the Desk's hands.
type pending struct {
	Delivery
	t        ticket.Ticket // the ticket the call gets; out.mu guards it
	call     func(context.Context, ticket.Ticket) error
	busy     bool   // a call is in progress
	doneOnly bool   // the hook succeeded; only the Ledger's Done is left
	failedNo uint64 // when Failed: the order in which it was marked so
}

// deliveries are the occurrences the Desk is delivering.
type deliveries struct {
	mu      sync.Mutex
	list    map[string]*pending
	failed  int    // how many of list are Failed
	marked  uint64 // how many were ever marked Failed
	dropped int64  // Failed ones let go (RetryPolicy.KeepFailed)
}

// deliver delivers an occurrence of ticket t: claims it in the Ledger and calls the hook
// with t, at once on the caller's goroutine (at the end of the caller's batch, under
// batchHooks), and retries later (Run, or RetryHooks) if that fails. An occurrence already
// in the Desk's hands is not taken twice.
func (d *Desk) deliver(ctx context.Context, key, hook string, t ticket.Ticket, call func(context.Context, ticket.Ticket) error) {
	if def := deferredFrom(ctx); def != nil {
		def.calls = append(def.calls, func() { d.deliver(def.ctx, key, hook, t, call) })
		return
	}
	p := &pending{Delivery: Delivery{Key: key, Hook: hook, Ticket: t.ID}, t: t, call: call, busy: true}
	d.out.mu.Lock()
	if d.out.list == nil {
		d.out.list = make(map[string]*pending)
	}
	if _, ok := d.out.list[key]; ok {
		d.out.mu.Unlock()
		return
	}
	d.out.list[key] = p
	d.out.mu.Unlock()
	if b := batchFrom(ctx); b != nil && b.add(p) {
		return
	}
	d.attempt(ctx, p)
}

// deliverAt is deliver for an occurrence that happened at the instant at: one a bulk
// catch-up finds from before its Config.CatchUp window is taken as delivered, and so is
// one found later (by CheckClocks, or a ticket's write: a warning that fell due while no
// Desk ran) from before the window of the Desk's first catch-up. No Desk therefore needs
// the Ledger's record of such an occurrence (Config.LedgerRetention).
func (d *Desk) deliverAt(ctx context.Context, at time.Time, key, hook string, t ticket.Ticket, call func(context.Context, ticket.Ticket) error) {
	if def := deferredFrom(ctx); def != nil && at.Before(def.since) {
		return
	}
	if h := d.caughtUp.Load(); h != nil && at.Before(*h) {
		return
	}
	d.deliver(ctx, key, hook, t, call)
}

// attempt makes one try at p, which the caller marked busy.
func (d *Desk) attempt(ctx context.Context, p *pending) {
	now := d.cfg.Now()
	if !p.doneOnly {
		res, err := d.cfg.Ledger.Claim(ctx, Claim{Key: p.Key, Owner: d.cfg.Instance, Now: now, Until: now.Add(d.cfg.Retry.ClaimFor)})
		if err != nil {
			d.settle(p, now, now.Add(d.cfg.Retry.First), err, refused(err))
			return
		}
		if !d.callClaimed(ctx, p, res, now) {
			return
		}
	}
	rctx, cancel := recording(ctx, d.cfg.Retry.Timeout)
	defer cancel()
	if err := d.cfg.Ledger.Done(rctx, p.Key, d.cfg.Instance); err != nil {
		d.settle(p, now, now.Add(d.cfg.Retry.First), err, refused(err))
		return
	}
	d.drop(p)
}

// refused reports whether the Ledger's error refuses the delivery's key for good (it can
// never hold it): trying again cannot help, so the try counts as a failed call, and the
// delivery ends Failed after RetryPolicy.Attempts instead of being tried for ever.
func refused(err error) bool { return errors.Is(err, ticket.ErrInvalid) }

// recording returns the context a Desk records deliveries under: ctx's values without its
// end, bounded by timeout. A hook that returned nil has had its effect, so its record is
// made even when the call that made it is being cancelled (a host stopping Run, a request
// given up); otherwise a restart would call the hook again.
func recording(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), timeout)
}

// attemptAll makes one try at each of ps, which the caller marked busy. With a BatchLedger
// it claims them all in one call, calls the hooks it won in order, and records those that
// returned nil in one call; otherwise it tries them one by one.
func (d *Desk) attemptAll(ctx context.Context, ps []*pending) {
	bl, ok := d.cfg.Ledger.(BatchLedger)
	if !ok || len(ps) < 2 {
		for _, p := range ps {
			d.attempt(ctx, p)
		}
		return
	}
	now := d.cfg.Now()
	won := d.claimAll(ctx, bl, ps, now)
	if len(won) == 0 {
		return
	}
	keys := make([]string, len(won))
	for i, p := range won {
		keys[i] = p.Key
	}
	rctx, cancel := recording(ctx, d.cfg.Retry.Timeout)
	defer cancel()
	if err := bl.DoneBatch(rctx, keys, d.cfg.Instance); err != nil {
		d.batchFailed(ctx, won, now, err)
		return
	}
	for _, p := range won {
		d.drop(p)
	}
}

// claimAll claims in one call the deliveries of ps whose hook has not succeeded yet,
// calls the hooks of those it won, and returns the deliveries left to record delivered:
// those whose hook returned nil now or before.
func (d *Desk) claimAll(ctx context.Context, bl BatchLedger, ps []*pending, now time.Time) []*pending {
	var won, todo []*pending
	var claims []Claim
	for _, p := range ps {
		if p.doneOnly {
			won = append(won, p)
			continue
		}
		todo = append(todo, p)
		claims = append(claims, Claim{Key: p.Key, Owner: d.cfg.Instance, Now: now, Until: now.Add(d.cfg.Retry.ClaimFor)})
	}
	if len(claims) == 0 {
		return won
	}
	res, err := bl.ClaimBatch(ctx, claims)
	if err == nil && len(res) != len(claims) {
		err = fmt.Errorf("supportkit: ledger answered %d claims of %d", len(res), len(claims))
	}
	if err != nil {
		d.batchFailed(ctx, todo, now, err)
		return won
	}
	for i, p := range todo {
		if d.callClaimed(ctx, p, res[i], now) {
			won = append(won, p)
		}
	}
	return won
}

// batchFailed acts on err, the Ledger's failure of a batch call made at now for ps: a
// refusal, which one refused key makes of the whole batch, is followed by a try of each of
// ps alone, so that the key holds none of the others back; any other failure settles each
// to be tried again.
func (d *Desk) batchFailed(ctx context.Context, ps []*pending, now time.Time, err error) {
	if refused(err) {
		for _, p := range ps {
			d.attempt(ctx, p)
		}
		return
	}
	for _, p := range ps {
		d.settle(p, now, now.Add(d.cfg.Retry.First), err, false)
	}
}

// callClaimed acts on the Ledger's answer res to the claim of p made at now: it calls the
// hook when the claim is this Desk's and still runs (the hooks called before it in a batch
// may have used it up), and reports whether the hook returned nil; otherwise p waits.
func (d *Desk) callClaimed(ctx context.Context, p *pending, res ClaimResult, now time.Time) bool {
	switch {
	case res.State == Delivered:
		d.drop(p)
		return false
	case res.State == Held:
		d.settle(p, now, res.Until, nil, false)
		return false
	case !d.cfg.Now().Before(res.Until):
		d.settle(p, now, now, nil, false) // claim it again at the next retry
		return false
	}
	if err := d.callBounded(ctx, p, res.Until); err != nil {
		d.cfg.Logger.Warn().Err(err).Str("hook", p.Hook).Str("key", p.Key).Msg("desk: hook failed; retrying later")
		d.settle(p, now, time.Time{}, err, true)
		return false
	}
	p.doneOnly = true
	return true
}

// hookBatch collects the deliveries found during one call (CheckClocks, RetryHooks), to
// make them together at its end.
type hookBatch struct {
	ctx  context.Context // the caller's: the hooks get it
	mu   sync.Mutex
	list []*pending
	shut bool // made: later deliveries go their own way
}

type batchKey struct{}

// batchHooks returns a context under which deliver collects the deliveries, and the
// function that makes them: the caller runs it when it has found them all.
func (d *Desk) batchHooks(ctx context.Context) (context.Context, func()) {
	b := &hookBatch{ctx: ctx}
	return context.WithValue(ctx, batchKey{}, b), func() {
		b.mu.Lock()
		list := b.list
		b.list, b.shut = nil, true
		b.mu.Unlock()
		d.attemptAll(b.ctx, list)
	}
}

func batchFrom(ctx context.Context) *hookBatch {
	b, _ := ctx.Value(batchKey{}).(*hookBatch)
	return b
}

// add puts p in the batch and reports whether it did: not once the batch is made.
func (b *hookBatch) add(p *pending) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.shut {
		return false
	}
	b.list = append(b.list, p)
	return true
}

// callBounded calls p's hook with a ctx that ends after RetryPolicy.Timeout, or when the
// claim that ends at until (by the Desk's clock) does, whichever is first.
func (d *Desk) callBounded(ctx context.Context, p *pending, until time.Time) error {
	ctx, cancel := context.WithTimeout(ctx, min(d.cfg.Retry.Timeout, until.Sub(d.cfg.Now())))
	defer cancel()
	d.out.mu.Lock()
	t := p.t
	d.out.mu.Unlock()
	return callHook(ctx, p.call, t)
}

// callHook calls the hook, turning a panic into an error.
func callHook(ctx context.Context, call func(context.Context, ticket.Ticket) error, t ticket.Ticket) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("supportkit: hook panicked: %v", r)
		}
	}()
	return call(ctx, t)
}

// rebind gives the deliveries of ticket t that are not made yet t, as an erasure left it,
// in place of the ticket they were found with: no later call hands the host erased data.
func (d *Desk) rebind(t ticket.Ticket) {
	d.out.mu.Lock()
	defer d.out.mu.Unlock()
	for _, p := range d.out.list {
		if p.Ticket == t.ID {
			p.t = t
		}
	}
}

// settle records the outcome of a try that did not deliver p: next is when to try again
// (zero: after the retry policy's wait, counting a failed call when failed).
func (d *Desk) settle(p *pending, now, next time.Time, err error, failed bool) {
	d.out.mu.Lock()
	defer d.out.mu.Unlock()
	p.busy = false
	if err != nil {
		p.Err = err
	}
	if failed {
		p.Attempts++
		if p.Attempts >= d.cfg.Retry.Attempts {
			d.markFailed(p)
			return
		}
		next = now.Add(d.cfg.Retry.wait(p.Attempts))
	}
	p.Next = next
	d.poke()
}

// markFailed marks p Failed, and lets go of the delivery marked Failed longest ago when
// more than RetryPolicy.KeepFailed are; d.out.mu is held.
func (d *Desk) markFailed(p *pending) {
	d.out.marked++
	p.Failed, p.Next, p.failedNo = true, time.Time{}, d.out.marked
	if d.out.failed++; d.out.failed <= d.cfg.Retry.KeepFailed {
		return
	}
	var oldest *pending
	for _, q := range d.out.list {
		if q.Failed && (oldest == nil || q.failedNo < oldest.failedNo) {
			oldest = q
		}
	}
	delete(d.out.list, oldest.Key)
	d.out.failed--
	d.out.dropped++
	d.cfg.Logger.Warn().Str("hook", oldest.Hook).Str("key", oldest.Key).Msg("desk: a failed delivery was let go: too many failed deliveries held")
}

// unfail clears p's Failed mark; d.out.mu is held.
func (d *Desk) unfail(p *pending) {
	if p.Failed {
		p.Failed = false
		d.out.failed--
	}
}

func (d *Desk) drop(p *pending) {
	d.out.mu.Lock()
	if d.out.list[p.Key] == p {
		d.unfail(p)
		delete(d.out.list, p.Key)
	}
	d.out.mu.Unlock()
}

// DroppedDeliveries counts the Failed deliveries this Desk let go, since it was made, to
// hold no more than RetryPolicy.KeepFailed of them: each was logged with its key, and is
// neither listed by Deliveries nor known to Redeliver any more.
func (d *Desk) DroppedDeliveries() int64 {
	d.out.mu.Lock()
	defer d.out.mu.Unlock()
	return d.out.dropped
}

// RetryHooks retries, as of now, the deliveries whose next try is due. Run calls it; a
// host with its own loop calls it at NextWake.
func (d *Desk) RetryHooks(ctx context.Context, now time.Time) {
	d.out.mu.Lock()
	var due []*pending
	for _, p := range d.out.list {
		if !p.busy && !p.Failed && !p.Next.After(now) {
			p.busy = true
			due = append(due, p)
		}
	}
	d.out.mu.Unlock()
	slices.SortFunc(due, func(a, b *pending) int { return cmp.Compare(a.Key, b.Key) })
	d.attemptAll(ctx, due)
}

// Redeliver tries a delivery at once, a Failed one included, with a fresh count of
// attempts. Errors: ErrNoDelivery when the Desk holds no delivery of key (delivered, never
// seen, or let go, see DroppedDeliveries) or is calling its hook right now.
func (d *Desk) Redeliver(ctx context.Context, key string) error {
	d.out.mu.Lock()
	p, ok := d.out.list[key]
	if !ok || p.busy {
		d.out.mu.Unlock()
		return fmt.Errorf("%w: %q", ErrNoDelivery, key)
	}
	d.unfail(p)
	p.busy, p.Attempts = true, 0
	d.out.mu.Unlock()
	d.attempt(ctx, p)
	return nil
}

// Deliveries lists the hook occurrences this Desk has not delivered yet, by key: those
// waiting for a retry and those Failed (at most RetryPolicy.KeepFailed of them, see
// DroppedDeliveries). Deliveries being called at this moment are
// included with their state before the call. Occurrences another Desk sharing the Ledger
// is delivering are listed by that Desk.
func (d *Desk) Deliveries() []Delivery {
	d.out.mu.Lock()
	out := make([]Delivery, 0, len(d.out.list))
	for _, p := range d.out.list {
		out = append(out, p.Delivery)
	}
	d.out.mu.Unlock()
	slices.SortFunc(out, func(a, b Delivery) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// nextRetry returns when the earliest delivery is due; zero when none.
func (d *Desk) nextRetry() time.Time {
	d.out.mu.Lock()
	defer d.out.mu.Unlock()
	var next time.Time
	for _, p := range d.out.list {
		if !p.busy && !p.Failed && (next.IsZero() || p.Next.Before(next)) {
			next = p.Next
		}
	}
	return next
}
