package supportkit

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
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
	// Tickets configures the ticket service. The Desk adds its own observer after the
	// host's, sets Tickets.Now to Now, and Tickets.DetectLanguage to DetectLanguage when it
	// is nil. Tickets.Now must be nil: Now is the one clock of the Desk and of every part it
	// builds (New returns an error wrapping ticket.ErrInvalid otherwise).
	Tickets ticket.Config
	// Policies are the SLA policies the Desk evaluates on every ticket event. Default none:
	// no clocks, and Clocks returns ErrNotConfigured.
	Policies *sla.Policies
	// Segment names a ticket's customer segment for SLA conditions. Default: with a
	// Directory, CustomerSegment (the customer's segment, else their organization's);
	// otherwise no segment.
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
	// KB suggests articles for tickets. Default none: Suggest returns ErrNotConfigured,
	// unless Knowledge is set.
	KB *kb.KB
	// Knowledge, when set instead of KB, configures the knowledge base the Desk builds with
	// kb.New over the in-memory store, its Now set to Now (Knowledge.Now must be nil).
	// Desk.KB returns it for the host to write articles to. A host with its own kb.Store
	// builds the KB itself and sets KB. Setting both KB and Knowledge, or Knowledge.Now, is
	// an error wrapping ticket.ErrInvalid; kb.New's errors are returned as they are.
	Knowledge *kb.Config
	// DetectLanguage guesses the language of a ticket that has none (language.Und) from its
	// subject and description. Unless Tickets.DetectLanguage is set, the ticket service uses
	// it when a ticket is created without a language of its own or its requester's: the guess
	// is written on the ticket in the creation write (ticket.Ticket.LanguageDetected), and
	// the host overwrites it with ticket.Changes.Language. Suggest searches the articles of
	// a guessed language first, then every language when that finds nothing. Routing gives
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
	// Now reads the clock, for the Desk and for the ticket service, router and knowledge
	// base it builds. Default time.Now.
	Now func() time.Time
	// Logger receives warnings when wiring a ticket event into the other packages fails
	// (the ticket change itself is committed). Default: discard.
	Logger zerolog.Logger
}

// Hooks are the host's callbacks. Each may be nil. They run synchronously on the goroutine
// of the call that caused them (a ticket write, Accept, CheckClocks), after the change is
// committed, so they must be quick; they may call the Desk. Each occurrence is delivered
// exactly once, whatever the interleaving of ticket writes, Dispatch, Accept and
// CheckClocks.
type Hooks struct {
	// OnAssigned: a ticket got an agent (by routing or by hand), once per assignment event,
	// and once per accepted offer of a ticket that was already the agent's.
	OnAssigned func(ctx context.Context, t ticket.Ticket)
	// OnSolved: a ticket was solved, once per solve.
	OnSolved func(ctx context.Context, t ticket.Ticket)
	// OnBreachWarning: a clock reached warning point w, once per point and cycle (a new
	// target in the same cycle does not repeat a point). A point reached between two
	// events of the ticket is notified by the first CheckClocks after it or, at the
	// latest, by the ticket's next write, even when that write starts a new cycle; t is
	// then the ticket as that write left it.
	OnBreachWarning func(ctx context.Context, t ticket.Ticket, c sla.ClockResult, w sla.WarningHit)
	// OnBreach: a clock passed its deadline, once per cycle, as OnBreachWarning. Nothing is
	// notified for a ticket once its close has been seen.
	OnBreach func(ctx context.Context, t ticket.Ticket, c sla.ClockResult)
	// OnUnservable: no agent of the Router could ever take the ticket's waiting task (see
	// routing.Router.Unservable: no capacity on its channel, no skill, no language, every
	// capable agent offline...). It is called when the ticket is queued, or at a Dispatch,
	// and the verdict is new: once when the ticket becomes unservable, and again only when
	// the reason changes, or when it becomes unservable again after it was servable or
	// left the router. The Desk logs a warning with the task ID and reason as well. From
	// Dispatch, which takes no context, ctx is context.Background().
	OnUnservable func(ctx context.Context, t ticket.Ticket, s routing.Stuck)
}

