package sla

import (
	"fmt"
	"slices"
	"time"
)

// Metric names an SLA clock.
type Metric int

// The metrics a policy can target.
const (
	// FirstResponse runs from creation to the first public reply by an agent.
	FirstResponse Metric = iota
	// NextResponse runs from each public customer reply that has no agent reply yet (after
	// the first response) to the next public agent reply.
	NextResponse
	// PeriodicUpdate runs from each public agent reply to the next one while the ticket is
	// not solved.
	PeriodicUpdate
	// Resolution runs from creation to solved, paused by default while pending or on hold,
	// and continues after a reopen.
	Resolution
)

// metricCount is the number of metrics; Result.Clocks holds one per metric.
const metricCount = 4

// String returns the metric's name, such as "first response".
func (m Metric) String() string {
	switch m {
	case FirstResponse:
		return "first response"
	case NextResponse:
		return "next response"
	case PeriodicUpdate:
		return "periodic update"
	case Resolution:
		return "resolution"
	}
	return fmt.Sprintf("Metric(%d)", int(m))
}

// Category is the status category of a ticket; hosts map their own statuses onto these.
type Category string

// Status categories.
const (
	CategoryNew     Category = "new"     // not yet worked on
	CategoryOpen    Category = "open"    // being worked on: the team owes the next step
	CategoryPending Category = "pending" // waiting on the customer
	CategoryOnHold  Category = "on-hold" // waiting on a third party
	CategorySolved  Category = "solved"  // answered
	CategoryClosed  Category = "closed"  // final
)

func (c Category) valid() bool {
	switch c {
	case CategoryNew, CategoryOpen, CategoryPending, CategoryOnHold, CategorySolved, CategoryClosed:
		return true
	}
	return false
}

func (c Category) done() bool { return c == CategorySolved || c == CategoryClosed }

// Attributes are the ticket fields policies match on.
type Attributes struct {
	// Priority selects the Targets entry of the matching policy (Policy.Targets is keyed
	// by it); empty uses the "" entry.
	Priority string
	// Channel is the channel the ticket came in by, such as "email".
	Channel string
	// Type is the ticket's type, such as "incident".
	Type string
	// Group is the team that owns the ticket.
	Group string
	// Segment is the customer's segment, such as "enterprise".
	Segment string
	// Tags are the ticket's tags; order does not matter.
	Tags []string
}

func (a *Attributes) isZero() bool {
	return a.Priority == "" && a.Channel == "" && a.Type == "" && a.Group == "" && a.Segment == "" && len(a.Tags) == 0
}

// Condition selects the tickets a policy applies to. Every non-empty field must match; the
// zero Condition matches every ticket.
type Condition struct {
	// Priorities matches when the ticket's priority is one of the listed ones, spelled
	// exactly ("high", not "High"; see Policy.Targets); empty (the default) matches any.
	Priorities []string
	// Channels matches when the ticket's channel is one of the listed ones; empty matches
	// any.
	Channels []string
	// Types matches when the ticket's type is one of the listed ones; empty matches any.
	Types []string
	// Groups matches when the ticket's group is one of the listed ones; empty matches any.
	Groups []string
	// Segments matches when the customer's segment is one of the listed ones; empty
	// matches any.
	Segments []string
	// Tags match when the ticket carries every listed tag.
	Tags []string
	// Match is a host predicate; nil matches. It must be a pure function of its argument.
	Match func(Attributes) bool
}

func oneOf(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }

// Matches reports whether a ticket with attributes a satisfies the condition. A nil
// *Condition matches like the zero Condition: every ticket.
func (c *Condition) Matches(a Attributes) bool {
	if c == nil {
		return true
	}
	if !oneOf(c.Priorities, a.Priority) || !oneOf(c.Channels, a.Channel) || !oneOf(c.Types, a.Type) ||
		!oneOf(c.Groups, a.Group) || !oneOf(c.Segments, a.Segment) {
		return false
	}
	for _, tag := range c.Tags {
		if !slices.Contains(a.Tags, tag) {
			return false
		}
	}
	return c.Match == nil || c.Match(a)
}

