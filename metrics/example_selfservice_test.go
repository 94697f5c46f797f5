package metrics_test

import (
	"fmt"

	"github.com/supportkit/supportkit/metrics"
)

// Self-service: of 40 visits that read an article, 30 raised no ticket; the password
// article ends visits without a ticket far more often than the refund one.
func ExampleSelfService_DeflectionRate() {
	s := metrics.SelfService{Searches: 120, Sessions: 40, Deflected: 30, Articles: []metrics.ArticleSelfService{
		{Article: "reset-password", Impressions: 60, Clicks: 25, Deflected: 22, TicketsAfter: 2},
		{Article: "refund", Impressions: 35, Clicks: 16, Deflected: 8, TicketsAfter: 8},
	}}
	rate, _ := s.DeflectionRate()
	fmt.Printf("deflection %.0f%%\n", 100*rate)
	for _, a := range s.Articles {
		eff, _ := a.Effectiveness()
		fmt.Printf("%s: %.0f%%\n", a.Article, 100*eff)
	}
	// Output:
	// deflection 75%
	// reset-password: 92%
	// refund: 50%
}
