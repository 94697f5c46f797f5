package supportkit_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/ticket"
)

// Records a report leaves out were dropped in silence: the Desk logs how many and why.
func TestReportLogsTheRecordsItLeavesOut(t *testing.T) {
	var logs bytes.Buffer
	d, err := supportkit.New(supportkit.Config{Logger: zerolog.New(&logs)})
	require.NoError(t, err)
	for _, g := range []string{"a", "b", "c"} {
		_, err := d.Tickets().Create(context.Background(), ticket.NewTicket{Subject: "Printer jams",
			Requester: customer, Group: g})
		require.NoError(t, err)
	}
	rep, err := d.Report(context.Background(), metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}})
	require.NoError(t, err)
	assert.Zero(t, rep.Exclusions().Count)
	assert.Empty(t, logs.String(), "nothing left out, nothing logged")

	rep, err = d.Report(context.Background(), metrics.ReportConfig{GroupBy: []metrics.Dimension{metrics.ByGroup}, MaxGroups: 1})
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Exclusions().Count)
	assert.Contains(t, logs.String(), `"excluded":2`)
	assert.Contains(t, logs.String(), `"reason MaxGroups":2`)
	assert.NotContains(t, logs.String(), customer.Email)
}
