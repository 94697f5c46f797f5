package sla

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxEventDays bounds how many days one multi-day event may cover.
const maxEventDays = 366

// MaxICSDates bounds the work ParseICS does for one feed: the holiday dates it expands the
// feed's events to, counting every day of every listed occurrence of every event, dates
// that several events share included. A feed beyond it is rejected with a *LimitError.
// It is more than an endless yearly event of a whole year listed through 2250 needs, and
// some 2,500 times what a national holiday feed of a decade does.
const MaxICSDates = 100_000

// Further bounds on a feed: the length of a content line once unfolded, the distinct names
// kept for one date, and the bytes of the names joined for dates that several events share.
const (
	maxICSLine      = 1 << 20
	maxNamesPerDate = 8
	maxICSNameBytes = 8 << 20
)

// ParseICS reads holidays from an iCalendar (RFC 5545) stream, the format calendar feeds
// are published in. Each all-day VEVENT becomes one Holiday per day it covers (DTEND is
// exclusive; DURATION may give the length instead, in days or weeks such as "P3D" or
// "P1W"), named after its SUMMARY. "RRULE:FREQ=YEARLY" without an end makes the holidays
// annual (Year 0); with COUNT or UNTIL the years are listed one by one. A yearly rule from
// February 29 recurs in leap years only, and COUNT counts those occurrences. BYMONTH and
// BYMONTHDAY are accepted when they restate the start date. Events on the
// same date are merged, their distinct names joined with " / " (the first eight; further
// names are dropped).
//
// An endless yearly rule whose days fall on the same month and day every year becomes
// annual holidays (which, like every annual Holiday, also apply in the years before
// DTSTART). When they do not, because the event runs across the end of February (two days
// from February 28 cover February 29 in leap years and March 1 in the others) or starts on
// February 29 and lasts longer, its occurrences are listed year by year, from DTSTART
// through 2250, the calendar's last year.
//
// The work is bounded by the output: a feed that expands to more than MaxICSDates dates, a
// content line longer than 1 MiB once unfolded, or names of shared dates that join to more
// than 8 MiB is rejected with a *LimitError, which wraps ErrTooLarge and ErrInvalid,
// before the work is done.
//
// Other errors are *ParseError values with the line number, wrapping ErrInvalid: a line without
// a colon, unbalanced BEGIN/END, an event without DTSTART, an event with a time of day, an
// impossible date, an end before the start (reported at the DTEND line), a DURATION that is
// not a positive number of days or weeks, both DTEND and DURATION, and recurrences other
// than yearly (or with EXDATE/RDATE, or BY parts naming other dates, which are not
// supported). Reading errors are returned
// as they are.
func ParseICS(r io.Reader) ([]Holiday, error) {
	p := icsParser{index: map[Date]int{}, ids: map[string]int32{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxICSLine+len("\r\n"))
	var line strings.Builder
	start, n := 0, 0
	for sc.Scan() {
		n++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if strings.HasPrefix(text, " ") || strings.HasPrefix(text, "\t") {
			if start == 0 {
				return nil, &ParseError{Line: n, Reason: "continuation line without a content line"}
			}
			if line.Len()+len(text)-1 > maxICSLine {
				return nil, &LimitError{Line: start, What: "bytes in an unfolded content line", Limit: maxICSLine}
			}
			line.WriteString(text[1:])
			continue
		}
		if start != 0 {
			if err := p.content(start, line.String()); err != nil {
				return nil, err
			}
		}
		if len(text) > maxICSLine {
			return nil, &LimitError{Line: n, What: "bytes in a content line", Limit: maxICSLine}
		}
		line.Reset()
		line.WriteString(text)
		start = n
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return nil, &LimitError{Line: n + 1, What: "bytes in a content line", Limit: maxICSLine}
	} else if err != nil {
		return nil, err
	}
	if start != 0 {
		if err := p.content(start, line.String()); err != nil {
			return nil, err
		}
	}
	if len(p.stack) != 0 {
		return nil, &ParseError{Line: n, Reason: "missing END:" + p.stack[len(p.stack)-1]}
	}
	if err := p.nameDates(); err != nil {
		return nil, err
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
	index map[Date]int // position of each date in out
	dates int          // dates expanded so far, at most MaxICSDates

	// Names are interned: ids maps a name to its index in names, and dayNames lists the
	// ids of the distinct names of out[i], joined by nameDates at the end.
	ids      map[string]int32
	names    []string
	dayNames [][]int32
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
	years, annual, err := ev.years(days, line)
	if err != nil {
		return err
	}
	if p.dates += len(years) * int(days); p.dates > MaxICSDates {
		return &LimitError{Line: ev.line, What: "holiday dates", Limit: MaxICSDates}
	}
	name := p.intern(ev.summary)
	for _, y := range years {
		base := daysFromCivil(y, ev.start.Month, ev.start.Day)
		for i := range days {
			yy, m, d := civilFromDays(base + i)
			date := Day(yy, m, d)
			if annual {
				date.Year = 0
			}
			if err := checkDate(date, "DTSTART"); err != nil {
				if ev.endless() {
					continue // listed through the calendar's last year
				}
				return &ParseError{Line: ev.startDateLine, Reason: "date out of range"}
			}
			p.add(date, name)
		}
	}
	return nil
}

func (ev *icsEvent) endless() bool { return ev.yearly && ev.count == 0 && !ev.hasUntil }

// years returns the years whose occurrence of ev is listed, and whether the single year
// returned stands for every year (annual holidays).
func (ev *icsEvent) years(days int64, line int) (years []int, annual bool, err error) {
	switch {
	case !ev.yearly:
		return []int{ev.start.Year}, false, nil
	case ev.endless() && ev.interval != 1:
		return nil, false, &ParseError{Line: line, Reason: "an endless yearly rule needs INTERVAL=1"}
	case ev.endless() && sameDaysEveryYear(ev.start, days):
		return []int{ev.start.Year}, true, nil
	}
	for y := ev.start.Year; y <= 2250; y += ev.interval {
		if ev.start.Day > daysIn(y, ev.start.Month) {
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
	return years, false, nil
}

// sameDaysEveryYear reports whether an endless yearly event from start lasting days covers
// exactly the month-days of its first occurrence in every later year, the dates valid in
// that year (an annual February 29 applies in leap years only). A year's days depend only
// on whether it and the year before are leap years, so eight years cover every case.
func sameDaysEveryYear(start Date, days int64) bool {
	first := daysFromCivil(start.Year, start.Month, start.Day)
	var annual [13][32]bool
	for i := range days {
		_, m, d := civilFromDays(first + i)
		annual[m][d] = true
	}
	for y := start.Year + 1; y <= start.Year+8; y++ {
		covered := map[int64]bool{}
		for _, x := range [2]int{y - 1, y} {
			if start.Day > daysIn(x, start.Month) {
				continue
			}
			base := daysFromCivil(x, start.Month, start.Day)
			for i := range days {
				if yy, _, _ := civilFromDays(base + i); yy == y {
					covered[base+i] = true
				}
			}
		}
		n := 0
		for m := time.January; m <= time.December; m++ {
			for d := 1; d <= daysIn(y, m); d++ {
				if annual[m][d] != covered[daysFromCivil(y, m, d)] {
					return false
				}
				if annual[m][d] {
					n++
				}
			}
		}
		if n != len(covered) {
			return false
		}
	}
	return true
}

func (d Date) after(o Date) bool {
	return daysFromCivil(d.Year, d.Month, d.Day) > daysFromCivil(o.Year, o.Month, o.Day)
}

// intern returns the id of name, -1 for no name.
func (p *icsParser) intern(name string) int32 {
	if name == "" {
		return -1
	}
	id, ok := p.ids[name]
	if !ok {
		id = int32(len(p.names))
		p.ids[name] = id
		p.names = append(p.names, name)
	}
	return id
}

// add records date d with the name of id, merging it into an earlier entry of the date.
func (p *icsParser) add(d Date, id int32) {
	i, ok := p.index[d]
	if !ok {
		i = len(p.out)
		p.index[d] = i
		p.out = append(p.out, Holiday{Date: d})
		p.dayNames = append(p.dayNames, nil)
	}
	if id < 0 || len(p.dayNames[i]) == maxNamesPerDate || slices.Contains(p.dayNames[i], id) {
		return
	}
	p.dayNames[i] = append(p.dayNames[i], id)
}

// nameDates sets the name of each date: its one name, shared, or its names joined.
func (p *icsParser) nameDates() error {
	joined := 0
	for i, ids := range p.dayNames {
		switch len(ids) {
		case 0:
		case 1:
			p.out[i].Name = p.names[ids[0]]
		default:
			parts := make([]string, len(ids))
			for k, id := range ids {
				parts[k] = p.names[id]
				joined += len(parts[k]) + 3
			}
			if joined > maxICSNameBytes {
				return &LimitError{What: "bytes of joined holiday names", Limit: maxICSNameBytes}
			}
			p.out[i].Name = strings.Join(parts, " / ")
		}
	}
	return nil
}

func unescapeText(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	r := strings.NewReplacer(`\n`, "\n", `\N`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`)
	return r.Replace(s)
}
