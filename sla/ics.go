package sla

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// maxEventDays bounds how many days one multi-day event may cover.
const maxEventDays = 366

// ParseICS reads holidays from an iCalendar (RFC 5545) stream, the format calendar feeds
// are published in. Each all-day VEVENT becomes one Holiday per day it covers (DTEND is
// exclusive; DURATION may give the length instead, in days or weeks such as "P3D" or
// "P1W"), named after its SUMMARY. "RRULE:FREQ=YEARLY" without an end makes the holidays
// annual (Year 0); with COUNT or UNTIL the years are listed one by one. A yearly rule from
// February 29 recurs in leap years only, and COUNT counts those occurrences. BYMONTH and
// BYMONTHDAY are accepted when they restate the start date. Events on the
// same date are merged, their names joined with " / ".
//
// Errors are *ParseError values with the line number, wrapping ErrInvalid: a line without
// a colon, unbalanced BEGIN/END, an event without DTSTART, an event with a time of day, an
// impossible date, an end before the start (reported at the DTEND line), a DURATION that is
// not a positive number of days or weeks, both DTEND and DURATION, and recurrences other
// than yearly (or with EXDATE/RDATE, or BY parts naming other dates, which are not
// supported). Reading errors are returned
// as they are.
func ParseICS(r io.Reader) ([]Holiday, error) {
	p := icsParser{index: map[Date]int{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var line string
	start, n := 0, 0
	for sc.Scan() {
		n++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if strings.HasPrefix(text, " ") || strings.HasPrefix(text, "\t") {
			if start == 0 {
				return nil, &ParseError{Line: n, Reason: "continuation line without a content line"}
			}
			line += text[1:]
			continue
		}
		if start != 0 {
			if err := p.content(start, line); err != nil {
				return nil, err
			}
		}
		line, start = text, n
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if start != 0 {
		if err := p.content(start, line); err != nil {
			return nil, err
		}
	}
	if len(p.stack) != 0 {
		return nil, &ParseError{Line: n, Reason: "missing END:" + p.stack[len(p.stack)-1]}
	}
	return p.out, nil
}

type icsEvent struct {
	line          int
	summary       string
	start, end    Date
	hasStart      bool
	hasEnd        bool
	endLine       int   // the DTEND or DURATION line
	duration      int64 // days, from DURATION; 0 when absent
	yearly        bool
	count         int
	until         Date
	hasUntil      bool
	interval      int
	startDateLine int
	// byMonth and byMonthDay restate the start date in the rule (0 when absent); ruleLine is
	// the RRULE line.
	byMonth, byMonthDay int
	ruleLine            int
}

type icsParser struct {
	stack []string
	ev    *icsEvent
	out   []Holiday
	index map[Date]int
}

func (p *icsParser) content(line int, text string) error {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	colon := valueColon(text)
	if colon < 0 {
		return &ParseError{Line: line, Reason: "content line without a colon"}
	}
	head, value := text[:colon], text[colon+1:]
	name, _, _ := strings.Cut(head, ";")
	name = strings.ToUpper(name)
	switch name {
	case "BEGIN":
		v := strings.ToUpper(value)
		p.stack = append(p.stack, v)
		if v == "VEVENT" {
			if p.ev != nil {
				return &ParseError{Line: line, Reason: "nested VEVENT"}
			}
			p.ev = &icsEvent{line: line, interval: 1}
		}
		return nil
	case "END":
		v := strings.ToUpper(value)
		if len(p.stack) == 0 || p.stack[len(p.stack)-1] != v {
			return &ParseError{Line: line, Reason: "unbalanced END:" + value}
		}
		p.stack = p.stack[:len(p.stack)-1]
		if v == "VEVENT" {
			ev := p.ev
			p.ev = nil
			return p.finish(ev, line)
		}
		return nil
	}
	if p.ev == nil || len(p.stack) == 0 || p.stack[len(p.stack)-1] != "VEVENT" {
		return nil // properties of the calendar or of other components
	}
	return p.property(line, name, value)
}

// valueColon finds the colon that ends the property name and parameters, skipping colons
// inside quoted parameter values.
func valueColon(s string) int {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return i
			}
		}
	}
	return -1
}

