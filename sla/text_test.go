package sla_test

import (
	"encoding"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

// roundTrip checks that every value encodes to its wanted text and decodes back, and that
// an unknown text is rejected without changing the receiver.
func roundTrip[T any, P interface {
	*T
	encoding.TextUnmarshaler
}](t *testing.T, want map[string]T, marshal func(T) ([]byte, error)) {
	t.Helper()
	for text, v := range want {
		got, err := marshal(v)
		require.NoError(t, err)
		assert.Equal(t, text, string(got))
		var back T
		require.NoError(t, P(&back).UnmarshalText(got))
		assert.Equal(t, v, back)
	}
	var keep T
	for _, bad := range []string{"", "bogus", "First_Response", "first response"} {
		if _, ok := want[bad]; ok {
			continue
		}
		err := P(&keep).UnmarshalText([]byte(bad))
		assert.ErrorIs(t, err, sla.ErrInvalid, "%q", bad)
		var zero T
		assert.Equal(t, zero, keep)
	}
}

func TestMetricTextMatchesMetricsSpelling(t *testing.T) {
	roundTrip(t, map[string]sla.Metric{
		"first_response": sla.FirstResponse, "next_response": sla.NextResponse,
		"periodic_update": sla.PeriodicUpdate, "resolution": sla.Resolution,
	}, sla.Metric.MarshalText)
	_, err := sla.Metric(4).MarshalText()
	assert.ErrorIs(t, err, sla.ErrInvalid)
	_, err = sla.Metric(-1).MarshalText()
	assert.ErrorIs(t, err, sla.ErrInvalid)
}

func TestOutcomeText(t *testing.T) {
	roundTrip(t, map[string]sla.Outcome{"not_started": sla.NotStarted, "running": sla.Running, "met": sla.Met, "breached": sla.Breached},
		sla.Outcome.MarshalText)
	_, err := sla.Outcome(4).MarshalText()
	assert.ErrorIs(t, err, sla.ErrInvalid)
}

func TestEventKindAndAuthorText(t *testing.T) {
	roundTrip(t, map[string]sla.EventKind{"created": sla.EventCreated, "reply": sla.EventReply, "status": sla.EventStatus,
		"attributes": sla.EventAttributes, "solved": sla.EventSolved, "reopened": sla.EventReopened, "closed": sla.EventClosed},
		sla.EventKind.MarshalText)
	_, err := sla.EventKind(0).MarshalText()
	assert.ErrorIs(t, err, sla.ErrInvalid)
	roundTrip(t, map[string]sla.Author{"system": sla.AuthorSystem, "agent": sla.AuthorAgent, "customer": sla.AuthorCustomer, "bot": sla.AuthorBot},
		sla.Author.MarshalText)
	_, err = sla.Author(4).MarshalText()
	assert.ErrorIs(t, err, sla.ErrInvalid)
	assert.Equal(t, "Author(9)", sla.Author(9).String())
}

func TestCategoryTextRejectsUnknown(t *testing.T) {
	roundTrip(t, map[string]sla.Category{"": "", "new": sla.CategoryNew, "open": sla.CategoryOpen, "pending": sla.CategoryPending,
		"on-hold": sla.CategoryOnHold, "solved": sla.CategorySolved, "closed": sla.CategoryClosed},
		func(c sla.Category) ([]byte, error) { return []byte(c), nil })
}

func TestClockResultJSONIsReadable(t *testing.T) {
	in := sla.ClockResult{Metric: sla.PeriodicUpdate, Outcome: sla.Breached, Target: time.Hour}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"Metric":"periodic_update"`)
	assert.Contains(t, string(b), `"Outcome":"breached"`)
	var out sla.ClockResult
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)
	err = json.Unmarshal([]byte(`{"Metric":"first response"}`), &out)
	assert.True(t, errors.Is(err, sla.ErrInvalid), "got %v", err)
}

func TestCheckPrioritiesRejectsUnknownKey(t *testing.T) {
	ps, err := sla.NewPolicies(
		sla.Policy{Name: "A", Targets: map[string]sla.Targets{"high": {Resolution: &sla.Target{Within: time.Hour}}}},
		sla.Policy{Name: "B", Targets: map[string]sla.Targets{"": {Resolution: &sla.Target{Within: time.Hour}}, "High": {Resolution: &sla.Target{Within: time.Hour}}}},
	)
	require.NoError(t, err)
	require.NoError(t, ps.CheckPriorities("low", "high", "High"))
	err = ps.CheckPriorities("low", "high")
	var ve *sla.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, `Policies[1].Targets["High"]`, ve.Field)
	assert.Contains(t, ve.Reason, `policy "B"`)
	assert.ErrorIs(t, (*sla.Policies)(nil).CheckPriorities("low"), sla.ErrInvalid)
	assert.ErrorIs(t, new(sla.Policies).CheckPriorities("low"), sla.ErrInvalid)
}

// TestEventJSONRoundTripsWithUnchangedStatus checks that a timeline stored as JSON reads
// back: an event that leaves the status unchanged (Status "") decodes as it was, and the
// decoded timeline evaluates as the original does.
func TestEventJSONRoundTripsWithUnchangedStatus(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	timeline := []sla.Event{
		{At: t0, Kind: sla.EventCreated, Attributes: sla.Attributes{Priority: "high"}},
		{At: t0.Add(time.Hour), Kind: sla.EventReply, Author: sla.AuthorAgent},
		{At: t0.Add(2 * time.Hour), Kind: sla.EventStatus, Status: sla.CategoryPending},
	}
	b, err := json.Marshal(timeline)
	require.NoError(t, err)
	var back []sla.Event
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, timeline, back)

	err = json.Unmarshal([]byte(`{"Kind":"reply","Status":"Pending"}`), &sla.Event{})
	assert.ErrorIs(t, err, sla.ErrInvalid)
	_, err = sla.NewPolicies(sla.Policy{Name: "P", Targets: map[string]sla.Targets{"": {
		Resolution: &sla.Target{Within: time.Hour, PauseOn: []sla.Category{""}}}}})
	assert.ErrorIs(t, err, sla.ErrInvalid, "the zero Category is no pause category")
}
