package sla_test

import (
	"fmt"
	"time"

	"github.com/supportkit/supportkit/sla"
)

// A resolution promised in two working days of a Moscow office with a lunch break and a
// holiday: the deadline is the same time of day two working days later, the holiday
// skipped. Targets are keyed by the ticket's priority exactly as the ticket package spells
// it ("low", "normal", "high", "urgent"), with "" for every other priority.
func Example_workingDays() {
	office, _ := sla.NewCalendar(sla.CalendarConfig{
		Zone:     "Europe/Moscow",
		Week:     sla.Weekdays(sla.Hours(9, 0, 13, 0), sla.Hours(14, 0, 18, 0)),
		Holidays: []sla.Holiday{{Name: "Women's Day (moved)", Date: sla.Day(2026, time.March, 9)}},
	})
	policies, _ := sla.NewPolicies(sla.Policy{
		Name:     "Office",
		Calendar: office,
		Targets: map[string]sla.Targets{
			"urgent": {Resolution: &sla.Target{Within: 4 * time.Hour, BusinessHours: true}},
			"":       {Resolution: &sla.Target{WorkingDays: 2}},
		},
	})
	fmt.Println(policies.CheckPriorities("low", "normal", "high", "urgent"))

	msk := office.Location()
	created := time.Date(2026, time.March, 6, 11, 0, 0, 0, msk) // a Friday
	r, _ := sla.Evaluate(policies, []sla.Event{{
		At: created, Kind: sla.EventCreated, Attributes: sla.Attributes{Priority: "normal"},
	}}, created)
	res := r.Clock(sla.Resolution)
	fmt.Println("due:", res.Deadline.Format("Mon Jan 2 15:04"), "after", res.Target, "of open time")
	// Output:
	// <nil>
	// due: Wed Mar 11 11:00 after 16h0m0s of open time
}
