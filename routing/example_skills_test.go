package routing_test

import (
	"fmt"
	"time"

	"github.com/supportkit/supportkit/routing"
)

// Agents with skills and per-channel capacity: each task goes to an agent with the skill at
// the level it needs, and work waits when every such agent is at capacity.
func ExampleRouter_skillsAndCapacity() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r, _ := routing.New(routing.Config{Now: func() time.Time { return now }})

	_ = r.AddAgent(routing.Agent{ID: "anna", Presence: routing.Available,
		Skills:   map[string]int{"billing": 4, "network": 1},
		Capacity: map[routing.Channel]int{routing.ChannelChat: 2}})
	_ = r.AddAgent(routing.Agent{ID: "boris", Presence: routing.Available,
		Skills:    map[string]int{"network": 5},
		Capacity:  map[routing.Channel]int{routing.ChannelChat: 1, routing.ChannelPhone: 1},
		Exclusive: []routing.Channel{routing.ChannelPhone}})

	billing := []routing.SkillReq{{Skill: "billing", Level: 3}}
	for i, id := range []string{"chat-1", "chat-2", "chat-3"} {
		_ = r.Enqueue(routing.Task{ID: id, Channel: routing.ChannelChat, Required: billing,
			QueuedAt: now.Add(time.Duration(i) * time.Second)})
	}
	_ = r.Enqueue(routing.Task{ID: "call-1", Channel: routing.ChannelPhone, Priority: 1,
		Required: []routing.SkillReq{{Skill: "network", Level: 4}}})

	for _, o := range r.Dispatch(now) {
		fmt.Printf("%s -> %s\n", o.TaskID, o.AgentID)
	}
	why, _ := r.Explain("chat-3", now)
	fmt.Println(why.Lines[1])
	// Output:
	// call-1 -> boris
	// chat-1 -> anna
	// chat-2 -> anna
	// needs skill billing at level 3 or higher: 1 agent has it; 1 is at full chat capacity now
}
