package sla_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

// hundredEvents is a busy ticket: replies back and forth every 40 minutes, pending and open
// again, a priority change half way, solved and reopened near the end.
func hundredEvents() []sla.Event {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, moscow)
	events := []sla.Event{{At: at, Kind: sla.EventCreated, Author: sla.AuthorCustomer, Attributes: sla.Attributes{Priority: "normal", Channel: "email"}}}
	for i := 1; len(events) < 97; i++ {
		at = at.Add(40 * time.Minute)
		switch i % 4 {
		case 0:
			events = append(events, sla.Event{At: at, Kind: sla.EventReply, Author: sla.AuthorCustomer, Status: sla.CategoryOpen})
		case 1:
			events = append(events, sla.Event{At: at, Kind: sla.EventReply, Author: sla.AuthorAgent, Status: sla.CategoryPending})
		case 2:
			events = append(events, sla.Event{At: at, Kind: sla.EventReply, Author: sla.AuthorBot})
		case 3:
			events = append(events, sla.Event{At: at, Kind: sla.EventReply, Author: sla.AuthorCustomer, Status: sla.CategoryOpen})
		}
		if len(events) == 50 {
			events = append(events, sla.Event{At: at, Kind: sla.EventAttributes, Author: sla.AuthorAgent, Attributes: sla.Attributes{Priority: "high", Channel: "email"}})
		}
	}
	events = append(events,
		sla.Event{At: at.Add(time.Hour), Kind: sla.EventSolved, Author: sla.AuthorAgent},
		sla.Event{At: at.Add(2 * time.Hour), Kind: sla.EventReopened, Author: sla.AuthorCustomer},
		sla.Event{At: at.Add(3 * time.Hour), Kind: sla.EventReply, Author: sla.AuthorAgent, Status: sla.CategoryPending},
	)
	return events
}

func benchPolicies(tb testing.TB) *sla.Policies {
	cal := newCal(tb, sla.CalendarConfig{
		Location: moscow,
		Week:     sla.Weekdays(sla.Hours(9, 0, 13, 0), sla.Hours(14, 0, 18, 0)),
		Holidays: []sla.Holiday{{Date: sla.Day(2026, 3, 9)}, {Date: sla.Annual(time.May, 1)}, {Date: sla.Annual(time.May, 9)}},
	})
	targets := sla.Targets{
		FirstResponse:  &sla.Target{Within: time.Hour, BusinessHours: true, Warnings: []sla.Warning{{Percent: 75}}},
		NextResponse:   &sla.Target{Within: 2 * time.Hour, BusinessHours: true, Warnings: []sla.Warning{{Before: 10 * time.Minute}}},
		PeriodicUpdate: &sla.Target{Within: 24 * time.Hour},
		Resolution:     &sla.Target{Within: 40 * time.Hour, BusinessHours: true, Warnings: []sla.Warning{{Percent: 75}, {Percent: 90}}},
	}
	high := targets
	high.Resolution = &sla.Target{Within: 16 * time.Hour, BusinessHours: true}
	ps, err := sla.NewPolicies(
		sla.Policy{Name: "VIP", When: sla.Condition{Segments: []string{"enterprise"}}, Calendar: cal, Targets: map[string]sla.Targets{"": targets}},
		sla.Policy{Name: "Standard", Calendar: cal, Targets: map[string]sla.Targets{"normal": targets, "high": high}},
	)
	require.NoError(tb, err)
	return ps
}

func BenchmarkEvaluate100Events(b *testing.B) {
	ps := benchPolicies(b)
	events := hundredEvents()
	require.Len(b, events, 100)
	now := events[len(events)-1].At.Add(time.Hour)
	r, err := sla.Evaluate(ps, events, now)
	require.NoError(b, err)
	require.Equal(b, "high", r.Clock(sla.Resolution).Priority)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := sla.Evaluate(ps, events, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCalendarBetween(b *testing.B) {
	cal := newCal(b, sla.CalendarConfig{
		Location: newYork,
		Week:     sla.Weekdays(sla.Hours(9, 0, 13, 0), sla.Hours(14, 0, 18, 0)),
		Holidays: []sla.Holiday{{Date: sla.Annual(time.January, 1)}, {Date: sla.Annual(time.July, 4)}, {Date: sla.Annual(time.December, 25)}, {Date: sla.Day(2026, 11, 26)}},
	})
	start := time.Date(2026, 1, 5, 10, 17, 0, 0, newYork)
	for _, span := range []struct {
		name string
		end  time.Time
	}{
		{"1day", start.AddDate(0, 0, 1)},
		{"1month", start.AddDate(0, 1, 0)},
		{"1year", start.AddDate(1, 0, 0)},
		{"10years", start.AddDate(10, 0, 0)},
	} {
		b.Run(span.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				cal.Between(start, span.end)
			}
		})
	}
	b.Run("Add40h", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			cal.Add(start, 40*time.Hour)
		}
	})
}
