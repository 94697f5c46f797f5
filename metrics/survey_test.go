package metrics_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

func TestNPSByHand(t *testing.T) {
	var n metrics.NPS
	_, ok := n.Score()
	assert.False(t, ok, "no answers")
	// answers 10, 9, 9, 8, 7, 6, 3, 0, 10, 5: promoters 4, passives 2, detractors 4.
	for _, s := range []int{10, 9, 9, 8, 7, 6, 3, 0, 10, 5} {
		require.NoError(t, n.Add(s))
	}
	assert.Equal(t, metrics.NPS{Promoters: 4, Passives: 2, Detractors: 4}, n)
	score, ok := n.Score()
	require.True(t, ok)
	assert.InDelta(t, 0, score, 1e-12) // 100·(4 − 4)/10

	var m metrics.NPS
	for _, s := range []int{10, 10, 9, 2} {
		require.NoError(t, m.Add(s))
	}
	n.Merge(m)
	score, _ = n.Score()
	assert.InDelta(t, 100*(7.0-5.0)/14, score, 1e-12) // promoters 7, detractors 5 of 14

	for _, bad := range []int{-1, 11} {
		assert.ErrorIs(t, n.Add(bad), metrics.ErrInvalid)
	}
	assert.Equal(t, 14, n.Answers(), "rejected answers are not counted")
}

func TestChurnByHand(t *testing.T) {
	// 200 at the start, 30 new, 210 at the end: lost 200 + 30 − 210 = 20; churn 20/200 = 10%.
	c, err := metrics.Churn(metrics.Customers{Start: 200, New: 30, End: 210})
	require.NoError(t, err)
	assert.InDelta(t, 0.10, c, 1e-12)
	for _, bad := range []metrics.Customers{{}, {Start: 10, New: -1, End: 5}, {Start: 10, End: 20}, {Start: 10, End: -1}} {
		_, err = metrics.Churn(bad)
		assert.ErrorIs(t, err, metrics.ErrInvalid, "%+v", bad)
	}
}

func TestOccupancyAndUtilization(t *testing.T) {
	// 6h on tickets, 7.5h logged in and available, 8h paid: occupancy 6/7.5 = 0.8,
	// utilization 6/8 = 0.75.
	a := metrics.AgentTime{Handle: 6 * time.Hour, Available: 7*time.Hour + 30*time.Minute, Paid: 8 * time.Hour}
	o, err := metrics.Occupancy(a)
	require.NoError(t, err)
	assert.InDelta(t, 0.8, o, 1e-12)
	u, err := metrics.Utilization(a)
	require.NoError(t, err)
	assert.InDelta(t, 0.75, u, 1e-12)

	for _, bad := range []metrics.AgentTime{{Handle: -time.Hour, Available: time.Hour, Paid: time.Hour}, {Handle: time.Hour}, {Handle: 2 * time.Hour, Available: time.Hour, Paid: time.Hour}} {
		_, err = metrics.Occupancy(bad)
		assert.ErrorIs(t, err, metrics.ErrInvalid)
		_, err = metrics.Utilization(bad)
		assert.ErrorIs(t, err, metrics.ErrInvalid)
	}
}

func TestBacklogByAge(t *testing.T) {
	at := mar(10, 12, 0)
	recs := []metrics.Record{
		{TicketID: "a", Created: mar(10, 8, 0)},                                                   // 4h old: < 1d
		{TicketID: "b", Created: mar(9, 12, 0)},                                                   // exactly 24h: 1–3d
		{TicketID: "c", Created: mar(6, 12, 0)},                                                   // 4d: 3–7d
		{TicketID: "d", Created: mar(1, 12, 0), FirstSolved: mar(2, 12, 0)},                       // reopened, open: 9d: 7–30d
		{TicketID: "e", Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},                     // > 30d
		{TicketID: "f", Created: mar(9, 9, 0), FirstSolved: mar(9, 10, 0), Solved: mar(9, 10, 0)}, // solved before at
		{TicketID: "g", Created: mar(8, 9, 0), FirstSolved: mar(11, 9, 0), Solved: mar(11, 9, 0)}, // solved after at: open, 2d
		{TicketID: "h", Created: mar(10, 13, 0)},                                                  // created after at
		{TicketID: "bad", Created: mar(9, 9, 0), Solved: mar(8, 9, 0)},                            // excluded
	}
	b, err := metrics.Backlog(slices.Values(recs), at, nil)
	require.NoError(t, err)
	assert.Equal(t, 6, b.Open)
	assert.Equal(t, 1, b.Excluded)
	var counts []int
	for _, bk := range b.Buckets {
		counts = append(counts, bk.Count)
	}
	assert.Equal(t, []int{1, 2, 1, 1, 1}, counts) // <1d: a; 1–3d: b, g; 3–7d: c; 7–30d: d; older: e
	assert.Equal(t, time.Duration(0), b.Buckets[4].MaxAge)

	_, err = metrics.Backlog(slices.Values(recs), at, []time.Duration{time.Hour, time.Hour})
	assert.ErrorIs(t, err, metrics.ErrInvalid)
	for _, bad := range [][]time.Duration{{0}, {0, time.Hour}, {-time.Hour}} {
		_, err = metrics.Backlog(slices.Values(recs), at, bad)
		assert.ErrorIs(t, err, metrics.ErrInvalid, "a limit that is not positive: %v", bad)
	}
}

// TestBacklogRefusesAZeroInstantAndReadsNilAsNoRecords checks the two inputs a host gets by
// leaving a variable unset: a zero instant is an error rather than an empty backlog of the
// year 1, and a nil sequence is no records rather than a panic.
func TestBacklogRefusesAZeroInstantAndReadsNilAsNoRecords(t *testing.T) {
	recs := []metrics.Record{{TicketID: "a", Created: mar(10, 8, 0)}}
	_, err := metrics.Backlog(slices.Values(recs), time.Time{}, nil)
	assert.ErrorIs(t, err, metrics.ErrInvalid)

	b, err := metrics.Backlog(nil, mar(10, 12, 0), nil)
	require.NoError(t, err)
	assert.Equal(t, 0, b.Open)
	assert.Len(t, b.Buckets, len(metrics.DefaultAgeBuckets)+1)
}

// Negative counts cannot come from answers; they once gave a score, even one past ±100.
func TestNPSScoreRefusesNegativeCounts(t *testing.T) {
	for _, n := range []metrics.NPS{
		{Promoters: 5, Passives: 0, Detractors: -1},
		{Promoters: -3, Passives: 4, Detractors: 0},
		{Promoters: 2, Passives: -1, Detractors: 1},
		{Promoters: -1, Passives: -1, Detractors: -1},
	} {
		score, ok := n.Score()
		assert.False(t, ok, "%+v", n)
		assert.Zero(t, score, "%+v", n)
	}
	score, ok := metrics.NPS{Promoters: 3, Detractors: 1}.Score()
	assert.True(t, ok)
	assert.InDelta(t, 50.0, score, 1e-9)
}
