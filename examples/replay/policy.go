package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// The log's timestamps carry no zone; they are read as UTC and the business calendar is in
// UTC too, so business hours fall on the wall-clock hours the log shows.

// officeHours is the desk's business calendar: Monday to Friday, 08:00-18:00.
func officeHours() (*sla.Calendar, error) {
	return sla.NewCalendar(sla.CalendarConfig{Week: sla.Weekdays(sla.Hours(8, 0, 18, 0))})
}

// resolutionTargets are the resolution promises by ticket priority, in business hours: 4
// hours for urgent, a business day (8 hours) for high, three days of the calendar's 10-hour
// days for normal and five for low. The clock pauses while the ticket waits on the user or
// on a third party (the sla package's default).
var resolutionTargets = []struct {
	priority ticket.Priority
	within   time.Duration
}{
	{ticket.PriorityUrgent, 4 * time.Hour},
	{ticket.PriorityHigh, 8 * time.Hour},
	{ticket.PriorityNormal, 30 * time.Hour},
	{ticket.PriorityLow, 50 * time.Hour},
}

// warnAt is the share of the resolution target at which the team is warned.
const warnAt = 75

// slaPolicies is the one policy of the replay: resolution targets by priority on the office
// calendar. There is no response target: the log records no replies.
func slaPolicies(cal *sla.Calendar) (*sla.Policies, error) {
	targets := map[string]sla.Targets{}
	for _, t := range resolutionTargets {
		targets[string(t.priority)] = sla.Targets{Resolution: &sla.Target{
			Within: t.within, BusinessHours: true, Warnings: []sla.Warning{{Percent: warnAt}},
		}}
	}
	return sla.NewPolicies(sla.Policy{Name: "incident resolution", Calendar: cal, Targets: targets})
}

// describePolicy says in one line what the policy promises.
func describePolicy() string {
	var parts []string
	for _, t := range resolutionTargets {
		parts = append(parts, string(t.priority)+" "+hours(t.within))
	}
	return fmt.Sprintf("resolution within %s of business hours (Mon-Fri 08:00-18:00), warning at %d%%, paused while pending or on hold",
		strings.Join(parts, ", "), warnAt)
}
