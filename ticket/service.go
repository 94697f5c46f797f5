package ticket

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"
	"golang.org/x/text/language"
)

// Config configures a Service. The zero value is the documented defaults.
type Config struct {
	// Now returns the current time. Default time.Now. It may step back (an NTP correction,
	// or processes with skewed clocks sharing a store): a ticket's events still never go back
	// in time (see Event.ClampedFrom).
	Now func() time.Time
	// NewID returns IDs for new tickets and comments; it must not repeat one. Default
	// uuid.NewV7 (time ordered, which keeps listings in creation order).
	NewID func() (uuid.UUID, error)
	// Numbers makes human ticket numbers. Default PrefixNumbers{} ("SUP-1", "SUP-2", ...).
	Numbers NumberGenerator
	// Priorities derives priority from impact and urgency. Default DefaultPriorityMatrix.
	Priorities PriorityMatrix
	// MaxSubject is the longest subject in characters. Default 250.
	MaxSubject int
	// MaxBody is the largest comment body in bytes. Default 1 MiB.
	MaxBody int
	// CloseAfter is how long a ticket stays solved before CloseSolved closes it. Default 4
	// days; at most 28 days.
	CloseAfter time.Duration
	// MaxRetries bounds how often a write that lost an optimistic-concurrency race is retried
	// (after a short random wait that grows with each attempt) before ErrConflict is
	// returned. Default 10.
	MaxRetries int
	// PublicFields names the custom fields shown in the customer view. A name no custom
	// field can take gives ErrInvalid, a *ValidationError naming its index: a built-in
	// field's ("impact", "problem", ...), or one that is empty, longer than 64 characters,
	// not valid UTF-8 or holds control characters. Default none.
	PublicFields []string
	// Macros are defined when the Service is made, as by DefineMacro. Default none.
	Macros []Macro
	// Observers receive every committed event (see Observer); a nil one is an ErrInvalid
	// error. Default none.
	Observers []Observer
	// DetectLanguage guesses a language from a new ticket's subject and description. When a
	// ticket is created (by Create, by Receive, or as a follow-up) with no language of its own
	// and a requester whose language is language.Und, the Service calls it and stores a
	// result other than language.Und as the ticket's Language, with LanguageDetected set, in
	// the creation write itself, so observers and routing see it from the first event. The
	// result is a guess: the host corrects it with Update (Changes.Language). It must be safe
	// for concurrent use and return language.Und when it cannot tell. Default nil: no
	// detection, the ticket keeps language.Und.
	DetectLanguage func(subject, description string) language.Tag
	// Authorizer decides who may see and do what (see Authorizer, Policy and Service.As).
	// Default nil: no access policy, every actor may read and do everything, for a host
	// that checks access itself before it calls; Policy is the package's policy. Whatever
	// the Authorizer, Service.As never shows a customer internal notes or internal fields.
	Authorizer Authorizer
	// Tenant is the tenant the Service works in: it creates tickets in it, and reads,
	// lists, numbers and changes only that tenant's tickets; another tenant's ticket is
	// missing (ErrNotFound) through every method. Default "", the single tenant of a host
	// that has no others. Several Services, one per tenant, may share a store.
	Tenant string
	// Logger receives debug records of retried conflicts and info records of automations; it
	// never receives personal data. The zero Logger discards everything, like zerolog.Nop().
	Logger zerolog.Logger
}

// Observer receives one committed event together with the ticket as the same write left it.
// Observers are called after the store commit, never for a write that failed, in Seq order
// for each ticket, one event at a time per ticket (events of different tickets may be
// delivered concurrently). They run on the goroutine of a Service call, so they should be
// quick and must not panic; an observer may call the Service, including for the same ticket
// (such a nested call's events are delivered after the observer returns). ctx is the context
// of the Service call that delivers the event.
type Observer func(ctx context.Context, e Event, t Ticket)

// Service is the ticket desk's API: every change goes through it, is validated before
// anything is written, is stored atomically with its audit events and is then published to
// the observers. It is safe for concurrent use. Make one with NewService: every method of a
// zero (or nil) Service returns an error wrapping ErrInvalid.
type Service struct {
	store   Store
	cfg     Config
	numbers NumberGenerator
	stripes [64]sync.Mutex
	macroMu sync.RWMutex
	macros  map[string]*compiledMacro
	out     dispatcher
	public  map[string]bool
}

const (
	defaultMaxSubject = 250
	defaultMaxBody    = 1 << 20
	defaultCloseAfter = 4 * 24 * time.Hour
	maxCloseAfter     = 28 * 24 * time.Hour
	defaultMaxRetries = 10
)

