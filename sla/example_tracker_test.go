package sla_test

import (
	"fmt"
	"time"

	"github.com/supportkit/supportkit/sla"
)

// Replaying a ticket's log: a Tracker takes the events one at a time and evaluates the
// clocks after each, as Evaluate would on the events so far, without replaying them.
func Example_tracker() {
	policies, _ := sla.NewPolicies(sla.Policy{Name: "Standard", Targets: map[string]sla.Targets{"": {
		FirstResponse: &sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Percent: 50}}},
	}}})
	at := func(hour, minute int) time.Time { return time.Date(2026, time.March, 2, hour, minute, 0, 0, time.UTC) }
	log := []sla.Event{
		{At: at(9, 0), Kind: sla.EventCreated, Author: sla.AuthorCustomer},
		{At: at(9, 45), Kind: sla.EventReply, Author: sla.AuthorCustomer},
		{At: at(10, 20), Kind: sla.EventReply, Author: sla.AuthorAgent},
	}
	tr, err := sla.NewTracker(policies)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range log {
		if err := tr.Add(e); err != nil {
			fmt.Println(err)
			return
		}
		r, _ := tr.Evaluate(e.At)
		c := r.Clock(sla.FirstResponse)
		fmt.Printf("%s: first response %s, %d warning(s)\n", e.At.Format("15:04"), c.Outcome, len(c.Warnings))
	}
	// Output:
	// 09:00: first response running, 0 warning(s)
	// 09:45: first response running, 1 warning(s)
	// 10:20: first response breached, 1 warning(s)
}
