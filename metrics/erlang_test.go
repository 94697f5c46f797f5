package metrics_test

import (
	"container/heap"
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// exactErlangC computes C(n, a) for integer traffic a with big integers, from the textbook
// formula with factorials: multiplying through by n!·(n−a),
// C = a^n·n / ((n−a)·Σ_{k<n} a^k·n!/k! + a^n·n).
func exactErlangC(n, a int64) float64 {
	A := big.NewInt(a)
	sum := new(big.Int)
	term := big.NewInt(1) // a^k · n!/k! for k = n−1 down to 0, built from k = n−1 upward
	// a^k·n!/k! = a^k · (k+1)(k+2)…n; walk k from n−1 down to 0.
	pow := new(big.Int).Exp(A, big.NewInt(n-1), nil)
	tail := big.NewInt(n) // (k+1)…n for k = n−1
	for k := n - 1; k >= 0; k-- {
		term.Mul(pow, tail)
		sum.Add(sum, term)
		if k > 0 {
			pow.Quo(pow, A)
			tail.Mul(tail, big.NewInt(k))
		}
	}
	an := new(big.Int).Exp(A, big.NewInt(n), nil)
	num := new(big.Int).Mul(an, big.NewInt(n))
	den := new(big.Int).Mul(sum, big.NewInt(n-a))
	den.Add(den, num)
	f, _ := new(big.Rat).SetFrac(num, den).Float64()
	return f
}

func TestErlangCPublishedValues(t *testing.T) {
	// 10 erlangs on 14 agents: probability of waiting 0.1741 (the published figure).
	c, err := metrics.ErlangC(14, 10)
	require.NoError(t, err)
	assert.InDelta(t, 0.1741, c, 0.00005)
	// Feeding the recursion's B(N−1) = B(13, 10) into C(14, 10) gives 0.2438 instead.
	assert.Greater(t, math.Abs(c-0.2438), 0.01)
	// M/M/2 with 1 erlang: C = (1/2·2)/(1 + 1 + 1) = 1/3.
	c, _ = metrics.ErlangC(2, 1)
	assert.InDelta(t, 1.0/3, c, 1e-12)
	// M/M/1: C = a.
	c, _ = metrics.ErlangC(1, 0.7)
	assert.InDelta(t, 0.7, c, 1e-12)
}

func TestErlangBPublishedTable(t *testing.T) {
	// Erlang B table, 1% grade of service: 10 lines carry 4.461 erlangs, 20 lines 12.031,
	// 100 lines 84.064.
	for _, tt := range []struct {
		n int
		a float64
	}{{10, 4.461}, {20, 12.031}, {100, 84.064}} {
		b, err := metrics.ErlangB(tt.n, tt.a)
		require.NoError(t, err)
		assert.InDelta(t, 0.01, b, 0.0001, "N=%d A=%v", tt.n, tt.a)
	}
	b, _ := metrics.ErlangB(1, 3) // one line: a/(1+a)
	assert.InDelta(t, 0.75, b, 1e-12)
}

func TestErlangCAgainstBigIntegers(t *testing.T) {
	for _, tt := range []struct{ n, a int64 }{{3, 2}, {14, 10}, {30, 25}, {60, 50}, {120, 110}, {1050, 1000}, {1100, 1000}} {
		got, err := metrics.ErlangC(int(tt.n), float64(tt.a))
		require.NoError(t, err)
		want := exactErlangC(tt.n, tt.a)
		assert.InDelta(t, want, got, 1e-12*max(1, want)+1e-13, "N=%d A=%d", tt.n, tt.a)
	}
}

func TestErlangLargeLoadsDoNotOverflow(t *testing.T) {
	for _, a := range []float64{1000, 5000, 20000} {
		b, err := metrics.ErlangB(int(a), a)
		require.NoError(t, err)
		assert.True(t, b > 0 && b < 1, "B at %v", a)
		c, err := metrics.ErlangC(int(a*1.02)+1, a)
		require.NoError(t, err)
		assert.True(t, c > 0 && c < 1, "C at %v", a)
	}
	// 1,000 erlangs (e.g. 20,000 calls an hour at 3 minutes): 80% within 20 s needs a little
	// over the load; check the found staffing is the boundary.
	q := metrics.Queue{Arrivals: 20000, AHT: 3 * time.Minute}
	p, err := metrics.AgentsFor(q, metrics.Target{})
	require.NoError(t, err)
	assert.InDelta(t, 1000, p.Traffic, 1e-9)
	assert.GreaterOrEqual(t, p.ServiceLevel, 0.8)
	below, err := q.Evaluate(p.Agents-1, 20*time.Second)
	require.NoError(t, err)
	assert.Less(t, below.ServiceLevel, 0.8)
}

func TestQueueEvaluateErlangC(t *testing.T) {
	// 200 calls an hour at 180 s = 10 erlangs, 14 agents: C = 0.17413;
	// SL = 1 − C·e^(−(14−10)·20/180) = 1 − 0.17413·0.64118 = 0.88835;
	// ASA = C·180 s/(14−10) = 7.836 s; occupancy 10/14 = 0.714.
	q := metrics.Queue{Arrivals: 200, AHT: 180 * time.Second}
	s, err := q.Evaluate(14, 20*time.Second)
	require.NoError(t, err)
	assert.InDelta(t, 0.17413, s.PWait, 0.00001)
	assert.InDelta(t, 0.88835, s.ServiceLevel, 0.00001)
	assert.InDelta(t, 7.836, s.ASA.Seconds(), 0.001)
	assert.InDelta(t, 10.0/14, s.Occupancy, 1e-12)
	assert.Zero(t, s.PAbandon)

	// 80/20 needs 14: with 13, C = 0.2853 and SL = 1 − 0.2853·e^(−3·20/180) = 0.7956.
	s13, err := q.Evaluate(13, 20*time.Second)
	require.NoError(t, err)
	assert.InDelta(t, 0.2853, s13.PWait, 0.0001)
	assert.InDelta(t, 0.7956, s13.ServiceLevel, 0.0001)
	p, err := metrics.AgentsFor(q, metrics.Target{})
	require.NoError(t, err)
	assert.Equal(t, 14, p.Agents)
	assert.Equal(t, 14, p.Scheduled)
	// With 30% shrinkage: ⌈14 / 0.7⌉ = 20 people.
	p, err = metrics.AgentsFor(q, metrics.Target{Shrinkage: 0.3})
	require.NoError(t, err)
	assert.Equal(t, 20, p.Scheduled)
	// An ASA bound of 5 s: 15 agents give C(15,10)·180 s/5 = 0.1020·36 s = 3.67 s; 14 give 7.8 s.
	p, err = metrics.AgentsFor(q, metrics.Target{MaxASA: 5 * time.Second})
	require.NoError(t, err)
	assert.Equal(t, 15, p.Agents)
	// Occupancy at most 0.6: ⌈10/0.6⌉ = 17 agents.
	p, err = metrics.AgentsFor(q, metrics.Target{MaxOccupancy: 0.6})
	require.NoError(t, err)
	assert.Equal(t, 17, p.Agents)
}

func TestStaffingBadInput(t *testing.T) {
	_, err := metrics.ErlangB(-1, 5)
	assert.ErrorIs(t, err, metrics.ErrInvalid)
	for _, a := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		_, err = metrics.ErlangC(3, a)
		assert.ErrorIs(t, err, metrics.ErrInvalid, "traffic %v", a)
	}
	_, err = metrics.ErlangC(0, 1)
	assert.ErrorIs(t, err, metrics.ErrInvalid)
	_, err = metrics.ErlangB(metrics.MaxErlangs+1, 5)
	assert.ErrorIs(t, err, metrics.ErrInvalid)
	_, err = metrics.AgentsFor(metrics.Queue{Arrivals: 1e9, AHT: time.Hour}, metrics.Target{})
	assert.ErrorIs(t, err, metrics.ErrInvalid, "a billion erlangs")
	c, err := metrics.ErlangC(5, 6)
	require.NoError(t, err)
	assert.Equal(t, 1.0, c, "overloaded: everyone waits")

	q := metrics.Queue{Arrivals: 200, AHT: 180 * time.Second}
	_, err = q.Evaluate(10, 20*time.Second)
	assert.ErrorIs(t, err, metrics.ErrInvalid, "10 agents for 10 erlangs never clears")
	_, err = metrics.Queue{AHT: time.Minute}.Evaluate(3, time.Second)
	assert.ErrorIs(t, err, metrics.ErrInvalid, "zero traffic")
	_, err = q.Evaluate(14, -time.Second)
	assert.ErrorIs(t, err, metrics.ErrInvalid)
	for _, bad := range []metrics.Queue{{Arrivals: -1, AHT: time.Minute}, {Arrivals: 1}, {Arrivals: 1, AHT: time.Minute, Patience: -1}} {
		_, err = metrics.AgentsFor(bad, metrics.Target{})
		assert.ErrorIs(t, err, metrics.ErrInvalid, "%+v", bad)
	}
	for _, bad := range []metrics.Target{{ServiceLevel: 1}, {ServiceLevel: -0.5}, {Shrinkage: 1}, {MaxOccupancy: 2}, {MaxAbandon: 1}} {
		_, err = metrics.AgentsFor(q, bad)
		assert.ErrorIs(t, err, metrics.ErrInvalid, "%+v", bad)
	}
	p, err := metrics.AgentsFor(metrics.Queue{AHT: time.Minute}, metrics.Target{})
	require.NoError(t, err)
	assert.Zero(t, p.Agents, "no arrivals, no agents")
}

