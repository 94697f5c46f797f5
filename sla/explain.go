package sla

import (
	"fmt"
	"strings"
	"time"
)

const explainLayout = "2006-01-02 15:04 MST"

// Explain returns a human-readable account of every clock: its outcome, deadline and
// budget, then the running and paused segments and why. Times are shown in the location
// of Now.
func (r *Result) Explain() string {
	var b strings.Builder
	loc := r.Now.Location()
	at := func(t time.Time) string { return t.In(loc).Format(explainLayout) }
	fmt.Fprintf(&b, "as of %s\n", at(r.Now))
	trace := r.Trace()
	for _, c := range r.Clocks {
		if c.Outcome == NotStarted {
			fmt.Fprintf(&b, "%s: not started\n", c.Metric)
			continue
		}
		if c.Target == 0 && c.Elapsed == 0 {
			fmt.Fprintf(&b, "%s: untracked (no target)\n", c.Metric)
			continue
		}
		fmt.Fprintf(&b, "%s: %s", c.Metric, c.Outcome)
		if c.Target == 0 {
			b.WriteString(", no target")
		} else {
			kind := "calendar time"
			if c.BusinessHours {
				kind = "business hours"
			}
			fmt.Fprintf(&b, ", %s of %s %s (policy %q, priority %q)", c.Elapsed, c.Target, kind, c.Policy, c.Priority)
		}
		switch {
		case !c.Stop.IsZero():
			fmt.Fprintf(&b, ", stopped %s", at(c.Stop))
		case c.Paused:
			b.WriteString(", paused")
		case !c.Deadline.IsZero() && c.BreachedAt.IsZero():
			fmt.Fprintf(&b, ", deadline %s", at(c.Deadline))
		}
		if !c.BreachedAt.IsZero() {
			fmt.Fprintf(&b, ", breached %s", at(c.BreachedAt))
		}
		for _, w := range c.Warnings {
			fmt.Fprintf(&b, ", warning %d at %s", w.Index, at(w.At))
		}
		if c.Cycles > 1 {
			fmt.Fprintf(&b, ", cycle %d (%d breached)", c.Cycles, c.BreachedCycles)
		}
		b.WriteByte('\n')
		for _, s := range trace {
			if s.Metric != c.Metric {
				continue
			}
			state := "paused "
			if s.Running {
				state = "running"
			}
			fmt.Fprintf(&b, "  %s .. %s  %s  %-8s %s", at(s.From), at(s.To), state, s.Counted, s.Why)
			if s.Policy != "" {
				fmt.Fprintf(&b, ", policy %q priority %q", s.Policy, s.Priority)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}
