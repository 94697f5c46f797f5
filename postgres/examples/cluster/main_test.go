package main

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/postgres/internal/pgtest"
)

// The story runs on a schema of its own: the other Desk takes over within a hold of the
// lease and a renewal period, and each ticket is offered, accepted and announced once.
func TestClusterTakesOver(t *testing.T) {
	pool := pgtest.Pool(t, nil) // skips without a database outside CI
	schema := pgtest.Schema(t, pool)
	var out strings.Builder
	require.NoError(t, run(context.Background(), &out, pgtest.URL(), schema))
	text := out.String()
	t.Log("\n" + text)
	m := regexp.MustCompile(`(?m)^(east|west) dispatches$`).FindStringSubmatch(text)
	require.NotNil(t, m)
	leader, other := m[1], map[string]string{"east": "west", "west": "east"}[m[1]]
	assert.Contains(t, text, leader+" crashed")
	took := regexp.MustCompile(`(?m)^` + other + ` took over ([0-9.]+)s after the crash`).FindStringSubmatch(text)
	require.NotNil(t, took, "the other Desk took over")
	secs, err := strconv.ParseFloat(took[1], 64)
	require.NoError(t, err)
	assert.LessOrEqual(t, secs, (leaseFor+leaseFor/3).Seconds()+0.5, "within the hold and a renewal period")
	assert.Contains(t, text, leader+` offered "VPN is down" to ann`)
	assert.Contains(t, text, other+` offered "Printer jams" to ann`)
	for _, subject := range []string{"VPN is down", "Printer jams"} {
		assert.Equal(t, 1, strings.Count(text, `ann about "`+subject+`"`), subject)
		assert.Equal(t, 1, strings.Count(text, `offered "`+subject+`"`), subject)
	}
}