// birthDeath solves the M/M/n+M chain directly: π_{k+1} = π_k·a / (min(k+1, n) + θ·max(k+1−n, 0)),
// truncated at k = limit, normalised in float64 (fine for the small loads used here).
func birthDeath(n int, a, theta float64, limit int) (pWait, pAbandon, meanQueue float64) {
	p := make([]float64, limit+1)
	p[0] = 1
	total := 1.0
	for k := 0; k < limit; k++ {
		next := k + 1
		rate := float64(min(next, n)) + theta*float64(max(next-n, 0))
		p[next] = p[k] * a / rate
		total += p[next]
	}
	for k := range p {
		p[k] /= total
		if k >= n {
			pWait += p[k]
			meanQueue += float64(k-n) * p[k]
		}
	}
	return pWait, theta * meanQueue / a, meanQueue
}

func TestErlangAAgainstBirthDeathChain(t *testing.T) {
	for _, tt := range []struct {
		n        int
		arrivals float64 // per hour
		aht      time.Duration
		patience time.Duration
	}{
		{10, 180, 3 * time.Minute, 2 * time.Minute}, // 9 erlangs
		{8, 180, 3 * time.Minute, time.Minute},      // overloaded, stable thanks to abandonment
		{30, 300, 6 * time.Minute, 5 * time.Minute}, // 30 erlangs on 30 agents
		{5, 40, 5 * time.Minute, 20 * time.Minute},  // patient chat customers
	} {
		q := metrics.Queue{Arrivals: tt.arrivals, AHT: tt.aht, Patience: tt.patience}
		s, err := q.Evaluate(tt.n, 20*time.Second)
		require.NoError(t, err)
		theta := tt.aht.Seconds() / tt.patience.Seconds()
		pw, pab, eq := birthDeath(tt.n, q.Traffic(), theta, 3000)
		assert.InDelta(t, pw, s.PWait, 1e-9, "%+v", tt)
		assert.InDelta(t, pab, s.PAbandon, 1e-9, "%+v", tt)
		wantASA := eq / q.Traffic() * tt.aht.Seconds() // Little: E[W] = E[Q]/λ
		assert.InDelta(t, wantASA, s.ASA.Seconds(), 1e-6, "%+v", tt)
	}
}

