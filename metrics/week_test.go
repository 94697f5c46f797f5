package metrics_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// officeWeek: 20 requests an hour on weekdays 09–18, 2 an hour in the evening 18–22, one
// each night hour 22–07 on weekdays only, nothing at weekends.
func officeWeek() [metrics.HoursPerWeek]float64 {
	var v [metrics.HoursPerWeek]float64
	for day := range 5 {
		for h := range 24 {
			switch {
			case h >= 9 && h < 18:
				v[day*24+h] = 20
			case h >= 18 && h < 22:
				v[day*24+h] = 2
			case h >= 22 || h < 7:
				v[day*24+h] = 1
			}
		}
	}
	return v
}

func TestPlanWeekSkipsNightUnderFivePercent(t *testing.T) {
	// Per weekday: 9·20 = 180 office, 4·2 = 8 evening, 9·1 = 9 night → 9/197 = 4.57% at night.
	plan, err := metrics.PlanWeek(officeWeek(), metrics.WeekConfig{AHT: 6 * time.Minute})
	require.NoError(t, err)
	assert.InDelta(t, 9.0/197, plan.NightShare, 1e-12)
	assert.False(t, plan.NightCover)
	assert.Zero(t, plan.NightPeople)
	// 20 an hour × 6 min = 2 erlangs; 80/20 needs 4 agents: C(3,2) = 0.444, SL = 1 − 0.444·e^(−1/18) = 0.58;
	// C(4,2) = 0.174, SL = 1 − 0.174·e^(−2·20/360) = 0.844.
	assert.Equal(t, 4, plan.Hours[9].Agents)
	assert.Equal(t, 4, plan.WeekdayOfficePeople)
	assert.Zero(t, plan.Scheduled[2], "no one at Monday 02:00")
	assert.Equal(t, 1, plan.Hours[2].Agents, "though one agent would serve it")
	assert.Zero(t, plan.Scheduled[5*24+12], "Saturday noon: no requests")
	assert.Len(t, plan.Advice, 2)
	assert.Contains(t, plan.Advice[1], "no night cover")
}

func TestPlanWeekCoversBusyNights(t *testing.T) {
	v := officeWeek()
	for day := range 7 {
		for _, h := range []int{22, 23, 0, 1, 2, 3, 4, 5, 6} {
			v[day*24+h] = 10 // 10 an hour at night every day: well over 5%
		}
	}
	plan, err := metrics.PlanWeek(v, metrics.WeekConfig{AHT: 6 * time.Minute, Target: metrics.Target{Shrinkage: 0.25}})
	require.NoError(t, err)
	assert.True(t, plan.NightCover)
	// 10 an hour × 6 min = 1 erlang: 3 agents meet 80/20 (C(2,1) = 1/3, SL = 1 − e^(−20/360)/3 = 0.685;
	// C(3,1) = 0.0909, SL = 0.919); with 25% shrinkage ⌈3/0.75⌉ = 4 people.
	assert.Equal(t, 3, plan.Hours[2].Agents)
	assert.Equal(t, 4, plan.NightPeople)
	assert.Equal(t, 4, plan.Scheduled[6*24+2], "Sunday 02:00 is covered")
	assert.Contains(t, plan.Advice[1], "night cover needs 4 people")
}

func TestPlanWeekBadInput(t *testing.T) {
	_, err := metrics.PlanWeek([metrics.HoursPerWeek]float64{}, metrics.WeekConfig{AHT: time.Minute})
	assert.ErrorIs(t, err, metrics.ErrInvalid, "zero traffic")
	_, err = metrics.PlanWeek(officeWeek(), metrics.WeekConfig{})
	assert.ErrorIs(t, err, metrics.ErrInvalid, "no AHT")
	v := officeWeek()
	v[3] = -1
	_, err = metrics.PlanWeek(v, metrics.WeekConfig{AHT: time.Minute})
	assert.ErrorIs(t, err, metrics.ErrInvalid)
	_, err = metrics.PlanWeek(officeWeek(), metrics.WeekConfig{AHT: time.Minute, DayStart: 18, DayEnd: 9})
	assert.ErrorIs(t, err, metrics.ErrInvalid)
}

func TestHourlyVolume(t *testing.T) {
	var counts [metrics.HoursPerWeek]int
	counts[10] = 12
	v, err := metrics.HourlyVolume(counts, 4)
	require.NoError(t, err)
	assert.Equal(t, 3.0, v[10])
	_, err = metrics.HourlyVolume(counts, 0)
	assert.ErrorIs(t, err, metrics.ErrInvalid)
	counts[0] = -1
	_, err = metrics.HourlyVolume(counts, 1)
	assert.ErrorIs(t, err, metrics.ErrInvalid)
}

// PlanWeek checked each hour's load against MaxErlangs but not the week's: 168 hours, each
// just within the bound, cost 168 staffing searches at the bound. The week's load, and the
// Erlang A work of the whole week, are now bounded together.
func TestPlanWeekBoundsTheWholeWeek(t *testing.T) {
	var v [metrics.HoursPerWeek]float64
	for h := range v {
		v[h] = 6100 * 60 // 6,100 erlangs at one-minute AHT: within MaxErlangs alone, 1.02M over the week
	}
	_, err := metrics.PlanWeek(v, metrics.WeekConfig{AHT: time.Minute})
	assert.ErrorIs(t, err, metrics.ErrInvalid)

	// Erlang A with a patience of 3.6 million handle times: each hour sums a million queue
	// lengths per evaluation; the week used to take minutes.
	for h := range v {
		v[h] = 5000 * 3600
	}
	start := time.Now()
	_, err = metrics.PlanWeek(v, metrics.WeekConfig{AHT: time.Second, Patience: 1000 * time.Hour})
	assert.ErrorIs(t, err, metrics.ErrLimit)
	assert.Less(t, time.Since(start), 20*time.Second)

	// a large but ordinary week still plans: 1,000 erlangs every hour with abandonment
	for h := range v {
		v[h] = 12_000
	}
	plan, err := metrics.PlanWeek(v, metrics.WeekConfig{AHT: 5 * time.Minute, Patience: 10 * time.Minute})
	require.NoError(t, err)
	assert.Greater(t, plan.WeekdayOfficePeople, 900)
}
