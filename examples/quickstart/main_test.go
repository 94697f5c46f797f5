package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/supportkit/supportkit/internal/golden"
)

// TestRunMatchesGolden checks that run prints the same on every run, and what
// testdata/quickstart.golden holds (go test -update rewrites it).
func TestRunMatchesGolden(t *testing.T) {
	golden.Run(t, "quickstart", run)
}

func TestShortPrintsOneDurationFormat(t *testing.T) {
	for d, want := range map[time.Duration]string{
		2*time.Hour + 56*time.Minute: "2h56m",
		45 * time.Minute:             "45m",
		time.Hour:                    "1h",
		24 * time.Hour:               "24h",
		30 * time.Second:             "30s",
		time.Hour + 30*time.Second:   "1h0m30s",
	} {
		assert.Equal(t, want, short(d), d.String())
	}
}
