package kb

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Clicks are judged against how often a place is looked at: the same
// clicks per impression at the third place say more than at the first, and
// an article shown first and never opened loses.
func TestClickMultiplierCorrectsForPosition(t *testing.T) {
	cfg, err := FeedbackConfig{}.withDefaults()
	assert.NoError(t, err)
	f := newFeedback(cfg)
	at := func(position, shown, clicks int) float64 {
		return f.multiplier(&feedbackCount{shown: shown, examined: float64(shown) * examination(position), clicks: clicks})
	}
	assert.Greater(t, at(3, 30, 6), at(1, 30, 6), "same raw click rate, lower place")
	assert.InDelta(t, 1, at(1, 30, 6), 0.01, "the prior's rate at the first place changes nothing")
	assert.Less(t, at(1, 30, 0), 1.0, "shown first, never opened")
	assert.InDelta(t, 1, at(5, 1, 0), 0.05, "one impression moves little")
	assert.LessOrEqual(t, at(5, 100, 100), 2.0, "held to 2")
}

// The fast key is normalizeQuery's key.
func TestFeedbackKeyIsTheAnalyticsKey(t *testing.T) {
	for _, q := range []string{"", "  Роутер  НЕ  работает ", "VPN\tслабый\nсигнал", "ёлка Ё", "Straße", "a\u0301", "x\xffy", "ПРИВЕТ мир 0x8007",
		"роутер не работает", "роутер  не", " роутер", "роутер ", "a\vb", "vpn\u00a0slow", "ﬁle"} {
		assert.Equal(t, normalizeQuery(q), feedbackKey(q), "%q", q)
	}
}