func TestErlangAApproachesErlangC(t *testing.T) {
	// With patience a million times the handle time, Erlang A is Erlang C.
	q := metrics.Queue{Arrivals: 200, AHT: 180 * time.Second}
	c, err := q.Evaluate(14, 20*time.Second)
	require.NoError(t, err)
	q.Patience = 1e6 * q.AHT
	a, err := q.Evaluate(14, 20*time.Second)
	require.NoError(t, err)
	assert.InDelta(t, c.PWait, a.PWait, 1e-6)
	assert.InDelta(t, c.ServiceLevel, a.ServiceLevel, 1e-6) // two methods: closed form vs uniformization
	assert.InDelta(t, c.ASA.Seconds(), a.ASA.Seconds(), 1e-3)
}

// simulate runs a FCFS M/M/n+M queue: each customer in arrival order starts service at the
// earliest free agent, unless its patience runs out first.
func simulate(rng *rand.Rand, n int, q metrics.Queue, within time.Duration, customers int) (sl, pab, asa float64) {
	lambda := q.Arrivals / 3600 // arrivals per second; the queues here count per hour
	free := make(floatHeap, n)  // times agents become free
	clock := 0.0
	var answered, abandoned int
	var waited float64
	warmup := customers / 10
	for i := range customers + warmup {
		clock += rng.ExpFloat64() / lambda
		start := max(clock, free[0])
		wait := start - clock
		patience := rng.ExpFloat64() * q.Patience.Seconds()
		counted := i >= warmup
		if wait > patience {
			if counted {
				abandoned++
				waited += patience
			}
			continue
		}
		free[0] = start + rng.ExpFloat64()*q.AHT.Seconds()
		heap.Fix(&free, 0)
		if counted {
			waited += wait
			if wait <= within.Seconds() {
				answered++
			}
		}
	}
	c := float64(customers)
	return float64(answered) / c, float64(abandoned) / c, waited / c
}

