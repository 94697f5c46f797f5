package metrics_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// reopenedTicket: created Monday 10:00, first agent reply 10:12, pending on the customer
// 11:00–15:00, solved 16:00, reopened, solved again Tuesday 12:00; handle segments 10:05–10:20
// and Tuesday 11:00–11:30.
func reopenedTicket() metrics.Record {
	return metrics.Record{
		TicketID: "T1", Channel: "email", Group: "billing",
		Created: mar(2, 10, 0), FirstReply: mar(2, 10, 12),
		FirstSolved: mar(2, 16, 0), Solved: mar(3, 12, 0),
		Reopens: 1, AgentReplies: 3, CustomerReplies: 1,
		Pending: []metrics.Interval{{Start: mar(2, 11, 0), End: mar(2, 15, 0)}},
		Handle:  []metrics.Interval{{Start: mar(2, 10, 5), End: mar(2, 10, 20)}, {Start: mar(3, 11, 0), End: mar(3, 11, 30)}},
	}
}

func TestDurationKPIsByHand(t *testing.T) {
	r := reopenedTicket()
	tests := []struct {
		name      string
		kpi       func(*metrics.Record, metrics.Calendar) (time.Duration, bool)
		wall, biz time.Duration
	}{
		// 10:12 − 10:00; all inside office hours.
		{"FRT", metrics.FirstResponseTime, 12 * time.Minute, 12 * time.Minute},
		// 16:00 − 10:00 = 6h, all inside office hours.
		{"FirstResolution", metrics.FirstResolutionTime, 6 * time.Hour, 6 * time.Hour},
		// Tue 12:00 − Mon 10:00 = 26h; office: Mon 10–17 (7h) + Tue 9–12 (3h) = 10h.
		{"FullResolution", metrics.FullResolutionTime, 26 * time.Hour, 10 * time.Hour},
		// 26h − 4h pending = 22h; office: 10h − 4h = 6h.
		{"RequesterWait", metrics.RequesterWaitTime, 22 * time.Hour, 6 * time.Hour},
		// 15m + 30m = 45m, both in office hours.
		{"AgentWork", metrics.AgentWorkTime, 45 * time.Minute, 45 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := tt.kpi(&r, nil)
			require.True(t, ok)
			assert.Equal(t, tt.wall, d)
			d, ok = tt.kpi(&r, officeHours{})
			require.True(t, ok)
			assert.Equal(t, tt.biz, d)
		})
	}
}

func TestDurationKPIsMissingEvents(t *testing.T) {
	r := metrics.Record{Created: mar(2, 10, 0)}
	for _, kpi := range []func(*metrics.Record, metrics.Calendar) (time.Duration, bool){
		metrics.FirstResponseTime, metrics.FirstResolutionTime, metrics.FullResolutionTime,
		metrics.RequesterWaitTime, metrics.AgentWorkTime,
	} {
		d, ok := kpi(&r, nil)
		assert.False(t, ok)
		assert.Zero(t, d)
	}
}

func TestRequesterWaitCutsOpenPendingAtSolve(t *testing.T) {
	// created 10:00, pending from 12:00 never resumed, solved 14:00: wait = 4h − 2h = 2h.
	r := metrics.Record{Created: mar(2, 10, 0), FirstSolved: mar(2, 14, 0), Solved: mar(2, 14, 0),
		Pending: []metrics.Interval{{Start: mar(2, 12, 0)}}}
	d, ok := metrics.RequesterWaitTime(&r, nil)
	require.True(t, ok)
	assert.Equal(t, 2*time.Hour, d)
}

func TestFCRVariants(t *testing.T) {
	solved := func(agentReplies, customerReplies, reopens int) metrics.Record {
		return metrics.Record{Created: mar(2, 9, 0), FirstSolved: mar(2, 10, 0), Solved: mar(2, 10, 0),
			AgentReplies: agentReplies, CustomerReplies: customerReplies, Reopens: reopens}
	}
	tests := []struct {
		name   string
		r      metrics.Record
		single bool
		noCust bool
		never  bool
	}{
		{"one reply, nothing else", solved(1, 0, 0), true, true, true},
		{"solved without reply", solved(0, 0, 0), true, true, true},
		{"two replies", solved(2, 0, 0), false, true, true},
		{"customer wrote back", solved(1, 1, 0), true, false, true},
		{"reopened", solved(1, 0, 1), true, true, false},
		{"unsolved", metrics.Record{Created: mar(2, 9, 0), AgentReplies: 1}, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.single, metrics.FirstContactResolved(&tt.r, metrics.FCRSingleReply))
			assert.Equal(t, tt.noCust, metrics.FirstContactResolved(&tt.r, metrics.FCRNoCustomerReply))
			assert.Equal(t, tt.never, metrics.FirstContactResolved(&tt.r, metrics.FCRNeverReopened))
		})
	}
}

func TestValidateRejectsBadRecords(t *testing.T) {
	tests := []struct {
		field string
		edit  func(*metrics.Record)
	}{
		{"Created", func(r *metrics.Record) { r.Created = time.Time{} }},
		{"Solved", func(r *metrics.Record) { r.Solved = r.Created.Add(-time.Hour) }},
		{"FirstReply", func(r *metrics.Record) { r.FirstReply = r.Created.Add(-time.Second) }},
		{"Solved", func(r *metrics.Record) { r.FirstSolved = r.Solved.Add(time.Hour) }},
		{"FirstSolved", func(r *metrics.Record) { r.FirstSolved = time.Time{} }},
		{"counts", func(r *metrics.Record) { r.Reopens = -1 }},
		{"Handle", func(r *metrics.Record) { r.Handle[0].End = r.Handle[0].Start.Add(-time.Minute) }},
		{"Pending", func(r *metrics.Record) { r.Pending[0].Start = r.Created.Add(-time.Minute) }},
		{"CSAT", func(r *metrics.Record) { r.CSAT = 6 }},
		{"CSAT", func(r *metrics.Record) { r.CSAT = -1 }},
		{"CES", func(r *metrics.Record) { r.CES = 8 }},
		{"SLA", func(r *metrics.Record) { r.SLA = []metrics.SLAResult{{}} }},
	}
	good := reopenedTicket()
	require.NoError(t, good.Validate())
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			r := reopenedTicket()
			tt.edit(&r)
			err := r.Validate()
			require.ErrorIs(t, err, metrics.ErrInvalid)
			var ve *metrics.ValidationError
			require.True(t, errors.As(err, &ve))
			assert.Equal(t, tt.field, ve.Field)
		})
	}
}

func TestWallClockNeverNegative(t *testing.T) {
	assert.Equal(t, time.Duration(0), metrics.WallClock{}.Between(mar(2, 10, 0), mar(2, 9, 0)))
	assert.Equal(t, time.Hour, metrics.WallClock{}.Between(mar(2, 9, 0), mar(2, 10, 0)))
}
