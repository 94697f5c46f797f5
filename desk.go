package supportkit

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// ErrNotConfigured is returned by a Desk method whose part was not set in Config: Clocks
// without Policies, Suggest without a KB, Dispatch and Accept without a Router.
var ErrNotConfigured = errors.New("supportkit: not configured")

// Config configures a Desk. The zero value gives a desk of tickets on the in-memory store
// with a metrics builder; SLA clocks, routing and KB suggestions come on when their field is
// set.
type Config struct {
	// Store keeps the tickets. Default ticket.NewMemoryStore().
	Store ticket.Store
	// Feed is the store's change feed (usually the Store itself, when it implements
	// ticket.Feed). With it, Load reads the feed from its start, and Run follows it, so the
	// Desk sees the writes of other Desks over the same store as they commit. Set it when
	// several Desks share the store. Default none: Load lists the store's tickets, and the
	// Desk sees only its own writes after that.
	Feed ticket.Feed
	// Tickets configures the ticket service. The Desk adds its own observer after the
	// host's, sets Tickets.Now to Now, and Tickets.DetectLanguage to DetectLanguage when it
	// is nil. Tickets.Now must be nil: Now is the one clock of the Desk and of every part it
	// builds (New returns an error wrapping ticket.ErrInvalid otherwise).
	Tickets ticket.Config
	// Policies are the SLA policies the Desk evaluates on every ticket event. Default none:
	// no clocks, and Clocks returns ErrNotConfigured.
	Policies *sla.Policies
	// Segment names a ticket's customer segment for SLA conditions. Default: with a
	// Directory, the segment CustomerSegment names (the customer's segment, else their
	// organization's), read under the ctx of the call that evaluates the ticket and
	// bounded by DirectoryTimeout; otherwise no segment. When that read fails (an error
	// other than party.ErrNotFound, which means no segment), the Desk logs it and never
	// takes the segment for empty: an open ticket keeps the segment last read for it, and
	// one it has read none for is evaluated once the Directory answers (CheckClocks tries
	// again a minute on; Clocks returns the Directory's error).
	Segment func(ticket.Ticket) string
	// Directory keeps the Desk's customers and organizations: Desk.Create, Desk.Receive and
	// Desk.Resolve file each ticket under a customer of the tenant Tickets.Tenant (created
	// when needed), and Desk.History and Desk.OrganizationHistory list their tickets. A host
	// that builds it sets its party.Config.Now to Now itself. With a Directory and no
	// Tickets.Authorizer, the ticket policy is ticket.Policy with CustomerPrincipal: a
	// customer reads their own tickets and, where their organization shares tickets, its
	// members'; agents and bots read everything. Default none: requesters are kept as
	// given, and the history methods return ErrNotConfigured.
	Directory *party.Service
	// Router routes new and reopened tickets to agents. Default none: tickets are
	// assigned by hand, unless Routing is set. A host that builds its router sets its
	// routing.Config.Now to Now itself.
	Router *routing.Router
	// Routing, when set instead of Router, configures the router the Desk builds with
	// routing.New, its Now set to Now (Routing.Now must be nil). Desk.Router returns it and
	// Desk.AddAgent adds agents to it. Setting both Router and Routing, or Routing.Now, is
	// an error wrapping ticket.ErrInvalid; routing.New's errors are returned as they are.
	Routing *routing.Config
	// Task describes a ticket as a routing task; ok false leaves the ticket unrouted.
	// Default DefaultTask. The Desk names the task by the ticket's ID and sets its Deadline
	// to the earliest running SLA deadline and its queue position.
	Task func(ticket.Ticket) (task routing.Task, ok bool)
	// KB suggests articles for tickets. It must work in the Desk's tenant (its Tenant is
	// Tickets.Tenant; New returns an error wrapping ticket.ErrInvalid otherwise). Default
	// none: Suggest returns ErrNotConfigured, unless Knowledge is set.
	KB *kb.KB
	// Knowledge, when set instead of KB, configures the knowledge base the Desk builds with
	// kb.New over the in-memory store, its Now set to Now (Knowledge.Now must be nil) and
	// its Tenant to Tickets.Tenant (Knowledge.Tenant must be empty or the same).
	// Desk.KB returns it for the host to write articles to. A host with its own kb.Store
	// (one shared by the Desks of several tenants, say) builds the KB itself, with the
	// Desk's tenant, and sets KB. Setting both KB and Knowledge, Knowledge.Now, or another
	// Knowledge.Tenant is an error wrapping ticket.ErrInvalid; kb.New's errors are returned
	// as they are.
	Knowledge *kb.Config
	// DetectLanguage guesses the language of a ticket that has none (language.Und) from its
	// subject and description. Unless Tickets.DetectLanguage is set, the ticket service uses
	// it when a ticket is created without a language of its own or its requester's: the guess
	// is written on the ticket in the creation write (ticket.Ticket.LanguageDetected), and
	// the host overwrites it with ticket.Changes.Language. Suggest searches the articles of
	// the ticket's language, guessed or not, and the knowledge base answers from the other
	// languages when none of that language matches (Suggestions.OtherLanguages). Routing gives
	// Task the ticket with a guessed language only when at least one of the Router's agents
	// lists a language of the same base (ru for ru-RU), and with language.Und otherwise, so
	// that a desk whose agents declare no languages keeps routing such tickets to anyone.
	// A ticket still without a language (created before, or by a service that does not
	// guess) is guessed the same way when it is routed or suggested for. It must be safe for
	// concurrent use and return language.Und when it cannot tell. Default kb.DetectLanguage
	// over the subject and description: Russian when Cyrillic letters are the majority,
	// English when there are Latin letters.
	DetectLanguage func(subject, description string) language.Tag
	// Hooks are called when something the host may want to act on happens.
	Hooks Hooks
	// Clocks indexes when each open ticket's SLA clocks next need a look, for CheckClocks
	// and NextWake (see ClockIndex). Default a new MemoryClockIndex.
	Clocks ClockIndex
	// Ledger records delivered hook occurrences (see Ledger and Hooks). Desks that share
	// one Store share one Ledger. Default a new MemoryLedger of this Desk alone.
	Ledger Ledger
	// Retry says how a hook that fails is retried. Zero value: see RetryPolicy.
	Retry RetryPolicy
	// CatchUp is how far back the Desk delivers the hook occurrences it finds in the store
	// rather than sees happen (Load after a restart, writes of other Desks through Feed, the
	// log of a ticket first seen solved or closed, one forgotten included: see Metrics):
	// those that happened within CatchUp before its clock are delivered unless the Ledger
	// holds them delivered; older ones are taken as delivered, so that a Desk over an old
	// store does not replay its history: those from before the window of its first Load
	// are taken as delivered whether Load finds them or, after it, CheckClocks or a
	// ticket's write does (a warning that fell due while no Desk ran). Within the window,
	// Load and Follow deliver the warnings and breaches of every ticket, one solved or
	// closed before the Desk first saw it included (up to the close), so that a restart
	// misses nothing a Desk that never stopped would have delivered. A restart over the
	// default memory Ledger may call a hook again for an occurrence of the last CatchUp.
	// Default 24 hours.
	CatchUp time.Duration
	// LedgerRetention is how long a Ledger that is a PruningLedger keeps the record of a
	// delivered occurrence, counted from the end of its last claim by the Desk's clock.
	// Tick (so Run, which wakes for it) prunes the records older than that at most once an
	// hour, on the Desk that dispatches (with a Lease, its holder) and on every Desk
	// without a Router.
	// A Desk finds an occurrence again only within CatchUp of when it happened, and takes
	// older ones as delivered, so a record older than CatchUp, RetryPolicy.ClaimFor (the
	// clocks' disagreement) and LeaseFor (an offer's life) together is never needed to
	// refuse a second call of the hook: LedgerRetention must be at least that sum (New
	// returns an error wrapping ticket.ErrInvalid otherwise). A pruned occurrence is
	// therefore never delivered again, by any Desk, before or after a restart; the one
	// exception is a Failed delivery (Desk.Deliveries) that another Desk delivered, which
	// Redeliver, called after the record was pruned, calls again. Kept occurrences not
	// delivered (see KeepingLedger) are never pruned. Default the longer of seven days and
	// twice CatchUp; negative: nothing is pruned.
	LedgerRetention time.Duration
	// Lease elects the one Desk that dispatches among Desks that share it (see Lease).
	// Each Acquire gets RetryPolicy.Timeout to answer; one that runs out counts as the
	// hold lost until the next try. Default none: this Desk dispatches whenever Dispatch
	// (or Run) is called.
	Lease Lease
	// Roster shares agents' presence between Desks that share the store (see Roster and
	// Desk.SetPresence). Default none: presence set through a Desk is its Router's alone.
	Roster Roster
	// LeaseFor is how long a hold on the Lease lasts; the holder renews it every third of
	// it, and another Desk takes over at most LeaseFor after the holder stopped. Offers
	// must time out within it (routing.Config.OfferTimeout <= LeaseFor; New checks it for a
	// Routing config), so that the offers of a Desk that stopped without handing over have
	// lapsed when another one dispatches. Desks compare the hold's end with their own
	// clocks (Config.Now), which must agree to within two thirds of LeaseFor: a Desk whose
	// clock runs ahead of the holder's by more takes the Lease over while the holder still
	// dispatches. Default 30 seconds.
	LeaseFor time.Duration
	// Instance names this Desk in the Ledger and the Lease; Desks that share a Ledger must
	// have different names. In the Lease the Desk is the Instance and a random token of its
	// own, so that two Desks never both hold it, even with one name, and a Desk restarted
	// under its old name takes over only once the old hold has lapsed (or was released).
	// Default a random UUID.
	Instance string
	// Now reads the clock, for the Desk and for the ticket service, router and knowledge
	// base it builds. Default time.Now.
	Now func() time.Time
	// Sleep is how Run waits: it returns once the clock reads until or later (never for a
	// zero until), once wake holds a value (it may leave it there), or once ctx ends,
	// whichever comes first. Default a timer of the real clock, right when Now is
	// time.Now; a simulation sets both from one clock (simclock.Clock.Now and Sleep).
	Sleep func(ctx context.Context, until time.Time, wake <-chan struct{})
	// Logger receives warnings when wiring a ticket event into the other packages fails
	// (the ticket change itself is committed). Default: discard.
	Logger zerolog.Logger
}

