package metrics_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/supportkit/supportkit/metrics"
)

func TestDeflectionRate(t *testing.T) {
	for _, c := range []struct {
		s    metrics.SelfService
		rate float64
		ok   bool
	}{
		{metrics.SelfService{Sessions: 4, Deflected: 3}, 0.75, true},
		{metrics.SelfService{Sessions: 4}, 0, true},
		{metrics.SelfService{Searches: 10}, 0, false},
		{metrics.SelfService{Sessions: 2, Deflected: 3}, 0, false},
		{metrics.SelfService{Sessions: -2, Deflected: -1}, 0, false},
	} {
		rate, ok := c.s.DeflectionRate()
		assert.Equal(t, c.ok, ok, "%+v", c.s)
		assert.InDelta(t, c.rate, rate, 1e-12, "%+v", c.s)
	}
}

func TestEffectiveness(t *testing.T) {
	for _, c := range []struct {
		a    metrics.ArticleSelfService
		rate float64
		ok   bool
	}{
		{metrics.ArticleSelfService{Deflected: 1, TicketsAfter: 3}, 0.25, true},
		{metrics.ArticleSelfService{TicketsAfter: 3}, 0, true},
		{metrics.ArticleSelfService{Impressions: 9, Clicks: 2}, 0, false},
		{metrics.ArticleSelfService{Deflected: 4, TicketsAfter: -1}, 0, false},
		{metrics.ArticleSelfService{Deflected: -1, TicketsAfter: 2}, 0, false},
	} {
		rate, ok := c.a.Effectiveness()
		assert.Equal(t, c.ok, ok, "%+v", c.a)
		assert.InDelta(t, c.rate, rate, 1e-12, "%+v", c.a)
	}
}
