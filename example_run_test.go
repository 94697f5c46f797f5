package supportkit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/simclock"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// A Desk that drives itself: Run evaluates the SLA clocks when they fall due and retries
// a hook that failed. Here the clock is simulated, so an hour passes at once.
func ExampleDesk_Run() {
	clock := simclock.New(time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC))
	policies, _ := sla.NewPolicies(sla.Policy{Name: "standard", Targets: map[string]sla.Targets{
		"": {FirstResponse: &sla.Target{Within: 30 * time.Minute}},
	}})
	failed := false
	desk, err := supportkit.New(supportkit.Config{
		Now: clock.Now, Sleep: clock.Sleep, Policies: policies,
		Hooks: supportkit.Hooks{OnBreach: func(_ context.Context, t ticket.Ticket, c sla.ClockResult) error {
			if !failed { // the host's pager is down the first time
				failed = true
				return fmt.Errorf("pager unreachable")
			}
			fmt.Printf("%s paged at %s: %s breached\n", t.Number, clock.Now().Format("15:04:05"), c.Metric)
			return nil
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	clock.Add(1)
	done := make(chan error)
	go func() { done <- desk.Run(ctx) }()

	_, err = desk.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN is down", Description: "since 8:00",
		Requester: ticket.Requester{Name: "Ann Lee", Email: "ann@example.com"}})
	if err != nil {
		fmt.Println(err)
	}
	clock.Advance(clock.Now().Add(time.Hour))
	stop()
	fmt.Println("Run returned:", <-done)
	// Output:
	// SUP-1 paged at 09:30:01: first response breached
	// Run returned: context canceled
}
