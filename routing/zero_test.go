package routing_test

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/routing"
)

// TestZeroRouterIsAnEmptyRouter calls every exported method on a zero Router: none
// panics, lookups give ErrNotFound, bad input ErrInvalid, and the Router then works as
// New(Config{}) would.
func TestZeroRouterIsAnEmptyRouter(t *testing.T) {
	var r routing.Router
	assert.Empty(t, r.Queue())
	assert.Empty(t, r.Dispatch(time.Time{}))
	assert.Equal(t, routing.Expired{}, r.Expire(time.Time{}))
	_, ok := r.NextWake(time.Time{})
	assert.False(t, ok)
	assert.Zero(t, r.Stats(t0).Waiting)
	assert.Empty(t, r.Unservable(t0))
	assert.Equal(t, routing.SnapshotVersion, r.Snapshot().Version)
	r.Tick(nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, r.Run(ctx, nil), context.Canceled)
	for name, err := range map[string]error{
		"AddAgent":     r.AddAgent(routing.Agent{}),
		"UpdateAgent":  r.UpdateAgent(routing.Agent{}),
		"Enqueue":      r.Enqueue(routing.Task{}),
		"Restore":      r.Restore(routing.Snapshot{}),
		"SetPresence":  r.SetPresence("", routing.Presence(9)),
		"RemoveAgent":  r.RemoveAgent(""),
		"Accept":       r.Accept("", ""),
		"AcceptOffer":  r.AcceptOffer(routing.Offer{}),
		"Decline":      r.Decline("", ""),
		"DeclineOffer": r.DeclineOffer(routing.Offer{}),
		"Assign":       r.Assign("", "", true),
		"Agent":        second(r.Agent("")),
		"Task":         second(r.Task("")),
		"Complete":     second(r.Complete("")),
		"Cancel":       second(r.Cancel("")),
		"Explain":      second(r.Explain("", time.Time{})),
	} {
		assert.True(t, errorIsOneOf(err, routing.ErrInvalid, routing.ErrNotFound), "%s: %v", name, err)
	}
	require.NoError(t, r.Restore(r.Snapshot()))
	require.NoError(t, r.AddAgent(chatAgent("a", nil)))
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelChat}))
	assert.Empty(t, r.Unservable(time.Now()))
	offers := r.Dispatch(time.Now())
	require.Len(t, offers, 1)
	require.NoError(t, r.AcceptOffer(offers[0]))
	_, err := r.Complete("t")
	require.NoError(t, err)
	require.NoError(t, routing.CheckIndex(&r))
}

// TestNilRouterRefusesChangesAndReadsAsEmpty calls every exported method on a nil
// *Router: none panics, each with an error result returns ErrInvalid naming the Router
// (Run at once), and each other answers as an empty Router does.
func TestNilRouterRefusesChangesAndReadsAsEmpty(t *testing.T) {
	task := routing.Task{ID: "t", Channel: routing.ChannelChat}
	offer := routing.Offer{TaskID: "t", AgentID: "a"}
	calls := map[string]func(r *routing.Router) error{
		"AddAgent":     func(r *routing.Router) error { return r.AddAgent(chatAgent("a", nil)) },
		"UpdateAgent":  func(r *routing.Router) error { return r.UpdateAgent(chatAgent("a", nil)) },
		"RemoveAgent":  func(r *routing.Router) error { return r.RemoveAgent("a") },
		"SetPresence":  func(r *routing.Router) error { return r.SetPresence("a", routing.Away) },
		"Agent":        func(r *routing.Router) error { return second(r.Agent("a")) },
		"Enqueue":      func(r *routing.Router) error { return r.Enqueue(task) },
		"Task":         func(r *routing.Router) error { return second(r.Task("t")) },
		"Accept":       func(r *routing.Router) error { return r.Accept("t", "a") },
		"AcceptOffer":  func(r *routing.Router) error { return r.AcceptOffer(offer) },
		"Decline":      func(r *routing.Router) error { return r.Decline("t", "a") },
		"DeclineOffer": func(r *routing.Router) error { return r.DeclineOffer(offer) },
		"Assign":       func(r *routing.Router) error { return r.Assign("t", "a", true) },
		"Complete":     func(r *routing.Router) error { return second(r.Complete("t")) },
		"Cancel":       func(r *routing.Router) error { return second(r.Cancel("t")) },
		"Explain":      func(r *routing.Router) error { return second(r.Explain("t", t0)) },
		"Restore": func(r *routing.Router) error {
			return r.Restore(routing.Snapshot{Version: routing.SnapshotVersion})
		},
		"Run": func(r *routing.Router) error {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			return r.Run(ctx, nil)
		},
	}
	reads := map[string]func(r *routing.Router) any{
		"Speaks":     func(r *routing.Router) any { return r.Speaks(language.English) },
		"Dispatch":   func(r *routing.Router) any { return r.Dispatch(t0) },
		"Expire":     func(r *routing.Router) any { return r.Expire(t0) },
		"NextWake":   func(r *routing.Router) any { w, ok := r.NextWake(t0); return []any{w, ok} },
		"Queue":      func(r *routing.Router) any { return r.Queue() },
		"Snapshot":   func(r *routing.Router) any { return r.Snapshot() },
		"Stats":      func(r *routing.Router) any { return r.Stats(t0) },
		"Unservable": func(r *routing.Router) any { return r.Unservable(t0) },
		"Tick":       func(r *routing.Router) any { r.Tick(func(routing.Offer) {}); return nil },
	}
	for m := range reflect.TypeFor[*routing.Router]().Methods() {
		_, isCall := calls[m.Name]
		_, isRead := reads[m.Name]
		assert.True(t, isCall || isRead, "method %s is not called on a nil Router", m.Name)
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = call(nil) })
			require.ErrorIs(t, err, routing.ErrInvalid)
			var ve *routing.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "Router", ve.Field)
		})
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			var got any
			require.NotPanics(t, func() { got = read(nil) })
			assert.Equal(t, read(new(routing.Router)), got)
		})
	}
}

