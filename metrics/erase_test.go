package metrics_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/metrics"
)

// report is the report by agent, credited when each measure happened, of recs.
func report(recs []metrics.Record, by ...metrics.Dimension) *metrics.Report {
	rep, err := metrics.NewReport(metrics.ReportConfig{GroupBy: by, Attribution: metrics.AttributeWhenItHappened})
	if err != nil {
		panic(err)
	}
	rep.AddAll(slices.Values(recs))
	return rep
}

// TestRenamingAnErasedAgentKeepsEveryFigure checks that replacing an agent by a pseudonym in
// the records leaves every report figure as it was: the total, each other agent's, and the
// erased agent's, now under the pseudonym.
func TestRenamingAnErasedAgentKeepsEveryFigure(t *testing.T) {
	for seed := range uint64(20) {
		var recs, renamed []metrics.Record
		changed := 0
		for r := range randomRecords(seed, 300) {
			recs = append(recs, r)
			if r.RenameAssignee("ann", "erased-1") {
				changed++
			}
			renamed = append(renamed, r)
		}
		before := report(recs, metrics.ByAgent)
		require.Positive(t, changed)
		assert.False(t, renamed[0].RenameAssignee("", "x"), "an empty ID renames nothing")
		after := report(renamed, metrics.ByAgent)
		assert.Equal(t, before.Excluded(), after.Excluded())
		assert.Equal(t, figures(before.Total()), figures(after.Total()), "seed %d: totals", seed)
		for _, g := range before.Groups() {
			k := g.Key
			if k.Agent == "ann" {
				k.Agent = "erased-1"
			}
			s, ok := after.Stats(k)
			require.True(t, ok, "seed %d: group %s", seed, k)
			assert.Equal(t, figures(g.Stats), figures(s), "seed %d: %s", seed, g.Key)
		}
		for _, g := range after.Groups() {
			assert.NotEqual(t, "ann", g.Key.Agent)
		}
	}
}

// TestBuilderRenamesEveryRecordItHolds checks the Builder's RenameAssignee against renaming
// each record by hand.
func TestBuilderRenamesEveryRecordItHolds(t *testing.T) {
	b := metrics.NewBuilder()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i, a := range []string{"a1", "a2", "a1", ""} {
		id := fmt.Sprint(i)
		require.NoError(t, b.Add(metrics.Event{TicketID: id, At: at, Kind: metrics.EventCreated}))
		require.NoError(t, b.Add(metrics.Event{TicketID: id, At: at, Kind: metrics.EventSet, Field: metrics.FieldAssignee, Value: a}))
	}
	var want []metrics.Record
	for r := range b.Records() {
		r.RenameAssignee("a1", "erased-1")
		want = append(want, r)
	}
	assert.Equal(t, 2, b.RenameAssignee("a1", "erased-1"))
	var got []metrics.Record
	for r := range b.Records() {
		got = append(got, r)
	}
	assert.Equal(t, want, got)
	assert.Zero(t, b.RenameAssignee("a1", "erased-1"), "nothing left to rename")
}
