// Package metrics turns what happened to tickets into the numbers a support team is run by,
// and answers how many agents each hour needs.
//
// # Input
//
// A Record describes one ticket: its channel, priority, type, group, assignee and line, when
// it was created, first answered by an agent in public, first and last solved and closed, how
// often it was reopened and reassigned, how many public replies agents and the customer wrote,
// its handle-time and pending intervals, its SLA outcomes and its CSAT and CES answers. Hosts
// fill Records themselves or feed plain Events (ticket ID, time, kind, actor, attribute values)
// to a Builder, which folds them into Records. NPS answers (NPS) and customer counts (Churn)
// are inputs of their own. Business-hours figures use a Calendar, any type with
// Between(a, b time.Time) time.Duration.
//
// # KPIs
//
// Per ticket: FirstResponseTime, FirstResolutionTime, FullResolutionTime, RequesterWaitTime,
// AgentWorkTime (handle time) and FirstContactResolved under three FCRVariants. Per group of
// tickets, in Stats: means, medians, p90 and p95 of every duration (Stats.Duration, and
// Stats.BusinessDuration in business hours), AHT, FCR, reopen rate, resolution rate, CSAT
// (share of 4–5 answers on 1–5), CES (mean on 1–7), SLA attainment per SLA metric (met / (met
// + breached)) and volume by hour of week; volume by channel is the Tickets count of a report
// grouped ByChannel. Backlog counts open tickets at an instant by age; Occupancy and
// Utilization measure agents; NPS and Churn measure customers. Every rate comes with an ok
// flag that is false when its denominator is zero, so no figure is ever NaN.
//
// # Reports
//
// A Report makes one pass over an iter.Seq[Record], grouping by any of group, channel,
// priority, type, agent, line and period (day, week or month in a zone). Percentiles come
// from Sketch, a mergeable quantile sketch with relative error at most ReportConfig.Accuracy
// (1% by default), so a report's memory depends on its number of groups, not of tickets, and
// reports of shards or days merge into the totals of one pass. Percentiles are never
// averaged. Invalid records, and records past a report's bounds (ReportConfig.MaxGroups,
// MaxSLAMetrics), are left out, counted and named with their reasons (Report.Exclusions).
//
// A Scorecard checks a group against Targets, by default (DefaultTargets):
// average first response within 15 minutes, first contact resolution of 85% or more, CSAT of
// 90% or more, average resolution within 24 hours; it prints as a text table.
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
