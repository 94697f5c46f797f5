// Package sla computes service-level clocks for support tickets: business calendars that
// are exact across daylight-saving changes, ordered SLA policies with per-priority targets,
// and a pure engine that turns a ticket's timeline into deadlines, breaches and warnings.
//
// The package imports none of the other supportkit packages; the root Desk converts ticket
// events into this package's Event type.
//
// # Calendars
//
// NewCalendar builds a Calendar from a CalendarConfig: an IANA time zone, open intervals
// per weekday (several per day for a lunch break, 00:00-24:00 for a full day, 22:00-06:00
// for a night shift that belongs to the day it starts on), holidays (dated, annual, or
// short days with their own hours) and working days that override a date. Holidays can be
// read from iCalendar feeds with ParseICS.
//
// Calendar.Between measures open time between two instants, Calendar.Add finds the instant
// after (or, with a negative duration, before) a given amount of open time, and IsOpen,
// NextOpen, NextClose and Open (an iterator over open spans) answer the rest. Boundaries
// are wall-clock times of each calendar day in the calendar's zone, so a 09:00 start is
// 09:00 on the day the clocks change; open time is real elapsed time, so a 24-hour day
// holds 23 or 25 hours on those days (see Calendar for the spring gap and the repeated
// autumn hour). Between and Add jump over whole weeks arithmetically and adjust for
// holidays and offset changes, so a span of a year costs about as much as a month; a
// calendar open around the clock is a plain subtraction. *Calendar satisfies any interface
// with Between(a, b time.Time) time.Duration, such as the metrics package's Calendar.
//
// # Policies and clocks
//
// NewPolicies validates an ordered list of Policy values; for each state of a ticket the
// first policy whose Condition matches applies, with the Targets of the ticket's priority.
// Policy.Targets is keyed by the ticket's priority spelled exactly as the ticket package
// spells it ("low", "normal", "high", "urgent"; "" for the default entry), and
// Policies.CheckPriorities, which the Desk calls, rejects any other key. Each Target
// allows a duration (Within) or a number of working days of the policy's calendar
// (WorkingDays: created Monday 11:00, 2 working days are due Wednesday 11:00, see
// Calendar.AddWorkingDays), counts business hours of the policy's calendar or calendar
// time, may pause in some status categories (resolution and periodic update pause while
// pending or on hold by default) and carries warning points.
//
// Evaluate(policies, timeline, now) replays the timeline and returns a Result with one
// ClockResult per Metric (first response, next response, periodic update, resolution):
// the policy and target, start, deadline, elapsed and remaining time, whether it is
// paused, met or breached and when, and the warnings reached. Policies are re-evaluated at
// every event, so a priority change re-targets the clocks and keeps the time already
// spent; a clock counts only while some target applies (time spent before any policy
// matched is not held against a later target). A clock breaches only once it runs past
// its deadline: evaluated at the deadline instant it is still running, as a reply or pause
// stamped with that instant meets it. Result.NextWake tells a scheduler the first instant
// at which the result changes by itself (a deadline or warning point plus one
// nanosecond); Result.Explain prints the running and paused segments and why. An event
// stamped before its predecessor is taken at its predecessor's time. Evaluate stores
// nothing: the same input always gives the same output. A Tracker gives the same results
// for a timeline that grows one event at a time (the clocks after each event of a log
// being replayed), without replaying the events already added.
//
// # Text encoding
//
// Metric, Outcome, EventKind, Author and Category encode as readable text
// (MarshalText/UnmarshalText, so JSON and databases hold strings), and decoding rejects
// unknown text with ErrInvalid; an Event, its empty Status included, decodes from the JSON
// it encodes to. A Metric's text is the metrics package's SLAMetric
// spelling ("first_response", "next_response", "periodic_update", "resolution"); its
// String is display text with a space ("first response").
//
// # Errors
//
// Every input error wraps ErrInvalid: *ValidationError for configurations, policies and
// timelines, *ParseError (with a line number) for iCalendar files, and *LimitError, which
// also wraps ErrTooLarge, for an iCalendar feed that expands beyond the package's bounds.
// Values of the package's types not built by their constructors are rejected where they
// are used (NewPolicies, Evaluate) and never make a method panic.
//
// # Concurrency
//
// Calendar and Policies are immutable after construction and safe for concurrent use.
// Evaluate may run concurrently; each call returns its own Result.
package sla
