package sla_test

import (
	"errors"
	"iter"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

// zeroValues holds a pointer to the zero value of every exported type of the package, and
// the nil pointers a careless host may hold.
var zeroValues = []any{
	&sla.Attributes{}, new(sla.Author), &sla.Calendar{}, (*sla.Calendar)(nil), &sla.CalendarConfig{},
	new(sla.Category), &sla.ClockResult{}, &sla.Condition{}, (*sla.Condition)(nil), &sla.Date{}, &sla.Event{},
	new(sla.EventKind), &sla.Holiday{}, &sla.Interval{}, new(sla.Metric), new(sla.Outcome), &sla.ParseError{},
	&sla.Policies{}, (*sla.Policies)(nil), &sla.Policy{}, &sla.Result{}, &sla.Segment{}, &sla.Span{}, &sla.Target{},
	&sla.Targets{}, new(sla.TimeOfDay), &sla.ValidationError{}, &sla.Warning{}, &sla.Week{}, &sla.WorkingDay{},
	new(sla.Metric(99)), &sla.Tracker{}, (*sla.Tracker)(nil), &sla.LimitError{}, &sla.WarningHit{},
}

// args returns arguments for a method of type ft: zero values, or (typical) ordinary ones.
func args(ft reflect.Type, typical bool) []reflect.Value {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var out []reflect.Value
	for i := range ft.NumIn() {
		in := ft.In(i)
		v := reflect.New(in).Elem()
		if typical {
			switch in {
			case reflect.TypeFor[time.Time]():
				v = reflect.ValueOf(at.Add(time.Duration(i) * 40 * time.Hour))
			case reflect.TypeFor[time.Duration]():
				v = reflect.ValueOf(-90 * time.Minute)
			case reflect.TypeFor[sla.Metric]():
				v = reflect.ValueOf(sla.Metric(-1))
			}
		}
		out = append(out, v)
	}
	return out
}

func TestZeroValuesNeverPanic(t *testing.T) {
	for _, z := range zeroValues {
		v := reflect.ValueOf(z)
		for _, target := range []reflect.Value{v, v.Elem()} {
			if !target.IsValid() || (target.Kind() == reflect.Pointer && target.IsNil() && target != v) {
				continue
			}
			if target.Kind() != reflect.Pointer && v.IsNil() {
				continue
			}
			for m := range target.NumMethod() {
				name := target.Type().String() + "." + target.Type().Method(m).Name
				for _, typical := range []bool{false, true} {
					t.Run(name, func(t *testing.T) {
						require.NotPanics(t, func() {
							method := target.Method(m)
							call := method.Call
							if method.Type().IsVariadic() {
								call = method.CallSlice
							}
							out := call(args(method.Type(), typical))
							for _, o := range out {
								if seq, ok := o.Interface().(iter.Seq[sla.Span]); ok {
									for range seq {
									}
								}
							}
						})
					})
				}
			}
		}
	}
}

func TestZeroValuesAreRejectedByConstructors(t *testing.T) {
	// Regression: NewPolicies accepted &sla.Calendar{} and Evaluate then panicked with an
	// index out of range.
	created := sla.Event{At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Kind: sla.EventCreated}
	target := &sla.Target{Within: time.Hour, BusinessHours: true}
	_, err := sla.NewPolicies(sla.Policy{Name: "p", Calendar: &sla.Calendar{}, Targets: map[string]sla.Targets{"": {FirstResponse: target}}})
	requireField(t, err, "Policies[0].Calendar")
	_, err = sla.NewPolicies(sla.Policy{Name: "p", Calendar: &sla.Calendar{}, Targets: map[string]sla.Targets{"": {FirstResponse: &sla.Target{Within: time.Hour}}}})
	requireField(t, err, "Policies[0].Calendar")

	for _, p := range []sla.Policy{{}, {Name: "p"}, {Name: "p", Targets: map[string]sla.Targets{"": {}}}, {Name: "p", Targets: map[string]sla.Targets{"": {Resolution: &sla.Target{}}}}} {
		_, err := sla.NewPolicies(p)
		require.ErrorIs(t, err, sla.ErrInvalid, "%+v", p)
	}
	_, err = sla.NewPolicies()
	require.ErrorIs(t, err, sla.ErrInvalid)
	_, err = sla.NewPolicies(sla.Policy{Name: "p", Targets: map[string]sla.Targets{"": {Resolution: &sla.Target{Within: time.Hour, Warnings: []sla.Warning{{}}}}}})
	require.ErrorIs(t, err, sla.ErrInvalid)

	for _, ps := range []*sla.Policies{nil, {}} {
		r, err := sla.Evaluate(ps, []sla.Event{created}, created.At)
		require.ErrorIs(t, err, sla.ErrInvalid)
		assert.Nil(t, r)
	}
	ps, err := sla.NewPolicies(sla.Policy{Name: "p", Targets: map[string]sla.Targets{"": {Resolution: &sla.Target{Within: time.Hour}}}})
	require.NoError(t, err)
	for _, tl := range [][]sla.Event{nil, {{}}, {created, {}}} {
		_, err := sla.Evaluate(ps, tl, created.At)
		require.ErrorIs(t, err, sla.ErrInvalid)
	}

	for _, cfg := range []sla.CalendarConfig{
		{Holidays: []sla.Holiday{{}}}, {WorkingDays: []sla.WorkingDay{{}}}, {Week: sla.Week{{{}}}},
	} {
		_, err := sla.NewCalendar(cfg)
		require.ErrorIs(t, err, sla.ErrInvalid, "%+v", cfg)
	}
}

func TestZeroCalendarAnswersLikeTheZeroConfig(t *testing.T) {
	want, err := sla.NewCalendar(sla.CalendarConfig{})
	require.NoError(t, err)
	a := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	b := a.Add(50 * time.Hour)
	for _, c := range []*sla.Calendar{{}, nil} {
		assert.Equal(t, want.Between(a, b), c.Between(a, b))
		assert.Equal(t, want.Add(a, time.Hour), c.Add(a, time.Hour))
		assert.Equal(t, want.IsOpen(a), c.IsOpen(a))
		assert.Equal(t, want.Location(), c.Location())
	}
}

func requireField(t *testing.T, err error, field string) {
	t.Helper()
	var ve *sla.ValidationError
	require.True(t, errors.As(err, &ve), "%v", err)
	require.ErrorIs(t, err, sla.ErrInvalid)
	assert.True(t, strings.HasPrefix(ve.Field, field), ve.Error())
}

func TestMoreThan64WarningsAreRejected(t *testing.T) {
	// Regression: reached warnings were kept in a 64-bit mask, so warning 64 and later
	// were reported again after every event.
	warnings := func(n int) []sla.Warning {
		out := make([]sla.Warning, n)
		for i := range out {
			out[i] = sla.Warning{Before: time.Duration(n-i) * time.Minute}
		}
		return out
	}
	policy := func(n int) sla.Policy {
		return sla.Policy{Name: "p", Targets: map[string]sla.Targets{"": {FirstResponse: &sla.Target{Within: 100 * time.Minute, Warnings: warnings(n)}}}}
	}
	_, err := sla.NewPolicies(policy(sla.MaxWarnings + 1))
	requireField(t, err, `Policies[0].Targets[""].first response.Warnings`)

	ps, err := sla.NewPolicies(policy(sla.MaxWarnings))
	require.NoError(t, err)
	c := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	timeline := []sla.Event{{At: c, Kind: sla.EventCreated}}
	for i := range 90 {
		timeline = append(timeline, sla.Event{At: c.Add(time.Duration(i) * time.Minute), Kind: sla.EventReply, Author: sla.AuthorAgent, Internal: true})
	}
	r, err := sla.Evaluate(ps, timeline, c.Add(99*time.Minute+time.Second))
	require.NoError(t, err)
	hits := r.Clock(sla.FirstResponse).Warnings
	require.Len(t, hits, sla.MaxWarnings, "each warning once")
	for i, h := range hits {
		assert.Equal(t, i, h.Index)
		assert.True(t, h.At.Equal(c.Add(time.Duration(100-sla.MaxWarnings+i)*time.Minute)), "warning %d at %s", i, h.At)
	}
}

func TestClockOfAnUnknownMetricIsNotStarted(t *testing.T) {
	ps, err := sla.NewPolicies(sla.Policy{Name: "p", Targets: map[string]sla.Targets{"": {Resolution: &sla.Target{Within: time.Hour}}}})
	require.NoError(t, err)
	c := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r, err := sla.Evaluate(ps, []sla.Event{{At: c, Kind: sla.EventCreated}}, c.Add(time.Minute))
	require.NoError(t, err)
	for _, m := range []sla.Metric{-1, 4, 99} {
		got := r.Clock(m)
		assert.Equal(t, m, got.Metric)
		assert.Equal(t, sla.NotStarted, got.Outcome)
		assert.False(t, got.Tracked())
	}
	assert.Equal(t, sla.Running, r.Clock(sla.Resolution).Outcome)
}

// TestTrackerNotBuiltRefusesEvents checks that a Tracker declared rather than built by
// NewTracker says so when it is used, instead of panicking: it has no policies to evaluate
// under.
func TestTrackerNotBuiltRefusesEvents(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, tr := range []*sla.Tracker{{}, nil} {
		assert.ErrorIs(t, tr.Add(sla.Event{At: at, Kind: sla.EventCreated}), sla.ErrInvalid)
		_, err := tr.Evaluate(at)
		assert.ErrorIs(t, err, sla.ErrInvalid)
		assert.Zero(t, tr.Len())
		tr.Reset()
		tr.Recycle()
	}
}
