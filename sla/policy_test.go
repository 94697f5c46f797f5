package sla_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

func TestPoliciesRejectBadInput(t *testing.T) {
	cal := newCal(t, sla.CalendarConfig{Location: moscow, Week: sla.Weekdays(sla.Hours(9, 0, 18, 0))})
	one := func(tg sla.Target) map[string]sla.Targets { return map[string]sla.Targets{"": {Resolution: &tg}} }
	for _, tc := range []struct {
		name     string
		policies []sla.Policy
		field    string
	}{
		{"NoPolicies", nil, "Policies"},
		{"EmptyName", []sla.Policy{{Targets: one(sla.Target{Within: time.Hour})}}, "Policies[0].Name"},
		{"NoTargets", []sla.Policy{{Name: "p"}}, "Policies[0].Targets"},
		{"OnlyNilTargets", []sla.Policy{{Name: "p", Targets: map[string]sla.Targets{"high": {}}}}, "Policies[0].Targets"},
		{"ZeroTarget", []sla.Policy{{Name: "p", Targets: one(sla.Target{})}}, `Policies[0].Targets[""].resolution.Within`},
		{"NegativeTarget", []sla.Policy{{Name: "p", Targets: one(sla.Target{Within: -time.Hour})}}, `Policies[0].Targets[""].resolution.Within`},
		{"BusinessHoursWithoutCalendar", []sla.Policy{{Name: "p", Targets: one(sla.Target{Within: time.Hour, BusinessHours: true})}}, `Policies[0].Targets[""].resolution`},
		{"WarningWithBothFields", []sla.Policy{{Name: "p", Calendar: cal, Targets: one(sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Percent: 50, Before: time.Minute}}})}}, `Policies[0].Targets[""].resolution.Warnings[0]`},
		{"WarningAfterDeadline", []sla.Policy{{Name: "p", Targets: one(sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Before: 2 * time.Hour}}})}}, `Policies[0].Targets[""].resolution.Warnings[0]`},
		{"WarningPercentTooLarge", []sla.Policy{{Name: "p", Targets: one(sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Percent: 100}}})}}, `Policies[0].Targets[""].resolution.Warnings[0]`},
		{"UnknownPauseCategory", []sla.Policy{{Name: "p", Targets: one(sla.Target{Within: time.Hour, PauseOn: []sla.Category{"waiting"}})}}, `Policies[0].Targets[""].resolution.PauseOn[0]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := sla.NewPolicies(tc.policies...)
			require.ErrorIs(t, err, sla.ErrInvalid)
			assert.Nil(t, ps)
			var ve *sla.ValidationError
			require.True(t, errors.As(err, &ve))
			assert.Equal(t, tc.field, ve.Field, ve.Error())
		})
	}
}

func TestEvaluateRejectsBadTimelines(t *testing.T) {
	s := setup(t, map[string]sla.Targets{"": {Resolution: business(time.Hour)}})
	c := created(msk(2, 9, 0), "normal")
	for _, tc := range []struct {
		name     string
		timeline []sla.Event
		field    string
	}{
		{"Empty", nil, "Timeline"},
		{"FirstIsNotCreated", []sla.Event{reply(msk(2, 9, 0), sla.AuthorAgent, ""), c}, "Timeline[0].Kind"},
		{"SecondCreated", []sla.Event{c, created(msk(2, 10, 0), "high")}, "Timeline[1].Kind"},
		{"UnknownKind", []sla.Event{c, {At: msk(2, 10, 0), Kind: 42}}, "Timeline[1].Kind"},
		{"UnknownStatus", []sla.Event{c, {At: msk(2, 10, 0), Kind: sla.EventStatus, Status: "waiting"}}, "Timeline[1].Status"},
		{"ZeroTime", []sla.Event{c, {Kind: sla.EventStatus}}, "Timeline[1].At"},
		{"ZeroKind", []sla.Event{c, {At: msk(2, 10, 0)}}, "Timeline[1].Kind"},
		{"KindAfterClosed", []sla.Event{c, {At: msk(2, 10, 0), Kind: sla.EventClosed + 1}}, "Timeline[1].Kind"},
		{"UnknownAuthor", []sla.Event{c, {At: msk(2, 10, 0), Kind: sla.EventReply, Author: sla.AuthorBot + 1}}, "Timeline[1].Author"},
		{"NegativeAuthor", []sla.Event{c, {At: msk(2, 10, 0), Kind: sla.EventReply, Author: -1}}, "Timeline[1].Author"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := sla.Evaluate(s.policies, tc.timeline, msk(3, 0, 0))
			require.ErrorIs(t, err, sla.ErrInvalid)
			assert.Nil(t, r)
			var ve *sla.ValidationError
			require.True(t, errors.As(err, &ve))
			assert.Equal(t, tc.field, ve.Field, ve.Error())
		})
	}
	_, err := sla.Evaluate(nil, []sla.Event{c}, msk(3, 0, 0))
	require.ErrorIs(t, err, sla.ErrInvalid)
	_, err = sla.Evaluate(&sla.Policies{}, []sla.Event{c}, msk(3, 0, 0))
	require.ErrorIs(t, err, sla.ErrInvalid)
}

func TestPoliciesAreCopiedAtConstruction(t *testing.T) {
	// Policies are immutable after NewPolicies: changing the caller's targets, slices and
	// map afterwards must neither bypass validation nor change any result.
	fr := &sla.Target{Within: time.Hour, Warnings: []sla.Warning{{Percent: 50}}, PauseOn: []sla.Category{sla.CategoryPending}}
	empty := &sla.Target{Within: 2 * time.Hour, PauseOn: []sla.Category{}} // never pauses
	p := sla.Policy{
		Name:    "p",
		When:    sla.Condition{Priorities: []string{"high"}, Tags: []string{"vip"}},
		Targets: map[string]sla.Targets{"": {FirstResponse: fr, Resolution: empty}},
	}
	ps, err := sla.NewPolicies(p)
	require.NoError(t, err)
	c := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	timeline := []sla.Event{
		{At: c, Kind: sla.EventCreated, Status: sla.CategoryPending, Attributes: sla.Attributes{Priority: "high", Tags: []string{"vip"}}},
		{At: c.Add(10 * time.Minute), Kind: sla.EventStatus, Status: sla.CategoryOpen},
	}
	now := c.Add(41 * time.Minute) // past the 50% warning point at 09:40
	before, err := sla.Evaluate(ps, timeline, now)
	require.NoError(t, err)
	require.Len(t, before.Clock(sla.FirstResponse).Warnings, 1)
	require.Equal(t, 41*time.Minute, before.Clock(sla.Resolution).Elapsed, "an empty PauseOn stays empty: never pauses")

	fr.Within = -time.Hour
	fr.Warnings[0].Percent = 500
	fr.PauseOn[0] = sla.CategoryOpen
	empty.PauseOn = append(empty.PauseOn, sla.CategoryPending)
	p.When.Priorities[0] = "low"
	p.When.Tags[0] = "other"
	p.Targets["high"] = sla.Targets{FirstResponse: &sla.Target{Within: time.Minute}}
	delete(p.Targets, "")

	after, err := sla.Evaluate(ps, timeline, now)
	require.NoError(t, err)
	assert.Equal(t, before.Clocks, after.Clocks)
}
