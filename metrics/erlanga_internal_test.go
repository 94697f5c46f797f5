package metrics

import (
	"math"
	"testing"
)

// TestErlangAServiceLevelAgainstUniformization checks the closed form of servedWithin
// against a different method: uniformization of the pure-death chain.
func TestErlangAServiceLevelAgainstUniformization(t *testing.T) {
	for _, n := range []float64{1, 3, 10, 50, 200} {
		for _, theta := range []float64{0.01, 0.3, 1, 3, 10} {
			for _, tt := range []float64{0.01, 0.1, 0.5, 2, 10} {
				v := make([]float64, 60)
				for j := range v {
					v[j] = math.Pow(0.9, float64(j)) * 0.1
				}
				a := servedWithin(v, n, theta, tt)
				u := servedWithinUniform(v, n, theta, tt)
				if math.Abs(a-u) > 1e-9 {
					t.Errorf("n=%v θ=%v t=%v: closed %v uniform %v", n, theta, tt, a, u)
				}
			}
		}
	}
}

// servedWithinUniform returns the same as servedWithin by uniformization: the chain takes
// Poisson(λt) steps of a discrete chain; slow (steps × states) but independent.
// It returns Σ_j v_j · P(a contact with j waiting ahead is answered within t),
// where the number ahead falls at rate n + mθ and the contact itself abandons at rate θ.
func servedWithinUniform(v []float64, n, theta, t float64) float64 {
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
