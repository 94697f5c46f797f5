// Package simclock is a simulated clock for tests, examples and simulations of a Desk: the
// host moves time with Advance, and a Desk.Run that sleeps on the clock (Config.Sleep set
// to Clock.Sleep, Config.Now to Clock.Now) wakes at each instant it asked for, so that a
// day of work replays in milliseconds and prints the same on every run.
//
// Settle is the barrier that makes such runs deterministic: it returns once every loop
// that follows the clock (counted with Add) is asleep with nothing left to do at the
// current instant.
package simclock
