package ticket_test

import (
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/ticket"
)

var (
	groups   = []string{"network", "billing", "hardware", "access", "email", "printers", "mobile", "security", "hr", "facilities"}
	statuses = []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusPending, ticket.StatusOnHold}
)

type population struct {
	svc   *ticket.Service
	store *ticket.MemoryStore
	ids   []uuid.UUID
	flips int // status flips done so far, across benchmark runs
}

var (
	popMu sync.Mutex
	pops  = map[int]*population{}
)

// populated returns a Service over a MemoryStore holding n tickets spread over 4 statuses and
// 10 groups, built once per size and shared by the benchmarks. It collects garbage before it
// returns, so that a benchmark does not pay for the garbage of building a population.
func populated(b *testing.B, n int) *population {
	b.Helper()
	popMu.Lock()
	defer popMu.Unlock()
	defer runtime.GC()
	if p, ok := pops[n]; ok {
		return p
	}
	store := ticket.NewMemoryStore()
	svc, err := ticket.NewService(store, ticket.Config{})
	if err != nil {
		b.Fatal(err)
	}
	p := &population{svc: svc, store: store, ids: make([]uuid.UUID, n)}
	for i := range n {
		tk, err := svc.Create(ctx, ticket.NewTicket{
			Subject:     "Ticket " + strconv.Itoa(i),
			Description: "Something is broken.",
			Requester:   ticket.Requester{ID: "c-" + strconv.Itoa(i%5000)},
			Status:      statuses[i%len(statuses)],
			Group:       groups[(i/4)%len(groups)],
			Tags:        []string{"t" + strconv.Itoa(i%50)},
		})
		if err != nil {
			b.Fatal(err)
		}
		p.ids[i] = tk.ID
	}
	pops[n] = p
	return p
}

var sizes = []int{10_000, 100_000}

// BenchmarkCreate creates tickets in a store that already holds 10k and 100k of them.
func BenchmarkCreate(b *testing.B) {
	nt := ticket.NewTicket{Subject: "Printer jams", Description: "It jams on every page.", Requester: ann, Group: "printers", Tags: []string{"hardware"}}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("tickets=%d", n), func(b *testing.B) {
			p := populated(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.svc.Create(ctx, nt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkComment adds a public reply to one of 10k and 100k tickets in turn.
func BenchmarkComment(b *testing.B) {
	nc := ticket.NewComment{Public: true, Body: "Please restart the router and tell me what the lights show."}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("tickets=%d", n), func(b *testing.B) {
			p := populated(b, n)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := p.svc.Comment(ctx, agent, p.ids[i%len(p.ids)], nc); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkGet(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("tickets=%d", n), func(b *testing.B) {
			p := populated(b, n)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := p.svc.Get(ctx, p.ids[i%len(p.ids)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkListByStatusAndGroup lists the first page (50) of one group's tickets in one
// status, and in two statuses (a union of two status indexes). The indexes keep it flat from
// 10k to 100k tickets.
func BenchmarkListByStatusAndGroup(b *testing.B) {
	queries := []struct {
		name string
		q    ticket.Query
	}{
		{"status=open", ticket.Query{Statuses: []ticket.Status{ticket.StatusOpen}, Group: "network", Limit: 50}},
		{"status=new+open", ticket.Query{Statuses: []ticket.Status{ticket.StatusNew, ticket.StatusOpen}, Group: "network", Limit: 50}},
	}
	for _, n := range sizes {
		for _, qc := range queries {
			b.Run(fmt.Sprintf("tickets=%d/%s", n, qc.name), func(b *testing.B) {
				p := populated(b, n)
				b.ReportAllocs()
				for b.Loop() {
					page, err := p.svc.List(ctx, qc.q)
					if err != nil || len(page.Tickets) != 50 {
						b.Fatal(err, len(page.Tickets))
					}
				}
			})
		}
	}
}

// BenchmarkUpdateStatus moves tickets between open and on-hold, which updates the status
// index. Every iteration is a real change: the flip count persists across runs.
func BenchmarkUpdateStatus(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("tickets=%d", n), func(b *testing.B) {
			p := populated(b, n)
			open := n / len(statuses) // tickets i%4 == 1 start open
			b.ReportAllocs()
			for b.Loop() {
				k := p.flips
				p.flips++
				id := p.ids[(k%open)*len(statuses)+1]
				to := ticket.StatusOnHold
				if (k/open)%2 == 1 {
					to = ticket.StatusOpen
				}
				tk, err := p.svc.Update(ctx, agent, id, ticket.Changes{Status: &to})
				if err != nil || tk.Status != to {
					b.Fatal(err, tk.Status, to)
				}
			}
		})
	}
}
