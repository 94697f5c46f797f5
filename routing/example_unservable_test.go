package routing_test

import (
	"fmt"
	"time"

	"github.com/supportkit/supportkit/routing"
)

// A ticket from the web form waits while every agent takes only chat and email. The host
// polls Unservable after each Dispatch and raises each stuck task once; adding an agent
// with web capacity clears it.
func ExampleRouter_Unservable() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r, _ := routing.New(routing.Config{Now: func() time.Time { return now }})
	_ = r.AddAgent(routing.Agent{ID: "anna",
		Capacity: map[routing.Channel]int{routing.ChannelChat: 3, routing.ChannelEmail: 10}})
	_ = r.Enqueue(routing.Task{ID: "T-1", Channel: routing.ChannelWebForm})

	reported := map[string]routing.Reason{} // what the previous poll listed
	poll := func() {
		r.Dispatch(now)
		listed := map[string]routing.Reason{}
		for _, s := range r.Unservable(now) {
			if reported[s.TaskID] != s.Reason {
				fmt.Printf("%s: %s\n", s.TaskID, s.Text)
			}
			listed[s.TaskID] = s.Reason
		}
		reported = listed
	}
	poll()
	poll() // nothing new
	fmt.Println("stuck:", r.Stats(now).Unservable)

	_ = r.AddAgent(routing.Agent{ID: "boris", Capacity: map[routing.Channel]int{routing.ChannelWebForm: 5}})
	poll()
	fmt.Println("stuck:", r.Stats(now).Unservable)
	// Output:
	// T-1: no agent could ever take it: no agent has capacity on web at all
	// stuck: 1
	// stuck: 0
}