// Warning is an escalation point before a breach: either Percent of the target spent, or
// Before the deadline. Exactly one of the two must be set.
type Warning struct {
	Percent int           // 1-99: reached when this share of the target is spent
	Before  time.Duration // > 0 and < Within: reached this much before the deadline (at the start when a working-day target is shorter)
}

// budget returns the elapsed time at which the warning is reached under target t.
func (w Warning) budget(t time.Duration) time.Duration {
	if w.Percent > 0 {
		return t * time.Duration(w.Percent) / 100
	}
	return max(t-w.Before, 0)
}

// Target is the promise for one metric.
type Target struct {
	// Within is the time allowed. Exactly one of Within and WorkingDays must be set
	// (positive).
	Within time.Duration
	// WorkingDays is the time allowed in working days of the policy's Calendar, which is
	// then required; at most MaxWorkingDays. A cycle started at 11:00 on a Monday with 2
	// working days is due at 11:00 on Wednesday, weekends and holidays skipped; started
	// while closed it counts from the next opening; on a shorter day the due position
	// clamps to its close (see Calendar.AddWorkingDays for the exact rule). The clock
	// counts the calendar's open time whatever BusinessHours says, against a budget fixed
	// when the cycle starts (or the target takes over a running cycle): the open time
	// from the cycle's Start to its due position. Time paused moves the deadline by the
	// open time it held, as for Within, and a priority change keeps the time counted.
	WorkingDays int
	// BusinessHours counts only the open time of the policy's Calendar. False (the
	// default) counts calendar time, around the clock. A WorkingDays target always
	// counts open time.
	BusinessHours bool
	// Warnings are escalation points, reported by their index in this slice; at most
	// MaxWarnings. None by default.
	Warnings []Warning
	// PauseOn lists the status categories in which the clock stops counting. Nil (the
	// default) means pending and on-hold for Resolution and PeriodicUpdate, none for the
	// response metrics; a non-nil empty slice never pauses.
	PauseOn []Category
}

func (t *Target) pauses(m Metric, c Category) bool {
	if t.PauseOn != nil {
		return slices.Contains(t.PauseOn, c)
	}
	if m == Resolution || m == PeriodicUpdate {
		return c == CategoryPending || c == CategoryOnHold
	}
	return false
}

// Targets holds one optional Target per metric; a nil Target leaves the metric untracked.
type Targets struct {
	// FirstResponse is the promise for the first public agent reply; nil leaves it
	// untracked.
	FirstResponse *Target
	// NextResponse is the promise for each agent reply to a customer's reply; nil leaves
	// it untracked.
	NextResponse *Target
	// PeriodicUpdate is the promise for the time between public agent replies while the
	// ticket is unsolved; nil leaves it untracked.
	PeriodicUpdate *Target
	// Resolution is the promise for solving the ticket; nil leaves it untracked.
	Resolution *Target
}

func (t *Targets) get(m Metric) *Target {
	switch m {
	case FirstResponse:
		return t.FirstResponse
	case NextResponse:
		return t.NextResponse
	case PeriodicUpdate:
		return t.PeriodicUpdate
	}
	return t.Resolution
}

// Policy is a named SLA: which tickets it applies to and the targets per priority.
type Policy struct {
	// Name identifies the policy in results and traces; it must not be empty.
	Name string
	// When selects the tickets; the zero Condition matches all.
	When Condition
	// Calendar is required when any target counts business hours.
	Calendar *Calendar
	// Targets by ticket priority, spelled exactly as the ticket's priority: with the
	// ticket package (and the Desk) the keys are "low", "normal", "high" and "urgent".
	// The "" entry applies to priorities without their own. At least one Target must be
	// set. A key that is no priority would never apply: Policies.CheckPriorities (which
	// the Desk calls) rejects it.
	Targets map[string]Targets
}

