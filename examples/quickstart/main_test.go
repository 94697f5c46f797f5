package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/quickstart.golden with the current output")

func TestRunMatchesGolden(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	golden := filepath.Join("testdata", "quickstart.golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, out.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), out.String())
}

func TestRunIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, run(&a))
	require.NoError(t, run(&b))
	assert.Equal(t, a.String(), b.String())
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
	assert.Equal(t, "<= 15m", shortText("<= 15m0s"))
	assert.Equal(t, ">= 85.0%", shortText(">= 85.0%"))
}
