package sla_test

import (
	"fmt"
	"time"

	"github.com/supportkit/supportkit/sla"
)

// Policies are ordered; the first whose condition matches a ticket applies. Enterprise
// customers get answers around the clock; everyone else in business hours, with targets
// depending on the priority and warnings before a breach.
func Example_policy() {
	msk, _ := time.LoadLocation("Europe/Moscow")
	office, _ := sla.NewCalendar(sla.CalendarConfig{Location: msk, Week: sla.Weekdays(sla.Hours(9, 0, 18, 0))})
	policies, err := sla.NewPolicies(
		sla.Policy{
			Name: "Enterprise 24/7",
			When: sla.Condition{Segments: []string{"enterprise"}},
			Targets: map[string]sla.Targets{"": {
				FirstResponse: &sla.Target{Within: 15 * time.Minute, Warnings: []sla.Warning{{Before: 5 * time.Minute}}},
				Resolution:    &sla.Target{Within: 24 * time.Hour},
			}},
		},
		sla.Policy{
			Name:     "Standard",
			Calendar: office,
			Targets: map[string]sla.Targets{
				"urgent": {FirstResponse: &sla.Target{Within: time.Hour, BusinessHours: true}},
				"": {
					FirstResponse: &sla.Target{Within: 4 * time.Hour, BusinessHours: true, Warnings: []sla.Warning{{Percent: 75}, {Percent: 90}}},
					Resolution:    &sla.Target{Within: 40 * time.Hour, BusinessHours: true},
				},
			},
		},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	// A normal ticket created on Friday at 16:00: 2h on Friday, 2h on Monday.
	created := time.Date(2026, time.March, 6, 16, 0, 0, 0, msk)
	r, _ := sla.Evaluate(policies, []sla.Event{{
		At: created, Kind: sla.EventCreated, Author: sla.AuthorCustomer,
		Attributes: sla.Attributes{Priority: "normal", Segment: "smb", Channel: "email"},
	}}, created)
	fr := r.Clock(sla.FirstResponse)
	fmt.Println(fr.Policy, fr.Target, "business hours:", fr.BusinessHours)
	fmt.Println("deadline:", fr.Deadline.Format("Mon Jan 2 15:04"))

	// A bad policy is refused with a typed error.
	_, err = sla.NewPolicies(sla.Policy{Name: "Broken", Targets: map[string]sla.Targets{"": {Resolution: &sla.Target{}}}})
	fmt.Println(err)
	// Output:
	// Standard 4h0m0s business hours: true
	// deadline: Mon Mar 9 11:00
	// sla: invalid Policies[0].Targets[""].resolution.Within: target must be positive, got 0s
}