// Policies is a validated, ordered list of policies: for each ticket state the first
// policy whose condition matches applies. It is immutable and safe for concurrent use.
// Build it with NewPolicies: Evaluate rejects the zero Policies and a nil *Policies.
type Policies struct {
	list    []Policy
	targets []map[string]*Targets // per policy, copied so results can point into them
}

// NewPolicies validates the policies, in order of precedence. Errors are
// *ValidationError values wrapping ErrInvalid: no policy, an empty name, a policy without
// targets, a target that is not positive, a bad warning or pause category, more than
// MaxWarnings warnings, business hours without a calendar, or a Calendar not built by
// NewCalendar. The policies are copied, targets and slices included, so
// changing them afterwards does not change the returned Policies (the Calendar is shared:
// it is immutable, and Condition.Match is called as given).
func NewPolicies(policies ...Policy) (*Policies, error) {
	if len(policies) == 0 {
		return nil, invalid("Policies", "no policy")
	}
	ps := &Policies{list: make([]Policy, len(policies)), targets: make([]map[string]*Targets, len(policies))}
	for i := range policies {
		p, targets := policies[i].clone()
		if err := p.validate(fmt.Sprintf("Policies[%d]", i)); err != nil {
			return nil, err
		}
		ps.list[i], ps.targets[i] = p, targets
	}
	return ps, nil
}

// clone returns a deep copy of p and its targets by priority, pointing into the copy.
func (p *Policy) clone() (Policy, map[string]*Targets) {
	out := *p
	out.When = p.When.clone()
	out.Targets = make(map[string]Targets, len(p.Targets))
	targets := make(map[string]*Targets, len(p.Targets))
	for prio, ts := range p.Targets {
		c := Targets{
			FirstResponse:  ts.FirstResponse.clone(),
			NextResponse:   ts.NextResponse.clone(),
			PeriodicUpdate: ts.PeriodicUpdate.clone(),
			Resolution:     ts.Resolution.clone(),
		}
		out.Targets[prio] = c
		targets[prio] = &c
	}
	return out, targets
}

func (c *Condition) clone() Condition {
	out := *c
	out.Priorities = slices.Clone(c.Priorities)
	out.Channels = slices.Clone(c.Channels)
	out.Types = slices.Clone(c.Types)
	out.Groups = slices.Clone(c.Groups)
	out.Segments = slices.Clone(c.Segments)
	out.Tags = slices.Clone(c.Tags)
	return out
}

// clone copies t; a nil PauseOn stays nil and an empty one stays empty (they differ).
func (t *Target) clone() *Target {
	if t == nil {
		return nil
	}
	out := *t
	out.Warnings = slices.Clone(t.Warnings)
	out.PauseOn = slices.Clone(t.PauseOn)
	return &out
}

func (p *Policy) validate(field string) error {
	if p.Name == "" {
		return invalid(field+".Name", "empty name")
	}
	hasTarget := false
	prios := make([]string, 0, len(p.Targets))
	for prio := range p.Targets {
		prios = append(prios, prio)
	}
	slices.Sort(prios)
	for _, prio := range prios {
		ts := p.Targets[prio]
		for m := range Metric(metricCount) {
			t := ts.get(m)
			if t == nil {
				continue
			}
			hasTarget = true
			f := fmt.Sprintf("%s.Targets[%q].%s", field, prio, m)
			if err := t.validate(f); err != nil {
				return err
			}
			if (t.BusinessHours || t.WorkingDays > 0) && p.Calendar == nil {
				return invalid(f, "business hours and working days need the policy's Calendar")
			}
		}
	}
	if p.Calendar != nil && !p.Calendar.built() {
		return invalid(field+".Calendar", "calendar not built by NewCalendar")
	}
	if !hasTarget {
		return invalid(field+".Targets", "policy has no targets")
	}
	return nil
}

