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
// θ). That absorption probability is computed for all j at once by uniformization of the
// pure-death chain, with Poisson weights summed until their tail is below 1e-15.
func erlangA(n int, a, theta, t float64, aht time.Duration) QueueStats {
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
	}
}

// servedWithin returns Σ_j v_j · P(a contact with j waiting ahead is answered within t),
// where the number ahead falls at rate n + mθ and the contact itself abandons at rate θ.
func servedWithin(v []float64, n, theta, t float64) float64 {
	if t <= 0 {
		return 0
	}
	lambda := n + float64(len(v))*theta // uniformization rate ≥ every state's exit rate
	lt := lambda * t
	steps := int(math.Ceil(lt + 12*math.Sqrt(lt) + 30))
	cur := append([]float64(nil), v...)
	next := make([]float64, len(v))
	absorbed, result, poissonCum := 0.0, 0.0, 0.0
	for k := 0; k <= steps; k++ {
		lg, _ := math.Lgamma(float64(k + 1))
		p := math.Exp(float64(k)*math.Log(lt) - lt - lg)
		result += p * absorbed
		poissonCum += p
		if 1-poissonCum < 1e-15 && k > int(lt) {
			break
		}
		// one uniformized step
		absorbed += cur[0] * n / lambda
		for m := range cur {
			stay := 1 - (n+float64(m)*theta+theta)/lambda
			next[m] = cur[m] * stay
			if m+1 < len(cur) {
				next[m] += cur[m+1] * (n + float64(m+1)*theta) / lambda
			}
		}
		cur, next = next, cur
	}
	// the Poisson tail beyond the loop sees at least the absorbed mass so far
	return result + (1-poissonCum)*absorbed
}