type floatHeap []float64

func (h floatHeap) Len() int           { return len(h) }
func (h floatHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h floatHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *floatHeap) Push(x any)        { *h = append(*h, x.(float64)) }
func (h *floatHeap) Pop() any          { old := *h; x := old[len(old)-1]; *h = old[:len(old)-1]; return x }

func TestErlangAServiceLevelAgainstSimulation(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 43))
	for _, tt := range []struct {
		n int
		q metrics.Queue
	}{
		{10, metrics.Queue{Arrivals: 180, AHT: 3 * time.Minute, Patience: 2 * time.Minute}},
		{8, metrics.Queue{Arrivals: 180, AHT: 3 * time.Minute, Patience: time.Minute}},
	} {
		s, err := tt.q.Evaluate(tt.n, 20*time.Second)
		require.NoError(t, err)
		sl, pab, asa := simulate(rng, tt.n, tt.q, 20*time.Second, 200000)
		assert.InDelta(t, sl, s.ServiceLevel, 0.01, "service level %+v", tt)
		assert.InDelta(t, pab, s.PAbandon, 0.01, "abandonment %+v", tt)
		assert.InDelta(t, asa, s.ASA.Seconds(), 0.05*asa+0.5, "ASA %+v", tt)
	}
}

func TestErlangAStaffing(t *testing.T) {
	// Chat: 300 an hour, 4 minutes each (20 erlangs), patience 90 s, 80/20 and at most 5% abandon.
	q := metrics.Queue{Arrivals: 300, AHT: 4 * time.Minute, Patience: 90 * time.Second}
	target := metrics.Target{MaxAbandon: 0.05}
	p, err := metrics.AgentsFor(q, target)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, p.ServiceLevel, 0.8)
	assert.LessOrEqual(t, p.PAbandon, 0.05)
	below, err := q.Evaluate(p.Agents-1, 20*time.Second)
	require.NoError(t, err)
	assert.True(t, below.ServiceLevel < 0.8 || below.PAbandon > 0.05, "one agent fewer misses the target")
	// Abandonment lightens the load: Erlang A never needs more agents than Erlang C.
	pc, err := metrics.AgentsFor(metrics.Queue{Arrivals: 300, AHT: 4 * time.Minute}, metrics.Target{})
	require.NoError(t, err)
	pa, err := metrics.AgentsFor(q, metrics.Target{})
	require.NoError(t, err)
	assert.LessOrEqual(t, pa.Agents, pc.Agents)
	// 1,000 erlangs with abandonment: no overflow, sensible answer.
	big := metrics.Queue{Arrivals: 20000, AHT: 3 * time.Minute, Patience: 2 * time.Minute}
	pb, err := metrics.AgentsFor(big, metrics.Target{})
	require.NoError(t, err)
	assert.True(t, pb.Agents > 800 && pb.Agents < 1100, "agents %d", pb.Agents)
	assert.False(t, math.IsNaN(pb.ServiceLevel) || math.IsNaN(pb.PAbandon))
}

