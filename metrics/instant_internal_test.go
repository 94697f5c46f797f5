package metrics

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// randomTime returns a time near base, at base, zero, or far from year 1 on either side, in
// UTC or another zone, sometimes with a monotonic reading.
func randomTime(rng *rand.Rand, base time.Time) time.Time {
	zones := []*time.Location{time.UTC, time.FixedZone("x", -5*3600), time.FixedZone("y", 9*3600+1800)}
	var t time.Time
	switch rng.IntN(8) {
	case 0:
		return time.Time{}
	case 1:
		t = time.Unix(rng.Int64N(math.MaxInt64)-math.MaxInt64/2, rng.Int64N(1e9))
	case 2:
		t = time.Unix(math.MaxInt64-rng.Int64N(1e6)-unixToInternal, rng.Int64N(1e9))
	case 3:
		t = time.Unix(math.MinInt64+rng.Int64N(1e6), rng.Int64N(1e9))
	case 4:
		t = base
	case 5:
		t = time.Now().Add(time.Duration(rng.Int64N(2e9) - 1e9))
	default:
		t = base.Add(time.Duration(rng.Int64N(int64(240*time.Hour)) - int64(24*time.Hour)))
	}
	return t.In(zones[rng.IntN(len(zones))])
}

// Instants order, compare with zero and subtract as the times they stand for, at any
// distance, near year 1 and near the ends of time.Time's range.
func TestInstantMatchesTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	base := time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)
	// pairs whose difference is within a second of the largest Duration
	edge := time.Unix(0, 0)
	maxSec := int64(math.MaxInt64 / time.Second)
	var pairs [][2]time.Time
	for _, ns := range []int64{0, 854775807, 854775808, 900_000_000, 999_999_999} {
		for _, s := range []int64{maxSec - 1, maxSec, maxSec + 1} {
			pairs = append(pairs, [2]time.Time{edge, time.Unix(s, ns)}, [2]time.Time{time.Unix(-s, -ns), edge})
		}
	}
	for range 200_000 {
		pairs = append(pairs, [2]time.Time{randomTime(rng, base), randomTime(rng, base)})
	}
	for _, p := range pairs {
		a, b := p[0], p[1]
		ia, ib := instantOf(a), instantOf(b)
		if ia.zero() != a.IsZero() || ia.before(ib) != a.Before(b) {
			t.Fatalf("%v, %v: zero %v before %v; time says %v, %v", a, b, ia.zero(), ia.before(ib), a.IsZero(), a.Before(b))
		}
		if got, want := wallBetween(ia, ib), (WallClock{}).Between(a, b); got != want {
			t.Fatalf("wallBetween(%v, %v) = %v, want %v", a, b, got, want)
		}
	}
}

// A report lets in exactly the records Validate accepts, and measures them as the exported
// KPI functions do: records with event times in every order, zero or not, and
// malformed or repeated SLA names, against Validate and FirstResponseTime and its kin.
func TestReportChecksAsValidate(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	base := time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)
	names := []SLAMetric{SLAFirstResponse, SLAResolution, "Resolution", "", "x y", "custom_1"}
	r, err := NewReport(ReportConfig{Durations: []DurationKPI{FRT, FirstResolution, FullResolution}})
	if err != nil {
		t.Fatal(err)
	}
	valid := 0
	for i := range 100_000 {
		rec := Record{
			Created: randomTime(rng, base), FirstReply: randomTime(rng, base),
			FirstSolved: randomTime(rng, base), Solved: randomTime(rng, base), Closed: randomTime(rng, base),
			CSAT: rng.IntN(8) - 1, Reopens: rng.IntN(20) - 1,
		}
		for range rng.IntN(3) {
			rec.SLA = append(rec.SLA, SLAResult{Metric: names[rng.IntN(len(names))]})
		}
		if rng.IntN(100) == 0 { // too many outcomes, but each well-formed and distinct
			rec.SLA = nil
			for j := range MaxSLAMetrics + 1 + rng.IntN(2) {
				rec.SLA = append(rec.SLA, SLAResult{Metric: SLAMetric(fmt.Sprintf("m%d", j))})
			}
		}
		if rng.IntN(2) == 0 {
			rec.Handle = []Interval{{Start: randomTime(rng, base), End: randomTime(rng, base)}}
		}
		want := rec.Validate()
		got := r.Add(rec)
		if (got == nil) != (want == nil) || want != nil && got.Error() != want.Error() {
			t.Fatalf("record %d: Add = %v, Validate = %v", i, got, want)
		}
		if want != nil {
			if !errors.Is(got, ErrInvalid) {
				t.Fatalf("record %d: %v is not ErrInvalid", i, got)
			}
			continue
		}
		valid++
		tm := timesOf(&rec)
		for _, k := range []DurationKPI{FRT, FirstResolution, FullResolution, RequesterWait, AgentWork} {
			d, ok := k.wall(&rec, &tm)
			wd, wok := k.of(&rec, nil)
			if d != wd || ok != wok {
				t.Fatalf("record %d, KPI %d: %v %v, want %v %v", i, k, d, ok, wd, wok)
			}
		}
	}
	if valid < 1000 {
		t.Fatalf("only %d valid records of 100,000", valid)
	}
}
