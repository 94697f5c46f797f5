// Command cluster runs two Desks over one PostgreSQL, as two copies of a host app behind a
// load balancer would: each has its own connection pool, and they share the tickets, the
// hook ledger, the dispatch lease and the agents' presence. One of them dispatches; the
// command stops it the way a crash does (its connections cut, nothing handed over) and
// shows the other taking over once the lease lapses, printing what happened.
//
// It uses DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test, and the schema named by
// -schema (default supportkit_cluster), which it creates or migrates.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// leaseFor is how long a hold on the lease lasts: the longest the Desks go without a
// dispatcher after the one that dispatched dies.
const leaseFor = 2 * time.Second

func main() {
	schema := flag.String("schema", "supportkit_cluster", "PostgreSQL schema of the desk's tables")
	flag.Parse()
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		url = "postgres://postgres@127.0.0.1:5432/test"
	}
	if err := run(context.Background(), os.Stdout, url, *schema); err != nil {
		log.Fatal(err)
	}
}

// instance is one copy of the host app: a pool, a Desk, and its Run.
type instance struct {
	name   string
	pool   *pgxpool.Pool
	desk   *supportkit.Desk
	cancel context.CancelFunc
	done   chan struct{}
}

// printer writes the story's lines from any goroutine.
type printer struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *printer) say(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format+"\n", args...)
}

// run tells the story on w.
func run(ctx context.Context, w io.Writer, url, schema string) error {
	setup, err := pgxpool.New(ctx, url)
	if err != nil {
		return err
	}
	defer setup.Close()
	if _, err := postgres.Migrate(ctx, setup, schema); err != nil {
		return err
	}
	out := &printer{w: w}
	offers := make(chan routing.Offer, 8)
	var desks []*instance
	for _, name := range []string{"east", "west"} {
		in, err := start(ctx, url, schema, name, out, offers)
		if err != nil {
			return err
		}
		defer in.stop()
		desks = append(desks, in)
	}
	east, west := desks[0], desks[1]
	out.say("started east and west over schema %s", schema)
	if err := west.desk.SetPresence(ctx, "ann", routing.Available); err != nil {
		return err
	}
	out.say("ann signed in through west")

	leader, err := waitForLeader(desks, 10*time.Second)
	if err != nil {
		return err
	}
	other := east
	if leader == east {
		other = west
	}
	out.say("%s dispatches", leader.name)
	if err := handle(ctx, out, other, offers, "VPN is down"); err != nil {
		return err
	}

	crashed := time.Now()
	leader.kill()
	out.say("%s crashed: its connections are gone and it released nothing", leader.name)
	if _, err := waitForLeader([]*instance{other}, 3*leaseFor); err != nil {
		return err
	}
	out.say("%s took over %.1fs after the crash (a hold lasts %v)", other.name, time.Since(crashed).Seconds(), leaseFor)
	return handle(ctx, out, other, offers, "Printer jams")
}

// handle creates a ticket through in, waits for the dispatching Desk to offer it, and has
// the agent accept it through in.
func handle(ctx context.Context, out *printer, in *instance, offers <-chan routing.Offer, subject string) error {
	tk, err := in.desk.Tickets().Create(ctx, ticket.NewTicket{Subject: subject, Description: "Since this morning.",
		Requester: ticket.Requester{Email: "cid@example.com"}, Channel: ticket.ChannelEmail})
	if err != nil {
		return err
	}
	out.say("%q created through %s", subject, in.name)
	select {
	case o := <-offers:
		if _, err := in.desk.Accept(ctx, o); err != nil {
			return err
		}
		out.say("%s accepted %q through %s", o.AgentID, tk.Subject, in.name)
	case <-time.After(10 * time.Second):
		return fmt.Errorf("%q was not offered", subject)
	}
	return nil
}

// start opens a pool and runs a Desk named name on it.
func start(ctx context.Context, url, schema, name string, out *printer, offers chan<- routing.Offer) (*instance, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, err
	}
	cfg := postgres.Config{Schema: schema, PollInterval: 200 * time.Millisecond}
	store, err1 := postgres.NewTicketStore(pool, cfg)
	ledger, err2 := postgres.NewLedger(pool, cfg)
	lease, err3 := postgres.NewLease(pool, cfg)
	roster, err4 := postgres.NewRoster(pool, cfg)
	clocks, err5 := postgres.NewClockIndex(pool, cfg, name)
	for _, err := range []error{err1, err2, err3, err4, err5} {
		if err != nil {
			pool.Close()
			return nil, err
		}
	}
	if err := clocks.Clear(ctx); err != nil { // a new life of the instance: its old index is stale
		pool.Close()
		return nil, err
	}
	desk, err := supportkit.New(supportkit.Config{
		Store: store, Feed: store, Ledger: ledger, Lease: lease, Roster: roster, Clocks: clocks,
		Instance: name, LeaseFor: leaseFor, Routing: &routing.Config{OfferTimeout: leaseFor},
		Hooks: supportkit.Hooks{
			OnOffered: func(_ context.Context, o routing.Offer, t ticket.Ticket) error {
				out.say("%s offered %q to %s", name, t.Subject, o.AgentID)
				offers <- o
				return nil
			},
			OnAssigned: func(_ context.Context, t ticket.Ticket) error {
				out.say("%s told %s about %q (once, whichever Desk saw it)", name, t.Assignee, t.Subject)
				return nil
			},
		},
	})
	if err != nil {
		pool.Close()
		return nil, err
	}
	if _, err := desk.AddAgent(routing.Agent{ID: "ann", Name: "Ann", Presence: routing.Offline,
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 5}}); err != nil {
		pool.Close()
		return nil, err
	}
	rctx, cancel := context.WithCancel(ctx)
	in := &instance{name: name, pool: pool, desk: desk, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(in.done)
		_ = desk.Run(rctx)
	}()
	return in, nil
}

// stop shuts the instance down the way a host does; it does nothing after kill.
func (in *instance) stop() {
	in.cancel()
	<-in.done
	in.pool.Close()
}

// kill stops the instance the way a crash does: the pool is closed first, so that Run's
// hand-over cannot reach the database.
func (in *instance) kill() {
	closed := make(chan struct{})
	go func() { in.pool.Close(); close(closed) }()
	time.Sleep(50 * time.Millisecond)
	in.cancel()
	<-in.done
	<-closed
}

// waitForLeader returns the first of desks to hold the lease.
func waitForLeader(desks []*instance, within time.Duration) (*instance, error) {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		for _, in := range desks {
			if in.desk.Leading() {
				return in, nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil, fmt.Errorf("no Desk took the lease within %v", within)
}
