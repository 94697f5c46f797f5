package metrics_test

import (
	"os"
	"time"

	"github.com/supportkit/supportkit/metrics"
)

// A host without the ticket package feeds its own events to a Builder, reports on the records
// and prints a scorecard against the default targets and an SLA target. SLA outcomes are
// named by the SLAMetric constants. Without a Calendar the report, and so the scorecard,
// measures wall-clock time, and the CLOCK column says so.
func ExampleNewScorecard() {
	b := metrics.NewBuilder()
	at := func(h, m int) time.Time { return time.Date(2026, 3, 2, h, m, 0, 0, time.UTC) }
	events := []metrics.Event{
		{TicketID: "A-1", At: at(9, 0), Kind: metrics.EventCreated, Actor: metrics.ActorCustomer},
		{TicketID: "A-1", At: at(9, 0), Kind: metrics.EventSet, Field: metrics.FieldChannel, Value: "email"},
		{TicketID: "A-2", At: at(9, 30), Kind: metrics.EventCreated, Actor: metrics.ActorCustomer},
		{TicketID: "A-1", At: at(9, 10), Kind: metrics.EventReplied, Actor: metrics.ActorAgent},
		{TicketID: "A-1", At: at(9, 10), Kind: metrics.EventSLAMet, Field: string(metrics.SLAFirstResponse)},
		{TicketID: "A-1", At: at(9, 12), Kind: metrics.EventSolved, Actor: metrics.ActorAgent},
		{TicketID: "A-1", At: at(9, 40), Kind: metrics.EventCSAT, Actor: metrics.ActorCustomer, Int: 5},
		{TicketID: "A-2", At: at(9, 50), Kind: metrics.EventReplied, Actor: metrics.ActorAgent},
		{TicketID: "A-2", At: at(9, 50), Kind: metrics.EventSLABreached, Field: string(metrics.SLAFirstResponse)},
		{TicketID: "A-2", At: at(10, 20), Kind: metrics.EventReplied, Actor: metrics.ActorCustomer},
		{TicketID: "A-2", At: at(10, 30), Kind: metrics.EventReplied, Actor: metrics.ActorAgent},
		{TicketID: "A-2", At: at(11, 30), Kind: metrics.EventSolved, Actor: metrics.ActorAgent},
		{TicketID: "A-2", At: at(12, 0), Kind: metrics.EventCSAT, Actor: metrics.ActorCustomer, Int: 4},
	}
	for _, e := range events {
		if err := b.Add(e); err != nil {
			panic(err)
		}
	}

	report, _ := metrics.NewReport(metrics.ReportConfig{})
	report.AddAll(b.Records())
	targets := metrics.Targets{MinSLA: map[metrics.SLAMetric]float64{metrics.SLAFirstResponse: 0.95}}
	card, err := metrics.NewScorecard(report.Total(), targets)
	if err != nil {
		panic(err)
	}
	card.WriteTo(os.Stdout)
	// Output:
	// KPI                                      CLOCK       VALUE   TARGET      RESULT
	// average first response                   wall clock  15m0s   <= 15m0s    PASS
	// first contact resolution (single reply)  -           50.0%   >= 85.0%    FAIL
	// CSAT (4-5 of 5)                          -           100.0%  >= 90.0%    PASS
	// average resolution                       wall clock  1h6m0s  <= 24h0m0s  PASS
	// SLA first_response                       -           50.0%   >= 95.0%    FAIL
}
