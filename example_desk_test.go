package supportkit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// A desk with one SLA policy: the ticket's clocks follow its events, the host's scheduler
// learns from NextWake when to check them, and the hooks hear of warnings and breaches.
func ExampleDesk() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	policies, err := sla.NewPolicies(sla.Policy{
		Name: "standard",
		Targets: map[string]sla.Targets{"": {
			FirstResponse: &sla.Target{Within: 15 * time.Minute, Warnings: []sla.Warning{{Percent: 80}}},
		}},
	})
	if err != nil {
		panic(err)
	}
	desk, err := supportkit.New(supportkit.Config{
		Now:      clock,
		Policies: policies,
		Hooks: supportkit.Hooks{
			OnBreachWarning: func(_ context.Context, t ticket.Ticket, c sla.ClockResult, w sla.WarningHit) error {
				fmt.Printf("%s warning: %s, %s left\n", w.At.Format("15:04"), c.Metric, c.Deadline.Sub(w.At))
				return nil
			},
		},
	})
	if err != nil {
		panic(err)
	}
	t, err := desk.Tickets().Create(ctx, ticket.NewTicket{
		Subject:   "Cannot sign in",
		Requester: ticket.Requester{Name: "Ann Lee", Email: "ann@example.com"},
		Channel:   ticket.ChannelChat,
	})
	if err != nil {
		panic(err)
	}

	wake, _ := desk.NextWake(context.Background(), now)
	fmt.Println("next wake:", wake.Format("15:04"))
	now = wake
	if err := desk.CheckClocks(ctx, now); err != nil {
		panic(err)
	}

	now = time.Date(2026, 3, 2, 9, 13, 0, 0, time.UTC) // the agent replies at 09:13
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-1"}
	if _, err := desk.Tickets().Comment(ctx, agent, t.ID, ticket.NewComment{Public: true, Body: "Hello!"}); err != nil {
		panic(err)
	}
	res, err := desk.Clocks(ctx, t.ID, now)
	if err != nil {
		panic(err)
	}
	fr := res.Clock(sla.FirstResponse)
	fmt.Println("first response:", fr.Outcome, "after", fr.Elapsed)

	rep, err := desk.Report(context.Background(), metrics.ReportConfig{})
	if err != nil {
		panic(err)
	}
	frt := rep.Total().Duration(metrics.FRT)
	fmt.Println("mean first response:", frt.Mean)
	// Output:
	// next wake: 09:12
	// 09:12 warning: first response, 3m0s left
	// first response: met after 13m0s
	// mean first response: 13m0s
}
