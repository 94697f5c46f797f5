package simclock_test

import (
	"context"
	"fmt"
	"time"

	"github.com/supportkit/supportkit/simclock"
)

// A loop that sleeps on the clock wakes at each instant it asks for while the host moves
// the clock forward.
func Example() {
	c := simclock.New(time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.Add(1)
	go func() {
		for next := c.Now().Add(20 * time.Minute); ctx.Err() == nil; next = next.Add(20 * time.Minute) {
			c.Sleep(ctx, next, nil)
			if ctx.Err() == nil {
				fmt.Println("tick at", c.Now().Format("15:04"))
			}
		}
	}()
	c.Advance(c.Now().Add(time.Hour))
	// Output:
	// tick at 09:20
	// tick at 09:40
	// tick at 10:00
}