// MaxWarnings is the most warning points one Target may have.
const MaxWarnings = 64

func (t *Target) validate(field string) error {
	switch {
	case t.WorkingDays < 0 || t.WorkingDays > MaxWorkingDays:
		return invalid(field+".WorkingDays", fmt.Sprintf("working days must be 1-%d, got %d", MaxWorkingDays, t.WorkingDays))
	case t.WorkingDays > 0 && t.Within != 0:
		return invalid(field+".WorkingDays", "set exactly one of Within and WorkingDays")
	case t.WorkingDays == 0 && t.Within <= 0:
		return invalid(field+".Within", "target must be positive, got "+t.Within.String())
	}
	if len(t.Warnings) > MaxWarnings {
		return invalid(field+".Warnings", fmt.Sprintf("at most %d warnings, got %d", MaxWarnings, len(t.Warnings)))
	}
	for i, w := range t.Warnings {
		f := fmt.Sprintf("%s.Warnings[%d]", field, i)
		switch {
		case (w.Percent != 0) == (w.Before != 0):
			return invalid(f, "set exactly one of Percent and Before")
		case w.Percent != 0 && (w.Percent < 1 || w.Percent > 99):
			return invalid(f, "percent must be 1-99")
		case w.Before < 0 || (t.WorkingDays == 0 && w.Before >= t.Within):
			return invalid(f, "Before must be positive and less than the target")
		}
	}
	for i, c := range t.PauseOn {
		if !c.valid() {
			return invalid(fmt.Sprintf("%s.PauseOn[%d]", field, i), fmt.Sprintf("unknown status category %q", c))
		}
	}
	return nil
}

// match returns the first policy matching a and its targets for a's priority, or nil.
func (ps *Policies) match(a *Attributes) (*Policy, *Targets) {
	for i := range ps.list {
		p := &ps.list[i]
		if !p.When.Matches(*a) {
			continue
		}
		if ts, ok := ps.targets[i][a.Priority]; ok {
			return p, ts
		}
		return p, ps.targets[i][""]
	}
	return nil, nil
}

// CheckPriorities reports whether every priority the policies name is one of known: each
// key of Policy.Targets other than "" and each value of Condition.Priorities. Priorities
// are compared exactly, so with the ticket package's priorities ("low", "normal", "high",
// "urgent") a key "High" is an error rather than a target that never applies. It returns
// nil when all are known, else a *ValidationError wrapping ErrInvalid whose Field names
// the policy's position and the key, such as `Policies[0].Targets["High"]`, and whose
// Reason names the policy. The Desk calls it with the ticket priorities when it is built;
// a host evaluating policies itself calls it with its own. A nil or zero Policies gives
// ErrInvalid as Evaluate does.
func (ps *Policies) CheckPriorities(known ...string) error {
	if ps == nil || len(ps.list) == 0 {
		return invalid("Policies", "nil or empty Policies: build them with NewPolicies")
	}
	for i := range ps.list {
		p := &ps.list[i]
		prios := make([]string, 0, len(p.Targets))
		for prio := range p.Targets {
			prios = append(prios, prio)
		}
		slices.Sort(prios)
		for _, prio := range prios {
			if prio != "" && !slices.Contains(known, prio) {
				return unknownPriority(fmt.Sprintf("Policies[%d].Targets[%q]", i, prio), p.Name, prio, known)
			}
		}
		for j, prio := range p.When.Priorities {
			if !slices.Contains(known, prio) {
				return unknownPriority(fmt.Sprintf("Policies[%d].When.Priorities[%d]", i, j), p.Name, prio, known)
			}
		}
	}
	return nil
}

func unknownPriority(field, policy, prio string, known []string) error {
	return invalid(field, fmt.Sprintf("policy %q: unknown priority %q (known: %q)", policy, prio, known))
}
