package routing_test

import (
	"fmt"
	"time"

	"github.com/supportkit/supportkit/routing"
)

// Explain says why a task is still waiting: here every agent with the skill is offline or
// at chat capacity.
func ExampleRouter_Explain() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r, _ := routing.New(routing.Config{Now: func() time.Time { return now }})
	for i, p := range []routing.Presence{routing.Offline, routing.Offline, routing.Available} {
		_ = r.AddAgent(routing.Agent{ID: fmt.Sprintf("agent-%d", i), Presence: p,
			Skills:   map[string]int{"billing": 3},
			Capacity: map[routing.Channel]int{routing.ChannelChat: 1}})
	}
	_ = r.Enqueue(routing.Task{ID: "first", Channel: routing.ChannelChat})
	r.Dispatch(now) // agent-2 is now at chat capacity
	_ = r.Enqueue(routing.Task{ID: "refund", Channel: routing.ChannelChat,
		Required: []routing.SkillReq{{Skill: "billing", Level: 3}}})
	r.Dispatch(now)

	why, _ := r.Explain("refund", now.Add(3*time.Minute))
	fmt.Println(why)
	// Output:
	// waiting 3m0s; matching rules: strict skill match
	// needs skill billing at level 3 or higher: 3 agents have it; 2 are offline, 1 is at full chat capacity now
	// all requirements together: 3 agents meet them; 2 are offline, 1 is at full chat capacity now; none can take it now
}
