package routing_test

import (
	"fmt"
	"time"

	"github.com/supportkit/supportkit/routing"
)

// A relaxation policy: at first a task needs its preferred skills too; after 2 minutes they
// only rank agents; after 5 minutes minimum levels drop by one; after 10 minutes the next
// line and other teams may take it. The offer records the step that matched.
func ExampleStep() {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r, _ := routing.New(routing.Config{
		Now: func() time.Time { return start },
		Steps: []routing.Step{
			{After: 0, RequirePreferred: true},
			{After: 2 * time.Minute},
			{After: 5 * time.Minute, LowerLevels: 1},
			{After: 10 * time.Minute, LowerLevels: 1, ExtraLines: 1, AnyTeam: true},
		},
	})
	// The only agent on shift knows billing at level 3 and speaks no Spanish.
	_ = r.AddAgent(routing.Agent{ID: "vera", Presence: routing.Available, Line: 1,
		Skills:   map[string]int{"billing": 3},
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 5}})
	_ = r.Enqueue(routing.Task{ID: "refund", Channel: routing.ChannelEmail, Line: 1,
		Required:  []routing.SkillReq{{Skill: "billing", Level: 4}},
		Preferred: []routing.SkillReq{{Skill: "spanish", Level: 3}}})

	for _, waited := range []time.Duration{0, 2 * time.Minute, 5 * time.Minute} {
		offers := r.Dispatch(start.Add(waited))
		if len(offers) == 0 {
			fmt.Printf("after %v: waiting\n", waited)
			continue
		}
		fmt.Printf("after %v: offered to %s at step %d\n", waited, offers[0].AgentID, offers[0].Step)
	}
	// Output:
	// after 0s: waiting
	// after 2m0s: waiting
	// after 5m0s: offered to vera at step 2
}