func TestErlangAServiceLevelLimits(t *testing.T) {
	q := metrics.Queue{Arrivals: 180, AHT: 3 * time.Minute, Patience: 2 * time.Minute}
	// threshold 0: only those answered at once
	s, err := q.Evaluate(10, 0)
	require.NoError(t, err)
	assert.InDelta(t, 1-s.PWait, s.ServiceLevel, 1e-12)
	// a threshold of many handle times: everyone who does not abandon is answered
	s, err = q.Evaluate(10, 2*time.Hour)
	require.NoError(t, err)
	assert.InDelta(t, 1-s.PAbandon, s.ServiceLevel, 1e-6)
	// the service level grows with the threshold
	prev := 0.0
	for _, w := range []time.Duration{0, 10 * time.Second, 30 * time.Second, time.Minute, 5 * time.Minute} {
		s, err = q.Evaluate(10, w)
		require.NoError(t, err)
		assert.Greater(t, s.ServiceLevel, prev)
		prev = s.ServiceLevel
	}
}

// An Erlang A search with a patience of millions of handle times used to sum about a
// million queue lengths per evaluation for dozens of evaluations; its work is now bounded.
func TestAgentsForErlangABoundsWork(t *testing.T) {
	start := time.Now()
	_, err := metrics.AgentsFor(metrics.Queue{Arrivals: 3600 * 1e5, AHT: time.Second, Patience: 1000 * time.Hour}, metrics.Target{})
	assert.ErrorIs(t, err, metrics.ErrLimit)
	var le *metrics.LimitError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, metrics.MaxStaffingTerms, le.Max)
	assert.Less(t, time.Since(start), 10*time.Second)
}

// FuzzStaffingNeverNaN: whatever floats a caller passes (NaN, infinities, huge or tiny), the
// staffing functions return an error or finite figures, never a panic or a NaN.
func FuzzStaffingNeverNaN(f *testing.F) {
	f.Add(100.0, int64(time.Minute), int64(0), 0.8, 0.0, 0.0, 0.0)
	f.Add(math.NaN(), int64(time.Minute), int64(time.Minute), 0.8, 0.0, 0.0, 0.0)
	f.Add(50.0, int64(time.Minute), int64(time.Minute), math.NaN(), math.Inf(1), math.NaN(), -0.0)
	f.Add(1e300, int64(time.Hour), int64(1), 0.5, 0.9, 0.1, 0.5)
	f.Fuzz(func(t *testing.T, arrivals float64, aht, patience int64, sl, occ, abandon, shrink float64) {
		q := metrics.Queue{Arrivals: arrivals, AHT: time.Duration(aht), Patience: time.Duration(patience)}
		if q.Traffic() > 1000 {
			t.Skip("large loads are slow; TestAgentsForErlangABoundsWork covers them")
		}
		p, err := metrics.AgentsFor(q, metrics.Target{ServiceLevel: sl, MaxOccupancy: occ, MaxAbandon: abandon, Shrinkage: shrink})
		if err != nil {
			if !errors.Is(err, metrics.ErrInvalid) && !errors.Is(err, metrics.ErrLimit) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		for _, v := range []float64{p.Traffic, p.PWait, p.ServiceLevel, p.Occupancy, p.PAbandon} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("non-finite figure in %+v", p)
			}
		}
		if p.Agents < 0 || p.Scheduled < p.Agents {
			t.Fatalf("impossible plan %+v", p)
		}
	})
}

// TestStaffingTargetErrorsNameTheBadField checks that a host told its Target is invalid is
// told which field to fix.
func TestStaffingTargetErrorsNameTheBadField(t *testing.T) {
	q := metrics.Queue{Arrivals: 200, AHT: 180 * time.Second}
	for field, bad := range map[string]metrics.Target{
		"AnswerWithin": {AnswerWithin: -time.Second},
		"MaxASA":       {MaxASA: -time.Second},
		"Shrinkage":    {Shrinkage: math.NaN()},
	} {
		_, err := metrics.AgentsFor(q, bad)
		var ve *metrics.ValidationError
		require.ErrorAs(t, err, &ve, field)
		assert.Equal(t, field, ve.Field)
	}
}
