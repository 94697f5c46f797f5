package ticket_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

var (
	ctx   = context.Background()
	agent = ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-7", Name: "Alex"}
	ann   = ticket.Requester{ID: "cust-1", Name: "Ann Lee", Email: "ann@example.com"}
	annAc = ticket.Actor{Kind: ticket.ActorCustomer, ID: "cust-1", Name: "Ann Lee"}
	start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
)

// fakeClock starts at start and moves only when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// recorder is an Observer that keeps what it saw.
type recorder struct {
	mu     sync.Mutex
	events []ticket.Event
}

func (r *recorder) observe(_ context.Context, e ticket.Event, _ ticket.Ticket) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) seen() []ticket.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]ticket.Event(nil), r.events...)
}

type bundle struct {
	svc   *ticket.Service
	store *ticket.MemoryStore
	clock *fakeClock
	rec   *recorder
}

func setup(t *testing.T, cfg ticket.Config) bundle {
	t.Helper()
	b := bundle{store: ticket.NewMemoryStore(), clock: &fakeClock{now: start}, rec: &recorder{}}
	if cfg.Now == nil {
		cfg.Now = b.clock.Now
	}
	cfg.Observers = append(cfg.Observers, b.rec.observe)
	svc, err := ticket.NewService(b.store, cfg)
	require.NoError(t, err)
	b.svc = svc
	return b
}

func (b bundle) create(t *testing.T, nt ticket.NewTicket) ticket.Ticket {
	t.Helper()
	if nt.Subject == "" {
		nt.Subject = "Printer jams"
	}
	if nt.Requester == (ticket.Requester{}) {
		nt.Requester = ann
	}
	if nt.Description == "" {
		nt.Description = "It jams on every page."
	}
	tk, err := b.svc.Create(ctx, nt)
	require.NoError(t, err)
	return tk
}

func (b bundle) events(t *testing.T, id uuid.UUID) []ticket.Event {
	t.Helper()
	evs, err := b.svc.Events(ctx, id)
	require.NoError(t, err)
	return evs
}

func kinds(evs []ticket.Event) []ticket.EventKind {
	out := make([]ticket.EventKind, len(evs))
	for i, e := range evs {
		out[i] = e.Kind
	}
	return out
}

// uuidFor returns a fixed, valid version 7 UUID for n.
func uuidFor(n int) uuid.UUID {
	var id uuid.UUID
	id[6] = 0x70
	id[8] = 0x80
	id[14], id[15] = byte(n>>8), byte(n)
	return id
}
