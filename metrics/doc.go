// Package metrics turns what happened to tickets into the numbers a support team is run by,
// and answers how many agents each hour needs.
//
// # Input
//
// A Record describes one ticket: its channel, priority, type, group, assignee and line, when
// it was created, first answered by an agent in public, first and last solved and closed, how
// often it was reopened and reassigned, how many public replies agents and the customer wrote,
// its handle-time and pending intervals, its SLA outcomes, its CSAT and CES answers, and who
// owned it (group, line, assignee) at its first reply, first solve and last solve. Hosts
// fill Records themselves or feed plain Events (ticket ID, time, kind, actor, attribute
// values) to a Builder, which folds them into Records. NPS answers (NPS) and customer counts
// (Churn) are inputs of their own. Business-hours figures use a Calendar, any type with
// Between(a, b time.Time) time.Duration.
//
// # Names
//
// SLA outcomes are named by SLAMetric: SLAFirstResponse ("first_response"), SLANextResponse
// ("next_response"), SLAPeriodicUpdate ("periodic_update") and SLAResolution ("resolution"),
// the spellings of the sla package's metrics, plus any metric of the host's own in the same
// snake_case shape. Scorecard lines are named by KPI (KPIAverageFirstResponse...), durations
// carry their Clock (ClockBusiness or ClockWall), and every enumeration (EventKind,
// ActorKind, Dimension, Period, DurationKPI, FCRVariant, Attribution) reads and writes that
// one text form through MarshalText and UnmarshalText, which reject unknown values.
//
// # KPIs
//
// Per ticket: FirstResponseTime, FirstResolutionTime, FullResolutionTime, RequesterWaitTime,
// AgentWorkTime (handle time) and FirstContactResolved under three FCRVariants. Per group of
// tickets, in Stats: means, medians, p90 and p95 of every duration (Stats.Duration in
// wall-clock time, and Stats.BusinessDuration in business hours), AHT, FCR, reopen rate,
// resolution rate, CSAT (share of 4–5 answers on 1–5), CES (mean on 1–7), SLA attainment per
// SLA metric (met / (met + breached)) and volume by hour of week; volume by channel is the
// Tickets count of a report grouped ByChannel. Backlog counts open tickets at an instant by
// age; Occupancy and Utilization measure agents; NPS and Churn measure customers. Every rate
// comes with an ok flag that is false when its denominator is zero, so no figure is ever NaN.
//
// # Reports
//
// A Report makes one pass over an iter.Seq[Record], grouping by any of group, channel,
// priority, type, agent, line and period (day, week or month in a zone). Percentiles (P50,
// P90, P95, Stats.Quantile) are interpolated, those of PostgreSQL's percentile_cont and of
// spreadsheets' PERCENTILE: linear interpolation between the two nearest ranks;
// Stats.DiscreteQuantile gives the nearest rank, PostgreSQL's percentile_disc (Summary
// states both definitions). They are exact while a group has at most ExactLimit (128) values
// of a KPI, which it then keeps; above that they come from Sketch, a mergeable quantile
// sketch with relative error at most ReportConfig.Accuracy (1% by default), made only then,
// so a report's memory depends on its groups and what they hold, not on its tickets, and
// reports of shards or days merge into the totals of one pass. Summary.Accuracy says which
// figures are estimates, and FormatQuantile prints them with no more digits than their
// accuracy guarantees. Percentiles are never averaged. A ticket that changed teams is credited, by
// default, to the team that held it when each measure happened: its first reply to the
// team that answered, its resolution to the team that solved it (ReportConfig.Attribution).
// Invalid records, and records past a report's bounds (ReportConfig.MaxGroups,
// MaxSLAMetrics), are left out, counted and named with their reasons (Report.Exclusions).
//
// A Scorecard checks a group against Targets, by default (DefaultTargets): average first
// response within 15 minutes, first contact resolution of 85% or more, CSAT of 90% or more,
// average resolution within 24 hours. It measures durations by the report's clock (business
// hours when the report has a Calendar, wall-clock time otherwise), names the clock on each
// line, and prints as a text table.
//
// # Staffing
//
// ErlangB, ErlangC and Queue.Evaluate give the probability of waiting, service level, average
// speed of answer and occupancy of a queue; with a mean Patience the queue is Erlang A and
// contacts abandon. AgentsFor finds the agents a Target needs, with shrinkage. PlanWeek does
// it for every hour of a week from the volume by hour of week and says whether night cover is
// worth it and how many people cover weekday office hours.
//
// # Errors and concurrency
//
// Bad input returns a *ValidationError that wraps ErrInvalid, and input past a documented
// bound a *LimitError that wraps ErrLimit; nothing panics, and the zero value of every type
// is either ready to use (Builder, Report, NPS) or returns errors (Sketch). Report and Builder
// are safe for concurrent use; Sketch, Stats and NPS are plain values owned by the caller.
package metrics