// Hooks are the host's callbacks. Each may be nil. A hook returns nil once the host has
// done what it does for the occurrence; an error, or a panic (recovered), makes the Desk
// call it again later with the same arguments (but for a ticket erased meanwhile, which
// the call gets as the erasure left it, holding no erased data), after a wait that grows with each failure
// (Config.Retry), until it succeeds or the delivery is marked failed (Desk.Deliveries
// lists what is pending and failed, Desk.Redeliver tries again).
//
// The first call runs synchronously on the goroutine of the call that caused it (a ticket
// write, Accept, CheckClocks, Dispatch), after the change is committed, so hooks must be
// quick; they may call the Desk. Retries run from Run, or RetryHooks. Each call gets a ctx
// that ends after RetryPolicy.Timeout (default 10 seconds), or sooner when the Desk's claim
// on the occurrence ends; a hook must return once it ends, and the call then counts as
// failed. So no hook holds up a write, or Run's clocks and dispatch, for longer.
//
// Delivery guarantee. Every occurrence has a stable key (Delivery.Key), the same in every
// Desk and after a restart. A Desk calls a hook only while it holds the occurrence's claim
// in the Ledger (Config.Ledger), and records it delivered there once the hook returned
// nil, even when the ctx of the call that made it ended meanwhile (the record then gets
// RetryPolicy.Timeout of its own). Hence:
//   - a hook is never called again for an occurrence it returned nil for, by this Desk or
//     by any Desk sharing the Ledger, before or after a restart, given a durable Ledger
//     (one that outlives the process; the memory ledger lives as long as its value), and
//     after its record was pruned (see Config.LedgerRetention for the one exception);
//   - a hook may be called more than once for one occurrence when a call failed, when the
//     process stopped between the hook's return and the Ledger's record, or when a call
//     outlasted RetryPolicy.ClaimFor and another Desk took the claim over (by that Desk's
//     clock: one whose clock runs ahead shortens the claim by as much). A hook that is
//     idempotent by Delivery key (the host records the key with the effect, and skips a
//     key it has) therefore has its effect exactly once; a host whose effect shares a
//     transaction with the Ledger's record has exactly-once delivery.
//
// With a BatchLedger, the occurrences one CheckClocks or RetryHooks finds are claimed in
// one call, their hooks are called in turn, and those that returned nil are recorded in
// one call after the last: the claims must then cover the hooks of the batch together,
// and a hook whose claim ran out while the earlier ones ran is not called but claimed
// again at the next retry. The guarantee above holds unchanged, with "the Ledger's
// record" read as the batch's record, and "the process stopped" extended to a crash of
// the Ledger's own storage when the BatchLedger documents that it makes a batch durable
// a moment after it returns (the PostgreSQL ledger does).
//
// Occurrences are found from the ticket's log, so a Desk that did not see a write itself
// (another instance wrote it, or the process restarted) finds and delivers them too. Two
// leave no event in the log: the OnAssigned of an offer accepted by the agent who already
// had the ticket, and a Mailroom's acknowledgement of a new ticket. A Desk over a
// KeepingLedger (the memory and PostgreSQL ledgers are) keeps them there before the first
// call, and Load delivers those not recorded delivered, so that they too survive a failure
// and a restart; over another Ledger, only the Desk that found them delivers them. What is
// unservable is found again from the queue Load rebuilds (see OnUnservable); an offer does
// not outlive its Desk (see OnOffered).
type Hooks struct {
	// OnAssigned: a ticket got an agent (by routing or by hand), once per assignment event,
	// and once per accepted offer of a ticket that was already the agent's (kept in a
	// KeepingLedger, so that it survives a restart: see the delivery guarantee).
	OnAssigned func(ctx context.Context, t ticket.Ticket) error
	// OnSolved: a ticket was solved, once per solve.
	OnSolved func(ctx context.Context, t ticket.Ticket) error
	// OnBreachWarning: a clock reached warning point w, once per point and cycle (a new
	// target in the same cycle does not repeat a point). A point reached between two
	// events of the ticket is notified by the first CheckClocks after it or, at the
	// latest, by the ticket's next write, even when that write starts a new cycle; t is
	// then the ticket as that write left it.
	OnBreachWarning func(ctx context.Context, t ticket.Ticket, c sla.ClockResult, w sla.WarningHit) error
	// OnBreach: a clock passed its deadline, once per cycle, as OnBreachWarning. Nothing is
	// notified for a ticket once its close has been seen.
	OnBreach func(ctx context.Context, t ticket.Ticket, c sla.ClockResult) error
	// OnUnservable: no agent of the Router could ever take the ticket's waiting task (see
	// routing.Router.Unservable: no capacity on its channel, no skill, no language, every
	// capable agent offline...). It is called when the ticket is queued, or at a Dispatch,
	// and the verdict is new: once when the ticket becomes unservable, and again when the
	// reason changes, or when it becomes unservable again after it was servable or left the
	// router, at most once per reason and version of the ticket. The Desk logs a warning
	// with the task ID and reason as well. A call that failed before a restart is made by
	// the Desk that Loads the store again when the ticket, at the same version, is still
	// unservable for the same reason (Load rebuilds the queue and checks it), and that
	// version was written within Config.CatchUp (an older one is taken as reported, as
	// other occurrences are); one whose verdict no longer holds after the restart is not
	// made: it is no longer true.
	OnUnservable func(ctx context.Context, t ticket.Ticket, s routing.Stuck) error
	// OnOffered: Run offered ticket t to agent o.AgentID; the host shows the offer to the
	// agent, who answers with Accept or Decline before o.ExpiresAt. Offers returned by a
	// host's own call of Dispatch are the host's to deliver and do not call it. An offer
	// lives in its Desk's Router only, so a call that failed is retried while the Desk
	// runs and not after a restart: the offer is gone then (an answer to it gets
	// routing.ErrNotOffered) and its ticket, queued again by Load, is offered anew, which
	// calls OnOffered for the new offer.
	OnOffered func(ctx context.Context, o routing.Offer, t ticket.Ticket) error
}

