package routing_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/supportkit/supportkit/routing"
)

// Offers and timeouts: an offer that is not accepted in time goes back to the queue, ahead
// of newer work, and the next offer skips the agent who let it lapse.
func ExampleRouter_Accept() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r, _ := routing.New(routing.Config{
		OfferTimeout: 20 * time.Second,
		Now:          func() time.Time { return now },
	})
	for _, id := range []string{"ivan", "olga"} {
		_ = r.AddAgent(routing.Agent{ID: id, Presence: routing.Available,
			Capacity: map[routing.Channel]int{routing.ChannelChat: 1}})
	}
	_ = r.SetPresence("olga", routing.Away)
	_ = r.Enqueue(routing.Task{ID: "chat-7", Channel: routing.ChannelChat})

	offer := r.Dispatch(now)[0]
	fmt.Println("offered to", offer.AgentID, "until", offer.ExpiresAt.Format("15:04:05"))

	now = now.Add(20 * time.Second) // ivan does not answer
	err := r.Accept("chat-7", "ivan")
	fmt.Println("late accept expired:", errors.Is(err, routing.ErrOfferExpired))
	exp := r.Expire(now)
	fmt.Println("timed out:", exp.Offers[0].TaskID)

	_ = r.SetPresence("olga", routing.Available)
	offer = r.Dispatch(now)[0]
	fmt.Println("offered to", offer.AgentID)
	_ = r.Accept("chat-7", "olga")
	done, _ := r.Complete("chat-7")
	fmt.Println(done.State, "by", done.AgentID)
	// Output:
	// offered to ivan until 09:00:20
	// late accept expired: true
	// timed out: chat-7
	// offered to olga
	// completed by olga
}

// Answering by offer: an agent who drops offline loses the open offer; when they are back
// the task is offered again, and a late answer to the first offer takes nothing.
func ExampleRouter_AcceptOffer() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r, _ := routing.New(routing.Config{Now: func() time.Time { return now }})
	_ = r.AddAgent(routing.Agent{ID: "ivan", Presence: routing.Available,
		Capacity: map[routing.Channel]int{routing.ChannelChat: 1}})
	_ = r.Enqueue(routing.Task{ID: "chat-8", Channel: routing.ChannelChat})
	first := r.Dispatch(now)[0]

	_ = r.SetPresence("ivan", routing.Offline) // the offer is withdrawn
	_ = r.SetPresence("ivan", routing.Available)
	now = now.Add(time.Minute)
	second := r.Dispatch(now)[0]

	err := r.AcceptOffer(first)
	fmt.Println("late answer to the first offer:", errors.Is(err, routing.ErrNotOffered))
	fmt.Println("answer to the second offer:", r.AcceptOffer(second))
	// Output:
	// late answer to the first offer: true
	// answer to the second offer: <nil>
}
