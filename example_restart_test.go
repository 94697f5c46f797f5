package supportkit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// A Desk restarted over the same store and ledger picks up where the last one stopped:
// its reports count every ticket, the waiting tickets are queued again in their order,
// and hooks already delivered are not called again.
func ExampleDesk_Load() {
	ctx := context.Background()
	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	store, ledger := ticket.NewMemoryStore(), supportkit.NewMemoryLedger()
	start := func() *supportkit.Desk {
		d, err := supportkit.New(supportkit.Config{
			Store: store, Ledger: ledger, Now: func() time.Time { return now }, Routing: &routing.Config{},
			Hooks: supportkit.Hooks{OnSolved: func(_ context.Context, t ticket.Ticket) error {
				fmt.Println("solved:", t.Number)
				return nil
			}},
		})
		if err != nil {
			panic(err)
		}
		return d
	}
	ann := ticket.Requester{Name: "Ann Lee", Email: "ann@example.com"}
	alex := ticket.Actor{Kind: ticket.ActorAgent, ID: "alex", Name: "Alex Kim"}

	first := start()
	for _, subject := range []string{"VPN is down", "Printer jams", "New laptop"} {
		t, _ := first.Tickets().Create(ctx, ticket.NewTicket{Subject: subject, Requester: ann, Channel: ticket.ChannelEmail})
		if subject == "Printer jams" {
			_, _ = first.Tickets().Assign(ctx, alex, t.ID, "alex")
			_, _ = first.Tickets().Solve(ctx, alex, t.ID)
		}
		now = now.Add(time.Minute)
	}

	// The process restarts: a new Desk over the same store and ledger.
	second := start()
	if err := second.Load(ctx); err != nil {
		fmt.Println(err)
	}
	rep, _ := second.Report(ctx, metrics.ReportConfig{})
	fmt.Println("tickets:", rep.Total().Tickets, "solved:", rep.Total().Solved)
	for _, task := range second.Router().Queue() {
		info, _ := second.Router().Task(task)
		fmt.Println("waiting since", info.Task.QueuedAt.Format("15:04"))
	}
	// Output:
	// solved: SUP-2
	// tickets: 3 solved: 1
	// waiting since 09:00
	// waiting since 09:02
}