func (p *icsParser) property(line int, name, value string) error {
	ev := p.ev
	switch name {
	case "SUMMARY":
		ev.summary = unescapeText(value)
	case "DTSTART", "DTEND":
		d, err := parseICSDate(line, value)
		if err != nil {
			return err
		}
		if name == "DTSTART" {
			ev.start, ev.hasStart, ev.startDateLine = d, true, line
		} else {
			if ev.endLine != 0 {
				return &ParseError{Line: line, Reason: "an event has at most one DTEND or DURATION"}
			}
			ev.end, ev.hasEnd, ev.endLine = d, true, line
		}
	case "DURATION":
		if ev.endLine != 0 {
			return &ParseError{Line: line, Reason: "an event has at most one DTEND or DURATION"}
		}
		days, err := parseICSDays(line, value)
		if err != nil {
			return err
		}
		ev.duration, ev.endLine = days, line
	case "RRULE":
		return ev.rule(line, value)
	case "EXDATE", "RDATE":
		return &ParseError{Line: line, Reason: name + " is not supported"}
	}
	return nil
}

func parseICSDate(line int, value string) (Date, error) {
	if len(value) != 8 {
		if strings.Contains(value, "T") {
			return Date{}, &ParseError{Line: line, Reason: "not an all-day event: " + value}
		}
		return Date{}, &ParseError{Line: line, Reason: "bad date " + strconv.Quote(value)}
	}
	y, err1 := strconv.Atoi(value[:4])
	m, err2 := strconv.Atoi(value[4:6])
	d, err3 := strconv.Atoi(value[6:])
	if err1 != nil || err2 != nil || err3 != nil || value[0] == '+' || value[0] == '-' {
		return Date{}, &ParseError{Line: line, Reason: "bad date " + strconv.Quote(value)}
	}
	date := Day(y, time.Month(m), d)
	if y == 0 {
		return Date{}, &ParseError{Line: line, Reason: "bad date " + strconv.Quote(value)}
	}
	if err := checkDate(date, "DTSTART"); err != nil {
		return Date{}, &ParseError{Line: line, Reason: "impossible date " + value}
	}
	return date, nil
}

// parseICSDays reads a DURATION of whole days or weeks ("P3D", "P2W", an optional leading
// "+"), the forms an all-day event can use; times of day, negative and empty durations are
// errors.
func parseICSDays(line int, value string) (int64, error) {
	bad := &ParseError{Line: line, Reason: "DURATION of an all-day event must be whole days or weeks, got " + strconv.Quote(value)}
	v := strings.TrimPrefix(value, "+")
	if len(v) < 3 || v[0] != 'P' {
		return 0, bad
	}
	unit := int64(1)
	switch v[len(v)-1] {
	case 'D':
	case 'W':
		unit = 7
	default:
		return 0, bad
	}
	digits := v[1 : len(v)-1]
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, bad
		}
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n < 1 || n > maxEventDays || n*unit > maxEventDays {
		return 0, &ParseError{Line: line, Reason: fmt.Sprintf("DURATION must be 1-%d days, got %q", maxEventDays, value)}
	}
	return n * unit, nil
}

