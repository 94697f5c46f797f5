package metrics_test

import (
	"fmt"
	"time"

	"github.com/supportkit/supportkit/metrics"
)

// Staffing a week: from the requests counted per hour of week over four weeks, the agents
// each hour needs for 80% answered within 20 seconds, whether night cover is worth it (not
// when under 5% of requests arrive at night) and who covers weekday office hours.
func ExamplePlanWeek() {
	var counts [metrics.HoursPerWeek]int // four weeks of requests by hour of week
	for day := range 5 {
		for h := 9; h < 18; h++ {
			counts[day*24+h] = 120 // 30 an hour in office hours
		}
		for h := 18; h < 23; h++ {
			counts[day*24+h] = 16 // 4 an hour in the evening
		}
		counts[day*24+3] = 4 // one a night at 03:00
	}
	volume, err := metrics.HourlyVolume(counts, 4)
	if err != nil {
		panic(err)
	}
	plan, err := metrics.PlanWeek(volume, metrics.WeekConfig{
		AHT:    8 * time.Minute,
		Target: metrics.Target{ServiceLevel: 0.8, AnswerWithin: 20 * time.Second, Shrinkage: 0.3},
	})
	if err != nil {
		panic(err)
	}
	monday := plan.Hours[10]
	fmt.Printf("Monday 10:00: %.0f erlangs, %d agents on the queue, %d scheduled, service level %.0f%%\n",
		monday.Traffic, monday.Agents, monday.Scheduled, 100*monday.ServiceLevel)
	fmt.Printf("Monday 20:00: %d scheduled\n", plan.Scheduled[20])
	for _, a := range plan.Advice {
		fmt.Println(a)
	}
	// Output:
	// Monday 10:00: 4 erlangs, 7 agents on the queue, 10 scheduled, service level 88%
	// Monday 20:00: 3 scheduled
	// weekdays 09:00-18:00: 10 people on shift cover the peak hour
	// nights 22:00-07:00: only 1.7% of requests arrive at night, under 5%; no night cover, answer them when the day starts
}
