package sla_test

import (
	"fmt"
	"time"

	"github.com/supportkit/supportkit/sla"
)

// Reading a ticket's clocks: the timeline is what happened to the ticket; Evaluate turns
// it into the state of every SLA clock at an instant, and NextWake says when to look again.
func Example_clocks() {
	msk, _ := time.LoadLocation("Europe/Moscow")
	office, _ := sla.NewCalendar(sla.CalendarConfig{Location: msk, Week: sla.Weekdays(sla.Hours(9, 0, 18, 0))})
	policies, _ := sla.NewPolicies(sla.Policy{
		Name:     "Standard",
		Calendar: office,
		Targets: map[string]sla.Targets{"": {
			FirstResponse: &sla.Target{Within: time.Hour, BusinessHours: true},
			NextResponse:  &sla.Target{Within: 2 * time.Hour, BusinessHours: true},
			Resolution:    &sla.Target{Within: 8 * time.Hour, BusinessHours: true, Warnings: []sla.Warning{{Percent: 75}}},
		}},
	})
	at := func(day, hour, minute int) time.Time {
		return time.Date(2026, time.March, day, hour, minute, 0, 0, msk)
	}
	timeline := []sla.Event{
		{At: at(2, 10, 0), Kind: sla.EventCreated, Author: sla.AuthorCustomer, Attributes: sla.Attributes{Priority: "normal"}},
		{At: at(2, 10, 5), Kind: sla.EventReply, Author: sla.AuthorBot}, // does not count
		{At: at(2, 10, 40), Kind: sla.EventReply, Author: sla.AuthorAgent, Status: sla.CategoryPending},
		{At: at(2, 15, 0), Kind: sla.EventReply, Author: sla.AuthorCustomer, Status: sla.CategoryOpen},
	}
	// First response: 40 minutes. The customer's 15:00 reply waits for an answer (next
	// response, due 17:00). Resolution paused while pending: 40m + 3h + 30m on Tuesday.
	r, err := sla.Evaluate(policies, timeline, at(3, 9, 30))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range r.Clocks {
		if c.Outcome == sla.NotStarted || c.Target == 0 {
			continue
		}
		line := fmt.Sprintf("%-15s %-8s elapsed %s, remaining %s", c.Metric, c.Outcome, c.Elapsed, c.Remaining)
		if !c.Deadline.IsZero() {
			line += ", deadline " + c.Deadline.Format("Mon 15:04")
		}
		fmt.Println(line)
	}
	// The resolution clock reaches its 75% warning (6h of 8h) at 11:20.
	wake, _ := r.NextWake()
	fmt.Println("next wake:", wake.Format("Mon 15:04"))
	// Output:
	// first response  met      elapsed 40m0s, remaining 20m0s
	// next response   breached elapsed 3h30m0s, remaining -1h30m0s, deadline Mon 17:00
	// resolution      running  elapsed 4h10m0s, remaining 3h50m0s, deadline Tue 13:20
	// next wake: Tue 11:20
}