// NewService returns a Service over store; a nil store means a new in-memory store
// (NewMemoryStore). It returns an error wrapping ErrInvalid when cfg is out of range or a
// macro in cfg.Macros is invalid.
func NewService(store Store, cfg Config) (*Service, error) {
	if store == nil {
		store = NewMemoryStore()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewID == nil {
		cfg.NewID = uuid.NewV7
	}
	if cfg.Numbers == nil {
		cfg.Numbers = PrefixNumbers{}
	}
	if err := checkText("Config.Tenant", cfg.Tenant, maxKeyRunes*2, false); err != nil {
		return nil, err
	}
	if cfg.Priorities == (PriorityMatrix{}) {
		cfg.Priorities = DefaultPriorityMatrix
	}
	if err := cfg.Priorities.validate(); err != nil {
		return nil, err
	}
	if p, ok := cfg.Numbers.(PrefixNumbers); ok {
		if err := p.validate(); err != nil {
			return nil, err
		}
	}
	var err error
	if cfg.MaxSubject, err = orDefault("Config.MaxSubject", cfg.MaxSubject, defaultMaxSubject); err != nil {
		return nil, err
	}
	if cfg.MaxBody, err = orDefault("Config.MaxBody", cfg.MaxBody, defaultMaxBody); err != nil {
		return nil, err
	}
	if cfg.MaxRetries, err = orDefault("Config.MaxRetries", cfg.MaxRetries, defaultMaxRetries); err != nil {
		return nil, err
	}
	for i, o := range cfg.Observers {
		if o == nil {
			return nil, invalid("Config.Observers["+itoa(i)+"]", "nil observer")
		}
	}
	switch {
	case cfg.CloseAfter == 0:
		cfg.CloseAfter = defaultCloseAfter
	case cfg.CloseAfter < 0 || cfg.CloseAfter > maxCloseAfter:
		return nil, invalid("Config.CloseAfter", "must be between 0 and 28 days")
	}
	s := &Service{
		store:   store,
		cfg:     cfg,
		numbers: cfg.Numbers,
		macros:  make(map[string]*compiledMacro),
		out:     dispatcher{observers: slices.Clone(cfg.Observers)},
		public:  make(map[string]bool),
	}
	for i, f := range cfg.PublicFields {
		field := "Config.PublicFields[" + itoa(i) + "]"
		if err := checkText(field, f, maxKeyRunes, true); err != nil {
			return nil, err
		}
		if reservedFields[f] {
			return nil, invalid(field, quote(f)+" is a built-in field, not a custom one")
		}
		s.public[f] = true
	}
	for _, m := range cfg.Macros {
		if err := s.DefineMacro(m); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// ready returns an error wrapping ErrInvalid for a Service not made by NewService.
func (s *Service) ready() error {
	if s == nil || s.store == nil {
		return invalid("Service", "not made by NewService")
	}
	return nil
}

func orDefault(field string, v, def int) (int, error) {
	switch {
	case v == 0:
		return def, nil
	case v < 0:
		return 0, invalid(field, "negative")
	}
	return v, nil
}

func (p PrefixNumbers) validate() error {
	if p.First < 0 {
		return invalid("Config.Numbers.First", "negative")
	}
	for _, r := range p.prefix() {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return invalid("Config.Numbers.Prefix", "only ASCII letters and digits")
		}
	}
	return nil
}

// edit is a change in progress to one ticket: its working copy and what to append.
type edit struct {
	before   Ticket
	t        Ticket
	actor    Actor
	now      time.Time // the time of the change's events, comments and UpdatedAt
	clock    time.Time // the clock's reading when now was clamped to the ticket's last event; else zero
	comments []Comment
	events   []Event
}

// newEdit starts a change to t at the clock reading now. Event times never go back within a
// ticket: when now is before t.UpdatedAt (the time of its last event: the clock stepped back,
// or another process's clock is behind), the change happens at t.UpdatedAt and its events
// record the reading in ClampedFrom.
func newEdit(t Ticket, actor Actor, now time.Time) *edit {
	e := &edit{before: t, t: t.Clone(), actor: actor, now: now}
	if now.Before(t.UpdatedAt) {
		e.now, e.clock = t.UpdatedAt, now
	}
	return e
}

func (e *edit) emit(ev Event) {
	e.t.LastEventSeq++
	ev.TicketID = e.t.ID
	ev.Seq = e.t.LastEventSeq
	ev.At = e.now
	ev.ClampedFrom = e.clock
	ev.Actor = e.actor
	e.events = append(e.events, ev)
}

// mutate runs a read-modify-write over the tickets ids under their stripe locks, retrying a
// lost optimistic-concurrency race up to MaxRetries times. fn sees fresh copies on each try
// and must not have side effects beyond the edits. Closed tickets are refused unless
// allowClosed. A change without events writes nothing.
//
// The actor's Grant is asked once; every ticket must be readable to the actor (else
// ErrNotFound), then allow action (else ErrForbidden), before anything else is looked at. The
// tickets returned are as the actor may see them (see present).
func (s *Service) mutate(ctx context.Context, actor Actor, action Action, ids []uuid.UUID, allowClosed bool, fn func(es []*edit) error) ([]Ticket, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	if err := checkActor("actor", actor); err != nil {
		return nil, err
	}
	g, err := s.grant(ctx, actor)
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		out, err := s.tryMutate(ctx, actor, g, action, ids, allowClosed, fn)
		if err == nil {
			for i, t := range out {
				out[i] = s.present(g, t)
			}
		}
		if !errors.Is(err, ErrConflict) || isKeyReuse(err) || attempt >= s.cfg.MaxRetries {
			return out, err
		}
		s.cfg.Logger.Debug().Int("attempt", attempt+1).Msg("ticket: retrying after a version conflict")
		if err := backoff(ctx, attempt); err != nil {
			return nil, err
		}
	}
}

// backoff waits a random time before retry attempt+1, growing with attempt (up to 50ms), so
// that writers racing on one ticket from several processes spread out instead of colliding
// again. It returns ctx's error if ctx ends first.
func backoff(ctx context.Context, attempt int) error {
	limit := min(100*time.Microsecond<<attempt, 50*time.Millisecond)
	t := time.NewTimer(rand.N(limit) + 1)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (s *Service) tryMutate(ctx context.Context, actor Actor, g Grant, action Action, ids []uuid.UUID, allowClosed bool, fn func(es []*edit) error) ([]Ticket, error) {
	unlock := s.lock(ids)
	defer unlock()
	now := s.cfg.Now()
	ts := make([]Ticket, len(ids))
	for i, id := range ids {
		t, err := s.ticket(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := authorize(g, ActionRead, t); err != nil {
			return nil, err
		}
		ts[i] = t
	}
	es := make([]*edit, len(ids))
	for i, t := range ts {
		if err := authorize(g, action, t); err != nil {
			return nil, err
		}
		if t.Status == StatusClosed && !allowClosed {
			return nil, &ClosedError{ID: t.ID, Number: t.Number}
		}
		es[i] = newEdit(t, actor, now)
	}
	if err := fn(es); err != nil {
		return nil, err
	}
	changes := make([]Change, 0, len(es))
	for _, e := range es {
		if len(e.events) == 0 {
			continue
		}
		e.t.UpdatedAt = e.now
		changes = append(changes, Change{Ticket: e.t, Comments: e.comments, Events: e.events})
	}
	if len(changes) == 0 {
		out := make([]Ticket, len(es))
		for i, e := range es {
			out[i] = e.before
		}
		return out, nil
	}
	stored, err := s.store.Update(ctx, changes...)
	if err != nil {
		return nil, err
	}
	out := make([]Ticket, len(es))
	j := 0
	for i, e := range es {
		if len(e.events) == 0 {
			out[i] = e.before
			continue
		}
		out[i] = stored[j]
		s.out.enqueue(stored[j], e.events)
		j++
	}
	unlock()
	for _, id := range ids {
		s.out.drain(ctx, id)
	}
	return out, nil
}

// lock takes the stripe locks of ids in a fixed order and returns an idempotent unlock.
func (s *Service) lock(ids []uuid.UUID) func() {
	idx := make([]int, 0, len(ids))
	for _, id := range ids {
		idx = append(idx, int(id[15])%len(s.stripes))
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	for _, i := range idx {
		s.stripes[i].Lock()
	}
	done := false
	return func() {
		if done {
			return
		}
		done = true
		for _, i := range slices.Backward(idx) {
			s.stripes[i].Unlock()
		}
	}
}

func (s *Service) newID() (uuid.UUID, error) {
	id, err := s.cfg.NewID()
	if err != nil {
		return uuid.Nil, err
	}
	if id == uuid.Nil {
		return uuid.Nil, invalid("Config.NewID", "returned the nil UUID")
	}
	return id, nil
}

// ticket reads ticket id from the store; a ticket of another tenant than the Service's is
// missing (ErrNotFound), as if it were not stored at all.
func (s *Service) ticket(ctx context.Context, id uuid.UUID) (Ticket, error) {
	t, err := s.store.Ticket(ctx, id)
	if err != nil {
		return Ticket{}, err
	}
	if t.Tenant != s.cfg.Tenant {
		return Ticket{}, NotFound(id)
	}
	return t, nil
}

// Ptr returns a pointer to v, for filling the optional fields of Changes.
func Ptr[T any](v T) *T { return &v }

func langOr(tags ...language.Tag) language.Tag {
	for _, t := range tags {
		if t != language.Und {
			return t
		}
	}
	return language.Und
}

func itoa(n int) string { return strconv.Itoa(n) }