// Desk wires the five packages together: every committed ticket event re-evaluates the
// ticket's SLA clocks, feeds the metrics builder and keeps the router's task in step with
// the ticket. A Desk is safe for concurrent use.
type Desk struct {
	cfg     Config
	tickets *ticket.Service
	records *metrics.Builder

	mu     sync.Mutex
	watch  map[uuid.UUID]*watch         // tickets not yet closed: their SLA notifications
	byHand map[uuid.UUID]handAssignment // routed tickets last assigned by hand

	stuckMu sync.Mutex                // orders the unservable checks
	stuck   map[string]routing.Reason // waiting tasks reported unservable, and why
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
	if err := buildParts(&cfg); err != nil {
		return nil, err
	}
	d := &Desk{cfg: cfg, records: metrics.NewBuilder(), watch: make(map[uuid.UUID]*watch),
		byHand: make(map[uuid.UUID]handAssignment)}
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

// Metrics returns the builder that holds one metrics.Record per ticket the Desk has seen.
// Its handle time (Record.Handle, hence metrics.AgentWorkTime and Stats.AHT) is an
// estimate, since the Desk does not see agents work: the time the ticket spent assigned to
// an agent in an open status (new or open), from its assignment, or its return to open,
// until it was set pending, on hold, solved or closed, or unassigned. It counts the time a
// ticket waits in an agent's hands too, so it is at least the real handle time of the
// ticket, and an agent's tickets overlap; a host that tracks real work time records it in
// its own builder with metrics.EventWorkStarted and EventWorkStopped.
// Records stay until the host deletes them (metrics.Builder.Delete), for instance once a
// closed ticket has been reported; events of a ticket whose record was deleted are logged
// as not wired and otherwise ignored.
func (d *Desk) Metrics() *metrics.Builder { return d.records }

// Report runs a metrics report over every ticket the Desk has seen. A record the report
// leaves out (an invalid one, or one beyond cfg.MaxGroups) is not an error: the report
// counts and names them in rep.Exclusions(), and the Desk logs a warning with their count
// and reasons when there are any. Errors: the metrics package's for an invalid cfg.
func (d *Desk) Report(cfg metrics.ReportConfig) (*metrics.Report, error) {
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
// timeline it rejects.
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
	segment := ""
	if d.cfg.Segment != nil {
		segment = d.cfg.Segment(t)
	}
	return sla.Evaluate(d.cfg.Policies, Timeline(events, segment), now)
}

// Suggest returns KB articles for ticket id from its subject and description (the comment
// written with the ticket, never a later one) in its language, for the audience aud
// (kb.Customer for the requester, kb.Agent to include internal articles). For a ticket whose
// language is a guess (Config.DetectLanguage's, made at creation or now for a ticket without
// one) it searches that language and, when that finds nothing, every language, since the
// guess may be wrong. Errors: ErrNotConfigured
// without a KB; ticket.ErrNotFound; the kb package's errors.
func (d *Desk) Suggest(ctx context.Context, id uuid.UUID, aud kb.Audience) ([]kb.Hit, error) {
	if d.cfg.KB == nil {
		return nil, fmt.Errorf("%w: no knowledge base", ErrNotConfigured)
	}
	t, err := d.tickets.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	description, err := d.description(ctx, id)
	if err != nil {
		return nil, err
	}
	lang, guessed := t.Language, t.LanguageDetected
	if lang == language.Und {
		lang, guessed = d.cfg.DetectLanguage(t.Subject, description), true
	}
	hits, err := d.cfg.KB.SuggestForTicket(ctx, t.Subject, description, lang, aud)
	if err != nil || len(hits) > 0 || !guessed || lang == language.Und {
		return hits, err
	}
	return d.cfg.KB.SuggestForTicket(ctx, t.Subject, description, language.Und, aud)
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
	description, _ := d.description(ctx, t.ID)
	if guess := d.cfg.DetectLanguage(t.Subject, description); d.cfg.Router.Speaks(guess) {
		t.Language = guess
	}
	return t
}

// description returns the body of the ticket's description: the public comment its
// creation event names; "" without one.
func (d *Desk) description(ctx context.Context, id uuid.UUID) (string, error) {
	events, err := d.tickets.Events(ctx, id)
	if err != nil || len(events) == 0 || events[0].CommentID == uuid.Nil {
		return "", err
	}
	comments, err := d.tickets.Comments(ctx, id)
	if err != nil {
		return "", err
	}
	for _, c := range comments {
		if c.ID == events[0].CommentID && c.Public {
			return c.Body, nil
		}
	}
	return "", nil
}
