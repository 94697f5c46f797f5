package metrics

import (
	"math"
	"time"
)

// maxQueueTerms bounds the number of queue lengths erlangA sums; beyond it the stationary
// probabilities are cut off (this only happens when patience is many thousand handle times
// and agents are far below the load).
const maxQueueTerms = 1 << 20

// erlangA returns the figures of the Erlang A queue (M/M/N+M, Palm's model): Poisson arrivals
// of a erlangs, n agents, exponential handle times (the unit of time here is one AHT, so the
// service rate is 1), exponential patience with abandonment rate theta = AHT/Patience, and a
// service-level threshold t in AHTs.
//
// The stationary probabilities of k contacts in the system are, relative to π_n:
// π_k/π_n for k < n sums to 1/B(n,a) − 1 (Erlang B, computed by the stable recursion), and
// π_{n+j}/π_n = T_j = Π_{i=1..j} a/(n + iθ). With S = Σ_j T_j (summed in log space, so no
// overflow at any load):
//
//	PWait = S / (1/B − 1 + S)              (PASTA: the share of arrivals that find n busy)
//	E[Q]  = PWait · Σ j·T_j / S             (mean number waiting)
//	PAbandon = θ·E[Q]/a,  ASA = E[Q]/a·AHT  (Little's law), Occupancy = a(1 − PAbandon)/n.
//
// ServiceLevel = P(an arrival is answered within t): 1 − PWait for those answered at once,
// plus, for an arrival that finds j others waiting, the probability that j+1 departures ahead
// of it (rate n + mθ with m waiting ahead) come before both t and its own abandonment (rate
// θ), in closed form (see servedWithin). The whole computation is linear in n plus the number
// of queue lengths summed.
//
// It also returns the number of queue lengths it summed, the measure of its work beyond n.
func erlangA(n int, a, theta, t float64, aht time.Duration) (QueueStats, int) {
	b := erlangB(n, a)
	nf := float64(n)

	// T_j in log space: find the peak and the point where terms are negligible.
	peak, lt := 0.0, 0.0
	J := 0
	for j := 1; j < maxQueueTerms; j++ {
		r := a / (nf + float64(j)*theta)
		lt += math.Log(r)
		peak = max(peak, lt)
		J = j
		if r < 1 && lt < peak-46 { // e^-46 ≈ 1e-20 of the largest term
			break
		}
	}
	w := make([]float64, J+1) // w_j = T_j / e^peak
	var s, sj float64
	lt = 0
	for j := 0; j <= J; j++ {
		if j > 0 {
			lt += math.Log(a / (nf + float64(j)*theta))
		}
		w[j] = math.Exp(lt - peak)
		s += w[j]
		sj += float64(j) * w[j]
	}
	logS := peak + math.Log(s)
	rest := math.Exp(math.Log(1/b-1) - logS) // (1/B − 1) / S
	pWait := 1 / (1 + rest)
	eq := pWait * sj / s
	pAb := theta * eq / a

	// Probability that an arrival finding j waiting is at position j.
	for j := range w {
		w[j] *= pWait / s
	}
	served := servedWithin(w, nf, theta, t)

	return QueueStats{
		Agents:       n,
		Traffic:      a,
		PWait:        pWait,
		ServiceLevel: min(1, max(0, 1-pWait+served)),
		ASA:          time.Duration(eq / a * float64(aht)),
		Occupancy:    min(1, a*(1-pAb)/nf),
		PAbandon:     pAb,
	}, len(w)
}

// servedWithin returns Σ_j v_j · P(a contact with j waiting ahead is answered within t),
// where the number ahead falls at rate n + mθ and the contact itself abandons at rate θ.
//
// Counting the contact itself, R = j+1..1 people are left and the next departure comes at
// rate n + Rθ; it is the contact's own abandonment with probability θ/(n + Rθ). So the
// contact is answered with probability Π_R (n + (R−1)θ)/(n + Rθ) = n/(n + (j+1)θ),
// independently of the holding times, whose sum Y = Σ_{R=1..j+1} Exp(n + Rθ) has the
// Laplace transform of −ln(U)/θ with U ~ Beta(1 + n/θ, j+1). Hence
// P(Y ≤ t) = I_y(j+1, b) with y = 1 − e^(−θt) and b = 1 + n/θ: the upper tail P(N ≥ j+1) of a
// negative binomial N whose pmf is d_0 = (1−y)^b = e^(−(n+θ)t), d_k = d_(k−1)·y·(b+k−1)/k.
func servedWithin(v []float64, n, theta, t float64) float64 {
	if t <= 0 {
		return 0
	}
	b := 1 + n/theta
	logY := math.Log(-math.Expm1(-theta * t))
	logD := -(n + theta) * t // log d_0
	below := 0.0             // Σ_{k<j+1} d_k = P(N ≤ j)
	result := 0.0
	for j, w := range v {
		if j > 0 {
			logD += logY + math.Log((b+float64(j)-1)/float64(j))
		}
		below += math.Exp(logD)
		if w == 0 {
			continue
		}
		result += w * n / (n + float64(j+1)*theta) * max(0, 1-below)
	}
	return result
}
