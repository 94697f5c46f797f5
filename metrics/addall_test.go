package metrics_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// randomEvents returns events of a few interleaved tickets, some of which a Builder
// refuses: a reply before creation, an event out of time order, a second creation, a
// reopen of an open ticket, a malformed SLA name.
func randomEvents(r *rand.Rand, t0 time.Time) []metrics.Event {
	var out []metrics.Event
	at := t0
	for range 200 {
		at = at.Add(time.Duration(r.IntN(30)-3) * time.Minute)
		e := metrics.Event{TicketID: fmt.Sprint("t", r.IntN(5)), At: at}
		switch r.IntN(10) {
		case 0, 1:
			e.Kind = metrics.EventCreated
		case 2, 3:
			e.Kind, e.Actor = metrics.EventReplied, []metrics.ActorKind{metrics.ActorAgent, metrics.ActorCustomer}[r.IntN(2)]
		case 4:
			e.Kind = metrics.EventSolved
		case 5:
			e.Kind = metrics.EventReopened
		case 6:
			e.Kind, e.Field = metrics.EventSLAMet, []string{"first_response", "resolution", "no such"}[r.IntN(3)]
		case 7:
			e.Kind, e.Field = metrics.EventSLABreached, "resolution"
		case 8:
			e.Kind, e.Field, e.Value = metrics.EventSet, metrics.FieldGroup, fmt.Sprint("g", r.IntN(3))
		case 9:
			e.Kind = metrics.EventPending
		}
		out = append(out, e)
	}
	return out
}

// TestBuilderAddAllEqualsAddOneByOne checks Builder.AddAll against Add, its definition: the same records
// and the same refusals, in batches of every size.
func TestBuilderAddAllEqualsAddOneByOne(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for run := range 50 {
		events := randomEvents(r, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		one, all := metrics.NewBuilder(), metrics.NewBuilder()
		var refused []string
		for _, e := range events {
			if err := one.Add(e); err != nil {
				require.ErrorIs(t, err, metrics.ErrInvalid)
				refused = append(refused, err.Error())
			}
		}
		var got []string
		for rest := events; len(rest) > 0; {
			n := min(len(rest), 1+r.IntN(20))
			err := all.AddAll(rest[:n])
			if err != nil {
				require.ErrorIs(t, err, metrics.ErrInvalid)
				for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
					got = append(got, e.Error())
				}
			}
			rest = rest[n:]
		}
		require.NotEmpty(t, refused, "run %d refuses some events", run)
		assert.Equal(t, refused, got, "run %d", run)
		assert.Equal(t, slices.Collect(one.Records()), slices.Collect(all.Records()), "run %d", run)
	}
	assert.NoError(t, metrics.NewBuilder().AddAll(nil))
	assert.True(t, errors.Is(metrics.NewBuilder().AddAll([]metrics.Event{{TicketID: "x"}}), metrics.ErrInvalid))
}