// Desk wires the leaf packages together: every committed ticket event re-evaluates the
// ticket's SLA clocks, feeds the metrics builder and keeps the router's task in step with
// the ticket. A Desk is safe for concurrent use.
type Desk struct {
	cfg     Config
	tickets *ticket.Service
	records *metrics.Builder

	mu    sync.Mutex
	watch map[uuid.UUID]*watch // tickets not yet closed: their SLA notifications
	// unindexed are the tickets whose last ClockIndex update failed.
	unindexed map[uuid.UUID]bool
	byHand    map[uuid.UUID]handAssignment // routed tickets last assigned by hand

	stuckMu sync.Mutex                // orders the unservable checks
	stuck   map[string]routing.Reason // waiting tasks reported unservable, and why

	follow  followers     // how far each ticket's log is applied (see release)
	feed    feedState     // how far the Desk has read Config.Feed
	out     deliveries    // hook occurrences not yet delivered
	wake    chan struct{} // wakes Run
	lead    leadership    // the Lease as this Desk last saw it
	offers  offersOut     // the offers this Desk made that may still be open
	guesses sync.Map      // uuid.UUID -> guessed, for routed tickets without a language

	learned learnedTickets // tickets the knowledge base has learned from

	mailer   atomic.Pointer[Mailroom]  // the Mailroom that sends by itself (MailConfig.Send), if any
	acker    atomic.Pointer[Mailroom]  // the first Mailroom that acknowledges new tickets, if any
	running  atomic.Bool               // Run is running
	caughtUp atomic.Pointer[time.Time] // set by the first bulk load: occurrences before it are taken as delivered
	pending  pendingTickets            // tickets waiting for their customer
	pruning  pruning                   // when the Ledger is next pruned
}