func (ev *icsEvent) rule(line int, value string) error {
	for _, part := range strings.Split(value, ";") {
		k, v, _ := strings.Cut(part, "=")
		switch strings.ToUpper(k) {
		case "FREQ":
			if strings.ToUpper(v) != "YEARLY" {
				return &ParseError{Line: line, Reason: "only yearly recurrences are supported, got FREQ=" + v}
			}
			ev.yearly = true
		case "COUNT":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 500 {
				return &ParseError{Line: line, Reason: "bad COUNT " + strconv.Quote(v)}
			}
			ev.count = n
		case "INTERVAL":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 100 {
				return &ParseError{Line: line, Reason: "bad INTERVAL " + strconv.Quote(v)}
			}
			ev.interval = n
		case "UNTIL":
			if len(v) < 8 {
				return &ParseError{Line: line, Reason: "bad UNTIL " + strconv.Quote(v)}
			}
			d, err := parseICSDate(line, v[:8])
			if err != nil {
				return err
			}
			ev.until, ev.hasUntil = d, true
		case "BYMONTH", "BYMONTHDAY":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 31 || (strings.EqualFold(k, "BYMONTH") && n > 12) {
				return &ParseError{Line: line, Reason: "unsupported recurrence part " + strconv.Quote(part)}
			}
			if strings.EqualFold(k, "BYMONTH") {
				ev.byMonth = n
			} else {
				ev.byMonthDay = n
			}
			ev.ruleLine = line
		case "WKST":
		default:
			return &ParseError{Line: line, Reason: "unsupported recurrence part " + strconv.Quote(part)}
		}
	}
	if !ev.yearly {
		return &ParseError{Line: line, Reason: "RRULE without FREQ=YEARLY"}
	}
	return nil
}

func (p *icsParser) finish(ev *icsEvent, line int) error {
	if !ev.hasStart {
		return &ParseError{Line: ev.line, Reason: "VEVENT without DTSTART"}
	}
	if (ev.byMonth != 0 && ev.byMonth != int(ev.start.Month)) || (ev.byMonthDay != 0 && ev.byMonthDay != ev.start.Day) {
		return &ParseError{Line: ev.ruleLine, Reason: "BYMONTH/BYMONTHDAY must restate the start date; other dates are not supported"}
	}
	first := daysFromCivil(ev.start.Year, ev.start.Month, ev.start.Day)
	days := int64(1)
	switch {
	case ev.hasEnd:
		days = daysFromCivil(ev.end.Year, ev.end.Month, ev.end.Day) - first
		if days < 1 || days > maxEventDays {
			return &ParseError{Line: ev.endLine, Reason: fmt.Sprintf("DTEND must be 1-%d days after DTSTART", maxEventDays)}
		}
	case ev.duration != 0:
		days = ev.duration
	}
	years := []int{ev.start.Year}
	annual := ev.yearly && ev.count == 0 && !ev.hasUntil
	switch {
	case annual && ev.interval != 1:
		return &ParseError{Line: line, Reason: "an endless yearly rule needs INTERVAL=1"}
	case ev.yearly && !annual:
		years = years[:0]
		for y := ev.start.Year; y <= 2250; y += ev.interval {
			if ev.start.Month == time.February && ev.start.Day == 29 && !isLeap(y) {
				continue // not an instance: COUNT counts only the years that have the date
			}
			if ev.count > 0 && len(years) == ev.count {
				break
			}
			if ev.hasUntil && Day(y, ev.start.Month, ev.start.Day).after(ev.until) {
				break
			}
			years = append(years, y)
		}
	}
	for _, y := range years {
		base := daysFromCivil(y, ev.start.Month, ev.start.Day)
		for i := range days {
			yy, m, d := civilFromDays(base + i)
			date := Day(yy, m, d)
			if annual {
				date.Year = 0
			}
			if err := checkDate(date, "DTSTART"); err != nil {
				return &ParseError{Line: ev.startDateLine, Reason: "date out of range"}
			}
			p.add(date, ev.summary)
		}
	}
	return nil
}

func (d Date) after(o Date) bool {
	return daysFromCivil(d.Year, d.Month, d.Day) > daysFromCivil(o.Year, o.Month, o.Day)
}

func (p *icsParser) add(d Date, name string) {
	if i, ok := p.index[d]; ok {
		if name != "" && p.out[i].Name != name {
			p.out[i].Name = strings.TrimPrefix(p.out[i].Name+" / "+name, " / ")
		}
		return
	}
	p.index[d] = len(p.out)
	p.out = append(p.out, Holiday{Name: name, Date: d})
}

func unescapeText(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	r := strings.NewReplacer(`\n`, "\n", `\N`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`)
	return r.Replace(s)
}