func second[T any](_ T, err error) error { return err }

func errorIsOneOf(err error, targets ...error) bool {
	return slices.ContainsFunc(targets, func(t error) bool { return errors.Is(err, t) })
}

// TestZeroValuesOfOtherTypes: the enums, errors and records of the package have zero (or
// out of range) values that print and encode without panicking, and that decode or
// restore with an ErrInvalid error.
func TestZeroValuesOfOtherTypes(t *testing.T) {
	assert.NotEmpty(t, routing.Strategy(200).String())
	assert.NotEmpty(t, routing.Presence(200).String())
	assert.NotEmpty(t, routing.Reason(200).String())
	assert.NotEmpty(t, routing.State(0).String())
	assert.Empty(t, routing.Explanation{}.String())
	assert.NotEmpty(t, (&routing.ValidationError{}).Error())
	_, err := routing.State(0).MarshalText()
	assert.ErrorIs(t, err, routing.ErrInvalid)
	_, err = routing.Presence(200).MarshalText()
	assert.ErrorIs(t, err, routing.ErrInvalid)
	var s routing.State
	assert.ErrorIs(t, s.UnmarshalText(nil), routing.ErrInvalid)
	var p routing.Presence
	assert.ErrorIs(t, p.UnmarshalText([]byte("")), routing.ErrInvalid)
	_, err = json.Marshal(routing.Snapshot{})
	assert.NoError(t, err)

	r, _ := setup(t, routing.Config{})
	for name, snap := range map[string]routing.Snapshot{
		"zero agent":         {Version: 1, Agents: []routing.AgentSnapshot{{}}},
		"zero task":          {Version: 1, Tasks: []routing.TaskSnapshot{{}}},
		"task without state": {Version: 1, Tasks: []routing.TaskSnapshot{{Task: routing.Task{ID: "t", Channel: "chat", QueuedAt: t0}}}},
	} {
		assert.ErrorIs(t, r.Restore(snap), routing.ErrInvalid, name)
	}
}

// TestRestoreOfDamagedSnapshotsNeverPanics is the property for half-built values: a
// snapshot with random fields of its agents and tasks set to zero or to a foreign value
// either restores, leaving consistent indexes that every method can read, or is
// rejected with the Router unchanged.
func TestRestoreOfDamagedSnapshotsNeverPanics(t *testing.T) {
	cfg := routing.Config{Steps: relaxSteps}
	base, clk := busyRouter(t, cfg)
	good := base.Snapshot()
	runs := 150
	if testing.Short() {
		runs = 30
	}
	restored := 0
	for run := range runs {
		rng := rand.New(rand.NewPCG(uint64(run), 11))
		snap := cloneSnapshot(t, good)
		for range 1 + rng.IntN(3) {
			damage(rng, &snap)
		}
		r, _ := setup(t, cfg)
		require.NoError(t, r.Restore(good))
		before := r.Snapshot()
		if err := r.Restore(snap); err != nil {
			require.True(t, errorIsOneOf(err, routing.ErrInvalid, routing.ErrNotFound, routing.ErrDuplicate), "run %d: %v", run, err)
			require.Equal(t, before, r.Snapshot(), "run %d: a failed Restore changed the Router", run)
			continue
		}
		restored++
		require.NoError(t, routing.CheckIndex(r), "run %d", run)
		for _, ts := range snap.Tasks {
			_, err := r.Explain(ts.Task.ID, clk.t)
			require.NoError(t, err)
		}
		r.Stats(clk.t)
		r.Unservable(clk.t)
		r.NextWake(clk.t)
		r.Expire(clk.t.Add(time.Hour))
		r.Dispatch(clk.t.Add(time.Hour))
		require.NoError(t, routing.CheckIndex(r), "run %d", run)
	}
	assert.Greater(t, restored, runs/4, "damage should leave many snapshots valid")
	assert.Less(t, restored, runs, "damage should make some snapshots invalid")
}

func cloneSnapshot(t *testing.T, s routing.Snapshot) routing.Snapshot {
	data, err := json.Marshal(s)
	require.NoError(t, err)
	var c routing.Snapshot
	require.NoError(t, json.Unmarshal(data, &c))
	return c
}

// damage sets one random field of one agent or task of the snapshot to its zero value
// or to the same field of another entry.
func damage(rng *rand.Rand, s *routing.Snapshot) {
	var v reflect.Value
	var other reflect.Value
	if rng.IntN(2) == 0 && len(s.Agents) > 1 {
		i, j := rng.IntN(len(s.Agents)), rng.IntN(len(s.Agents))
		v, other = reflect.ValueOf(&s.Agents[i]).Elem(), reflect.ValueOf(s.Agents[j])
	} else {
		i, j := rng.IntN(len(s.Tasks)), rng.IntN(len(s.Tasks))
		v, other = reflect.ValueOf(&s.Tasks[i]).Elem(), reflect.ValueOf(s.Tasks[j])
	}
	// Descend into the embedded Agent or Task half of the time.
	if rng.IntN(2) == 0 {
		v, other = v.Field(0), other.Field(0)
	}
	f := rng.IntN(v.NumField())
	if rng.IntN(2) == 0 {
		v.Field(f).SetZero()
	} else {
		v.Field(f).Set(other.Field(f))
	}
}