// New makes a Desk. It returns the ticket package's error for an invalid Config.Tickets,
// the sla package's *sla.ValidationError (wrapping sla.ErrInvalid) when Config.Policies
// names a priority that is not a ticket priority ("low", "normal", "high", "urgent"), an
// error wrapping ticket.ErrInvalid for a clock set in a part's config (Tickets.Now,
// Routing.Now, Knowledge.Now) or a part given twice (Router and Routing, KB and Knowledge),
// and routing.New's and kb.New's errors for an invalid Routing or Knowledge.
func New(cfg Config) (*Desk, error) {
	if cfg.Policies != nil {
		if err := cfg.Policies.CheckPriorities(ticketPriorities...); err != nil {
			return nil, err
		}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Store == nil {
		cfg.Store = ticket.NewMemoryStore()
	}
	directoryDefaults(&cfg)
	if cfg.Task == nil {
		cfg.Task = DefaultTask
	}
	if cfg.DetectLanguage == nil {
		cfg.DetectLanguage = detectLanguage
	}
	if err := durableDefaults(&cfg); err != nil {
		return nil, err
	}
	if err := buildParts(&cfg); err != nil {
		return nil, err
	}
	d := &Desk{cfg: cfg, records: metrics.NewBuilder(), watch: make(map[uuid.UUID]*watch),
		byHand: make(map[uuid.UUID]handAssignment), wake: make(chan struct{}, 1)}
	d.feed.moved = make(chan struct{}, 1)
	owner, err := uniqueOwner(cfg.Instance)
	if err != nil {
		return nil, err
	}
	d.lead.owner = owner
	tc := cfg.Tickets
	tc.Now = cfg.Now
	if tc.DetectLanguage == nil {
		tc.DetectLanguage = cfg.DetectLanguage
	}
	tc.Observers = append(append([]ticket.Observer(nil), tc.Observers...), d.observe)
	svc, err := ticket.NewService(cfg.Store, tc)
	if err != nil {
		return nil, err
	}
	d.tickets = svc
	return d, nil
}

// ticketPriorities are the ticket priorities, the keys SLA policies may use.
var ticketPriorities = []string{
	string(ticket.PriorityLow), string(ticket.PriorityNormal), string(ticket.PriorityHigh), string(ticket.PriorityUrgent),
}

// Tickets returns the ticket service: create, comment, solve and every other ticket
// operation go through it, and the Desk sees each committed change.
func (d *Desk) Tickets() *ticket.Service { return d.tickets }

// Metrics returns the builder that holds one metrics.Record per ticket the Desk has seen
// (every ticket of the store once Load has run).
// Its handle time (Record.Handle, hence metrics.AgentWorkTime and Stats.AHT) is an
// estimate, since the Desk does not see agents work: the time the ticket spent assigned to
// an agent in an open status (new or open), from its assignment, or its return to open,
// until it was set pending, on hold, solved or closed, or unassigned. It counts the time a
// ticket waits in an agent's hands too, so it is at least the real handle time of the
// ticket, and an agent's tickets overlap; a host that tracks real work time records it in
// its own builder with metrics.EventWorkStarted and EventWorkStopped.
// Records stay until the host deletes them (metrics.Builder.Delete), for instance once a
// closed ticket has been reported; events of a ticket whose record was deleted are logged
// as not wired and otherwise ignored. Of a closed ticket the Desk keeps, besides its
// record, only how far it applied its log, so that a later event (a rating, a link, an
// erasure) is applied once; it forgets that too soon after the host deleted the record
// (as it lets go of later closed tickets), so that its memory follows the records the host
// keeps. A later event of a ticket it forgot is applied as to a ticket it never saw, as
// after a restart: the record is built again from the ticket's log, and the hook
// occurrences older than Config.CatchUp are taken as delivered.
func (d *Desk) Metrics() *metrics.Builder { return d.records }

// Report runs a metrics report over every ticket the Desk has seen. A record the report
// leaves out (an invalid one, or one beyond cfg.MaxGroups) is not an error: the report
// counts and names them in rep.Exclusions(), and the Desk logs a warning with their count
// and reasons when there are any. Errors: ctx's error when it has ended; the metrics
// package's for an invalid cfg.
func (d *Desk) Report(ctx context.Context, cfg metrics.ReportConfig) (*metrics.Report, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rep, err := metrics.NewReport(cfg)
	if err != nil {
		return nil, err
	}
	if rep.AddAll(d.records.Records()) > 0 {
		x := rep.Exclusions()
		ev := d.cfg.Logger.Warn().Int("excluded", x.Count)
		for _, reason := range slices.Sorted(maps.Keys(x.ByReason)) {
			ev = ev.Int("reason "+reason, x.ByReason[reason])
		}
		ev.Msg("desk: report left records out; see Report.Exclusions")
	}
	return rep, nil
}

// Clocks evaluates the SLA clocks of ticket id at now from its audit log. Errors:
// ErrNotConfigured without Policies; ticket.ErrNotFound; the sla package's error for a
// timeline it rejects; the Directory's error, wrapped, when it cannot name the segment of a
// ticket the Desk has read none for (see Config.Segment).
func (d *Desk) Clocks(ctx context.Context, id uuid.UUID, now time.Time) (*sla.Result, error) {
	if d.cfg.Policies == nil {
		return nil, fmt.Errorf("%w: no SLA policies", ErrNotConfigured)
	}
	t, err := d.tickets.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return d.evaluate(ctx, t, now)
}

func (d *Desk) evaluate(ctx context.Context, t ticket.Ticket, now time.Time) (*sla.Result, error) {
	events, err := d.tickets.Events(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	seg, err := d.segment(ctx, t)
	if err != nil {
		return nil, err
	}
	return sla.Evaluate(d.cfg.Policies, Timeline(events, seg), now)
}

// Suggestions are the knowledge-base articles suggested for a ticket.
type Suggestions struct {
	// Hits are the articles, best first, each relevant enough to clear the knowledge base's
	// floor (kb.Config.SuggestFloor); empty when nothing answers the ticket.
	Hits []kb.Hit
	// OtherLanguages reports that no article of the ticket's language matched, so the hits
	// are translations in other languages (each Hit's Language says which): the reader may
	// need them translated.
	OtherLanguages bool
}

// Suggest returns KB articles for ticket id from its subject and description (the comment
// written with the ticket, never a later one) in its language, for the audience aud
// (kb.Customer for the requester, kb.Agent to include internal articles). A ticket without a
// language is searched in the one Config.DetectLanguage guesses now. Only articles that
// clear the knowledge base's relevance floor are suggested (kb.KB.SuggestForTicket), so a
// ticket nothing answers gets none. When no translation in the ticket's language matches
// (a wrong guess, or articles not translated yet), the knowledge base answers from the
// other languages and Suggestions.OtherLanguages says so. Errors: ErrNotConfigured
// without a KB; ticket.ErrNotFound; the kb package's errors.
func (d *Desk) Suggest(ctx context.Context, id uuid.UUID, aud kb.Audience) (Suggestions, error) {
	if d.cfg.KB == nil {
		return Suggestions{}, fmt.Errorf("%w: no knowledge base", ErrNotConfigured)
	}
	t, err := d.tickets.Get(ctx, id)
	if err != nil {
		return Suggestions{}, err
	}
	description, err := d.description(ctx, id)
	if err != nil {
		return Suggestions{}, err
	}
	lang := t.Language
	if lang == language.Und {
		lang = d.cfg.DetectLanguage(t.Subject, description)
	}
	hits, err := d.cfg.KB.SuggestForTicket(ctx, t.Subject, description, lang, aud)
	if err != nil {
		return Suggestions{}, err
	}
	return Suggestions{Hits: hits, OtherLanguages: len(hits) > 0 && lang != language.Und && !sameBase(hits[0].Language, lang)}, nil
}

// sameBase reports whether a and b have the same base language (ru-RU and ru do).
func sameBase(a, b language.Tag) bool {
	ab, _ := a.Base()
	bb, _ := b.Base()
	return ab == bb
}

// detectLanguage is the default Config.DetectLanguage.
func detectLanguage(subject, description string) language.Tag {
	return kb.DetectLanguage(subject + "\n" + description)
}

// withLanguage returns t as routing should see it: a language guessed at creation
// (LanguageDetected) that no agent of the Router speaks becomes language.Und; a ticket
// without a language gets the one Config.DetectLanguage guesses from its subject and
// description when some agent speaks it. When the description cannot be read, the guess is
// made from the subject alone.
func (d *Desk) withLanguage(ctx context.Context, t ticket.Ticket) ticket.Ticket {
	if t.LanguageDetected && !d.cfg.Router.Speaks(t.Language) {
		t.Language = language.Und
		return t
	}
	if t.Language != language.Und {
		return t
	}
	if guess := d.guess(ctx, t); d.cfg.Router.Speaks(guess) {
		t.Language = guess
	}
	return t
}

// guess returns Config.DetectLanguage's guess for a ticket without a language, from its
// subject and description, made once per subject until the ticket is solved.
func (d *Desk) guess(ctx context.Context, t ticket.Ticket) language.Tag {
	if g, ok := d.guesses.Load(t.ID); ok && g.(guessed).subject == t.Subject {
		return g.(guessed).tag
	}
	description, _ := d.description(ctx, t.ID)
	tag := d.cfg.DetectLanguage(t.Subject, description)
	d.guesses.Store(t.ID, guessed{subject: t.Subject, tag: tag})
	return tag
}

// guessed is a language guess and the subject it was made from.
type guessed struct {
	subject string
	tag     language.Tag
}

// description returns the body of the ticket's description: the public comment its
// creation event names; "" without one.
func (d *Desk) description(ctx context.Context, id uuid.UUID) (string, error) {
	_, events, err := d.readLog(ctx, id)
	if err != nil || descriptionID(events) == uuid.Nil {
		return "", err
	}
	comments, err := d.tickets.Comments(ctx, id)
	if err != nil {
		return "", err
	}
	for _, c := range comments {
		if c.ID == descriptionID(events) {
			return publicBody(c), nil
		}
	}
	return "", nil
}

// descriptionID returns the ID of the comment a ticket's log names as its description (the
// first event's), uuid.Nil when none.
func descriptionID(events []ticket.Event) uuid.UUID {
	if len(events) == 0 {
		return uuid.Nil
	}
	return events[0].CommentID
}

// publicBody returns the body of c when c is public, and "" for an internal note: a
// description is only ever the customer-visible text.
func publicBody(c ticket.Comment) string {
	if !c.Public {
		return ""
	}
	return c.Body
}
